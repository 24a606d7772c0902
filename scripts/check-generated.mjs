// Fails when the code and schemas generated from proto/ are not what the protos generate now:
// someone changed a .proto without running `npm run generate`, or edited generated files by hand.
import { execFileSync } from "node:child_process";

const generated = ["packages/proto/src/gen", "docs/schemas"];
execFileSync("node", ["packages/proto/scripts/generate.mjs"], { stdio: "inherit" });
const changes = execFileSync("git", ["status", "--porcelain", "--", ...generated])
  .toString("utf8")
  .trim();
if (changes) {
  console.error(`Generated files are stale; run \`npm run generate\` and commit the result:\n${changes}`);
  process.exit(1);
}
console.log("generated files are up to date");
