import { describe, expect, it } from "vitest";
import { parseCombinedLogLine } from "../../src/domain/weblog/combined-log-line.js";
import { hitOf, iPhoneSafari, shopOptions, windowsChrome } from "./weblog-fixtures.js";

describe("parseCombinedLogLine: page views", () => {
  it("reads an Apache combined line from a Naver search into a page view in UTC", () => {
    const line =
      '203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] "GET /products/running-shoes?color=blue HTTP/1.1" 200 5120 ' +
      '"https://m.search.naver.com/search.naver?where=m&query=%EB%9F%AC%EB%8B%9D%ED%99%94&sm=mtp_hty" ' +
      `"${iPhoneSafari}"`;

    expect(parseCombinedLogLine(line, shopOptions)).toEqual({
      kind: "page_view",
      hit: {
        occurredAt: "2024-10-10T04:55:36.000Z",
        clientAddress: "203.0.113.7",
        method: "GET",
        url: "/products/running-shoes?color=blue",
        path: "/products/running-shoes",
        protocol: "HTTP/1.1",
        statusCode: 200,
        responseBytes: 5120,
        referrer:
          "https://m.search.naver.com/search.naver?where=m&query=%EB%9F%AC%EB%8B%9D%ED%99%94&sm=mtp_hty",
        referrerHost: "m.search.naver.com",
        isInternalReferrer: false,
        searchKeywords: ["러닝화"],
        userAgent: iPhoneSafari,
        browserFamily: "Safari",
        osFamily: "iOS",
        deviceFamily: "mobile",
      },
    });
  });

  it("reads an nginx line from a Google search, taking the visitor id from a logged Cookie header", () => {
    const line =
      '198.51.100.23 - - [02/Mar/2025:08:15:00 +0000] "GET /sale HTTP/2.0" 200 18234 ' +
      '"https://www.google.co.kr/search?q=Nike+Air+Max&hl=ko" ' +
      `"${windowsChrome}" "_ga=GA1.2.1; visitor_id=v-7f3a9c; theme=dark"`;

    const hit = hitOf(
      parseCombinedLogLine(line, { ...shopOptions, visitorCookieField: 1, visitorCookieName: "visitor_id" }),
    );

    expect(hit).toMatchObject({
      referrerHost: "www.google.co.kr",
      searchKeywords: ["nike air max"],
      browserFamily: "Chrome",
      osFamily: "Windows",
      deviceFamily: "desktop",
      visitorCookie: "v-7f3a9c",
    });
  });

  it("takes a dedicated visitor-id field whole, counting trailing fields from the first after the user agent", () => {
    const line =
      '198.51.100.23 - - [02/Mar/2025:08:15:00 +0000] "GET / HTTP/1.1" 200 512 "-" ' +
      `"${windowsChrome}" "0.012" "v-7f3a9c"`;

    const hit = hitOf(
      parseCombinedLogLine(line, { ...shopOptions, visitorCookieField: 2, visitorCookieName: "visitor_id" }),
    );

    expect(hit.visitorCookie).toBe("v-7f3a9c");
  });

  it("takes a cookie value written in quotes (which nginx logs as \\x22) without the quotes", () => {
    const line =
      '198.51.100.23 - - [02/Mar/2025:08:15:00 +0000] "GET / HTTP/1.1" 200 512 "-" ' +
      `"${windowsChrome}" "theme=dark; visitor_id=\\x22v-7f3a9c\\x22"`;

    const hit = hitOf(
      parseCombinedLogLine(line, { ...shopOptions, visitorCookieField: 1, visitorCookieName: "visitor_id" }),
    );

    expect(hit.visitorCookie).toBe("v-7f3a9c");
  });

  it("leaves the visitor cookie out when the visitor had none, or the cookie header lacks it", () => {
    const options = { ...shopOptions, visitorCookieField: 1, visitorCookieName: "visitor_id" };
    const lineWith = (cookieField: string) =>
      `198.51.100.23 - - [02/Mar/2025:08:15:00 +0000] "GET / HTTP/1.1" 200 512 "-" "${windowsChrome}" ${cookieField}`;

    expect(hitOf(parseCombinedLogLine(lineWith('"-"'), options))).not.toHaveProperty("visitorCookie");
    expect(hitOf(parseCombinedLogLine(lineWith('"_ga=GA1.2.1"'), options))).not.toHaveProperty(
      "visitorCookie",
    );
    expect(hitOf(parseCombinedLogLine(lineWith(""), options))).not.toHaveProperty("visitorCookie");
  });

  it("marks navigation from the site's own host as internal, with no search keywords", () => {
    const line =
      '203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] "GET /cart HTTP/1.1" 200 2048 ' +
      `"https://WWW.Example-Shop.kr/products/running-shoes" "${iPhoneSafari}"`;

    const hit = hitOf(parseCombinedLogLine(line, shopOptions));

    expect(hit).toMatchObject({
      referrerHost: "www.example-shop.kr",
      isInternalReferrer: true,
      searchKeywords: [],
    });
  });

  it("counts subdomains as own hosts only when the host is listed with a leading dot", () => {
    const line =
      '203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] "GET /cart HTTP/1.1" 200 2048 ' +
      `"https://blog.example-shop.kr/spring-sale" "${iPhoneSafari}"`;

    expect(hitOf(parseCombinedLogLine(line, shopOptions)).isInternalReferrer).toBe(false);
    expect(
      hitOf(parseCombinedLogLine(line, { ...shopOptions, ownHosts: [".example-shop.kr"] }))
        .isInternalReferrer,
    ).toBe(true);
  });

  it("keeps a 404 as a page view, reads an IPv6 client and a '-' size as zero bytes", () => {
    const line =
      '2001:db8:85a3::8a2e:370:7334 - - [10/Oct/2024:13:55:36 +0900] "GET /old-collection HTTP/1.1" 404 - "-" ' +
      `"${windowsChrome}"`;

    const result = parseCombinedLogLine(line, shopOptions);

    expect(result.kind).toBe("page_view");
    expect(hitOf(result)).toMatchObject({
      clientAddress: "2001:db8:85a3::8a2e:370:7334",
      statusCode: 404,
      responseBytes: 0,
      isInternalReferrer: false,
      searchKeywords: [],
    });
    expect(hitOf(result)).not.toHaveProperty("referrer");
    expect(hitOf(result)).not.toHaveProperty("referrerHost");
  });

  it("percent-decodes the path as UTF-8, keeping escapes that are not valid UTF-8 as logged", () => {
    const lineFor = (target: string) =>
      `203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] "GET ${target} HTTP/1.1" 200 100 "-" "${windowsChrome}"`;

    expect(
      hitOf(parseCombinedLogLine(lineFor("/search/%EC%9A%B4%EB%8F%99%ED%99%94?page=2"), shopOptions)),
    ).toMatchObject({ url: "/search/%EC%9A%B4%EB%8F%99%ED%99%94?page=2", path: "/search/운동화" });
    expect(hitOf(parseCombinedLogLine(lineFor("/100%25-cotton%zz/%E0%A4+tee"), shopOptions)).path).toBe(
      "/100%-cotton%zz/%E0%A4+tee",
    );
  });

  it("reads a request sent in proxy form by its path, and an HTTP/0.9 request without a protocol", () => {
    const lineFor = (request: string) =>
      `203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] "${request}" 200 100 "-" "${windowsChrome}"`;

    expect(
      hitOf(parseCombinedLogLine(lineFor("GET http://www.example-shop.kr/sale?x=1 HTTP/1.1"), shopOptions)),
    ).toMatchObject({ url: "http://www.example-shop.kr/sale?x=1", path: "/sale" });
    expect(hitOf(parseCombinedLogLine(lineFor("GET /sale"), shopOptions))).toMatchObject({
      method: "GET",
      path: "/sale",
      protocol: "",
    });
  });

  it('unescapes quotes inside quoted fields, as Apache (\\") and nginx (\\x22) write them', () => {
    const apacheLine =
      '203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] "GET / HTTP/1.1" 200 100 "-" "Mozilla/5.0 \\"Kiosk\\" \\\\ build"';
    const nginxLine =
      '203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] "GET / HTTP/1.1" 200 100 "-" "Mozilla/5.0 \\x22Kiosk\\x22"';

    expect(hitOf(parseCombinedLogLine(apacheLine, shopOptions)).userAgent).toBe(
      'Mozilla/5.0 "Kiosk" \\ build',
    );
    expect(hitOf(parseCombinedLogLine(nginxLine, shopOptions)).userAgent).toBe('Mozilla/5.0 "Kiosk"');
  });

  it("decodes non-ASCII text that nginx escaped byte by byte", () => {
    const line =
      '203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] "GET / HTTP/1.1" 200 100 "-" "ShopApp/2.1 (\\xEC\\x9B\\xB9\\xEB\\xB7\\xB0)"';

    expect(hitOf(parseCombinedLogLine(line, shopOptions)).userAgent).toBe("ShopApp/2.1 (웹뷰)");
  });

  it("ignores a CRLF ending and surrounding whitespace", () => {
    const line = `  203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] "GET / HTTP/1.1" 200 100 "-" "${windowsChrome}"\r\n`;

    expect(parseCombinedLogLine(line, shopOptions).kind).toBe("page_view");
  });

  it("reads an unknown user agent as empty, classified as other", () => {
    const line = '203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] "GET / HTTP/1.1" 200 100 "-" "-"';

    expect(hitOf(parseCombinedLogLine(line, shopOptions))).toMatchObject({
      userAgent: "",
      browserFamily: "Other",
      osFamily: "Other",
      deviceFamily: "other",
    });
  });
});

