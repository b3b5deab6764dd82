import { pollExceptionsNow } from './sandbox-exception-poll.js';
import { fastForward } from './sandbox-fast-forward.js';
import { SANDBOX_CHANNELS } from './sandbox-policy.js';
import {
  auditVerify,
  card,
  caseOf,
  chatter,
  clickAndSubmit,
  expectOk,
  openOrder,
  type Scenario,
  type Step,
  text,
  until,
} from './sandbox-scenario-steps.js';
import type { Sandbox } from './sandbox-start.js';

export const SCENARIOS: Record<string, Scenario> = {
  'approve-po': async (sb, step) => {
    const { id, posted } = await openOrder(sb, step);
    await step(
      'Slack: Mia clicks Approve (signed request to /slack/events)',
      async () =>
        expectOk(await sb.actions.slackClick('mia', posted.channel, posted.ts, 'approval.approve'), 'the click'),
      (s) => `HTTP ${s.status}`,
    );
    await step(
      'Odoo: the order is approved',
      () => until('state purchase', () => sb.world.odoo.record('purchase.order', id)?.state === 'purchase'),
      () => 'state = purchase',
    );
    await step(
      'Odoo: chatter names the approver',
      () =>
        until(
          'a chatter note by Mia',
          () => /Mia Manager/.test(chatter(sb, 'purchase.order', id)) && chatter(sb, 'purchase.order', id),
        ),
      (c) => String(c).slice(0, 120),
    );
    await step(
      'Slack: the card says who approved',
      () =>
        until('"Approved by" on the card', () =>
          sb.world.slack.messages(posted.channel).find((m) => m.ts === posted.ts && /Approved by/.test(text(m))),
        ),
      () => 'updated',
    );
    const c = await caseOf(sb, 'purchase.order', id);
    await auditVerify(sb, step, c.id, ['case.opened']);
  },
  'reject-with-reason': async (sb, step) => {
    const { id, posted } = await openOrder(sb, step);
    const reason = 'Vendor quote expired; ask for a new one';
    await clickAndSubmit(sb, step, 'mia', posted, 'approval.reject', reason);
    await step(
      'Odoo: the order is cancelled',
      () => until('state cancel', () => sb.world.odoo.record('purchase.order', id)?.state === 'cancel'),
      () => 'state = cancel',
    );
    await step(
      'Odoo: chatter carries the reason',
      () =>
        until(
          'the reason in the chatter',
          () => chatter(sb, 'purchase.order', id).includes(reason) && chatter(sb, 'purchase.order', id),
        ),
      (c) => String(c).slice(0, 120),
    );
    const c = await caseOf(sb, 'purchase.order', id);
    await auditVerify(sb, step, c.id, ['case.opened']);
  },
  'exception-resolve': async (sb, step) => {
    const bill = await step('Odoo: a vendor bill arrives with a price and quantity variance', () =>
      sb.world.newVarianceBill(),
    );
    const name = String(sb.world.odoo.record('account.move', bill)!.name);
    await step('Service: the exception poller runs', () => pollExceptionsNow(sb.service.deps));
    const posted = await step(
      'Slack: exception card posted in #billing-exceptions',
      () => card(sb, SANDBOX_CHANNELS.exceptions, name, 'exception.resolve'),
      (m) => `ts ${m.ts}`,
    );
    const item = await until('the exception', () =>
      sb.service.deps.exceptions!.findActive('bill-variances', 'account.move', bill),
    );
    await clickAndSubmit(
      sb,
      step,
      'ann',
      posted,
      'exception.resolve',
      'Vendor raised the price; accepted with purchasing',
    );
    await step(
      'Odoo: the bill is released to pay',
      () =>
        until(
          'release_to_pay_manual = yes',
          () => sb.world.odoo.record('account.move', bill)?.release_to_pay_manual === 'yes',
        ),
      () => 'release_to_pay_manual = yes',
    );
    await step(
      'Odoo: chatter says who resolved it',
      () =>
        until(
          '"resolved by Ann"',
          () =>
            /resolved by Ann Accountant/.test(chatter(sb, 'account.move', bill)) && chatter(sb, 'account.move', bill),
        ),
      (c) => String(c).slice(0, 120),
    );
    await auditVerify(sb, step, item.id, ['exception.opened', 'exception.resolved']);
  },
  'overdue-invoice': async (sb, step) => {
    const invoice = await step('Odoo: a customer invoice is still unpaid 45 days after its due date', () =>
      sb.world.newOverdueInvoice(),
    );
    await assignAndResolve(sb, step, {
      definition: 'overdue-invoices',
      record: { model: 'account.move', id: invoice },
      title: String(sb.world.odoo.record('account.move', invoice)!.name),
      chatter: { model: 'account.move', id: invoice, label: 'the invoice' },
      note: 'Customer promised payment by Friday; reminder sent',
    });
  },
  'failed-payment': async (sb, step) => {
    const tx = await step('Odoo: a card payment for a customer invoice fails at the provider', () =>
      sb.world.newFailedPayment(),
    );
    const payment = sb.world.odoo.record('payment.transaction', tx)!;
    await assignAndResolve(sb, step, {
      definition: 'failed-payments',
      record: { model: 'payment.transaction', id: tx },
      title: String(payment.reference),
      // A payment transaction has no chatter in Odoo: the to-do and the note go on its invoice, naming it.
      chatter: {
        model: 'account.move',
        id: (payment.invoice_ids as number[])[0]!,
        label: 'the invoice (a payment transaction has no chatter)',
        mentions: `payment.transaction #${tx}`,
      },
      note: 'Customer paid by bank transfer instead',
    });
  },
  'escalation-with-fast-forward': async (sb, step) => {
    const { id } = await openOrder(sb, step);
    const c = await caseOf(sb, 'purchase.order', id);
    await step(
      'Clock: fast-forward 4 hours (reminder due)',
      () => fastForward(sb.service.deps, sb.clock, 4 * 3_600_000),
      (r) => `now ${r.now.toISOString()}, ${r.requeued} timer(s) re-queued`,
    );
    await step(
      'Service: the reminder fired',
      () => until('a reminder', async () => ((await sb.service.deps.store.getCase(c.id))?.timers.reminders ?? 0) >= 1),
      () => 'reminders ≥ 1',
    );
    await step(
      'Clock: fast-forward 20 hours more (escalation due after 1 day)',
      () => fastForward(sb.service.deps, sb.clock, 20 * 3_600_000),
      (r) => `now ${r.now.toISOString()}, ${r.requeued} timer(s) re-queued`,
    );
    await step(
      'Service: the case escalated to Carla (CFO)',
      () => until('escalation', async () => (await sb.service.deps.store.getCase(c.id))?.timers.escalated === true),
      () => 'escalated',
    );
    await step(
      'Slack: Carla is told in her DM',
      () =>
        until('a DM to Carla', () => {
          const dm = sb.world.slack.dmChannelOf(sb.world.person('carla').slackId);
          return (
            dm &&
            sb.world.slack
              .messages(dm)
              .some((m) => text(m).includes(String(sb.world.odoo.record('purchase.order', id)!.name)))
          );
        }),
      () => 'yes',
    );
    await auditVerify(sb, step, c.id, ['case.opened']);
  },
};

