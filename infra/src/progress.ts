/** Receives one human-readable line per step; the CLI prints them to stderr, tests may collect them. */
export type ProgressListener = (message: string) => void;

export interface Progress {
  /** Reports a step, prefixed with the time elapsed since the progress started. */
  step(message: string): void;
}

export function createProgress(
  onProgress: ProgressListener | undefined,
  now: () => number = () => performance.now(),
): Progress {
  const startedAt = now();
  return {
    step(message) {
      if (onProgress === undefined) return;
      onProgress(`${formatElapsed(now() - startedAt)} ${message}`);
    },
  };
}

export function formatElapsed(elapsedMs: number): string {
  return `[${(elapsedMs / 1000).toFixed(1).padStart(6)}s]`;
}
