import { describe, expect, it } from 'vitest';
import { metricsOf, NO_METRICS } from '../../src/flows/metrics-port.js';
import { postCards } from '../../src/flows/post-cards.js';
import { buildDeps } from '../fakes/build-deps.js';
import { PEOPLE } from '../fakes/builders.js';
import { RecordingMetrics } from '../fakes/recording-metrics.js';

const FLOW = 'purchase-approval';

describe('the Metrics port', () => {
  it('defaults to counting nothing: deps without metrics get the no-op, which accepts every call', () => {
    expect(metricsOf({})).toBe(NO_METRICS);
    expect(metricsOf({ metrics: undefined })).toBe(NO_METRICS);
    expect(() => {
      NO_METRICS.count('decisions', { outcome: 'applied', action: 'approve', flow: FLOW, platform: 'slack' });
      NO_METRICS.observe('decision_apply_seconds', 1.5, { action: 'approve', flow: FLOW, platform: 'slack' });
    }).not.toThrow();
    const wired = new RecordingMetrics();
    expect(metricsOf({ metrics: wired })).toBe(wired);
  });

  it('an approval runs the same without metrics wired', async () => {
    const w = buildDeps();
    expect(w.deps.metrics).toBeUndefined();
    const c = await w.openCaseFor(w.addOrder({ name: 'P00042' }));
    await postCards(w.deps, c.id);
    await w.apply((await w.click(c.id, PEOPLE.admin.chat)).id);
    expect((await w.store.getCase(c.id))?.status).toBe('approved');
  });

  it('counts an opened case, its applied decision with the time from the click, and the closed case', async () => {
    const w = buildDeps();
    const metrics = new RecordingMetrics();
    w.deps.metrics = metrics;
    const c = await w.openCaseFor(w.addOrder({ name: 'P00042' }));
    await postCards(w.deps, c.id);
    const d = await w.click(c.id, PEOPLE.admin.chat);
    w.clock.set(new Date(d.createdAt.getTime() + 2_500));
    await w.apply(d.id);
    await w.apply(d.id); // a duplicate run of the job counts nothing more

    expect(metrics.of('cases_opened')).toEqual([{ flow: FLOW }]);
    expect(metrics.of('decisions')).toEqual([{ outcome: 'applied', action: 'approve', flow: FLOW, platform: 'slack' }]);
    expect(metrics.observations).toEqual([
      { name: 'decision_apply_seconds', seconds: 2.5, labels: { action: 'approve', flow: FLOW, platform: 'slack' } },
    ]);
    expect(metrics.of('cases_closed')).toEqual([{ flow: FLOW, outcome: 'approved' }]);
  });

  it('counts a refused decision under its flow, with no person or record in the labels', async () => {
    const w = buildDeps();
    const metrics = new RecordingMetrics();
    w.deps.metrics = metrics;
    const c = await w.openCaseFor(w.addOrder({ name: 'P00043' }));
    await postCards(w.deps, c.id);
    await w.apply((await w.click(c.id, PEOPLE.eve.chat)).id);

    expect(metrics.of('decisions')).toEqual([{ outcome: 'refused', action: 'approve', flow: FLOW, platform: 'slack' }]);
    expect(metrics.observations).toEqual([]);
    const labels = JSON.stringify(metrics.counts);
    for (const secret of [PEOPLE.eve.chat, String(c.odooId), c.id, 'P00043']) expect(labels).not.toContain(secret);
  });
});
