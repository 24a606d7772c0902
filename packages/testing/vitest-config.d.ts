import type { ViteUserConfig } from "vitest/config";

/** Absolute path of the Rapport vitest global setup (starts or adopts Kafka and FerretDB). */
export declare const globalSetupPath: string;

/** The vitest configuration every Rapport package starts from; `overrides` are merged over it. */
export declare function defineRapportVitestConfig(overrides?: ViteUserConfig): ViteUserConfig;
