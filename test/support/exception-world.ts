import { actOnException } from '../../src/flows/exceptions/act-on-exception.js';
import { type ExceptionDeps, exceptionDeps } from '../../src/flows/exceptions/exception-support.js';
import { ingestException } from '../../src/flows/exceptions/ingest-exception.js';
import type { ExceptionActJob } from '../../src/flows/exceptions/jobs.js';
import type { ExceptionItem } from '../../src/flows/exceptions/types.js';
import { buildDeps, type TestWorld } from '../fakes/build-deps.js';
import { PEOPLE } from '../fakes/builders.js';
import { InMemoryExceptionStore } from '../fakes/in-memory-exception-store.js';

export const EXCEPTIONS_CHANNEL = 'C0EXCEPTIONS';
export const ACCOUNTING_GROUP = 'account.group_account_manager';

/** A purchase approval flow (as the policy needs one) and three exception definitions. */
export const EXCEPTION_POLICY_YAML = `approvals:
  - id: purchase-orders
    model: purchase.order
    when: [["state", "=", "to approve"]]
    slack: { channel: C0APPROVALS }
    approvers: { odooGroup: purchase.group_purchase_manager }
    approve: { method: button_approve }
    reject: { method: button_cancel }
exceptions:
  - id: bill-variances
    type: bill-variance
    owner: { odooGroup: ${ACCOUNTING_GROUP} }
    slack: { channel: ${EXCEPTIONS_CHANNEL} }
    sla: 8h
    severity: high
    resolve: { write: { release_to_pay_manual: "yes" } }
    escalate: { to: { users: [eve@example.com] } }
  - id: usage-sync
    external: { type: usage-sync-failed }
    owner: { users: [admin@example.com] }
    slack: { channel: ${EXCEPTIONS_CHANNEL} }
    sla: 4h
    severity: medium
`;

export interface ExceptionWorld extends TestWorld {
  ex: ExceptionDeps;
  exceptions: InMemoryExceptionStore;
  /** A vendor bill in release_to_pay = exception: 10 ordered at 150, 8 received, 10 billed at 155. */
  addVarianceBill(): number;
  ingestBill(id: number): Promise<ExceptionItem | null>;
  act(job: Omit<ExceptionActJob, 'actor' | 'context'> & { userId: string }): ReturnType<typeof actOnException>;
}

/** In-memory deps with exceptions: admin and marc own bill variances (accounting managers), eve is the escalation target. */
export function buildExceptionWorld(): ExceptionWorld {
  const world = buildDeps({ policyYaml: EXCEPTION_POLICY_YAML });
  const exceptions = new InMemoryExceptionStore(world.clock);
  world.deps.exceptions = exceptions;
  world.chat.channels = (id) =>
    world.deps.policy.exceptions?.find((e) => e.id === id)?.slack?.channel ??
    world.deps.policy.approvals.find((f) => f.id === id)?.slack?.channel ??
    null;
  world.odoo.setGroup(ACCOUNTING_GROUP, [PEOPLE.admin.odoo.id, PEOPLE.marc.odoo.id]);
  world.odoo.onMethod('account.move', 'write', (r, kw) => {
    Object.assign(r, (kw as { vals: Record<string, never> }).vals);
  });
  world.odoo.onMethod('mail.activity', 'write', (r, kw) => {
    Object.assign(r, (kw as { vals: Record<string, never> }).vals);
  });
  world.odoo.onMethod('mail.activity', 'action_feedback', (r) => {
    r.done = true;
  });
  const ex = exceptionDeps(world.deps);
  return {
    ...world,
    ex,
    exceptions,
    addVarianceBill() {
      const poLine = world.odoo.put('purchase.order.line', {
        order_id: { id: 5, name: 'P00005' },
        product_qty: 10,
        qty_received: 8,
        price_unit: 150,
      });
      const bill = world.odoo.put('account.move', {
        name: 'BILL/2026/0007',
        move_type: 'in_invoice',
        state: 'draft',
        release_to_pay: 'exception',
        partner_id: { id: 14, name: 'Azure Interior' },
        amount_total: 1550,
        currency_id: { id: 1, name: 'EUR' },
      });
      world.odoo.put('account.move.line', {
        move_id: bill,
        product_id: { id: 3, name: 'Office Chair' },
        quantity: 10,
        price_unit: 155,
        purchase_line_id: { id: poLine, name: 'P00005: Office Chair' },
      });
      return bill;
    },
    async ingestBill(id) {
      await ingestException(ex, {
        definitionId: 'bill-variances',
        model: 'account.move',
        id,
        writeDate: null,
        source: 'poll',
      });
      return exceptions.findActive('bill-variances', 'account.move', id);
    },
    act({ userId, ...job }) {
      return actOnException(ex, { ...job, actor: world.actor(userId), context: { channelId: EXCEPTIONS_CHANNEL } });
    },
  };
}
