/**
 * The hot path's counter and histogram export what prom-client's would for the same counts: the same text
 * and the same JSON, series and all, whatever the labels' order, after a reset too.
 */
import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS } from '../metrics.js';
import { SeriesCounter, SeriesHistogram } from '../series-metrics.js';

/** Two registries, one of prom-client's instruments and one of ours, counted alike. */
function sideBySide() {
  const theirs = new client.Registry();
  const ours = new client.Registry();
  const counter = { name: 'requests_total', help: 'requests "by" op\\eration', labelNames: ['operation', 'type', 'outcome'] };
  const plain = { name: 'plain_total', help: 'no labels' };
  const histogram = { name: 'duration_seconds', help: 'latency', labelNames: ['operation', 'type'], buckets: LATENCY_BUCKETS };
  return {
    theirs,
    ours,
    counters: [new client.Counter({ ...counter, registers: [theirs] }), new SeriesCounter({ ...counter, registers: [ours] })] as const,
    plains: [new client.Counter({ ...plain, registers: [theirs] }), new SeriesCounter({ ...plain, registers: [ours] })] as const,
    histograms: [new client.Histogram({ ...histogram, registers: [theirs] }), new SeriesHistogram({ ...histogram, registers: [ours] })] as const,
  };
}

async function expectSameExport(theirs: client.Registry, ours: client.Registry): Promise<void> {
  expect(await ours.metrics()).toBe(await theirs.metrics());
  expect(JSON.parse(JSON.stringify(await ours.getMetricsAsJSON()))).toEqual(JSON.parse(JSON.stringify(await theirs.getMetricsAsJSON())));
}

describe('series metrics', () => {
  it('export what prom-client exports for the same counts', async () => {
    const { theirs, ours, counters, plains, histograms } = sideBySide();
    await expectSameExport(theirs, ours);
    const values = [0, 0.004, 0.005, 0.0051, 0.3, 1, 9.99, 10, 12, 3600];
    const operations = ['CourseList', 'Lookup "x"\n\\', 'CourseList'];
    for (const [index, value] of values.entries()) {
      const operation = operations[index % operations.length]!;
      const type = index % 4 === 0 ? 'mutation' : 'query';
      const outcome = index % 3 === 0 ? 'error' : 'ok';
      counters[0].inc({ operation, type, outcome });
      counters[1].series({ operation, type, outcome }).inc();
      histograms[0].observe({ operation, type }, value);
      histograms[1].series({ operation, type }).observe(value);
      if (index % 2) {
        plains[0].inc();
        plains[1].inc();
      }
    }
    await expectSameExport(theirs, ours);
    // Another order of the same labels is the same series (its labels are written in the order of its first use).
    expect(counters[1].series({ outcome: 'ok', type: 'query', operation: 'CourseList' })).toBe(counters[1].series({ operation: 'CourseList', type: 'query', outcome: 'ok' }));

    theirs.resetMetrics();
    ours.resetMetrics();
    await expectSameExport(theirs, ours);
    histograms[0].observe({ operation: 'After', type: 'query' }, 0.02);
    histograms[1].observe({ operation: 'After', type: 'query' }, 0.02);
    counters[0].inc({ operation: 'After', type: 'query', outcome: 'ok' });
    counters[1].inc({ operation: 'After', type: 'query', outcome: 'ok' });
    await expectSameExport(theirs, ours);
  });

  it('refuses a label it was not given and a value that is not a number, as prom-client does', () => {
    const { histograms, counters } = sideBySide();
    expect(() => counters[1].series({ route: '/' })).toThrow(/not included in initial labelset/);
    expect(() => histograms[1].series({ operation: 'A', type: 'query' }).observe(Number.NaN)).toThrow(TypeError);
    expect(() => histograms[0].observe({ operation: 'A', type: 'query' }, Number.NaN)).toThrow(TypeError);
  });
});
