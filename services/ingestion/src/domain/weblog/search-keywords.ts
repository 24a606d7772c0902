import { decodeQueryValue } from "./percent-decoding.js";

type SearchEngine = {
  /** Whether a lower-cased referrer host belongs to this engine's search pages. */
  isSearchHost: (host: string) => boolean;
  /** Query parameters holding the search phrase, in order of preference. */
  phraseParameters: readonly string[];
};

function isHostOrSubdomainOf(domain: string): (host: string) => boolean {
  return (host) => host === domain || host.endsWith(`.${domain}`);
}

/** `google.com`, `google.de`, `google.co.kr`, `google.com.au`, and any subdomain of them. */
function isCountryDomainOf(brand: string): (host: string) => boolean {
  const countryDomain = new RegExp(`(?:^|\\.)${brand}\\.(?:com?\\.)?[a-z]{2,3}$`);
  return (host) => countryDomain.test(host);
}

const searchEngines: readonly SearchEngine[] = [
  { isSearchHost: isCountryDomainOf("google"), phraseParameters: ["q"] },
  { isSearchHost: isHostOrSubdomainOf("bing.com"), phraseParameters: ["q"] },
  { isSearchHost: isCountryDomainOf("yahoo"), phraseParameters: ["p"] },
  { isSearchHost: isHostOrSubdomainOf("duckduckgo.com"), phraseParameters: ["q"] },
  { isSearchHost: isCountryDomainOf("yandex"), phraseParameters: ["text"] },
  { isSearchHost: isHostOrSubdomainOf("ya.ru"), phraseParameters: ["text"] },
  { isSearchHost: isHostOrSubdomainOf("baidu.com"), phraseParameters: ["wd", "word"] },
  // Only Naver's and Daum's search hosts: their blog and news hosts also carry query parameters.
  { isSearchHost: isHostOrSubdomainOf("search.naver.com"), phraseParameters: ["query"] },
  { isSearchHost: isHostOrSubdomainOf("search.daum.net"), phraseParameters: ["q"] },
  { isSearchHost: isHostOrSubdomainOf("ecosia.org"), phraseParameters: ["q"] },
];

// Parameters in which engines state the charset of the query when it is not UTF-8
// (older Naver and Baidu links say ie=euc-kr or ie=gbk).
const charsetParameters = ["ie", "ei"] as const;

function rawQueryParameters(query: string): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const pair of query.replace(/^\?/, "").split("&")) {
    const separator = pair.indexOf("=");
    const name = separator === -1 ? pair : pair.slice(0, separator);
    // The first occurrence wins, as in URLSearchParams.get.
    if (!parameters.has(name)) parameters.set(name, separator === -1 ? "" : pair.slice(separator + 1));
  }
  return parameters;
}

function normalisePhrase(phrase: string): string {
  // NFC so that the same Korean phrase typed on macOS (decomposed jamo) and elsewhere is one phrase.
  return phrase.normalize("NFC").trim().replace(/\s+/g, " ").toLowerCase();
}

/**
 * The search phrase a visitor typed, when the referrer is a search engine's results page: one
 * entry holding the whole phrase, trimmed, whitespace-collapsed and lower-cased (`"Running Shoes "`
 * → `["running shoes"]`). Kept as a phrase because splitting it into words loses what was searched
 * for, and splitting is easy later while rejoining is not. Empty when the referrer is no search
 * engine, names no phrase (Google has not sent one since 2011 for most visitors), or the phrase
 * cannot be decoded.
 */
export function searchKeywordsFromReferrer(referrer: string): string[] {
  let url: URL;
  try {
    url = new URL(referrer);
  } catch {
    return [];
  }
  const engine = searchEngines.find((candidate) => candidate.isSearchHost(url.hostname.toLowerCase()));
  if (engine === undefined) return [];
  const parameters = rawQueryParameters(url.search);
  const charsetParameter = charsetParameters.find((name) => parameters.has(name));
  const charset = charsetParameter === undefined ? undefined : parameters.get(charsetParameter);
  for (const name of engine.phraseParameters) {
    const rawPhrase = parameters.get(name);
    if (rawPhrase === undefined) continue;
    const phrase = normalisePhrase(decodeQueryValue(rawPhrase, charset) ?? "");
    if (phrase !== "") return [phrase];
  }
  return [];
}
