/**
 * A counter and a histogram for a hot path. prom-client's hash each call's
 * labels into a string, check them and look the string up: 6–9 k
 * instructions a call, ~15 k of a gateway request (bench/README-results.md).
 * Here a caller takes a series once per label set (`series(labels)`) and
 * counts into it directly. They register and export as prom-client's Counter
 * and Histogram do, the same text for the same observations (series in order
 * of first use, made on first use): test/series-metrics.test.ts holds the two
 * side by side.
 */
import type client from 'prom-client';

type Labels = Readonly<Record<string, string>>;

interface SeriesMetricConfig {
  name: string;
  help: string;
  labelNames?: readonly string[];
  registers: readonly client.Registry[];
}

/** What prom-client's registry reads of a metric (its get() and getForPromString()). */
interface Exported {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: Record<string, unknown>[];
  aggregator: 'sum';
}

abstract class SeriesMetric<S extends { labels: Labels; used: boolean }> {
  readonly labelNames: readonly string[];
  readonly aggregator = 'sum' as const;
  name: string;
  readonly help: string;
  private readonly byKey = new Map<string, S>();
  /** Series counted into since the start or the last reset, in order of first use (prom-client's export order). */
  protected inUse: S[] = [];

  constructor(config: SeriesMetricConfig) {
    this.name = config.name;
    this.help = config.help;
    this.labelNames = config.labelNames ?? [];
    for (const register of config.registers) register.registerMetric(this as unknown as client.Metric);
  }

  /** The series of `labels` (names among the metric's; values as given), counted from now on. */
  series(labels: Labels = {}): S {
    let key = '';
    for (const name in labels) if (!this.labelNames.includes(name)) throw new Error(`Added label "${name}" is not included in initial labelset: ${this.labelNames.join(', ')}`);
    // One key per label values, in the metric's order of names, whatever the object's order (as prom-client's).
    for (const name of this.labelNames) key += `${labels[name] ?? '\u0000'}\u0001`;
    let series = this.byKey.get(key);
    if (!series) this.byKey.set(key, (series = this.create({ ...labels })));
    return series;
  }

  /** Called by a series on its first count. */
  protected using(series: S): void {
    series.used = true;
    this.inUse.push(series);
  }

  /** As prom-client's: every series back to nothing, exported again from its next count. */
  reset(): void {
    this.inUse = [];
    for (const series of this.byKey.values()) this.zero(series);
  }

  protected abstract create(labels: Labels): S;
  protected abstract zero(series: S): void;
  abstract getForPromString(): Promise<Exported>;
  abstract get(): Promise<Exported>;
}

export interface CounterSeries {
  readonly labels: Labels;
  used: boolean;
  value: number;
  inc(): void;
}

export class SeriesCounter extends SeriesMetric<CounterSeries> {
  readonly type = 'counter' as const;

  constructor(config: SeriesMetricConfig) {
    super(config);
    this.exportZero();
  }

  /** prom-client exports a labelless counter's 0 before its first count. */
  private exportZero(): void {
    if (this.labelNames.length === 0) this.using(this.series());
  }

  override reset(): void {
    super.reset();
    this.exportZero();
  }

  /** prom-client's form, for paths that are not hot. */
  inc(labels?: Labels): void {
    this.series(labels).inc();
  }

  protected create(labels: Labels): CounterSeries {
    const metric = this;
    return {
      labels,
      used: false,
      value: 0,
      inc() {
        if (!this.used) metric.using(this);
        this.value++;
      },
    };
  }

  protected zero(series: CounterSeries): void {
    series.value = 0;
    series.used = false;
  }

  async getForPromString(): Promise<Exported> {
    return { help: this.help, name: this.name, type: this.type, values: this.inUse.map(({ value, labels }) => ({ value, labels })), aggregator: this.aggregator };
  }

  get(): Promise<Exported> {
    return this.getForPromString();
  }
}

export interface HistogramSeries {
  readonly labels: Labels;
  used: boolean;
  /** Observations per bucket, not cumulated: the last one past every bound. */
  readonly counts: number[];
  sum: number;
  count: number;
  observe(value: number): void;
}

export class SeriesHistogram extends SeriesMetric<HistogramSeries> {
  readonly type = 'histogram' as const;
  readonly upperBounds: readonly number[];

  constructor(config: SeriesMetricConfig & { buckets: readonly number[] }) {
    super(config);
    if (this.labelNames.includes('le')) throw new Error('le is a reserved label keyword');
    this.upperBounds = [...config.buckets];
  }

  /** prom-client's form, for paths that are not hot. */
  observe(labels: Labels, value: number): void {
    this.series(labels).observe(value);
  }

  protected create(labels: Labels): HistogramSeries {
    const bounds = this.upperBounds;
    const metric = this;
    return {
      labels,
      used: false,
      counts: new Array<number>(bounds.length + 1).fill(0),
      sum: 0,
      count: 0,
      observe(value) {
        if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
        let index = 0;
        while (index < bounds.length && value > bounds[index]!) index++;
        this.counts[index]!++;
        this.sum += value;
        this.count++;
        if (!this.used) metric.using(this);
      },
    };
  }

  protected zero(series: HistogramSeries): void {
    series.counts.fill(0);
    series.sum = 0;
    series.count = 0;
    series.used = false;
  }

  /** prom-client's values for the text: the bucket's own `le`, the series' labels as shared ones. */
  async getForPromString(): Promise<Exported> {
    const bucketName = `${this.name}_bucket`;
    const values: Record<string, unknown>[] = [];
    for (const { labels, counts, sum, count } of this.inUse) {
      let cumulated = 0;
      this.upperBounds.forEach((le, index) => {
        cumulated += counts[index]!;
        values.push({ labels: { le }, sharedLabels: labels, value: cumulated, metricName: bucketName, exemplar: null });
      });
      values.push(
        { labels: { le: '+Inf' }, sharedLabels: labels, value: count, metricName: bucketName, exemplar: null },
        { labels: {}, sharedLabels: labels, value: sum, metricName: `${this.name}_sum`, exemplar: undefined },
        { labels: {}, sharedLabels: labels, value: count, metricName: `${this.name}_count`, exemplar: undefined },
      );
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** prom-client's values for JSON: the shared labels folded into each value's. */
  async get(): Promise<Exported> {
    const exported = await this.getForPromString();
    exported.values = exported.values.map(({ sharedLabels, labels, ...value }) => ({ ...value, labels: { ...(labels as Labels), ...(sharedLabels as Labels) } }));
    return exported;
  }
}
