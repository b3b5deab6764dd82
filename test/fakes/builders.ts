import type { NewException } from '../../src/flows/exceptions/ports.js';
import type { ApprovalFlow } from '../../src/flows/policy.js';
import type { OdooRecord, OdooUser } from '../../src/flows/types.js';

export const PURCHASE = 'purchase.order';
export const APPROVER_GROUP = 'purchase.group_purchase_manager';
export const CHANNEL = 'C-APPROVALS';

/** The people of the test world: Odoo user, and chat user id when they have one. */
export const PEOPLE = {
  admin: { odoo: { id: 2, name: 'Mitchell Admin', email: 'admin@example.com' }, chat: 'U-ADMIN' },
  /** Approver who also buys: the requester of `aPurchaseOrder`. */
  marc: { odoo: { id: 7, name: 'Marc Demo', email: 'marc@example.com' }, chat: 'U-MARC' },
  /** Approver without a chat account. */
  bob: { odoo: { id: 9, name: 'Bob Approver', email: 'bob@example.com' }, chat: null },
  /** Internal user outside the approver group. */
  eve: { odoo: { id: 11, name: 'Eve Outsider', email: 'eve@example.com' }, chat: 'U-EVE' },
} satisfies Record<string, { odoo: Pick<OdooUser, 'id' | 'name' | 'email'>; chat: string | null }>;

export function aFlow(overrides: Partial<ApprovalFlow> = {}): ApprovalFlow {
  return {
    id: 'purchase-approval',
    model: PURCHASE,
    when: [['state', '=', 'to approve']],
    slack: { channel: CHANNEL, dmApprovers: true },
    tiers: [{ name: 'Approval', approvers: { odooGroup: [APPROVER_GROUP] }, minApprovals: 1, required: [] }],
    distinctApprovers: false,
    infoRequests: { pauseTimers: true },
    forward: { anyone: false },
    approve: { method: 'button_approve' },
    reject: { method: 'button_cancel' },
    requesterFields: ['user_id'],
    ...overrides,
  };
}

let nextReference = 42;

/** A purchase order waiting for approval, requested by Marc. */
export function aPurchaseOrder(overrides: Partial<OdooRecord> = {}): Partial<OdooRecord> {
  return {
    name: `P${String(nextReference++).padStart(5, '0')}`,
    state: 'to approve',
    partner_id: { id: 14, name: 'Azure Interior' },
    amount_total: 1250.5,
    currency_id: { id: 1, name: 'EUR' },
    user_id: { id: PEOPLE.marc.odoo.id, name: PEOPLE.marc.odoo.name },
    date_order: '2026-11-20 09:00:00',
    line_count: 1,
    ...overrides,
  };
}

/** An exception to open with `ExceptionStore.open`: a bill variance owned by Mitchell Admin, SLA due in a day. */
export function aNewException(overrides: Partial<NewException> = {}): NewException {
  const n = nextReference++;
  return {
    definitionId: 'bill-variances',
    source: 'odoo',
    key: null,
    type: 'bill-variance',
    severity: 'high',
    title: 'Vendor bill does not match its purchase order',
    odooModel: 'account.move',
    odooId: n,
    reference: `BILL/2026/${String(n).padStart(5, '0')}`,
    url: null,
    writeDate: '2026-11-25T10:00:00Z',
    facts: [{ label: 'Partner', value: 'Azure Interior' }],
    details: [],
    owners: [{ odooUserId: PEOPLE.admin.odoo.id, name: PEOPLE.admin.odoo.name, email: PEOPLE.admin.odoo.email }],
    escalated: [],
    assignee: null,
    activityId: null,
    sla: { dueAt: '2026-11-26T10:00:00.000Z', remainingMinutes: null, escalated: false, escalatedAt: null },
    snoozedUntil: null,
    resolution: null,
    ...overrides,
  };
}
