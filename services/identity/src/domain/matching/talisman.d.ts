// talisman 1.1.4 ships CommonJS without type declarations; these cover only the functions matching uses.
// Each module's `module.exports` is the function itself, hence `export =` (a default import in ESM).

declare module "talisman/metrics/jaro-winkler.js" {
  /** Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, boost threshold 0.7). */
  function jaroWinkler(a: string, b: string): number;
  export = jaroWinkler;
}

declare module "talisman/phonetics/double-metaphone.js" {
  /** The primary and alternate Double Metaphone codes; empty strings for letters it does not know. */
  function doubleMetaphone(word: string): [string, string];
  export = doubleMetaphone;
}
