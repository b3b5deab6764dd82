import type { CounterLabels, HistogramLabels, Metrics } from '../../src/flows/metrics-port.js';

/** A `Metrics` that keeps every count and observation, for assertions. */
export class RecordingMetrics implements Metrics {
  readonly counts: Array<{ name: keyof CounterLabels; labels: Record<string, string> }> = [];
  readonly observations: Array<{ name: keyof HistogramLabels; seconds: number; labels: Record<string, string> }> = [];

  count<N extends keyof CounterLabels>(name: N, labels: CounterLabels[N]): void {
    this.counts.push({ name, labels: Object.fromEntries(Object.entries(labels)) });
  }

  observe<N extends keyof HistogramLabels>(name: N, seconds: number, labels: HistogramLabels[N]): void {
    this.observations.push({ name, seconds, labels: Object.fromEntries(Object.entries(labels)) });
  }

  /** The counts of one counter, as their labels. */
  of(name: keyof CounterLabels): Array<Record<string, string>> {
    return this.counts.filter((c) => c.name === name).map((c) => c.labels);
  }
}
