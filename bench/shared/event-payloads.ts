import type { Random } from "./random.js";

// What a tea shop with a web site, a call center and a survey tool records besides who it was: the
// event data without `customer`, valid for its event type and already in canonical form (enum short
// names, upper-case currencies), so it passes through ingestion unchanged.

const products = [
  { productId: "tea-01", productName: "제주 녹차 세트", category: "tea", price: 15_000 },
  { productId: "tea-07", productName: "Earl Grey 100g", category: "tea", price: 12_500 },
  { productId: "cup-03", productName: "백자 찻잔", category: "tableware", price: 28_000 },
  { productId: "gift-11", productName: "명절 선물 세트", category: "gift", price: 59_000 },
  { productId: "snack-02", productName: "Yuzu cookies", category: "snack", price: 6_900 },
] as const;
const pages = [
  { url: "/", title: "Rapport Tea — Home" },
  { url: "/tea/green", title: "Green tea" },
  { url: "/tea/black?sort=price", title: "Black tea" },
  { url: "/gift/holiday", title: "Holiday gift sets" },
  { url: "/cart", title: "Cart" },
] as const;
const referrers = [
  { referrer: "https://search.naver.com/search.naver?query=%EB%85%B9%EC%B0%A8", host: "search.naver.com" },
  { referrer: "https://www.google.com/search?q=green+tea", host: "www.google.com" },
  { referrer: "https://shop.example.com/tea/green", host: "shop.example.com" },
] as const;
const browsers = [
  {
    userAgent:
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
    browserFamily: "Mobile Safari",
    osFamily: "iOS",
    deviceFamily: "mobile",
  },
  {
    userAgent:
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    browserFamily: "Chrome",
    osFamily: "Windows",
    deviceFamily: "desktop",
  },
] as const;
const callPurposes = ["order", "inquiry", "complaint", "reservation", "happy_call", "retention"] as const;
const callOutcomes = ["completed", "completed", "completed", "no_answer", "callback_requested"] as const;

/** An OrderPlaced's data besides the customer: 1–4 items, a quarter of the orders in a store. */
export function orderDetails(random: Random, orderNumber: number) {
  const items = Array.from({ length: random.int(1, 4) }, () => {
    const product = random.pick(products);
    return {
      productId: product.productId,
      productName: product.productName,
      category: product.category,
      quantity: random.int(1, 3),
      unitPrice: { amountMinor: product.price, currency: "KRW" },
    };
  });
  const total = items.reduce((sum, item) => sum + item.quantity * item.unitPrice.amountMinor, 0);
  const inStore = random.chance(0.25);
  return {
    orderId: `O-${orderNumber}`,
    items,
    total: { amountMinor: total, currency: "KRW" },
    salesChannel: inStore ? "store" : "online",
    ...(inStore ? { storeId: `store-${random.int(1, 40)}` } : {}),
  };
}

/** A CallLogged's data besides the customer. */
export function callDetails(random: Random, callNumber: number) {
  const purpose = random.pick(callPurposes);
  return {
    callId: `call-${callNumber}`,
    direction: random.chance(0.7) ? "inbound" : "outbound",
    purpose,
    outcome: random.pick(callOutcomes),
    durationSeconds: random.int(20, 1_200),
    agentId: `agent-${random.int(1, 60)}`,
    ...(purpose === "complaint"
      ? { complaintReference: `CMP-2026-${String(callNumber).padStart(6, "0")}`, complaintStatus: "open" }
      : {}),
  };
}

/** A PageViewed's data besides the customer: a page, often a referrer, a browser. */
export function pageViewDetails(random: Random) {
  const page = random.pick(pages);
  const from = random.chance(0.6) ? random.pick(referrers) : undefined;
  return {
    url: page.url,
    pageTitle: page.title,
    ...(from ? { referrer: from.referrer, referrerHost: from.host } : {}),
    ...random.pick(browsers),
    statusCode: 200,
  };
}

/** A SurveyAnswered's data besides the customer: an NPS survey with a free-text answer. */
export function surveyDetails(random: Random) {
  return {
    surveyId: `nps-2026-q${random.int(1, 4)}`,
    nps: random.int(0, 10),
    csat: random.int(1, 5),
    answers: [
      {
        questionId: "q1",
        question: "How likely are you to recommend us?",
        answer: String(random.int(0, 10)),
      },
      {
        questionId: "q2",
        question: "무엇을 개선하면 좋을까요?",
        answer: random.chance(0.5) ? "배송이 빨랐으면 좋겠어요" : "",
      },
    ],
  };
}
