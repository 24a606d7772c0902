import { searchKeywordsFromReferrer } from "./search-keywords.js";

/** Where a page view came from, as told by its Referer header. */
export type ReferrerFacts = {
  /** Absent when the browser sent none (logged as "-"). */
  referrer?: string;
  /** Lower-cased host, absent when the referrer is not an absolute URL. */
  referrerHost?: string;
  /** The visitor moved between pages of one of the site's own hosts. */
  isInternalReferrer: boolean;
  searchKeywords: string[];
};

function hostOf(referrer: string): string | undefined {
  try {
    // The WHATWG parser lower-cases the host and turns internationalised names into punycode.
    const host = new URL(referrer).hostname.replace(/\.$/, "");
    return host === "" ? undefined : host;
  } catch {
    return undefined;
  }
}

/**
 * Whether `host` is one of the site's own. An entry matches that host exactly; an entry with a
 * leading dot (`.example.com`) also matches every subdomain, as a cookie domain does, so a site
 * that wants `shop.example.com` → `www.example.com` counted as internal says so explicitly.
 */
function isOwnHost(host: string, ownHosts: readonly string[]): boolean {
  return ownHosts.some((entry) => {
    const ownHost = entry.toLowerCase().replace(/\.$/, "");
    return ownHost.startsWith(".") ? host === ownHost.slice(1) || host.endsWith(ownHost) : host === ownHost;
  });
}

/** Reads the logged Referer field: "-" (or an empty field) means the browser sent none. */
export function describeReferrer(referrerField: string, ownHosts: readonly string[]): ReferrerFacts {
  if (referrerField === "-" || referrerField === "") {
    return { isInternalReferrer: false, searchKeywords: [] };
  }
  const referrerHost = hostOf(referrerField);
  const isInternalReferrer = referrerHost !== undefined && isOwnHost(referrerHost, ownHosts);
  return {
    referrer: referrerField,
    ...(referrerHost === undefined ? {} : { referrerHost }),
    isInternalReferrer,
    searchKeywords: isInternalReferrer ? [] : searchKeywordsFromReferrer(referrerField),
  };
}
