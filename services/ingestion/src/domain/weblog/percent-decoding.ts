import { decodeBytes } from "./byte-decoding.js";

const percentEscapeRun = /(?:%[0-9A-Fa-f]{2})+/g;

function bytesOf(escapeRun: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < escapeRun.length; i += 3) {
    bytes.push(Number.parseInt(escapeRun.slice(i + 1, i + 3), 16));
  }
  return bytes;
}

/**
 * Percent-decodes a URL path as UTF-8 without ever throwing: a run of escapes that is not valid
 * UTF-8, and a stray "%" that starts no escape, stay exactly as logged. `+` is a literal plus in a
 * path, so it is kept.
 */
export function decodePercentEscapes(text: string): string {
  return text.replace(percentEscapeRun, (run) => decodeBytes(bytesOf(run)) ?? run);
}

/**
 * Decodes one query-string value (`+` is a space) in the charset the page submitted it in.
 * Returns undefined when an escape run is not valid in that charset: a garbled search phrase is
 * worse than none.
 */
export function decodeQueryValue(text: string, charset = "utf-8"): string | undefined {
  let isDecodable = true;
  const decoded = text.replaceAll("+", " ").replace(percentEscapeRun, (run) => {
    const value = decodeBytes(bytesOf(run), charset);
    if (value === undefined) isDecodable = false;
    return value ?? run;
  });
  return isDecodable ? decoded : undefined;
}
