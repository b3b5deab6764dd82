import fc from 'fast-check';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { AppError } from '../../src/errors.js';
import { routeName } from '../../src/http/server.js';
import { MeteredJobQueue } from '../../src/metrics/metered-job-queue.js';
import { type GroupCounts, registerOpenWorkGauges } from '../../src/metrics/open-work-gauges.js';
import { PromMetrics } from '../../src/metrics/prom-metrics.js';
import { FixedClock } from '../fakes/fixed-clock.js';
import { InMemoryJobQueue } from '../fakes/in-memory-job-queue.js';
import { RecordingLogger } from '../fakes/recording-logger.js';
import { parsePrometheusText } from '../support/prometheus-text.js';

const scrape = async (m: PromMetrics) => parsePrometheusText((await m.exposition()).body);

describe('PromMetrics', () => {
  it('exposes the flows counters and histograms under odoo_chatops_, in prom-client content type', async () => {
    const m = new PromMetrics({ defaultMetrics: false });
    m.count('decisions', { outcome: 'failed', action: 'reject', flow: 'bills', platform: 'teams' });
    m.count('decisions', { outcome: 'failed', action: 'reject', flow: 'bills', platform: 'teams' });
    m.observe('decision_apply_seconds', 0.7, { action: 'reject', flow: 'bills', platform: 'teams' });
    m.count('exceptions_escalated', { definition: 'dup-bills', reason: 'sla' });
    const out = await m.exposition();
    expect(out.contentType).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
    const p = parsePrometheusText(out.body);
    expect(p.value('odoo_chatops_decisions_total', { outcome: 'failed', flow: 'bills' })).toBe(2);
    expect(p.value('odoo_chatops_decision_apply_seconds_bucket', { flow: 'bills', le: '1' })).toBe(1);
    expect(p.value('odoo_chatops_decision_apply_seconds_bucket', { flow: 'bills', le: '0.5' })).toBe(0);
    expect(p.value('odoo_chatops_exceptions_escalated_total', { definition: 'dup-bills', reason: 'sla' })).toBe(1);
    expect(p.types.get('process_cpu_user_seconds_total')).toBeUndefined();
  });

  it('starts the outcome counters of known flows and definitions at 0', async () => {
    const m = new PromMetrics({ defaultMetrics: false });
    m.prime({ flows: ['po'], definitions: ['dup-bills'], platforms: ['slack', 'teams'] });
    const p = await scrape(m);
    expect(
      p.value('odoo_chatops_decisions_total', { outcome: 'failed', action: 'approve', flow: 'po', platform: 'teams' }),
    ).toBe(0);
    expect(p.value('odoo_chatops_cases_closed_total', { flow: 'po', outcome: 'expired' })).toBe(0);
    expect(p.value('odoo_chatops_exception_sla_breaches_total', { definition: 'dup-bills' })).toBe(0);
  });

  it('keeps the AI summary counters under their old names, after the registry', async () => {
    const m = new PromMetrics({ defaultMetrics: false });
    m.append(
      () =>
        '# HELP chatops_ai_drafts_shown_total AI drafts.\n# TYPE chatops_ai_drafts_shown_total counter\nchatops_ai_drafts_shown_total 3\n',
    );
    const p = await scrape(m);
    expect(p.value('chatops_ai_drafts_shown_total')).toBe(3);
  });

  it('counts HTTP requests, Odoo calls and queue jobs with their latencies', async () => {
    const m = new PromMetrics({ defaultMetrics: false });
    m.httpRequest('/odoo/webhook/:token', 202, 0.004);
    m.odooCall({ method: 'button_approve', result: 'fault', seconds: 0.2 });
    m.job('chatops.decisions', 'decision.apply', 'retried', 1.2);
    const p = await scrape(m);
    expect(p.value('odoo_chatops_http_requests_total', { route: '/odoo/webhook/:token', status: '202' })).toBe(1);
    expect(p.value('odoo_chatops_odoo_calls_total', { method: 'button_approve', result: 'fault' })).toBe(1);
    expect(p.value('odoo_chatops_odoo_call_duration_seconds_count', { method: 'button_approve' })).toBe(1);
    expect(p.value('odoo_chatops_queue_jobs_total', { queue: 'chatops.decisions', result: 'retried' })).toBe(1);
  });
});

describe('routeName', () => {
  it('names each route from a fixed set', () => {
    expect(routeName('/slack/events')).toBe('/slack/events');
    expect(routeName('/metrics?x=1')).toBe('/metrics');
    expect(routeName('/odoo/webhook/abc')).toBe('/odoo/webhook/:token');
    expect(routeName('/sandbox/api/state')).toBe('/sandbox');
    expect(routeName('/wp-login.php')).toBe('other');
    expect(routeName(undefined)).toBe('other');
  });

  it('never puts any part of a path into the label', () => {
    const routes = new Set(['/healthz', '/readyz', '/metrics', '/slack/events', '/api/messages', '/events']);
    routes.add('/odoo/webhook/:token').add('/sandbox').add('other');
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (token) => {
        expect(routes.has(routeName(`/odoo/webhook/${token}`))).toBe(true);
        expect(routes.has(routeName(token))).toBe(true);
      }),
    );
  });
});