/** Runs one scenario, printing a timeline; 0 when every step passed, 1 with the failing step named. */
export async function runScenario(sb: Sandbox, name: string, print: (line: string) => void): Promise<number> {
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(`no scenario "${name}"; known: ${Object.keys(SCENARIOS).join(', ')}`);
  const t0 = Date.now();
  const stamp = () => `+${String(((Date.now() - t0) / 1000).toFixed(2)).padStart(6)}s`;
  print(`Scenario ${name} (service at ${sb.baseUrl})`);
  const step: Step = async (label, fn, describe) => {
    try {
      const v = await fn();
      print(`${stamp()}  ✓ ${label}${describe ? ` — ${describe(v)}` : ''}`);
      return v;
    } catch (err) {
      print(`${stamp()}  ✗ ${label} — ${err instanceof Error ? err.message : String(err)}`);
      throw new ScenarioFailed(label);
    }
  };
  try {
    await scenario(sb, step);
  } catch (err) {
    if (!(err instanceof ScenarioFailed)) print(`${stamp()}  ✗ ${err instanceof Error ? err.message : String(err)}`);
    print(`FAILED: ${name}${err instanceof ScenarioFailed ? ` at "${err.message}"` : ''}`);
    return 1;
  }
  print(`PASSED: ${name}`);
  return 0;
}

class ScenarioFailed extends Error {}

/**
 * An Odoo-sourced exception from the poller to resolved: its card is posted,
 * Ann assigns it (a to-do for her in Odoo), resolves it with a note (in the
 * chatter, naming her), and the audit chain holds.
 */
async function assignAndResolve(
  sb: Sandbox,
  step: Step,
  o: {
    definition: string;
    record: { model: string; id: number };
    title: string;
    chatter: { model: string; id: number; label: string; mentions?: string };
    note: string;
  },
): Promise<void> {
  await step('Service: the exception poller runs', () => pollExceptionsNow(sb.service.deps));
  const posted = await step(
    'Slack: exception card posted in #billing-exceptions',
    () => card(sb, SANDBOX_CHANNELS.exceptions, o.title, 'exception.assign'),
    (m) => `ts ${m.ts}`,
  );
  const item = await until('the exception', () =>
    sb.service.deps.exceptions!.findActive(o.definition, o.record.model, o.record.id),
  );
  await step(
    'Slack: Ann clicks Assign to me (signed request to /slack/events)',
    async () =>
      expectOk(await sb.actions.slackClick('ann', posted.channel, posted.ts, 'exception.assign'), 'the click'),
    (s) => `HTTP ${s.status}`,
  );
  const ann = sb.world.person('ann').odooId;
  await step(
    `Odoo: a to-do for Ann on ${o.chatter.label}`,
    () =>
      until('an activity for Ann', () =>
        sb.world.odoo.activities(o.chatter.model, o.chatter.id).find((a) => a.user_id === ann),
      ),
    (a) => String(a.summary),
  );
  await step(
    'Slack: the card says Ann took it',
    () =>
      until('"Assigned to Ann" on the card', () =>
        sb.world.slack
          .messages(posted.channel)
          .find((m) => m.ts === posted.ts && /Assigned to Ann Accountant/.test(text(m))),
      ),
    () => 'updated',
  );
  await clickAndSubmit(sb, step, 'ann', posted, 'exception.resolve', o.note);
  await step(
    `Odoo: the note is in the chatter of ${o.chatter.label}`,
    () =>
      until('the note, "resolved by Ann"', () =>
        sb.world.odoo
          .messages(o.chatter.model, o.chatter.id)
          .map((m) => String(m.body).replace(/<[^>]+>/g, ' '))
          .find(
            (body) =>
              body.includes(o.note) &&
              /resolved by Ann Accountant/.test(body) &&
              (!o.chatter.mentions || body.includes(o.chatter.mentions)),
          ),
      ),
    (body) => body.replace(/\s+/g, ' ').trim().slice(0, 120),
  );
  await auditVerify(sb, step, item.id, ['exception.opened', 'exception.assigned', 'exception.resolved']);
}
