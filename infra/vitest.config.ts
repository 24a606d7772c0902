import { defineConfig } from "vitest/config";

// infra/ cannot use @rapport/testing's shared config: that package depends on this one.
// Its tests are all unit tests (no Kafka, no FerretDB); the servers are exercised by
// packages/testing/test/local-infra.int.test.ts.
export default defineConfig({
  test: {
    // Named like the shared config's fast tier, so `vitest run --project unit` (the root test:unit) selects it.
    name: "unit",
    include: ["test/**/*.test.ts"],
    pool: "forks",
  },
});