describe("parseCombinedLogLine: timestamps to UTC", () => {
  const lineAt = (timestamp: string) =>
    `203.0.113.7 - - [${timestamp}] "GET / HTTP/1.1" 200 100 "-" "${windowsChrome}"`;

  it.each([
    ["10/Oct/2000:13:55:36 -0700", "2000-10-10T20:55:36.000Z"],
    ["01/Jan/2025:08:30:00 +0900", "2024-12-31T23:30:00.000Z"],
    ["31/Dec/2024:23:59:59 -0500", "2025-01-01T04:59:59.000Z"],
    ["15/Jun/2024:12:00:00 +0530", "2024-06-15T06:30:00.000Z"],
    ["29/Feb/2024:00:00:00 +0000", "2024-02-29T00:00:00.000Z"],
  ])("reads [%s] as %s", (timestamp, occurredAt) => {
    expect(hitOf(parseCombinedLogLine(lineAt(timestamp), shopOptions)).occurredAt).toBe(occurredAt);
  });
});

describe("parseCombinedLogLine: hits that are not page views", () => {
  it("ignores a stylesheet as a static asset, whatever its case or query", () => {
    const line =
      '203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] "GET /assets/Main.CSS?v=42 HTTP/1.1" 200 48211 ' +
      `"https://www.example-shop.kr/" "${windowsChrome}"`;

    const result = parseCombinedLogLine(line, shopOptions);

    expect(result).toMatchObject({
      kind: "ignored",
      reason: "static_asset",
      hit: { path: "/assets/Main.CSS" },
    });
  });

  it("does not take a dot in a directory name for an extension", () => {
    const line = `203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] "GET /v1.js/about HTTP/1.1" 200 100 "-" "${windowsChrome}"`;

    expect(parseCombinedLogLine(line, shopOptions).kind).toBe("page_view");
  });

  it("ignores Googlebot as a bot", () => {
    const line =
      '66.249.66.1 - - [10/Oct/2024:13:55:36 +0900] "GET /products/running-shoes HTTP/1.1" 200 5120 "-" ' +
      '"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"';

    expect(parseCombinedLogLine(line, shopOptions)).toMatchObject({
      kind: "ignored",
      reason: "bot",
      hit: { path: "/products/running-shoes", deviceFamily: "bot" },
    });
  });

  it("ignores nginx's '-' request (a connection closed before any request) as a malformed request", () => {
    const line = '203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] "-" 400 0 "-" "-"';

    expect(parseCombinedLogLine(line, shopOptions)).toMatchObject({
      kind: "ignored",
      reason: "malformed_request",
      hit: { method: "", url: "", path: "", protocol: "", statusCode: 400 },
    });
  });

  it("ignores binary sent to the plain-text port (a TLS handshake) as a malformed request", () => {
    const line =
      '203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xFC\\x03\\x03" 400 157 "-" "-"';

    expect(parseCombinedLogLine(line, shopOptions)).toMatchObject({
      kind: "ignored",
      reason: "malformed_request",
    });
  });

  it("ignores a CONNECT probe, which names no page, as a malformed request", () => {
    const line =
      '203.0.113.7 - - [10/Oct/2024:13:55:36 +0900] "CONNECT example.org:443 HTTP/1.1" 405 166 "-" "-"';

    expect(parseCombinedLogLine(line, shopOptions)).toMatchObject({
      kind: "ignored",
      reason: "malformed_request",
    });
  });
});
