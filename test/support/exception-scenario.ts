import { signEvent } from '../../src/http/events-endpoint.js';
import { viewSubmissionPayload } from '../../src/sandbox/slack/payloads.js';
import { signedSlackHeaders, viewSubmissionBody } from '../../src/sandbox/slack/sign-slack-request.js';
import { POLICY_YAML, type PurchaseScenario, SIGNING_SECRET, startPurchaseScenario } from './purchase-scenario.js';

export const EXCEPTIONS_CHANNEL = 'C0EXCEPTIONS';
export const EVENTS_SECRET = 'events-secret-0123456789abcdef0123456789';
/** The secret before a rotation, still accepted (EVENTS_HMAC_SECRET_PREVIOUS). */
export const EVENTS_PREVIOUS_SECRET = 'events-previous-secret-0123456789abcdef';

/** The README purchase flow plus a bill-variance and an external exception, owned by the accountants. */
export const EXCEPTION_SCENARIO_POLICY = `${POLICY_YAML}exceptions:
  - id: bill-variances
    type: bill-variance
    owner: { odooGroup: account.group_account_manager }
    slack: { channel: ${EXCEPTIONS_CHANNEL} }
    sla: 8h
    severity: high
    resolve: { write: { release_to_pay_manual: "yes" } }
    escalate: { to: { users: [mia@acme.test] } }
  - id: usage-sync
    external: { type: usage-sync-failed }
    owner: { odooGroup: account.group_account_manager }
    slack: { channel: ${EXCEPTIONS_CHANNEL} }
    sla: 4h
`;

export interface ExceptionScenario extends PurchaseScenario {
  accountant: { odoo: number; slack: string };
  /** A posted bill for a confirmed order: 5 ordered at 150, 3 received, 5 billed at 160; release_to_pay = exception. */
  newVarianceBill(): { bill: number; order: number };
}

/** The purchase scenario plus an accountant (Odoo and Slack), the exceptions channel and /events enabled. */
export async function startExceptionScenario(): Promise<ExceptionScenario> {
  const s = await startPurchaseScenario({
    extraEnv: { EVENTS_HMAC_SECRET: EVENTS_SECRET, EVENTS_HMAC_SECRET_PREVIOUS: EVENTS_PREVIOUS_SECRET },
  });
  const odooId = s.odoo.addUser({
    login: 'ann',
    name: 'Ann Accountant',
    email: 'ann@acme.test',
    groups: ['account.group_account_manager'],
  });
  const slackId = s.slack.addUser({ name: 'ann', email: 'ann@acme.test' });
  s.slack.addChannel({ id: EXCEPTIONS_CHANNEL, name: 'billing-exceptions' });
  return {
    ...s,
    accountant: { odoo: odooId, slack: slackId },
    newVarianceBill() {
      const order = s.odoo.addPurchaseOrder({
        partnerId: s.vendor,
        userId: s.users.buyer,
        lines: [{ productId: s.product, qty: 5, priceUnit: 150 }],
        state: 'purchase',
      });
      const line = s.odoo.record('purchase.order', order)!.order_line as number[];
      s.odoo.write('purchase.order.line', line[0]!, { qty_received: 3 });
      const bill = s.odoo.addVendorBill({
        partnerId: s.vendor,
        purchaseOrderId: order,
        releaseToPay: 'exception',
        state: 'posted',
        lines: [{ qty: 5, priceUnit: 160 }],
      });
      return { bill, order };
    },
  };
}

/** A signed `POST /events` as a billing engine sends it. */
export function postEvent(baseUrl: string, event: object, options: { secret?: string; at?: number } = {}) {
  const body = JSON.stringify(event);
  const at = options.at ?? Math.floor(Date.now() / 1000);
  return fetch(`${baseUrl}/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-timestamp': String(at),
      'x-signature': signEvent(options.secret ?? EVENTS_SECRET, at, body),
    },
    body,
  });
}

/** Submits the Resolve form Slack opened for a card, signed as Slack signs it. */
export function submitResolveModal(baseUrl: string, opts: { userId: string; privateMetadata: string; note: string }) {
  const payload = viewSubmissionPayload({
    userId: opts.userId,
    callbackId: 'exception.resolve_modal',
    privateMetadata: opts.privateMetadata,
    values: { note: { note_input: { type: 'plain_text_input', value: opts.note } } },
    viewId: `V${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
  });
  const req = viewSubmissionBody(payload);
  return fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: signedSlackHeaders(SIGNING_SECRET, req),
    body: req.body,
  });
}
