import { fieldsOf, type ImportField, type ImportKind } from "./import-kind.js";
import { type Parsed, parsedValue, parseProblem } from "./parsed.js";

/** Which column of the file holds each of our fields, as the user said with --map. */
export type FieldMap = ReadonlyMap<ImportField, string>;

/**
 * Reads `--map field=column,...` (given once or several times). Column names are taken as written,
 * spaces included, because exports name their columns "Order ID" or "Bestelldatum".
 */
export function parseFieldMap(specs: readonly string[], kind: ImportKind): Parsed<FieldMap> {
  const valid = fieldsOf(kind);
  const map = new Map<ImportField, string>();
  const pairs = specs.flatMap((spec) => spec.split(",")).filter((pair) => pair.trim() !== "");
  for (const pair of pairs) {
    const separator = pair.indexOf("=");
    const field = pair.slice(0, Math.max(separator, 0)).trim();
    const column = pair.slice(separator + 1).trim();
    if (separator < 0 || field === "" || column === "") {
      return parseProblem(`--map: "${pair.trim()}" is not field=column, e.g. order_id=Order ID`);
    }
    const known = valid.find((name) => name === field);
    if (known === undefined) {
      return parseProblem(`--map: "${field}" is not a field of ${kind}; the fields are ${valid.join(", ")}`);
    }
    if (map.has(known)) {
      return parseProblem(`--map: ${known} is mapped twice (to "${map.get(known)}" and "${column}")`);
    }
    map.set(known, column);
  }
  return parsedValue(map);
}
