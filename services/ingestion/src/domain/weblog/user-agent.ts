export type BrowserFamily =
  | "Edge"
  | "Opera"
  | "Samsung Internet"
  | "Whale"
  | "Chrome"
  | "Firefox"
  | "Safari"
  | "Internet Explorer"
  | "Other";

export type OsFamily = "Windows" | "macOS" | "iOS" | "Android" | "Linux" | "ChromeOS" | "Other";

export type DeviceFamily = "desktop" | "mobile" | "tablet" | "bot" | "other";

export type UserAgentClass = {
  browserFamily: BrowserFamily;
  osFamily: OsFamily;
  deviceFamily: DeviceFamily;
};

type Rule<Family> = { family: Family; pattern: RegExp };

// First match wins. Chromium-based browsers also say "Chrome/" and Chrome also says "Safari/",
// so each browser is tested before the engines its user agent imitates.
const browserRules: readonly Rule<BrowserFamily>[] = [
  { family: "Edge", pattern: /\bEdg(?:e|A|iOS)?\// },
  { family: "Opera", pattern: /\bOPR\/|\bOPiOS\/|\bOpera\b/ },
  { family: "Samsung Internet", pattern: /\bSamsungBrowser\// },
  { family: "Whale", pattern: /\bWhale\// },
  { family: "Firefox", pattern: /\bFirefox\/|\bFxiOS\// },
  // CriOS is Chrome on iOS, where every browser is Safari's engine underneath.
  { family: "Chrome", pattern: /\bChrome\/|\bCriOS\/|\bChromium\// },
  { family: "Safari", pattern: /\bSafari\// },
  { family: "Internet Explorer", pattern: /\bMSIE |\bTrident\// },
];

// iOS and Android before the desktop systems their user agents also mention ("like Mac OS X", "Linux").
const osRules: readonly Rule<OsFamily>[] = [
  { family: "iOS", pattern: /\b(?:iPhone|iPad|iPod)\b/ },
  { family: "Android", pattern: /\bAndroid\b/ },
  { family: "ChromeOS", pattern: /\bCrOS\b/ },
  { family: "Windows", pattern: /\bWindows\b/ },
  { family: "macOS", pattern: /\bMacintosh\b|\bMac OS X\b/ },
  { family: "Linux", pattern: /\bLinux\b|\bX11\b/ },
];

const botPatterns: readonly RegExp[] = [
  /Googlebot|bingbot|YandexBot|Baiduspider|DuckDuckBot|AhrefsBot|SemrushBot/i,
  // Naver's and Daum's crawlers, which the generic words below miss.
  /\bYeti\/|\bDaumoa\b/,
  // Generic crawler words; "Cubot" is an Android phone maker whose model names would otherwise match.
  /(?<!cu)bot\b|crawler|spider|crawling/i,
  // Scripts and link previews rather than people.
  /^(?:curl|Wget|python-requests|python-urllib|Go-http-client|libwww-perl|Scrapy)\b/i,
  /facebookexternalhit|HeadlessChrome/,
];

function firstMatch<Family>(rules: readonly Rule<Family>[], userAgent: string): Family | undefined {
  return rules.find((rule) => rule.pattern.test(userAgent))?.family;
}

function deviceFamilyOf(userAgent: string, osFamily: OsFamily): DeviceFamily {
  if (botPatterns.some((pattern) => pattern.test(userAgent))) return "bot";
  // Android phones say "Mobile"; Android tablets do not. iPadOS in its default desktop mode sends a
  // Macintosh user agent and is counted as a desktop: nothing in the header tells them apart.
  if (/\biPad\b|\bTablet\b/.test(userAgent)) return "tablet";
  if (osFamily === "Android") return /\bMobile\b/.test(userAgent) ? "mobile" : "tablet";
  if (osFamily === "iOS" || /\bMobile\b|\bWindows Phone\b/.test(userAgent)) return "mobile";
  if (osFamily === "Other") return "other";
  return "desktop";
}

/**
 * Classifies a User-Agent header into browser, operating system and device families for reporting.
 * A bot keeps the browser and system it imitates (Googlebot's smartphone crawler reads as Chrome on
 * Android) but its device is "bot", which is what decides that its hits are not page views.
 */
export function classifyUserAgent(userAgent: string): UserAgentClass {
  const osFamily = firstMatch(osRules, userAgent) ?? "Other";
  return {
    browserFamily: firstMatch(browserRules, userAgent) ?? "Other",
    osFamily,
    deviceFamily: deviceFamilyOf(userAgent, osFamily),
  };
}
