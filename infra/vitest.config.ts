import { defineConfig } from "vitest/config";

// infra/ cannot use @rapport/testing's shared config: that package depends on this one. The same two
// projects, named alike, so that `vitest run --project unit` (the root test:unit) selects the fast tier.
export default defineConfig({
  test: {
    pool: "forks",
    teardownTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/**/*.test.ts"], exclude: ["test/**/*.int.test.ts"] },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.int.test.ts"],
          // The MongoDB-wire server of MONGODB_URI, or a throwaway FerretDB of this package.
          globalSetup: ["test/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
