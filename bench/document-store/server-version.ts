import type { Db } from "mongodb";

/** The server's version from a buildInfo answer: FerretDB's own version when it is FerretDB. */
export function describeBuildInfo(answer: unknown): string {
  const fields = typeof answer === "object" && answer !== null ? (answer as Record<string, unknown>) : {};
  const version = typeof fields.version === "string" ? fields.version : "unknown";
  return typeof fields.ferretdbVersion === "string"
    ? `FerretDB ${fields.ferretdbVersion} (reports MongoDB ${version})`
    : `MongoDB ${version}`;
}

export async function serverVersion(db: Db): Promise<string> {
  return describeBuildInfo(await db.admin().command({ buildInfo: 1 }));
}
