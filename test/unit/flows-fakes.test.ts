/** The fakes the flow tests stand on: rules the real adapters follow, checked here once. */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { FixedClock } from '../fakes/fixed-clock.js';
import { InMemoryAuditLog } from '../fakes/in-memory-audit-log.js';
import { InMemoryJobQueue } from '../fakes/in-memory-job-queue.js';

const transient = () => new AppError('test.down', 'transient', 'down for the test');

describe('InMemoryJobQueue', () => {
  it('retries transient failures with exponential backoff up to the attempts, then fails the job', async () => {
    const clock = new FixedClock();
    const q = new InMemoryJobQueue(clock);
    const seen: Array<[number, number]> = [];
    await q.process('q', async (job) => {
      seen.push([job.attempt, clock.now().getTime()]);
      throw transient();
    });
    await q.enqueue('q', 'n', {}, { jobId: 'j', attempts: 3, backoffMs: 100 });
    const t0 = clock.now().getTime();

    await q.runUntilIdle();

    expect(seen).toEqual([
      [1, t0],
      [2, t0 + 100],
      [3, t0 + 300],
    ]);
    expect(q.list()[0]).toMatchObject({ state: 'failed', attemptsMade: 3 });
  });

  it('fails a job for good on a non-transient error, dedupes ids, honours delays and cancels', async () => {
    const clock = new FixedClock();
    const q = new InMemoryJobQueue(clock);
    const ran: string[] = [];
    await q.process<{ fail?: boolean }>('q', async (job) => {
      ran.push(job.id);
      if (job.data.fail) throw new Error('bug');
    });
    await q.enqueue('q', 'n', { fail: true }, { jobId: 'bad' });
    await q.enqueue('q', 'n', {}, { jobId: 'later', delayMs: 1000 });
    await q.enqueue('q', 'n', {}, { jobId: 'later', delayMs: 1 });
    await q.enqueue('q', 'n', {}, { jobId: 'gone', delayMs: 10 });
    expect(await q.cancel('q', 'gone')).toBe(true);
    expect(await q.cancel('q', 'gone')).toBe(false);

    await q.runAll();
    expect(ran).toEqual(['bad']);
    expect(q.list({ state: 'failed' }).map((j) => j.id)).toEqual(['bad']);
    await q.advance(999);
    expect(ran).toEqual(['bad']);
    await q.advance(1);
    expect(ran).toEqual(['bad', 'later']);
    await expect(q.enqueue('q', 'n', {}, { jobId: 'a:b' })).rejects.toMatchObject({ code: 'queue.bad_job_id' });
  });

  it('records schedulers and fires them on demand', async () => {
    const q = new InMemoryJobQueue(new FixedClock());
    await q.schedule('m', 'reconcile', 60_000, 'reconcile', {});
    expect(q.schedulers.get('reconcile')).toEqual({ queue: 'm', everyMs: 60_000, name: 'reconcile', data: {} });
    await q.fire('reconcile');
    expect(q.pending({ queue: 'm', name: 'reconcile' })).toHaveLength(1);
  });
});

describe('InMemoryAuditLog', () => {
  it('chains hashes the way the real log does and notices tampering', async () => {
    const log = new InMemoryAuditLog(new FixedClock());
    await log.append({ type: 'case.opened', caseId: 'c1', data: { amount: 1 } });
    await log.append({ type: 'case.closed', caseId: 'c1', actor: 'slack:U1', data: { skip: undefined } });
    const ok = await log.verify();
    expect(ok).toMatchObject({ ok: true, count: 2 });
    expect(log.list()[1]?.prevHash).toBe(log.list()[0]?.hash);

    log.tamper(1, (e) => {
      e.data.amount = 2;
    });
    expect(await log.verify()).toMatchObject({ ok: false, brokenAt: 1 });
  });
});
