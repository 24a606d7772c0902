import { fileURLToPath } from "node:url";

/** Vitest loads global setup files by path, so the path is what this package exports. */
export const globalSetupPath = fileURLToPath(new URL("./global-setup.ts", import.meta.url));
