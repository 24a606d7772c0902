/** One sample of a counter: its labels and value, e.g. `{merged="true"} 42`. */
export type CounterSample = { labels: Record<string, string>; value: number };

/**
 * The samples of a counter in Prometheus text exposition format, e.g.
 * `rapport_identity_events_resolved_total{merged="true"} 42`, one per label set.
 */
export function counterSamples(exposition: string, name: string): CounterSample[] {
  const samples: CounterSample[] = [];
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

/** The sum of a counter over all its label sets; 0 when the counter has no samples yet. */
export function counterTotal(exposition: string, name: string): number {
  return counterSamples(exposition, name).reduce((sum, sample) => sum + sample.value, 0);
}
