/**
 * The sum of a counter over all its label sets in Prometheus text exposition format, e.g.
 * `rapport_ingestion_events_appended_total{type="crm.v1.OrderPlaced"} 42`. 0 when the counter has no
 * samples yet.
 */
export function counterTotal(exposition: string, name: string): number {
  let total = 0;
  for (const line of exposition.split("\n")) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (!(rest.startsWith("{") || rest.startsWith(" "))) continue;
    const value = Number(rest.slice(rest.lastIndexOf(" ") + 1));
    if (Number.isFinite(value)) total += value;
  }
  return total;
}
