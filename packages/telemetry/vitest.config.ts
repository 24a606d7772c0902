import { defineRapportVitestConfig } from "@rapport/testing/vitest-config";

export default defineRapportVitestConfig();
