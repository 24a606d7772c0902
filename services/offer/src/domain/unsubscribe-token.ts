import { createHmac, timingSafeEqual } from "node:crypto";

/** Who an unsubscribe link speaks for: the customer and the address the offer was sent to. */
export type Unsubscription = { customerId: string; email: string };

/**
 * The token of an email offer's unsubscribe link: the customer and address, signed with the
 * service's secret (HMAC-SHA256) so nobody can unsubscribe somebody else.
 */
export function unsubscribeTokenOf(unsubscription: Unsubscription, secret: string): string {
  const payload = Buffer.from(JSON.stringify([unsubscription.customerId, unsubscription.email])).toString(
    "base64url",
  );
  return `${payload}.${signatureOf(payload, secret)}`;
}

/** The unsubscription a token stands for, or why it stands for none. */
export function readUnsubscribeToken(token: string, secret: string): Unsubscription | string {
  const [payload, signature, ...rest] = token.split(".");
  if (!payload || !signature || rest.length > 0) return "the token is not an unsubscribe token";
  const expected = Buffer.from(signatureOf(payload, secret));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return "the token's signature does not match: it was altered or signed with another secret";
  try {
    const [customerId, email] = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown[];
    if (typeof customerId === "string" && typeof email === "string") return { customerId, email };
  } catch {
    // A signed payload that does not parse was signed by something else; answered below.
  }
  return "the token's payload is not an unsubscription";
}

function signatureOf(payload: string, secret: string): string {
  return createHmac("sha256", secret).update(payload).digest("base64url");
}
