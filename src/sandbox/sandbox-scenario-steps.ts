/** The building blocks of the scripted scenarios: waiting for cards, clicking, reading Odoo and the audit log. */
import type { Case } from '../flows/types.js';
import { buttonsOf } from './sandbox-actions.js';
import { SANDBOX_CHANNELS } from './sandbox-policy.js';
import type { Sandbox } from './sandbox-start.js';
import type { FakeMessage } from './slack/fake-slack-workspace.js';

export type Step = <T>(label: string, fn: () => Promise<T> | T, describe?: (v: T) => string) => Promise<T>;
export type Scenario = (sb: Sandbox, step: Step) => Promise<void>;

/** Polls until `fn` returns something truthy; throws `what` after `ms`. */
export async function until<T>(what: string, fn: () => Promise<T> | T, ms = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const text = (m: FakeMessage) => JSON.stringify(m.blocks ?? []) + m.text;

/** The card's title (its header block): a summary may name other documents ("latest P00004"). */
export const title = (m: FakeMessage) =>
  String(
    ((m.blocks ?? []) as Array<{ type?: string; text?: { text?: string } }>).find((b) => b.type === 'header')?.text
      ?.text ?? m.text,
  );

export function card(sb: Sandbox, channel: string, name: string, action: string) {
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
export function caseOf(sb: Sandbox, model: string, id: number): Promise<Case> {
  const { store, policy } = sb.service.deps;
  const flows = policy.approvals.filter((f) => f.model === model);
  return until(`the case of ${model} #${id}`, async () => {
    const found = await Promise.all(flows.map((f) => store.findLatestCase(f.id, model, id)));
    return found.filter((c): c is Case => c !== null).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
  });
}

export const chatter = (sb: Sandbox, model: string, id: number) =>
  sb.world.odoo
    .messages(model, id)
    .map((m) => String(m.body).replace(/<[^>]+>/g, ''))
    .join(' | ');

export async function expectOk(sent: { status: number; body: string }, what: string) {
  if (sent.status >= 300) throw new Error(`${what} answered HTTP ${sent.status}: ${sent.body.slice(0, 200)}`);
  return sent;
}

/** A new order announced by Odoo's webhook, until its card is in #approvals. */
export async function openOrder(sb: Sandbox, step: Step) {
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

export async function auditVerify(sb: Sandbox, step: Step, caseId: string, expected: string[]) {
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

export async function clickAndSubmit(
  sb: Sandbox,
  step: Step,
  who: string,
  m: FakeMessage,
  action: string,
  note: string,
) {
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
