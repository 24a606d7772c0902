// What the demo company sells and shows: a Korean tea house with a web shop, stores and a call
// center. Prices in KRW (minor units are won).

export type Product = { productId: string; productName: string; category: string; price: number };

export const products: readonly Product[] = [
  { productId: "tea-green-01", productName: "제주 녹차 50g", category: "tea", price: 15_000 },
  { productId: "tea-black-02", productName: "Earl Grey 100g", category: "tea", price: 12_500 },
  { productId: "tea-oolong-03", productName: "Oolong 80g", category: "tea", price: 18_000 },
  { productId: "tea-herbal-04", productName: "Yuja herbal tea", category: "tea", price: 9_900 },
  { productId: "ware-cup-01", productName: "백자 찻잔", category: "tableware", price: 28_000 },
  { productId: "ware-pot-02", productName: "Celadon teapot", category: "tableware", price: 64_000 },
  { productId: "gift-set-01", productName: "명절 선물 세트", category: "gift", price: 59_000 },
  { productId: "gift-box-02", productName: "Premium gift box", category: "gift", price: 120_000 },
  { productId: "snack-yuzu-01", productName: "Yuzu cookies", category: "snack", price: 6_900 },
  { productId: "snack-rice-02", productName: "쌀과자", category: "snack", price: 4_500 },
];

export const categories = ["tea", "tableware", "gift", "snack"] as const;

/** Pages of the web shop by category, and the pages every session may pass through. */
export const categoryPages: Record<(typeof categories)[number], readonly string[]> = {
  tea: ["/tea", "/tea/green", "/tea/black", "/product/tea-green-01", "/product/tea-oolong-03"],
  tableware: ["/tableware", "/product/ware-cup-01", "/product/ware-pot-02"],
  gift: ["/gift", "/gift/holiday", "/product/gift-set-01"],
  snack: ["/snack", "/product/snack-yuzu-01"],
};
export const commonPages = ["/", "/cart", "/event/autumn", "/mypage"] as const;

/** Search phrases that bring visitors from a search engine, by the category they look for. */
export const searchKeywords: Record<(typeof categories)[number], readonly string[]> = {
  tea: ["녹차", "제주 녹차", "green tea", "얼그레이", "oolong tea"],
  tableware: ["찻잔 세트", "celadon teapot", "다기"],
  gift: ["명절 선물", "tea gift set", "선물 세트 추천"],
  snack: ["유자 쿠키", "rice crackers"],
};

export const searchEngines = [
  (phrase: string) => `https://search.naver.com/search.naver?query=${encodeURIComponent(phrase)}`,
  (phrase: string) => `https://www.google.co.kr/search?q=${encodeURIComponent(phrase)}`,
  (phrase: string) => `https://search.daum.net/search?q=${encodeURIComponent(phrase)}`,
] as const;

export const userAgents = [
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; SM-S921N) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
] as const;

export const surnames = [
  "Kim",
  "Lee",
  "Park",
  "Choi",
  "Jung",
  "Kang",
  "Cho",
  "Yoon",
  "Jang",
  "Lim",
  "Han",
  "Oh",
];
export const givenNames = [
  "Jiwoo",
  "Minjun",
  "Seoyeon",
  "Doyun",
  "Haeun",
  "Yejun",
  "Suah",
  "Siwoo",
  "Jimin",
  "Hyunwoo",
  "Yuna",
  "Taeyang",
];
export const mailDomains = ["naver.com", "gmail.com", "daum.net", "kakao.com", "hanmail.net"] as const;
export const cities = [
  { city: "Seoul", region: "Seoul", postalPrefix: "0" },
  { city: "Busan", region: "Busan", postalPrefix: "4" },
  { city: "Incheon", region: "Incheon", postalPrefix: "2" },
  { city: "Daegu", region: "Daegu", postalPrefix: "4" },
  { city: "Jeju", region: "Jeju", postalPrefix: "6" },
] as const;
export const streets = ["Teheran-ro", "Sejong-daero", "Haeundae-ro", "Gangnam-daero", "Jungang-ro"] as const;

/** Free-text answers to "what should we improve?", by NPS class. */
export const surveyComments = {
  detractor: ["배송이 너무 늦었어요", "The teapot arrived broken", "상담원 연결이 어려워요", "Too expensive"],
  passive: ["괜찮아요", "Packaging could be nicer", "선물 포장 옵션이 더 있으면 좋겠어요", ""],
  promoter: ["차 맛이 정말 좋아요!", "Fast delivery, lovely tea", "매장 직원분이 친절해요", ""],
} as const;
