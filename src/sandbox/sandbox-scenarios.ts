import { EXCEPTION_JOBS, EXCEPTION_QUEUES } from '../flows/exceptions/jobs.js';
import type { Case } from '../flows/types.js';
import { buttonsOf } from './sandbox-actions.js';
import { fastForward } from './sandbox-fast-forward.js';
import { SANDBOX_CHANNELS } from './sandbox-policy.js';
import type { Sandbox } from './sandbox-start.js';
import type { FakeMessage } from './slack/fake-slack-workspace.js';

type Step = <T>(label: string, fn: () => Promise<T> | T, describe?: (v: T) => string) => Promise<T>;
type Scenario = (sb: Sandbox, step: Step) => Promise<void>;

/** Polls until `fn` returns something truthy; throws `what` after `ms`. */
async function until<T>(what: string, fn: () => Promise<T> | T, ms = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const text = (m: FakeMessage) => JSON.stringify(m.blocks ?? []) + m.text;

/** The card's title (its header block): a summary may name other documents ("latest P00004"). */
const title = (m: FakeMessage) =>
  String(
    ((m.blocks ?? []) as Array<{ type?: string; text?: { text?: string } }>).find((b) => b.type === 'header')?.text
      ?.text ?? m.text,
  );

function card(sb: Sandbox, channel: string, name: string, action: string) {
  return until(`the card of ${name} in ${channel}`, () =>
    sb.world.slack
      .messages(channel)
      .find(
        (m) =>
          !m.deleted &&
          new RegExp(`(^|\\W)${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|\\W)`).test(title(m)) &&
          buttonsOf(m.blocks)[action],
      ),
  );
}

/** The record's case, looked up directly for each approval flow on its model (the newest, if several). */
function caseOf(sb: Sandbox, model: string, id: number): Promise<Case> {
  const { store, policy } = sb.service.deps;
  const flows = policy.approvals.filter((f) => f.model === model);
  return until(`the case of ${model} #${id}`, async () => {
    const found = await Promise.all(flows.map((f) => store.findLatestCase(f.id, model, id)));
    return found.filter((c): c is Case => c !== null).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  });
}

const chatter = (sb: Sandbox, model: string, id: number) =>
  sb.world.odoo
    .messages(model, id)
    .map((m) => String(m.body).replace(/<[^>]+>/g, ''))
    .join(' | ');

async function expectOk(sent: { status: number; body: string }, what: string) {
  if (sent.status >= 300) throw new Error(`${what} answered HTTP ${sent.status}: ${sent.body.slice(0, 200)}`);
  return sent;
}

/** A new order announced by Odoo's webhook, until its card is in #approvals. */
async function openOrder(sb: Sandbox, step: Step) {
  const id = await step('Odoo: a buyer submits a purchase order', () => sb.world.newPurchaseOrder());
  const name = String(sb.world.odoo.record('purchase.order', id)!.name);
  await step(
    `Odoo webhook for ${name} → POST /odoo/webhook/<token>`,
    async () => expectOk(await sb.actions.webhook('purchase.order', id), 'the webhook'),
    (s) => `HTTP ${s.status}`,
  );
  const posted = await step(
    'Slack: card posted in #approvals',
    () => card(sb, SANDBOX_CHANNELS.approvals, name, 'approval.approve'),
    (m) => `ts ${m.ts}`,
  );
  return { id, name, posted };
}

async function auditVerify(sb: Sandbox, step: Step, caseId: string, expected: string[]) {
  await step(
    'Audit log: entries for the case',
    async () => {
      const types: string[] = [];
      for await (const e of sb.service.deps.audit.entries({ caseId })) types.push(e.type);
      const missing = expected.filter((t) => !types.includes(t));
      if (missing.length) throw new Error(`missing ${missing.join(', ')} (found ${types.join(', ') || 'nothing'})`);
      return types;
    },
    (t) => t.join(', '),
  );
  await step(
    'Audit log: hash chain verified',
    async () => {
      const r = await sb.service.deps.audit.verify();
      if (!r.ok) throw new Error(`broken at entry ${r.brokenAt}: ${r.reason}`);
      return r;
    },
    (r) => `${r.count} entries intact`,
  );
}

async function clickAndSubmit(sb: Sandbox, step: Step, who: string, m: FakeMessage, action: string, note: string) {
  const before = new Set(sb.world.slack.views().map((v) => v.id));
  await step(
    `Slack: ${who} clicks ${action} (signed request to /slack/events)`,
    async () => expectOk(await sb.actions.slackClick(who, m.channel, m.ts, action), 'the click'),
    (s) => `HTTP ${s.status}`,
  );
  const view = await step(
    'Slack: the bot opens a form',
    () => until('the modal', () => sb.world.slack.views().find((v) => !before.has(v.id))),
    (v) => String((v.view.title as { text?: string })?.text ?? v.id),
  );
  await step(
    `Slack: ${who} submits "${note}"`,
    async () => expectOk(await sb.actions.slackSubmit(who, view.id, note), 'the form'),
    (s) => `HTTP ${s.status}`,
  );
}

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
    await step('Service: the exception poller runs', () =>
      Promise.all(
        (sb.service.deps.policy.exceptions ?? [])
          .filter((e) => e.odoo)
          .map((e) =>
            sb.service.deps.queue.enqueue(EXCEPTION_QUEUES.work, EXCEPTION_JOBS.poll, { definitionId: e.id }),
          ),
      ),
    );
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
