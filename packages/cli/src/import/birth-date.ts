import { isCalendarDate } from "@rapport/events";
import { type Parsed, parsedValue, parseProblem } from "./parsed.js";

// 1985-07-14, 1985/07/14 (also 1985/7/14) and 19850714: the forms CRM and shop exports write.
const forms = [/^(\d{4})-(\d{2})-(\d{2})$/, /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/, /^(\d{4})(\d{2})(\d{2})$/];

/** A birth date as the ISO calendar date (YYYY-MM-DD) the contracts carry. */
export function parseBirthDate(text: string): Parsed<string> {
  const trimmed = text.trim();
  for (const form of forms) {
    const parts = form.exec(trimmed);
    if (!parts) continue;
    const [, year = "", month = "", day = ""] = parts;
    if (!isCalendarDate(Number(year), Number(month), Number(day))) {
      return parseProblem(`birth date "${text}" is not a real date`);
    }
    return parsedValue(`${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`);
  }
  return parseProblem(`birth date "${text}" is not YYYY-MM-DD, YYYY/MM/DD or YYYYMMDD`);
}
