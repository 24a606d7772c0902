/**
 * The value of one sample in a Prometheus text exposition (what /metrics answers): the sample
 * named `name` whose labels include `labels`, or undefined when there is none. A test reads what
 * an operator's scraper would read, not the metric objects.
 */
export function metricSample(
  exposition: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of exposition.split("\n")) {
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample || sample[1] !== name) continue;
    const present = new Map(
      [...(sample[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map(
        ([, key, value]) => [key, value],
      ),
    );
    if (Object.entries(labels).every(([key, value]) => present.get(key) === value)) return Number(sample[3]);
  }
  return undefined;
}
