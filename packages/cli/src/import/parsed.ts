/** A conversion of one cell that either gives a value or says, for people, what is wrong with it. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; detail: string };

export function parsedValue<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function parseProblem<T>(detail: string): Parsed<T> {
  return { ok: false, detail };
}
