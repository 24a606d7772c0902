import { decodeBytes } from "./byte-decoding.js";
import { excerpt } from "./excerpt.js";

/** One whitespace-separated field of an access-log line, as the log format delimited it. */
export type LogLineField = {
  delimiter: "bare" | "bracketed" | "quoted";
  /** The field's text without its delimiters; quoted fields are unescaped. */
  text: string;
};

export type LogLineFieldsResult = { ok: true; fields: LogLineField[] } | { ok: false; detail: string };

const controlEscapes: Readonly<Record<string, string>> = {
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

function isSpace(char: string | undefined): boolean {
  return char === " " || char === "\t";
}

function hexByteAt(text: string, index: number): number | undefined {
  const hex = text.slice(index, index + 2);
  return /^[0-9A-Fa-f]{2}$/.test(hex) ? Number.parseInt(hex, 16) : undefined;
}

/**
 * Reads a quoted field starting just after its opening quote. Apache escapes `"` and `\` with a
 * backslash and other bytes as \xhh; nginx escapes all of them as \xHH (so UTF-8 arrives as
 * several \xHH in a row, decoded together). Old Apache versions logged quotes unescaped, so a quote
 * only closes the field when whitespace or the end of the line follows it.
 */
function readQuoted(line: string, start: number): { text: string; end: number } | undefined {
  let text = "";
  let i = start;
  while (i < line.length) {
    const char = line[i];
    if (char === '"' && (i + 1 === line.length || isSpace(line[i + 1]))) {
      return { text, end: i + 1 };
    }
    if (char !== "\\") {
      text += char;
      i += 1;
      continue;
    }
    const escaped = line[i + 1];
    if (escaped === "x" && hexByteAt(line, i + 2) !== undefined) {
      const runStart = i;
      const bytes: number[] = [];
      while (line[i] === "\\" && line[i + 1] === "x") {
        const byte = hexByteAt(line, i + 2);
        if (byte === undefined) break;
        bytes.push(byte);
        i += 4;
      }
      // Bytes that are not UTF-8 (binary junk, a TLS handshake sent to the plain port) stay as logged.
      text += decodeBytes(bytes) ?? line.slice(runStart, i);
    } else if (escaped === '"' || escaped === "\\") {
      text += escaped;
      i += 2;
    } else if (escaped !== undefined && controlEscapes[escaped] !== undefined) {
      text += controlEscapes[escaped];
      i += 2;
    } else {
      text += char;
      i += 1;
    }
  }
  return undefined;
}

/**
 * Splits an access-log line into its fields: bare words, [bracketed] timestamps and "quoted"
 * strings. Fails only when a bracket or quote is never closed; which field is where is the
 * format's business, not this function's.
 */
export function readLogLineFields(line: string): LogLineFieldsResult {
  const fields: LogLineField[] = [];
  let i = 0;
  while (i < line.length) {
    if (isSpace(line[i])) {
      i += 1;
      continue;
    }
    if (line[i] === '"') {
      const quoted = readQuoted(line, i + 1);
      if (quoted === undefined) {
        return { ok: false, detail: `The quoted field ${excerpt(line.slice(i))} is never closed.` };
      }
      fields.push({ delimiter: "quoted", text: quoted.text });
      i = quoted.end;
    } else if (line[i] === "[") {
      const close = line.indexOf("]", i);
      if (close === -1) {
        return { ok: false, detail: `The bracketed field ${excerpt(line.slice(i))} is never closed.` };
      }
      fields.push({ delimiter: "bracketed", text: line.slice(i + 1, close) });
      i = close + 1;
    } else {
      let end = i;
      while (end < line.length && !isSpace(line[end])) end += 1;
      fields.push({ delimiter: "bare", text: line.slice(i, end) });
      i = end;
    }
  }
  return { ok: true, fields };
}
