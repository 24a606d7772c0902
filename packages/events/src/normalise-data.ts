import { eventCatalog } from "@rapport/proto";
import type { EventType } from "./event-types.js";

type SchemaNode = {
  $ref?: string;
  type?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  enum?: readonly string[];
};

type JsonObject = Record<string, unknown>;

const knownCurrencies = new Set(Intl.supportedValuesOf("currency"));
const enumAliases: Record<string, string> = Object.assign({}, ...Object.values(eventCatalog.enumAliases));

/**
 * Rewrites schema-valid event data into its one canonical form: enum values by their short names,
 * currencies upper-case, names and addresses trimmed. Returns problems the schema cannot express
 * (an unknown currency) instead of the data.
 */
export function normaliseEventData(
  type: EventType,
  data: JsonObject,
): { ok: true; data: JsonObject } | { ok: false; problems: string[] } {
  const { dataSchema } = eventCatalog.eventTypes[type];
  const defs = dataSchema.$defs as unknown as Record<string, SchemaNode>;
  const problems: string[] = [];

  const visit = (value: unknown, node: SchemaNode, path: string): unknown => {
    if (node.$ref) {
      const defName = node.$ref.replace("#/$defs/", "");
      const def = defs[defName];
      if (!def) throw new Error(`schema for ${type} has no definition ${defName}`);
      return normaliseDefinition(defName, visit(value, def, path), path, problems);
    }
    if (node.enum && typeof value === "string") return enumAliases[value] ?? value;
    if (Array.isArray(value) && node.items) {
      const items = node.items;
      return value.map((item, i) => visit(item, items, `${path}/${i}`));
    }
    if (isObject(value)) {
      const result: JsonObject = {};
      for (const [key, nested] of Object.entries(value)) {
        const property =
          node.properties?.[key] ??
          (typeof node.additionalProperties === "object" ? node.additionalProperties : undefined);
        result[key] = property ? visit(nested, property, `${path}/${key}`) : nested;
      }
      return result;
    }
    return value;
  };

  const normalised = visit(data, dataSchema as unknown as SchemaNode, "data") as JsonObject;
  return problems.length > 0 ? { ok: false, problems } : { ok: true, data: normalised };
}

function normaliseDefinition(defName: string, value: unknown, path: string, problems: string[]): unknown {
  if (!isObject(value)) return value;
  switch (defName) {
    case "crm.v1.Money": {
      const currency = String(value.currency).trim().toUpperCase();
      if (!knownCurrencies.has(currency))
        problems.push(`${path}/currency ${JSON.stringify(value.currency)} is not an ISO 4217 currency`);
      return { ...value, currency };
    }
    case "crm.v1.PersonTraits":
      return mapStrings(value, ["firstName", "lastName"], collapseWhitespace);
    case "crm.v1.PostalAddress": {
      const trimmed = mapStrings(value, ["line1", "line2", "city", "region"], collapseWhitespace);
      return mapStrings(trimmed, ["postalCode", "countryCode"], (text) =>
        collapseWhitespace(text).toUpperCase(),
      );
    }
    default:
      return value;
  }
}

function mapStrings(value: JsonObject, keys: readonly string[], map: (text: string) => string): JsonObject {
  const result = { ...value };
  for (const key of keys) {
    const text = result[key];
    if (typeof text === "string") result[key] = map(text);
  }
  return result;
}

function collapseWhitespace(text: string): string {
  return text.trim().replace(/\s+/g, " ");
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
