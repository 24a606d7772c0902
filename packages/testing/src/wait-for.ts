export interface WaitForOptions {
  /** Says what is awaited, for the timeout error: "the customer projection to show 2 orders". */
  description: string;
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls a condition until it returns a truthy value (which is returned) or the deadline passes.
 * A condition that throws counts as "not yet"; the last error is reported on timeout. This is how
 * a test waits for an effect, instead of sleeping and hoping.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  { description, timeoutMs = 15_000, intervalMs = 100 }: WaitForOptions,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  let lastValue: T | undefined;
  for (;;) {
    try {
      lastValue = await condition();
      if (lastValue) return lastValue;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause =
        lastError === undefined
          ? `last result: ${String(lastValue)}`
          : `last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description} (${cause})`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
