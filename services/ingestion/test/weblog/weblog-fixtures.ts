import type {
  WeblogHit,
  WeblogLineResult,
  WeblogParseOptions,
} from "../../src/domain/weblog/combined-log-line.js";

export const shopOptions: WeblogParseOptions = {
  ownHosts: ["www.example-shop.kr"],
  staticAssetExtensions: ["css", "js", "png", "jpg", "svg", "ico", "woff2"],
};

export const iPhoneSafari =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
export const windowsChrome =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

export function hitOf(result: WeblogLineResult): WeblogHit {
  if (result.kind === "rejected") throw new Error(`expected a hit, got rejection: ${result.detail}`);
  return result.hit;
}

export function rejectionOf(result: WeblogLineResult): { reason: string; detail: string } {
  if (result.kind !== "rejected") throw new Error(`expected a rejection, got ${result.kind}`);
  return { reason: result.reason, detail: result.detail };
}
