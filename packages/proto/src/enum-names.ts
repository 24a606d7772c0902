/**
 * Enums travel in events and domain code by their short names ("email" for CONTACT_CHANNEL_EMAIL,
 * as ingestion normalises them). This maps one generated enum both ways, given its prefix.
 */
export function enumNames<Short extends string>(
  enumObject: Record<string, string | number>,
  prefix: string,
  shortNames: readonly Short[],
) {
  return {
    /** The short name of a value; undefined for UNSPECIFIED and values the list does not know. */
    shortName(value: number): Short | undefined {
      const name = enumObject[value];
      if (typeof name !== "string" || !name.startsWith(prefix)) return undefined;
      const short = name.slice(prefix.length).toLowerCase();
      return (shortNames as readonly string[]).includes(short) ? (short as Short) : undefined;
    },
    /** The value of a short name; 0 (UNSPECIFIED) for a name the enum does not have. */
    valueOf(short: string): number {
      const value = enumObject[`${prefix}${short.toUpperCase()}`];
      return typeof value === "number" ? value : 0;
    },
  };
}
