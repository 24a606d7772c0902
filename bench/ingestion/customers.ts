import { type Random, seededRandom } from "./random.js";

/** One synthetic customer and the identifiers the upstream systems know them by. */
export type SyntheticCustomer = {
  customerNumber: string;
  /** Mixed case, as people type them; ingestion lower-cases them. */
  email: string;
  /** A Korean mobile number written nationally (010-2xxx-xxxx … 010-9xxx-xxxx) that libphonenumber accepts. */
  phone: string;
  cookieId: string;
  /** Printed with spaces, as on the card; ingestion strips them. */
  loyaltyCard: string;
  firstName: string;
  lastName: string;
};

const familyNames = ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim"] as const;
const givenNames = [
  "Ji-woo",
  "Min-jun",
  "Seo-yeon",
  "Do-yun",
  "Ha-eun",
  "Ye-jun",
  "Su-ah",
  "Si-woo",
] as const;
const mailDomains = ["Example.com", "naver.com", "Gmail.com", "daum.net", "Kakao.com"] as const;

function digits(random: Random, count: number): string {
  return Array.from({ length: count }, () => String(random.int(0, 9))).join("");
}

/**
 * The first four digits after 010: 2000–9999, except 5970–5999, which libphonenumber's full metadata
 * (the one ingestion validates with) does not know as assigned mobile numbers.
 */
function mobileExchange(random: Random): string {
  const exchange = random.int(2000, 9969);
  return String(exchange >= 5970 ? exchange + 30 : exchange);
}

function mixedCase(random: Random, text: string): string {
  switch (random.int(0, 2)) {
    case 0:
      return text;
    case 1:
      return text.toUpperCase();
    default:
      return text.charAt(0).toUpperCase() + text.slice(1);
  }
}

/** Customer number `index` of the synthetic population; the same index always gives the same person. */
export function syntheticCustomer(seed: number, index: number): SyntheticCustomer {
  const random = seededRandom(seed ^ Math.imul(index + 1, 0x9e3779b1));
  const lastName = random.pick(familyNames);
  const firstName = random.pick(givenNames);
  const localPart = `${firstName.replace("-", "")}.${lastName}${index}`;
  return {
    customerNumber: `C-${String(100_000 + index)}`,
    email: `${mixedCase(random, localPart)}@${random.pick(mailDomains)}`,
    phone: `010-${mobileExchange(random)}-${digits(random, 4)}`,
    cookieId: `v-${index.toString(36)}-${digits(random, 8)}`,
    loyaltyCard: `${digits(random, 4)} ${digits(random, 4)} ${String(index).padStart(4, "0").slice(-4)}`,
    firstName,
    lastName,
  };
}
