/**
 * Decodes bytes in the given charset, or returns undefined when they are not valid in it or the
 * charset is unknown. Callers decide what to do with undecodable bytes: keeping the escapes as
 * logged, or dropping the value, both beat inventing replacement characters.
 */
export function decodeBytes(bytes: readonly number[], charset = "utf-8"): string | undefined {
  try {
    return new TextDecoder(charset, { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return undefined;
  }
}
