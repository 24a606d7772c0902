// `npm run demo`: a synthetic company through a running platform (`npm start`), and the report.
import { demoEndpointsOf } from "./demo-endpoints.js";
import { demoUsage, parseDemoOptions } from "./demo-options.js";
import { demoReportText } from "./demo-report.js";
import { runDemo } from "./run-demo.js";

async function main(): Promise<number> {
  let options: ReturnType<typeof parseDemoOptions>;
  try {
    options = parseDemoOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(
      `npm run demo: ${error instanceof Error ? error.message : String(error)}\n\n${demoUsage}\n`,
    );
    return 2;
  }
  if (options === "help") {
    process.stdout.write(`${demoUsage}\n`);
    return 0;
  }
  const report = await runDemo({
    options,
    endpoints: demoEndpointsOf(process.env),
    now: new Date(),
    output: process.stderr,
  });
  process.stdout.write(demoReportText(report));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`\nnpm run demo: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
