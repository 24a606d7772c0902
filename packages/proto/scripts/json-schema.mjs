// Turns a buf image (JSON form) into JSON Schemas (draft 2020-12) of the event types: one document
// per type for upstream systems (the whole CloudEvent), and a catalog that ingestion validates with.
//
// The JSON form of an event is the proto3 JSON mapping (lowerCamelCase field names, 64-bit integers as
// numbers) with one deliberate difference that makes events pleasant to write by hand: enum values are
// the lower-case names without the enum's prefix (CALL_DIRECTION_INBOUND is "inbound"). The full proto
// names are accepted too, as aliases that ingestion rewrites to the short form.

const SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema";
const INT32 = { minimum: -2147483648, maximum: 2147483647 };

function indexTypes(image) {
  const messages = new Map();
  const enums = new Map();
  const visit = (prefix, messageTypes = [], enumTypes = []) => {
    for (const enumType of enumTypes) enums.set(`${prefix}.${enumType.name}`, enumType);
    for (const message of messageTypes) {
      const name = `${prefix}.${message.name}`;
      messages.set(name, message);
      visit(name, message.nestedType, message.enumType);
    }
  };
  for (const file of image.file) visit(`.${file.package}`, file.messageType, file.enumType);
  return { messages, enums };
}

function enumPrefix(enumName) {
  return `${enumName.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()}_`;
}

function enumValues(enumType) {
  const prefix = enumPrefix(enumType.name);
  const values = enumType.value.filter((value) => value.number !== 0);
  const shortNames = values.map((value) => value.name.slice(prefix.length).toLowerCase());
  const aliases = Object.fromEntries(values.map((value, i) => [value.name, shortNames[i]]));
  return { shortNames, aliases };
}

function schemaName(typeName) {
  return typeName.replace(/^\./, "");
}

function fieldRules(field) {
  return field.options?.["[crm.v1.rules]"] ?? {};
}

function scalarSchema(field, rules) {
  switch (field.type) {
    case "TYPE_STRING": {
      const schema = { type: "string" };
      if (rules.required) schema.minLength = 1;
      if (rules.maxLength) schema.maxLength = rules.maxLength;
      if (rules.pattern) schema.pattern = rules.pattern;
      if (rules.format) schema.format = rules.format;
      return schema;
    }
    case "TYPE_BOOL":
      return { type: "boolean" };
    case "TYPE_DOUBLE":
    case "TYPE_FLOAT":
      return { type: "number" };
    case "TYPE_INT32":
    case "TYPE_SINT32":
    case "TYPE_SFIXED32":
    case "TYPE_INT64":
    case "TYPE_SINT64":
    case "TYPE_SFIXED64":
    case "TYPE_UINT32":
    case "TYPE_UINT64":
    case "TYPE_FIXED32":
    case "TYPE_FIXED64": {
      const is32 = field.type.includes("32");
      const isUnsigned =
        field.type.includes("UINT") || (field.type.includes("FIXED") && !field.type.includes("SFIXED"));
      const schema = { type: "integer" };
      const minimum =
        rules.minimum !== undefined
          ? Number(rules.minimum)
          : isUnsigned
            ? 0
            : is32
              ? INT32.minimum
              : undefined;
      const maximum = rules.maximum !== undefined ? Number(rules.maximum) : is32 ? INT32.maximum : undefined;
      if (minimum !== undefined) schema.minimum = minimum;
      if (maximum !== undefined) schema.maximum = maximum;
      return schema;
    }
    default:
      throw new Error(
        `field ${field.name}: proto type ${field.type} has no JSON Schema mapping in json-schema.mjs`,
      );
  }
}

function createSchemaBuilder(types) {
  const defs = {};
  const enumAliases = {};

  const fieldSchema = (field) => {
    const rules = fieldRules(field);
    if (field.type === "TYPE_MESSAGE") {
      const nested = types.messages.get(field.typeName);
      if (nested?.options?.mapEntry) {
        const valueField = nested.field.find((f) => f.name === "value");
        return {
          type: "object",
          additionalProperties: fieldSchema({ ...valueField, label: "LABEL_OPTIONAL" }),
        };
      }
    }
    const single = singleValueSchema(field, rules);
    if (field.label === "LABEL_REPEATED") {
      const schema = { type: "array", items: single };
      if (rules.minItems) schema.minItems = rules.minItems;
      return schema;
    }
    return single;
  };

  const singleValueSchema = (field, rules) => {
    if (field.type === "TYPE_MESSAGE") return { $ref: `#/$defs/${messageDef(field.typeName)}` };
    if (field.type === "TYPE_ENUM") {
      const enumType = types.enums.get(field.typeName);
      const { shortNames, aliases } = enumValues(enumType);
      enumAliases[schemaName(field.typeName)] = aliases;
      return { type: "string", enum: [...shortNames, ...Object.keys(aliases)] };
    }
    return scalarSchema(field, rules);
  };

  const messageDef = (typeName) => {
    const name = schemaName(typeName);
    if (defs[name]) return name;
    defs[name] = {};
    const message = types.messages.get(typeName);
    const properties = {};
    const required = [];
    for (const field of message.field) {
      properties[field.jsonName] = fieldSchema(field);
      if (fieldRules(field).required) required.push(field.jsonName);
    }
    defs[name] = { type: "object", properties, additionalProperties: false };
    if (required.length > 0) defs[name].required = required;
    return name;
  };

  return { defs, enumAliases, messageDef };
}

function cloudEventDocument(type, dataDefName, defs) {
  return {
    $schema: SCHEMA_DIALECT,
    $id: `urn:rapport:schema:${type}`,
    title: type,
    description: `A CloudEvents 1.0 event of type ${type} in structured JSON mode, as published to crm.raw.* or POST /v1/events.`,
    type: "object",
    properties: {
      specversion: { const: "1.0" },
      id: {
        type: "string",
        minLength: 1,
        maxLength: 256,
        description: "The upstream id; derived from source and payload when absent.",
      },
      source: {
        type: "string",
        minLength: 1,
        maxLength: 256,
        description: "The upstream system; set from the write key over HTTP and gRPC.",
      },
      type: { const: type },
      time: { type: "string", format: "date-time", description: "When the fact happened." },
      subject: { type: "string", maxLength: 256 },
      datacontenttype: { const: "application/json" },
      data: { $ref: `#/$defs/${dataDefName}` },
    },
    required: ["specversion", "type", "time", "data"],
    $defs: defs,
  };
}

export function eventSchemas(image) {
  const types = indexTypes(image);
  const catalog = { eventTypes: {}, enumAliases: {} };
  const documents = {};
  for (const [typeName, message] of [...types.messages].sort(([a], [b]) => a.localeCompare(b))) {
    const rawSource = message.options?.["[crm.v1.event]"]?.rawSource;
    if (!rawSource) continue;
    const builder = createSchemaBuilder(types);
    const dataDefName = builder.messageDef(typeName);
    const type = schemaName(typeName);
    const defs = Object.fromEntries(Object.entries(builder.defs).sort(([a], [b]) => a.localeCompare(b)));
    catalog.eventTypes[type] = {
      rawSource,
      dataSchema: {
        $schema: SCHEMA_DIALECT,
        $id: `urn:rapport:schema:${type}:data`,
        $ref: `#/$defs/${dataDefName}`,
        $defs: defs,
      },
    };
    Object.assign(catalog.enumAliases, builder.enumAliases);
    documents[`${type}.json`] = cloudEventDocument(type, dataDefName, defs);
  }
  return { catalog, documents };
}
