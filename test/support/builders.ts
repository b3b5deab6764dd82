/**
 * Test data builders with overrides: each returns a valid, realistic value
 * that a test changes only where it matters.
 */

import type { ApprovalFlow } from '../../src/flows/policy.js';
import type { Logger } from '../../src/flows/ports.js';
import type { Case, CaseLine, CaseSnapshot, CaseTier, CaseTimers, ChatActor, Decision } from '../../src/flows/types.js';

export function aFlow(overrides: Partial<ApprovalFlow> = {}): ApprovalFlow {
  return {
    id: 'purchase-orders',
    model: 'purchase.order',
    when: [['state', '=', 'to approve']],
    slack: { channel: 'C0APPROVALS', dmApprovers: true },
    tiers: [
      {
        name: 'Approval',
        approvers: { odooGroup: ['purchase.group_purchase_manager'] },
        minApprovals: 1,
        required: [],
      },
    ],
    distinctApprovers: false,
    infoRequests: { pauseTimers: true },
    forward: { anyone: false },
    approve: { method: 'button_approve' },
    reject: { method: 'button_cancel' },
    requesterFields: ['user_id', 'create_uid'],
    ...overrides,
  };
}

export function aLine(overrides: Partial<CaseLine> = {}): CaseLine {
  return {
    product: '[FURN_7800] Desk Combination',
    description: 'Desk Combination',
    quantity: 2,
    unitPrice: 450,
    subtotal: 900,
    ...overrides,
  };
}

/** `count` lines, numbered so each is distinguishable. */
export function someLines(count: number): CaseLine[] {
  return Array.from({ length: count }, (_, i) => aLine({ product: `Product ${i + 1}`, subtotal: 100 * (i + 1) }));
}

export function aSnapshot(overrides: Partial<CaseSnapshot> = {}): CaseSnapshot {
  const lines = overrides.lines ?? [aLine()];
  return {
    reference: 'P00042',
    partner: 'Azure Interior',
    amount: 12_000,
    currency: 'EUR',
    owner: 'Marc Demo',
    date: '2026-11-25 10:00:00',
    state: 'to approve',
    writeDate: '2026-11-25T10:00:00Z',
    lines,
    lineCount: lines.length,
    url: 'https://mycompany.odoo.com/odoo/purchase/42',
    ...overrides,
  };
}

/** The timers of a case nobody has scheduled anything for. */
export function noTimers(): CaseTimers {
  return { remindAt: null, escalateAt: null, expireAt: null, reminders: 0, escalated: false, pausedAt: null };
}

/** One tier "Approval" of `approvers`, current since `startedAt`, as a store opens it by default. */
export function aTier(overrides: Partial<CaseTier> = {}): CaseTier {
  return {
    index: 0,
    name: 'Approval',
    approvers: [{ odooUserId: 2, name: 'Mitchell Admin', email: 'admin@example.com' }],
    minApprovals: 1,
    required: [],
    approvals: [],
    escalated: [],
    startedAt: '2026-11-25T10:00:05.000Z',
    ...overrides,
  };
}

/** An open case; its one tier has the case's approvers unless `tiers` is given. */
export function aCase(overrides: Partial<Case> = {}): Case {
  const at = new Date('2026-11-25T10:00:05Z');
  const approvers = overrides.approvers ?? [{ odooUserId: 2, name: 'Mitchell Admin', email: 'admin@example.com' }];
  return {
    id: '7f9c2a10-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
    flowId: 'purchase-orders',
    odooModel: 'purchase.order',
    odooId: 42,
    status: 'open',
    snapshot: aSnapshot(),
    requesterIds: [7],
    approvers,
    tiers: [aTier({ approvers })],
    currentTier: 0,
    timers: noTimers(),
    infoRequests: [],
    decisionId: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    ...overrides,
  };
}

export function aSlackActor(overrides: Partial<ChatActor> = {}): ChatActor {
  return { platform: 'slack', userId: 'U0MANAGER', teamId: 'T0ACME', displayName: 'Mitchell', ...overrides };
}

export function aDecision(overrides: Partial<Decision> = {}): Decision {
  const at = new Date('2026-11-25T10:03:00Z');
  return {
    id: 'd-1',
    caseId: '7f9c2a10-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
    idempotencyKey: 'slack:1700000000.000100:approval.approve',
    action: 'approve',
    actor: aSlackActor(),
    reason: null,
    tier: null,
    cardWriteDate: '2026-11-25T10:00:00Z',
    status: 'applied',
    odooUserId: 2,
    odooUserName: 'Mitchell Admin',
    outcome: null,
    appliedAt: at,
    chatterPostedAt: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

/** A logger that keeps what it was told, for assertions; `child` shares the list. */
export function aRecordingLogger(): Logger & { entries: Array<{ level: string; obj: object; msg?: string }> } {
  const entries: Array<{ level: string; obj: object; msg?: string }> = [];
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      entries.push(msg === undefined ? { level, obj } : { level, obj, msg });
    };
  const log = { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => log };
  return log;
}
