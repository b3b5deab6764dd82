import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR, type Policy } from '../../src/flows/policy.js';
import { computeSlaMetrics, median, percentile } from '../../src/flows/queries/sla-metrics.js';
import { periodStart } from '../../src/flows/queries/sla-query.js';
import type { AuditEntry, Case } from '../../src/flows/types.js';
import { aCase, aFlow, aTier } from '../support/builders.js';

// Mon 23 Nov 2026; the default calendar works Mon–Fri 09:00–17:00 UTC (480 minutes a day).
const at = (day: 'Mon' | 'Tue' | 'Wed', time: string) =>
  new Date(`2026-11-${{ Mon: 23, Tue: 24, Wed: 25 }[day]}T${time}:00Z`);

const flow = aFlow({
  id: 'po',
  // Flow SLA: the expiry (2 working days = 960 min). Tier SLA: the escalation (2 h = 120 min).
  timers: {
    escalate: { afterMinutes: 120, to: { users: ['cfo@acme.test'] } },
    expire: { afterMinutes: 960, outcome: 'close' },
  },
});
const policy: Policy = { calendar: DEFAULT_CALENDAR, roles: {}, delegations: [], approvals: [flow] };

let seq = 0;
function entry(type: string, caseId: string, when: Date, data: Record<string, unknown> = {}): AuditEntry {
  seq += 1;
  return { seq, at: when, type, caseId, actor: null, data, prevHash: '', hash: '' };
}

/** A case opened at `opened`, its only tier approved at `approvedAt` and (optionally) applied at `appliedAt`. */
function decided(id: string, opened: Date, approvedAt: Date, appliedAt: Date): { c: Case; events: AuditEntry[] } {
  const c = aCase({
    id,
    flowId: 'po',
    status: 'approved',
    createdAt: opened,
    closedAt: appliedAt,
    tiers: [
      aTier({
        name: 'Approval',
        startedAt: opened.toISOString(),
        approvals: [
          {
            odooUserId: 7,
            name: 'Mia',
            decisionId: `d-${id}`,
            at: approvedAt.toISOString(),
            platform: 'slack',
            onBehalfOf: null,
          },
        ],
      }),
    ],
  });
  return { c, events: [entry('case.opened', id, opened), entry('decision.applied', id, appliedAt)] };
}

describe('approval metrics on a fixed data set', () => {
  const a = decided('a', at('Mon', '09:00'), at('Mon', '10:00'), at('Mon', '10:00')); // 60 / 60
  const b = decided('b', at('Mon', '09:00'), at('Mon', '13:00'), at('Mon', '13:05')); // tier 240, case 245
  const c = decided('c', at('Mon', '16:00'), at('Tue', '10:00'), at('Tue', '10:00')); // 60 + 60 = 120
  const d = decided('d', at('Mon', '09:00'), at('Wed', '12:00'), at('Wed', '12:00')); // 2×480 + 180 = 1140
  const e = aCase({
    id: 'e',
    flowId: 'po',
    status: 'open',
    createdAt: at('Tue', '09:00'),
    tiers: [aTier({ startedAt: at('Tue', '09:00').toISOString() })],
  });
  const f = aCase({
    id: 'f',
    flowId: 'po',
    status: 'expired',
    createdAt: at('Tue', '09:00'),
    closedAt: at('Wed', '09:00'),
  });
  const events = [
    ...[a, b, c, d].flatMap((x) => x.events),
    entry('case.opened', 'e', at('Tue', '09:00')),
    entry('case.escalated', 'e', at('Tue', '11:00'), { tier: 'Approval' }),
    entry('case.opened', 'f', at('Tue', '09:00')),
    entry('case.expired', 'f', at('Wed', '09:00'), { outcome: 'expired' }),
  ];
  const [m] = computeSlaMetrics(policy, [a.c, b.c, c.c, d.c, e, f], events);

  it('computes the cycle from case.opened to decision.applied in business minutes', () => {
    // Cycles 60, 120, 245, 1140: median (120 + 245) / 2, p90 by nearest rank = the 4th of 4.
    expect(m).toMatchObject({
      flowId: 'po',
      opened: 6,
      decided: 4,
      medianMinutes: 182.5,
      p90Minutes: 1140,
      slaMinutes: 960,
      withinSla: 0.75,
      escalations: 1,
      expiries: 1,
    });
  });

  it('computes each tier from its start to the approval that completed it', () => {
    // Tier cycles 60, 120, 240, 1140 against 120 min: two of four.
    expect(m?.tiers).toEqual([
      {
        name: 'Approval',
        decided: 4,
        medianMinutes: 180,
        p90Minutes: 1140,
        slaMinutes: 120,
        withinSla: 0.5,
        escalations: 1,
      },
    ]);
  });

  it('says n/a when the flow sets neither expire nor escalate', () => {
    const plain: Policy = { ...policy, approvals: [{ ...flow, timers: undefined }] };
    const [p] = computeSlaMetrics(plain, [a.c], a.events);
    expect(p).toMatchObject({ slaMinutes: null, withinSla: null, medianMinutes: 60 });
  });

  it('falls back to the closing time without a decision.applied entry', () => {
    const [p] = computeSlaMetrics(policy, [b.c], [b.events[0]!]);
    expect(p?.medianMinutes).toBe(245);
  });

  it('has textbook median and nearest-rank percentiles', () => {
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([1, 2, 3, 10])).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9)).toBe(10);
  });

  it('starts a quarter on the first day of its first month in the calendar zone', () => {
    expect(periodStart('quarter', new Date('2026-11-25T12:00:00Z'), 'UTC').toISOString()).toBe(
      '2026-10-01T00:00:00.000Z',
    );
    expect(periodStart('quarter', new Date('2026-03-31T23:30:00Z'), 'Europe/Berlin').toISOString()).toBe(
      '2026-03-31T22:00:00.000Z',
    );
    expect(periodStart('7d', new Date('2026-11-25T12:00:00Z'), 'UTC').toISOString()).toBe('2026-11-18T12:00:00.000Z');
  });
});