describe('MeteredJobQueue', () => {
  it('counts completed, retried and failed runs, and names the queues it works', async () => {
    const clock = new FixedClock();
    const inner = new InMemoryJobQueue(clock);
    const runs: string[] = [];
    const q = new MeteredJobQueue(inner, { job: (queue, job, result) => runs.push(`${queue} ${job} ${result}`) });
    let flaky = 1;
    await q.process<{ kind: string }>('q.work', async (job) => {
      if (job.data.kind === 'flaky' && flaky-- > 0) throw new AppError('odoo.unreachable', 'transient', 'down');
      if (job.data.kind === 'bad') throw new AppError('odoo.user_error', 'user', 'no');
    });
    await q.enqueue('q.work', 'ok', { kind: 'ok' });
    await q.enqueue('q.work', 'flaky', { kind: 'flaky' });
    await q.enqueue('q.work', 'bad', { kind: 'bad' });
    await inner.runUntilIdle();
    expect(runs.sort()).toEqual([
      'q.work bad failed',
      'q.work flaky completed',
      'q.work flaky retried',
      'q.work ok completed',
    ]);
    expect(q.queues()).toEqual(['q.work']);
  });
});

describe('the open-work gauges', () => {
  function world(rows: { cases: GroupCounts; failing?: boolean }) {
    let now = 0;
    const calls = { cases: 0 };
    const log = new RecordingLogger();
    const m = new PromMetrics({ defaultMetrics: false });
    registerOpenWorkGauges(m.registry, {
      store: {
        async openCasesByFlow() {
          calls.cases++;
          if (rows.failing) throw new Error('database down');
          return rows.cases;
        },
        async openExceptionsByDefinition() {
          return [];
        },
      },
      backlog: {
        queues: () => ['chatops.decisions'],
        jobCounts: async () => ({ waiting: 4, active: 1, delayed: 0, failed: 2 }),
      },
      flows: ['po', 'bills'],
      definitions: ['dup-bills'],
      log,
      cacheMs: 15_000,
      now: () => now,
    });
    return { m, calls, log, tick: (ms: number) => (now += ms) };
  }

  it('reports every known flow (0 when nothing is open), the backlog, and reads the store once per period', async () => {
    const rows = { cases: [{ key: 'po', count: 3 }] };
    const w = world(rows);
    let p = await scrape(w.m);
    expect(p.value('odoo_chatops_cases_open', { flow: 'po' })).toBe(3);
    expect(p.value('odoo_chatops_cases_open', { flow: 'bills' })).toBe(0);
    expect(p.value('odoo_chatops_exceptions_open', { definition: 'dup-bills' })).toBe(0);
    expect(p.value('odoo_chatops_queue_jobs', { queue: 'chatops.decisions', state: 'waiting' })).toBe(4);
    rows.cases = [{ key: 'po', count: 5 }];
    await Promise.all([scrape(w.m), scrape(w.m), scrape(w.m)]);
    w.tick(14_999);
    p = await scrape(w.m);
    expect(p.value('odoo_chatops_cases_open', { flow: 'po' })).toBe(3);
    expect(w.calls.cases).toBe(1);
    w.tick(1);
    p = await scrape(w.m);
    expect(p.value('odoo_chatops_cases_open', { flow: 'po' })).toBe(5);
    expect(w.calls.cases).toBe(2);
  });

  it('leaves the gauges out and logs when the store does not answer; the scrape still succeeds', async () => {
    const w = world({ cases: [], failing: true });
    const p = await scrape(w.m);
    expect(p.value('odoo_chatops_cases_open', { flow: 'po' })).toBeUndefined();
    expect(p.types.get('odoo_chatops_cases_open')).toBe('gauge');
    expect(w.log.records.some((r) => r.level === 'warn' && /could not count open cases/.test(r.msg ?? ''))).toBe(true);
  });
});

describe('METRICS_TOKEN', () => {
  const base = {
    ODOO_URL: 'https://mycompany.odoo.com',
    ODOO_DB: 'mycompany',
    ODOO_USERNAME: 'chatops-bot@example.com',
    ODOO_API_KEY: 'a1b2c3d4e5',
    ODOO_WEBHOOK_TOKEN: '0123456789abcdef0123456789abcdef',
    SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
    SLACK_SIGNING_SECRET: 'shh-signing-secret',
  };

  it('is optional, and kept when long enough', () => {
    expect(loadEnv(base).METRICS_TOKEN).toBeUndefined();
    expect(loadEnv({ ...base, METRICS_TOKEN: 'a'.repeat(24) }).METRICS_TOKEN).toBe('a'.repeat(24));
  });

  it('says how to make one when it is too short or cannot travel in a header', () => {
    expect(() => loadEnv({ ...base, METRICS_TOKEN: 'short' })).toThrow(
      /METRICS_TOKEN must be at least 24 characters; generate one with `openssl rand -hex 24`/,
    );
    expect(() => loadEnv({ ...base, METRICS_TOKEN: `${'a'.repeat(24)} b` })).toThrow(
      /METRICS_TOKEN may contain only letters, digits/,
    );
  });
});
