import { eventCatalog } from "@rapport/proto";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { EventType } from "./event-types.js";

// ajv-formats is CommonJS; under Node's ESM loader its default import is the plugin function itself.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** Validates event data against the JSON Schemas generated from the protos; compiled once per type. */
export function createDataValidator(): (
  type: EventType,
  data: unknown,
) => { ok: true } | { ok: false; problems: string[] } {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv, ["date", "date-time", "uri", "email"]);
  const compiled = new Map<EventType, ValidateFunction>();
  return (type, data) => {
    let validate = compiled.get(type);
    if (!validate) {
      validate = ajv.compile(eventCatalog.eventTypes[type].dataSchema);
      compiled.set(type, validate);
    }
    if (validate(data)) return { ok: true };
    return { ok: false, problems: (validate.errors ?? []).map(describeProblem) };
  };
}

function describeProblem(error: ErrorObject): string {
  const where = `data${error.instancePath}`;
  switch (error.keyword) {
    case "additionalProperties":
      return `${where} has an unknown property ${JSON.stringify(error.params.additionalProperty)}`;
    case "required":
      return `${where} is missing ${JSON.stringify(error.params.missingProperty)}`;
    case "enum":
      return `${where} must be one of ${(error.params.allowedValues as string[]).filter((v) => v === v.toLowerCase()).join(", ")}`;
    default:
      return `${where} ${error.message ?? "is invalid"}`;
  }
}
