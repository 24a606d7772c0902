/** One sample of a metric (a counter, a gauge): its labels and value, e.g. `{merged="true"} 42`. */
export type MetricSample = { labels: Record<string, string>; value: number };

/**
 * The samples of a metric in Prometheus text exposition format (what /metrics answers), e.g.
 * `rapport_identity_events_resolved_total{merged="true"} 42`, one per label set.
 */
export function metricSamples(exposition: string, name: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of exposition.split("\n")) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (!(rest.startsWith("{") || rest.startsWith(" "))) continue;
    const value = Number(rest.slice(rest.lastIndexOf(" ") + 1));
    if (!Number.isFinite(value)) continue;
    const labels: Record<string, string> = {};
    const labelText = rest.startsWith("{") ? rest.slice(1, rest.lastIndexOf("}")) : "";
    for (const [, label, labelValue] of labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      if (label !== undefined && labelValue !== undefined) labels[label] = labelValue;
    }
    samples.push({ labels, value });
  }
  return samples;
}

/** The sum of a metric over all its label sets; 0 when it has no samples yet. */
export function metricTotal(exposition: string, name: string): number {
  return metricSamples(exposition, name).reduce((sum, sample) => sum + sample.value, 0);
}
