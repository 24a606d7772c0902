import { extname, resolve } from "node:path";
import { UsageError } from "../cli-errors.js";
import type { CommandIo } from "../command.js";
import {
  type IdentityExportFormat,
  identityExportFormats,
  isIdentityExportFormat,
} from "../export/identity-export-format.js";
import { parseCommandLine } from "./command-line.js";
import { addressOption, serviceAddress } from "./service-address.js";

export const exportKinds = ["identities"] as const;
export type ExportKind = (typeof exportKinds)[number];

export type ExportOptions = {
  kind: ExportKind;
  format: IdentityExportFormat;
  /** Absolute path; undefined writes to stdout. */
  output: string | undefined;
  identityAddress: string;
  pageSize: number;
};

export const defaultExportPageSize = 1_000;
/** The most ListSourceRecords answers in one page. */
export const maxExportPageSize = 5_000;

/** Reads `rapport export` arguments, with the environment's defaults; a mistake is a UsageError. */
export function parseExportOptions(
  args: readonly string[],
  io: Pick<CommandIo, "env" | "cwd">,
): ExportOptions {
  const { values, positionals } = parseCommandLine(args, {
    format: { type: "string" },
    output: { type: "string" },
    ...addressOption("identity"),
    "page-size": { type: "string" },
  });
  const [kind, ...extra] = positionals;
  if (kind === undefined || extra.length > 0) {
    throw new UsageError(`give what to export: rapport export <${exportKinds.join("|")}>`);
  }
  if (!isExportKind(kind)) {
    throw new UsageError(`cannot export "${kind}"; choose one of ${exportKinds.join(", ")}`);
  }
  const output = values.output === undefined ? undefined : resolve(io.cwd, values.output);
  const format = values.format ?? formatOfFile(output) ?? "csv";
  if (!isIdentityExportFormat(format)) {
    throw new UsageError(`--format "${format}": choose one of ${identityExportFormats.join(", ")}`);
  }
  const identityAddress = serviceAddress("identity", values, io);
  const pageSize = Number(values["page-size"] ?? defaultExportPageSize);
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > maxExportPageSize) {
    throw new UsageError(
      `--page-size "${values["page-size"]}" is not a whole number from 1 to ${maxExportPageSize}`,
    );
  }
  return { kind, format, output, identityAddress, pageSize };
}

function isExportKind(value: string): value is ExportKind {
  return (exportKinds as readonly string[]).includes(value);
}

/** An output named .ndjson or .jsonl asks for NDJSON without saying --format. */
function formatOfFile(file: string | undefined): IdentityExportFormat | undefined {
  const extension = file === undefined ? "" : extname(file).toLowerCase();
  return extension === ".ndjson" || extension === ".jsonl" ? "ndjson" : undefined;
}
