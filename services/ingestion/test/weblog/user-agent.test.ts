import { describe, expect, it } from "vitest";
import { classifyUserAgent } from "../../src/domain/weblog/user-agent.js";

describe("classifyUserAgent", () => {
  it.each([
    [
      "Chrome on Windows",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
      ["Chrome", "Windows", "desktop"],
    ],
    [
      "Edge, which also says Chrome",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.67",
      ["Edge", "Windows", "desktop"],
    ],
    [
      "Edge on Android",
      "Mozilla/5.0 (Linux; Android 14; SM-S918N) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 EdgA/124.0.2478.64",
      ["Edge", "Android", "mobile"],
    ],
    [
      "Opera, which also says Chrome",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0",
      ["Opera", "Windows", "desktop"],
    ],
    [
      "Samsung Internet",
      "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918N) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
      ["Samsung Internet", "Android", "mobile"],
    ],
    [
      "Naver Whale",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Whale/3.25.232.19 Safari/537.36",
      ["Whale", "Windows", "desktop"],
    ],
    [
      "Safari on macOS",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
      ["Safari", "macOS", "desktop"],
    ],
    [
      "Firefox on macOS",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:125.0) Gecko/20100101 Firefox/125.0",
      ["Firefox", "macOS", "desktop"],
    ],
    [
      "Firefox on Linux",
      "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
      ["Firefox", "Linux", "desktop"],
    ],
    [
      "Chrome on ChromeOS",
      "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
      ["Chrome", "ChromeOS", "desktop"],
    ],
    [
      "Internet Explorer 11",
      "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
      ["Internet Explorer", "Windows", "desktop"],
    ],
    [
      "Safari on iPhone",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
      ["Safari", "iOS", "mobile"],
    ],
    [
      "Chrome on iPhone (CriOS)",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1",
      ["Chrome", "iOS", "mobile"],
    ],
    [
      "Firefox on iPhone (FxiOS)",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/125.0 Mobile/15E148 Safari/605.1.15",
      ["Firefox", "iOS", "mobile"],
    ],
    [
      "Safari on iPad, which also says Mobile",
      "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
      ["Safari", "iOS", "tablet"],
    ],
    [
      "Chrome on an Android phone",
      "Mozilla/5.0 (Linux; Android 14; SM-S918N) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
      ["Chrome", "Android", "mobile"],
    ],
    [
      "Chrome on an Android tablet, which does not say Mobile",
      "Mozilla/5.0 (Linux; Android 13; SM-X710N) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
      ["Chrome", "Android", "tablet"],
    ],
    [
      "a Cubot phone, whose maker's name contains 'bot'",
      "Mozilla/5.0 (Linux; Android 11; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
      ["Chrome", "Android", "mobile"],
    ],
    ["a missing user agent", "", ["Other", "Other", "other"]],
  ])("classifies %s", (_case, userAgent, [browserFamily, osFamily, deviceFamily]) => {
    expect(classifyUserAgent(userAgent)).toEqual({ browserFamily, osFamily, deviceFamily });
  });

  it.each([
    ["Googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"],
    ["bingbot", "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"],
    ["YandexBot", "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)"],
    ["Baiduspider", "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"],
    ["DuckDuckBot", "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)"],
    ["AhrefsBot", "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)"],
    ["SemrushBot", "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)"],
    ["Naver's Yeti", "Mozilla/5.0 (compatible; Yeti/1.1; +https://naver.me/spd)"],
    ["Daum's Daumoa", "Mozilla/5.0 (compatible; MSIE or Firefox mutant; not on Windows server;) Daumoa 4.0"],
    ["a generic bot", "Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)"],
    ["a crawler", "Mozilla/5.0 (compatible; SiteCrawler/1.0)"],
    ["a spider", "Screaming Frog SEO Spider/19.0"],
    ["curl", "curl/8.4.0"],
    ["wget", "Wget/1.21.4"],
    ["python-requests", "python-requests/2.31.0"],
  ])("classifies %s as a bot", (_case, userAgent) => {
    expect(classifyUserAgent(userAgent).deviceFamily).toBe("bot");
  });

  it("keeps the browser a bot imitates, so crawler traffic can still be broken down", () => {
    const googlebotSmartphone =
      "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    expect(classifyUserAgent(googlebotSmartphone)).toEqual({
      browserFamily: "Chrome",
      osFamily: "Android",
      deviceFamily: "bot",
    });
  });
});
