/**
 * Takes the visitor id from a logged trailing field. With a cookie name, a field containing "=" is
 * a whole Cookie header (nginx `"$http_cookie"`: `"a=1; visitor_id=abc"`) and the id is that
 * cookie's value; a field without "=" is a dedicated visitor-id field (`"$cookie_visitor_id"`) and
 * is the id itself. Without a cookie name the field is always taken whole, since a dedicated field
 * may hold "=" itself (base64 padding). "-" and empty values mean the visitor had no such cookie.
 */
export function findVisitorCookie(
  field: string | undefined,
  cookieName: string | undefined,
): string | undefined {
  const trimmed = field?.trim();
  if (trimmed === undefined || trimmed === "" || trimmed === "-") return undefined;
  if (!trimmed.includes("=") || cookieName === undefined) return trimmed;
  for (const pair of trimmed.split(";")) {
    const separator = pair.indexOf("=");
    if (separator === -1 || pair.slice(0, separator).trim() !== cookieName) continue;
    // RFC 6265 allows a cookie value wrapped in double quotes; the quotes are not part of the id.
    const value = pair
      .slice(separator + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1");
    return value === "" ? undefined : value;
  }
  return undefined;
}
