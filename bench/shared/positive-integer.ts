/** A command-line option that must be a whole number > 0; `fallback` when it was not given. */
export function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`--${name} must be a whole number > 0, got ${text}`);
  return value;
}
