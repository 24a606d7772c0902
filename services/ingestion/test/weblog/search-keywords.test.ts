import { describe, expect, it } from "vitest";
import { searchKeywordsFromReferrer } from "../../src/domain/weblog/search-keywords.js";

describe("searchKeywordsFromReferrer", () => {
  it.each([
    ["Google (Korea)", "https://www.google.co.kr/search?q=%EC%9A%B4%EB%8F%99%ED%99%94&hl=ko", "운동화"],
    ["Google (Australia)", "https://www.google.com.au/search?client=safari&q=trail+shoes", "trail shoes"],
    ["Bing", "https://www.bing.com/search?q=trail+shoes&form=QBLH", "trail shoes"],
    ["Yahoo", "https://search.yahoo.com/search?p=trail+shoes&fr=yfp-t", "trail shoes"],
    ["Yahoo Japan", "https://search.yahoo.co.jp/search?p=%E9%9D%B4", "靴"],
    ["DuckDuckGo", "https://duckduckgo.com/?q=trail+shoes&ia=web", "trail shoes"],
    [
      "Yandex",
      "https://yandex.ru/search/?text=%D0%BA%D1%80%D0%BE%D1%81%D1%81%D0%BE%D0%B2%D0%BA%D0%B8&lr=213",
      "кроссовки",
    ],
    ["Baidu (wd)", "https://www.baidu.com/s?ie=utf-8&wd=%E8%B7%91%E9%9E%8B", "跑鞋"],
    ["Baidu mobile (word)", "https://m.baidu.com/s?word=%E8%B7%91%E9%9E%8B", "跑鞋"],
    [
      "Naver",
      "https://search.naver.com/search.naver?where=nexearch&sm=top_hty&query=%EB%82%98%EC%9D%B4%ED%82%A4+%EC%9A%B4%EB%8F%99%ED%99%94",
      "나이키 운동화",
    ],
    ["Naver mobile", "https://m.search.naver.com/search.naver?query=%EB%9F%AC%EB%8B%9D%ED%99%94", "러닝화"],
    ["Daum", "https://search.daum.net/search?w=tot&q=%EB%9F%AC%EB%8B%9D%ED%99%94", "러닝화"],
    ["Ecosia", "https://www.ecosia.org/search?method=index&q=trail%20shoes", "trail shoes"],
  ])("reads the phrase from %s", (_engine, referrer, phrase) => {
    expect(searchKeywordsFromReferrer(referrer)).toEqual([phrase]);
  });

  it("keeps the phrase as one entry, trimmed, whitespace-collapsed and lower-cased", () => {
    expect(searchKeywordsFromReferrer("https://www.google.com/search?q=++Nike%09Air++MAX+")).toEqual([
      "nike air max",
    ]);
  });

  it("composes decomposed Korean (as macOS may send it) so the same phrase is one phrase", () => {
    const decomposed = encodeURIComponent("운동화".normalize("NFD"));

    expect(searchKeywordsFromReferrer(`https://search.naver.com/search.naver?query=${decomposed}`)).toEqual([
      "운동화",
    ]);
  });

  it("decodes a phrase in the charset the engine names, such as EUC-KR on older Naver links", () => {
    expect(
      searchKeywordsFromReferrer("https://search.naver.com/search.naver?ie=euc-kr&query=%BF%EE%B5%BF%C8%AD"),
    ).toEqual(["운동화"]);
  });

  it("gives no keywords rather than garbled ones when the phrase is not valid in its charset", () => {
    expect(searchKeywordsFromReferrer("https://www.google.com/search?q=%BF%EE%B5%BF%C8%AD")).toEqual([]);
  });

  it("falls back to the next phrase parameter when the first is empty", () => {
    expect(searchKeywordsFromReferrer("https://www.baidu.com/s?wd=&word=%E8%B7%91%E9%9E%8B")).toEqual([
      "跑鞋",
    ]);
  });

  it.each([
    ["Google without a phrase", "https://www.google.com/"],
    ["a blank phrase", "https://www.bing.com/search?q=+++"],
    ["a site that is not a search engine", "https://blog.example.org/?q=trail+shoes"],
    ["a host that only contains an engine's name", "https://google.example.com/search?q=trail+shoes"],
    ["a host that only ends like an engine's", "https://notgoogle.com/search?q=trail+shoes"],
    ["Naver's blog, which is not its search", "https://blog.naver.com/PostView.naver?query=trail"],
    ["a referrer that is not a URL", "not a url"],
  ])("gives no keywords for %s", (_case, referrer) => {
    expect(searchKeywordsFromReferrer(referrer)).toEqual([]);
  });
});
