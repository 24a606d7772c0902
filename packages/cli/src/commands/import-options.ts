import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { phoneRegion } from "@rapport/config";
import { UsageError } from "../cli-errors.js";
import type { CommandIo } from "../command.js";
import { parseEventTime } from "../import/event-time.js";
import { type FieldMap, parseFieldMap } from "../import/field-map.js";
import { type ImportKind, importKinds, isImportKind } from "../import/import-kind.js";
import type { ImportSettings } from "../import/import-settings.js";
import { parseCurrency } from "../import/money.js";
import { isTimeZone } from "../import/zoned-time.js";
import { formatOf, type InputFormat } from "../io/record-stream.js";
import { addressOption, serviceAddress } from "./service-address.js";

export type ImportOptions = {
  kind: ImportKind;
  file: string;
  format: InputFormat;
  fieldMap: FieldMap;
  settings: ImportSettings;
  url: string;
  /** scoring's gRPC address: an order import asks it which currencies it can value. */
  scoringAddress: string;
  writeKey: string;
  batchSize: number;
  json: boolean;
};

export const defaultIngestionUrl = "http://127.0.0.1:8080";
/** The services' default too (DEFAULT_PHONE_REGION), so the importer judges phones as ingestion does. */
export const defaultPhoneRegion = "KR";
export const defaultBatchSize = 500;

/** Reads `rapport import` arguments, with the environment's defaults; a mistake is a UsageError. */
export function parseImportOptions(
  args: readonly string[],
  { env, cwd }: Pick<CommandIo, "env" | "cwd">,
): ImportOptions {
  const { values, positionals } = parseCommandLine(args);
  const [kind, givenFile, ...extra] = positionals;
  if (kind === undefined || givenFile === undefined || extra.length > 0) {
    throw new UsageError("give what to import and the file: rapport import <orders|customers> <file>");
  }
  if (!isImportKind(kind))
    throw new UsageError(`cannot import "${kind}"; choose one of ${importKinds.join(", ")}`);
  const file = resolve(cwd, givenFile);
  const format = formatOf(file);
  if (!format) throw new UsageError(`${file}: give a .csv, .ndjson or .jsonl file`);

  const fieldMap = parseFieldMap(values.map ?? [], kind);
  if (!fieldMap.ok) throw new UsageError(fieldMap.detail);

  const timeZone = values.timezone ?? "UTC";
  if (!isTimeZone(timeZone)) {
    throw new UsageError(
      `--timezone "${timeZone}" is not an IANA time zone, e.g. UTC, Asia/Seoul, Europe/Berlin`,
    );
  }
  const currency = values.currency === undefined ? undefined : parseCurrency(values.currency);
  if (currency && !currency.ok) throw new UsageError(`--currency: ${currency.detail}`);
  const registeredAt =
    values["registered-at"] === undefined ? undefined : parseEventTime(values["registered-at"], timeZone);
  if (registeredAt && !registeredAt.ok) throw new UsageError(`--registered-at: ${registeredAt.detail}`);
  const regionText = values["phone-region"] ?? env.DEFAULT_PHONE_REGION;
  const region = phoneRegion(defaultPhoneRegion).safeParse(regionText);
  if (!region.success) {
    const given = values["phone-region"] === undefined ? "DEFAULT_PHONE_REGION" : "--phone-region";
    throw new UsageError(`${given} "${regionText}" is not a region libphonenumber knows, e.g. KR or US`);
  }

  const writeKey = values["write-key"] ?? env.RAPPORT_WRITE_KEY;
  if (writeKey === undefined || writeKey.trim() === "") {
    throw new UsageError("no write key: pass --write-key <key> or set RAPPORT_WRITE_KEY");
  }
  const batchSize = Number(values["batch-size"] ?? defaultBatchSize);
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
    throw new UsageError(`--batch-size "${values["batch-size"]}" is not a whole number of at least 1`);
  }
  return {
    kind,
    file,
    format,
    fieldMap: fieldMap.value,
    settings: {
      timeZone,
      defaultCurrency: currency?.value,
      registeredAt: registeredAt?.value,
      identifierRules: { defaultPhoneRegion: region.data },
    },
    url: values.url ?? env.RAPPORT_INGESTION_URL ?? defaultIngestionUrl,
    scoringAddress: serviceAddress("scoring", values, { env }),
    writeKey: writeKey.trim(),
    batchSize,
    json: values.json ?? false,
  };
}

function parseCommandLine(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        map: { type: "string", multiple: true },
        currency: { type: "string" },
        timezone: { type: "string" },
        "registered-at": { type: "string" },
        "phone-region": { type: "string" },
        url: { type: "string" },
        "write-key": { type: "string" },
        "batch-size": { type: "string" },
        json: { type: "boolean" },
        ...addressOption("scoring"),
      },
    });
  } catch (error) {
    // parseArgs explains unknown options and missing values well; it only needs to be a usage error.
    throw new UsageError((error as Error).message);
  }
}
