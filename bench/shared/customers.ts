import { type Random, seededRandom } from "./random.js";

/** One synthetic customer and the identifiers the upstream systems know them by. */
export type SyntheticCustomer = {
  customerNumber: string;
  /** Mixed case, as people type them; ingestion lower-cases them. */
  email: string;
  /**
   * A Korean mobile number written nationally (010-2xxx-xxxx … 010-9xxx-xxxx) that libphonenumber
   * accepts; no two customers of one seed share it.
   */
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

// Korean mobile numbers 010-EEEE-LLLL whose exchange EEEE is 2000–9999 except 5970–5999, which
// libphonenumber's full metadata (the one ingestion validates with) does not know as assigned.
const exchanges = 7_970;
const mobileNumbers = exchanges * 10_000;

/**
 * Customer `index`'s mobile number: a different one for every index (index → number is a bijection,
 * as 7,919 is prime to the count of numbers), so two customers never share a phone by accident.
 */
function mobileNumber(seed: number, index: number): string {
  const slot = (((index * 7_919 + seed) % mobileNumbers) + mobileNumbers) % mobileNumbers;
  const exchange = 2_000 + Math.floor(slot / 10_000);
  const line = String(slot % 10_000).padStart(4, "0");
  return `010-${exchange >= 5_970 ? exchange + 30 : exchange}-${line}`;
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

/**
 * Customer `index` of the synthetic population; the same seed and index always give the same person,
 * and different indexes never share a customer number, email, phone or cookie.
 */
export function syntheticCustomer(seed: number, index: number): SyntheticCustomer {
  const random = seededRandom(seed ^ Math.imul(index + 1, 0x9e3779b1));
  const lastName = random.pick(familyNames);
  const firstName = random.pick(givenNames);
  const localPart = `${firstName.replace("-", "")}.${lastName}${index}`;
  return {
    customerNumber: `C-${String(100_000 + index)}`,
    email: `${mixedCase(random, localPart)}@${random.pick(mailDomains)}`,
    phone: mobileNumber(seed, index),
    cookieId: `v-${index.toString(36)}-${digits(random, 8)}`,
    loyaltyCard: `${digits(random, 4)} ${digits(random, 4)} ${String(index).padStart(4, "0").slice(-4)}`,
    firstName,
    lastName,
  };
}
