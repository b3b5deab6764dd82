import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOdooServer } from '../../src/sandbox/odoo/fake-odoo-server.js';
import { FakeSlackApi } from '../../src/sandbox/slack/fake-slack-api.js';
import { blockActionsPayload, viewSubmissionPayload } from '../../src/sandbox/slack/payloads.js';
import {
  blockActionsBody,
  signedSlackHeaders,
  viewSubmissionBody,
} from '../../src/sandbox/slack/sign-slack-request.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const WEBHOOK_TOKEN = 'whtok_0123456789abcdef0123456789';
export const CHANNEL = 'C0APPROVALS';

/** The policy example from the README, exactly. */
export const POLICY_YAML = `approvals:
  - id: purchase-orders
    model: purchase.order
    when: [["state", "=", "to approve"]]      # an Odoo domain
    slack: { channel: C0APPROVALS }
    approvers: { odooGroup: purchase.group_purchase_manager }
    approve: { method: button_approve }
    reject: { method: button_cancel }
`;

/** The service's environment pointing at the fakes, with its data and policy in `dir`. */
export function serviceEnv(odooUrl: string, slackApiUrl: string, dir: string): Record<string, string> {
  return {
    PORT: '0',
    PUBLIC_URL: 'http://127.0.0.1',
    ODOO_URL: odooUrl,
    ODOO_DB: 'acme',
    ODOO_USERNAME: 'chatops-bot',
    ODOO_API_KEY: 'bot-api-key',
    ODOO_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slackApiUrl,
    DATA_DIR: join(dir, 'data'),
    POLICY_FILE: join(dir, 'policy.yaml'),
    LOG_LEVEL: 'warn',
    POLL_INTERVAL_SECONDS: '3600',
  };
}

export interface PurchaseScenario {
  odoo: FakeOdooServer;
  slack: FakeSlackApi;
  dir: string;
  users: { manager: number; manager2: number; buyer: number; bot: number };
  slackUsers: { manager: string; manager2: string; buyer: string; stranger: string };
  vendor: number;
  product: number;
  env: Record<string, string>;
  newOrder(overrides?: { userId?: number; lines?: number }): number;
  stop(): Promise<void>;
}

export interface ScenarioOptions {
  version?: 16 | 17 | 18 | 19;
  extraEnv?: Record<string, string>;
  /** Groups of the bot's own Odoo user; default purchase manager, so it may approve. */
  botGroups?: string[];
}

/** A small purchasing department in a fake Odoo and a fake Slack workspace. */
export async function startPurchaseScenario(options: ScenarioOptions = {}): Promise<PurchaseScenario> {
  const odoo = await FakeOdooServer.start({ version: options.version ?? 17, db: 'acme' });
  const slack = await FakeSlackApi.start({ token: 'xoxb-test-token' });
  const bot = odoo.addUser({
    login: 'chatops-bot',
    name: 'Chatops Bot',
    email: 'bot@acme.test',
    groups: options.botGroups ?? ['purchase.group_purchase_manager'],
    apiKey: 'bot-api-key',
  });
  const manager = odoo.addUser({
    login: 'mia',
    name: 'Mia Manager',
    email: 'mia@acme.test',
    groups: ['purchase.group_purchase_manager'],
  });
  const manager2 = odoo.addUser({
    login: 'max',
    name: 'Max Manager',
    email: 'max@acme.test',
    groups: ['purchase.group_purchase_manager'],
  });
  const buyer = odoo.addUser({
    login: 'bob',
    name: 'Bob Buyer',
    email: 'bob@acme.test',
    groups: ['purchase.group_purchase_user'],
  });
  const vendor = odoo.addPartner('Azure Interior');
  const product = odoo.addProduct('Office Chair');
  slack.addChannel({ id: CHANNEL, name: 'approvals' });
  const slackUsers = {
    manager: slack.addUser({ name: 'mia', email: 'mia@acme.test' }),
    manager2: slack.addUser({ name: 'max', email: 'max@acme.test' }),
    buyer: slack.addUser({ name: 'bob', email: 'bob@acme.test' }),
    stranger: slack.addUser({ name: 'sam', email: 'sam@elsewhere.test' }),
  };
  const dir = await mkdtemp(join(tmpdir(), 'chatops-'));
  await writeFile(join(dir, 'policy.yaml'), POLICY_YAML);
  const env: Record<string, string> = { ...serviceEnv(odoo.url, slack.apiUrl, dir), ...options.extraEnv };
  return {
    odoo,
    slack,
    dir,
    users: { manager, manager2, buyer, bot },
    slackUsers,
    vendor,
    product,
    env,
    newOrder(o = {}) {
      const lines = Array.from({ length: o.lines ?? 2 }, (_, i) => ({
        productId: product,
        qty: 2 + i,
        priceUnit: 150 + i,
      }));
      return odoo.addPurchaseOrder({ partnerId: vendor, userId: o.userId ?? buyer, lines, state: 'to approve' });
    },
    async stop() {
      await odoo.stop();
      await slack.stop();
    },
  };
}

