import { access, constants } from "node:fs/promises";
import { FatalError, UsageError } from "../cli-errors.js";
import type { Command } from "../command.js";
import { customerFields, orderFields } from "../import/import-kind.js";
import { planImport } from "../import/import-plan.js";
import { summaryJson, summaryText } from "../import/import-summary.js";
import { exitCodeOf } from "../import/import-tally.js";
import { runImport } from "../io/import-run.js";
import { createIngestionClient } from "../io/ingestion-client.js";
import { createProgressReporter } from "../io/progress-reporter.js";
import { readFileColumns } from "../io/record-stream.js";
import { createRejectionFile, rejectionFilePath } from "../io/rejection-file.js";
import { checkValuation } from "../io/valuation-check.js";
import { createWarningFile, warningFilePath } from "../io/warning-file.js";
import {
  defaultBatchSize,
  defaultIngestionUrl,
  defaultPhoneRegion,
  parseImportOptions,
} from "./import-options.js";
import { defaultScoringAddress } from "./service-address.js";

// Two batches on the wire: reading and mapping the next batch overlaps sending the last.
const maxBatchesInFlight = 2;

const usage = `Usage: rapport import <orders|customers> <file.csv|file.ndjson> [options]

Loads history from a file through ingestion's HTTP front door (POST /v1/events). Every order
and customer gets an event id made from the file, so importing the same file again appends
nothing new: order-<order_id>; for a customer its source_record_id when the file has one
(customer-source_record_id:<id>), else its strongest identifier (customer-<customer_number>,
customer-loyalty_card:<card>, customer-email:<email>, customer-phone:<E.164>).

Options:
  --map field=column,...   the file's column for each field; a field not mapped is read from
                           a column of the same name (repeatable)
  --currency <code>        currency of rows without one, e.g. KRW, EUR
  --timezone <zone>        IANA zone of times written without an offset (default UTC), e.g. Asia/Seoul
  --registered-at <time>   registration time of customers whose row has none
  --phone-region <region>  region of phone numbers written without a country code
                           (default $DEFAULT_PHONE_REGION, else ${defaultPhoneRegion}; as ingestion's)
  --url <url>              ingestion's HTTP address
                           (default $RAPPORT_INGESTION_URL, else ${defaultIngestionUrl})
  --scoring <host:port>    scoring's gRPC address, asked which currencies it can value (orders only)
                           (default $SCORING_GRPC_ADDRESS, else ${defaultScoringAddress})
  --write-key <key>        the write key of the source the events come from (default $RAPPORT_WRITE_KEY)
  --batch-size <n>         events per request (default ${defaultBatchSize})
  --json                   print the summary as JSON
  -h, --help               show this help

Fields of orders:
${wrappedList(orderFields)}
Fields of customers:
${wrappedList(customerFields)}

NDJSON lines with "specversion" are CloudEvents and are sent as they are; other lines are flat
records, mapped like CSV rows.

A row needs at least one valid identifier (customer_number, email, phone, loyalty_card); a
customers row may be keyed by a source_record_id column as well, which keys the registration but
identifies nobody. An identifier or optional field the contract would refuse (a phone that is no
number, a birth date that is no date, a country code that is not two letters, a text too long)
is left out of the event, and the row is imported without it; the summary counts these, and
<file>.warnings.ndjson lists each with its row, field, value and reason.

Rows that cannot be imported (no valid identifier, no time, a bad amount, ...) are listed in the
summary and written, with the reason, to <file>.rejected.ndjson next to the input.

Before importing orders, scoring is asked for its reporting currency and the currencies it has
rates for (SCORING_EXCHANGE_RATES, SCORING_EXCHANGE_RATES_FILE). Orders it cannot value (another
currency without a rate on their day) are imported all the same, and the summary gives a line per
currency with what to configure; they count in no value or score until scoring has their rates.
When scoring cannot be reached, the import goes on and says the currencies were not checked.

Exit codes: 0 every row imported (and every order valued, or scoring not reachable to check);
2 some rows rejected; 3 every row imported but scoring cannot value some orders; 1 fatal error
(file missing, ingestion unreachable, write key refused); 64 wrong command line. Fields left out
of imported rows do not change the exit code.

Example:
  rapport import orders orders.csv --currency EUR --timezone Europe/Berlin \\
    --map order_id="Order No",time="Order Date",email="E-Mail",amount=Total
`;

/** A list of names as indented lines of at most `width` characters. */
function wrappedList(items: readonly string[], width = 96): string {
  const lines: string[] = [];
  let line = "";
  for (const item of items) {
    const longer = line === "" ? item : `${line}, ${item}`;
    if (line !== "" && longer.length > width - 2) {
      lines.push(`${line},`);
      line = item;
    } else {
      line = longer;
    }
  }
  lines.push(line);
  return lines.map((text) => `  ${text}`).join("\n");
}

export const importCommand: Command = {
  name: "import",
  summary: "load orders or customers from a CSV or NDJSON file through ingestion",
  usage,
  async run(args, io) {
    const options = parseImportOptions(args, io);
    try {
      await access(options.file, constants.R_OK);
    } catch {
      throw new FatalError(`${options.file}: no such file, or it cannot be read`);
    }
    const columns = await readFileColumns(options.file, options.format);
    const plan = planImport(options.kind, options.fieldMap, columns, options.settings);
    if (!plan.ok) throw new UsageError(plan.detail);

    const valuation = options.kind === "orders" ? await checkValuation(options.scoringAddress) : undefined;
    const client = createIngestionClient({ url: options.url, writeKey: options.writeKey });
    const rejections = await createRejectionFile(rejectionFilePath(options.file));
    const warnings = await createWarningFile(warningFilePath(options.file));
    const clock = () => performance.now();
    const startedAt = clock();
    const tally = await runImport(
      {
        file: options.file,
        format: options.format,
        plan: plan.value,
        batchSize: options.batchSize,
        maxInFlight: maxBatchesInFlight,
        ...(valuation?.checked ? { valuation: valuation.valuation } : {}),
      },
      {
        publish: client.publish,
        rejections,
        warnings,
        progress: createProgressReporter({ output: io.stderr, clock }),
        clock,
      },
    );
    const summary = {
      kind: options.kind,
      file: options.file,
      rejectionFile: tally.rejectedLocally + tally.rejectedByIngestion > 0 ? rejections.path : undefined,
      warningFile: tally.fieldsDropped > 0 ? warnings.path : undefined,
      elapsedMs: Math.round(clock() - startedAt),
      tally,
      ...(valuation ? { valuation } : {}),
    };
    io.stdout.write(options.json ? summaryJson(summary) : summaryText(summary));
    return exitCodeOf(tally);
  },
};
