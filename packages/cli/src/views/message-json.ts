/** What a service answers, as --json prints it: ts-proto's toJSON of the message, indented. */
export function messageJson(json: unknown): string {
  return `${JSON.stringify(json, null, 2)}\n`;
}
