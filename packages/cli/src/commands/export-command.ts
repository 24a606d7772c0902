import type { Command } from "../command.js";
import { exitCodes } from "../exit-codes.js";
import { exportIdentities } from "../export/export-identities.js";
import { exportProgressText, exportSummaryText } from "../export/export-progress-text.js";
import { openExportOutput } from "../io/export-output.js";
import { createIdentityClient } from "../io/identity-client.js";
import { createProgressReporter } from "../io/progress-reporter.js";
import { defaultExportPageSize, maxExportPageSize, parseExportOptions } from "./export-options.js";
import { defaultIdentityAddress } from "./service-address.js";

const usage = `Usage: rapport export identities [options]

Writes every source record identity knows (each record an upstream system sent, named by the
system and the strongest identifier it gave, e.g. shop/customer_number:C-1001) with the customer
it resolves to today, in source record id order: the input for scoring identity resolution
against a labelled set. Read through identity's gRPC API (IdentityService.ListSourceRecords).

Options:
  --format <csv|ndjson>    csv: a header line source_record_id,customer_id,source, then one row
                           per record (default); ndjson: one JSON object per line with the same
                           fields (the default when --output ends in .ndjson or .jsonl)
  --output <file>          write to this file instead of stdout; it appears only once the export
                           is complete
  --identity <host:port>   identity's gRPC address
                           (default $IDENTITY_GRPC_ADDRESS, else ${defaultIdentityAddress})
  --page-size <n>          source records per request, 1 to ${maxExportPageSize} (default ${defaultExportPageSize})
  -h, --help               show this help

Progress and the final count go to stderr, so stdout can be piped.

Exit codes: 0 exported; 1 fatal error (identity unreachable, file not writable); 64 wrong
command line.

Example:
  rapport export identities --output identities.csv
`;

export const exportCommand: Command = {
  name: "export",
  summary: "write identity's source records with the customer each resolves to, as CSV or NDJSON",
  usage,
  async run(args, io) {
    const options = parseExportOptions(args, io);
    const client = createIdentityClient({ address: options.identityAddress });
    try {
      const output = await openExportOutput(options.output, io.stdout);
      const clock = () => performance.now();
      const startedAt = clock();
      const progress = createProgressReporter({ output: io.stderr, clock });
      try {
        const { records } = await exportIdentities(options.format, {
          listPage: (pageToken) => client.listSourceRecords(options.pageSize, pageToken),
          write: output.write,
          onPage: (written) => progress.update(() => exportProgressText(written, clock() - startedAt)),
        });
        await output.complete();
        const summary = exportSummaryText(records, output.destination, clock() - startedAt);
        // On a terminal the progress line becomes the summary; a log gets it as a line of its own.
        if (io.stderr.isTTY) progress.finish(summary);
        else io.stderr.write(`${summary}\n`);
        return exitCodes.ok;
      } catch (error) {
        await output.abandon();
        throw error;
      }
    } finally {
      client.close();
    }
  },
};