/** The body Odoo 17's "Send Webhook Notification" posts for a purchase order. */
export function odooWebhookBody(s: PurchaseScenario, id: number): string {
  const rec = s.odoo.record('purchase.order', id)!;
  const body = {
    _action: 'Notify chatops(#12)',
    _id: id,
    _model: 'purchase.order',
    id,
    name: rec.name,
    state: rec.state,
    write_date: rec.write_date,
  };
  return JSON.stringify(body, Object.keys(body).sort());
}

export async function postWebhook(
  baseUrl: string,
  s: PurchaseScenario,
  id: number,
  token = WEBHOOK_TOKEN,
): Promise<Response> {
  return fetch(`${baseUrl}/odoo/webhook/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: odooWebhookBody(s, id),
  });
}

/** Slack's request for a click on a card's button, signed as Slack signs it. */
export async function clickButton(
  baseUrl: string,
  s: PurchaseScenario,
  opts: {
    userId: string;
    actionId: string;
    value: string;
    channelId: string;
    messageTs: string;
    actionTs?: string;
    timestamp?: number;
    secret?: string;
  },
): Promise<Response> {
  const payload = blockActionsPayload({
    userId: opts.userId,
    actionId: opts.actionId,
    value: opts.value,
    channelId: opts.channelId,
    messageTs: opts.messageTs,
    triggerId: s.slack.issueTriggerId(opts.userId),
    responseUrl: s.slack.responseUrl(undefined, {
      channelId: opts.channelId,
      messageTs: opts.messageTs,
      userId: opts.userId,
    }),
  });
  if (opts.actionTs) (payload.actions as Array<Record<string, unknown>>)[0]!.action_ts = opts.actionTs;
  const req = blockActionsBody(payload);
  return fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: signedSlackHeaders(opts.secret ?? SIGNING_SECRET, req, opts.timestamp),
    body: req.body,
  });
}

export async function submitRejectModal(
  baseUrl: string,
  opts: { userId: string; privateMetadata: string; reason: string; viewId?: string },
): Promise<Response> {
  const payload = viewSubmissionPayload({
    userId: opts.userId,
    callbackId: 'approval.reject_modal',
    privateMetadata: opts.privateMetadata,
    values: { reason: { reason_input: { type: 'plain_text_input', value: opts.reason } } },
    ...(opts.viewId ? { viewId: opts.viewId } : {}),
  });
  const req = viewSubmissionBody(payload);
  return fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: signedSlackHeaders(SIGNING_SECRET, req),
    body: req.body,
  });
}

/** Polls until `fn` returns a truthy value (or throws the last error after `timeoutMs`). */
export async function eventually<T>(
  fn: () => T | Promise<T>,
  timeoutMs = 15_000,
  stepMs = 50,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
      last = new Error('condition still false');
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw last instanceof Error ? last : new Error(String(last));
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** The buttons of a posted Block Kit card, by action id. */
export function buttonsOf(message: { blocks?: unknown }): Record<string, { value?: string; url?: string }> {
  const out: Record<string, { value?: string; url?: string }> = {};
  for (const block of (message.blocks as Array<Record<string, unknown>> | undefined) ?? []) {
    if (block.type !== 'actions') continue;
    for (const el of block.elements as Array<Record<string, unknown>>)
      out[String(el.action_id)] = el as { value?: string; url?: string };
  }
  return out;
}

export function cardText(message: { blocks?: unknown; text?: string }): string {
  return JSON.stringify(message.blocks ?? []) + (message.text ?? '');
}

/** The record's chatter as one text, once it matches `until` (notes are posted just after the state changes). */
export async function chatterOf(
  s: { odoo: FakeOdooServer },
  model: string,
  id: number,
  until: RegExp,
): Promise<string> {
  return eventually(() => {
    const text = s.odoo
      .messages(model, id)
      .map((m) => String(m.body))
      .join('\n');
    return until.test(text) ? text : null;
  });
}

/**
 * Whether the message is the card of document `name`: its title (the header
 * block) names it. A card's summary may name other documents ("latest P00003").
 */
export function isCardOf(message: { blocks?: unknown; text?: string }, name: string): boolean {
  const header = ((message.blocks ?? []) as Array<{ type?: string; text?: { text?: string } }>).find(
    (b) => b.type === 'header',
  );
  const title = header?.text?.text ?? message.text ?? '';
  const at = title.indexOf(name);
  return at >= 0 && !/[A-Za-z0-9]/.test(title.charAt(at + name.length));
}

/** The channel card of document `name`: a top-level message (thread replies under cards may name it too). */
export function channelCard(s: { slack: FakeSlackApi }, channel: string, name: string) {
  return eventually(() => s.slack.messages(channel).find((m) => !m.threadTs && isCardOf(m, name)));
}
