import { distance as levenshtein } from "fastest-levenshtein";
import jaroWinkler from "talisman/metrics/jaro-winkler.js";

/**
 * Names as people type them: case, accents, spaces and hyphens vary between sign-ups
 * ("Seo-yeon", "SEOYEON", "seo yeon"), so only letters survive. Hangul and other scripts are kept.
 */
export function normaliseName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .normalize("NFC")
    .toLowerCase()
    .replace(/[^\p{L}]/gu, "");
}

export function nameSimilarity(a: string, b: string): number {
  return a === b ? 1 : jaroWinkler(a, b);
}

/**
 * One keystroke apart: a substitution, insertion or deletion, or two neighbours swapped
 * ("1985-03-12" vs "1985-03-21"), the typos a form sees most.
 */
export function isOneEditApart(a: string, b: string): boolean {
  if (a === b) return false;
  if (levenshtein(a, b) === 1) return true;
  if (a.length !== b.length) return false;
  const differing: number[] = [];
  for (let index = 0; index < a.length; index += 1) {
    if (a[index] !== b[index]) differing.push(index);
    if (differing.length > 2) return false;
  }
  const [first, second] = differing;
  return first !== undefined && second === first + 1 && a[first] === b[second] && a[second] === b[first];
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whole days from a to b (both YYYY-MM-DD), or undefined when either is not a date. */
export function daysBetween(a: string, b: string): number | undefined {
  const dayA = dayNumber(a);
  const dayB = dayNumber(b);
  return dayA === undefined || dayB === undefined ? undefined : Math.abs(dayA - dayB);
}

function dayNumber(date: string): number | undefined {
  const parts = isoDate.exec(date);
  if (!parts) return undefined;
  const time = Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]));
  return Number.isNaN(time) ? undefined : Math.round(time / 86_400_000);
}

/** Street lines differ in punctuation and abbreviations more than in substance. */
export function normaliseStreet(line: string): string {
  return line
    .toLowerCase()
    .replace(/[.,#]/g, " ")
    .replace(/\bapartment\b|\bapt\b|\bunit\b/g, "apt")
    .replace(/\bstreet\b/g, "st")
    .replace(/\broad\b/g, "rd")
    .replace(/\s+/g, " ")
    .trim();
}

export function normalisePostalCode(code: string): string {
  return code.replace(/[\s-]/g, "").toUpperCase();
}

export function normaliseEmail(email: string): { local: string; domain: string } {
  const lowered = email.trim().toLowerCase();
  const at = lowered.lastIndexOf("@");
  return at < 0
    ? { local: lowered, domain: "" }
    : { local: lowered.slice(0, at), domain: lowered.slice(at + 1) };
}

/** Digits only: "+82 10-1234-5678" and "+821012345678" are the same phone. */
export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, "");
}
