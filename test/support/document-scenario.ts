import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv } from '../../src/config/env.js';
import { parsePolicyFile } from '../../src/config/policy.js';
import { createLogger } from '../../src/logger.js';
import { type Service, startService } from '../../src/main.js';
import { FakeOdooServer } from '../../src/sandbox/odoo/fake-odoo-server.js';
import { FakeSlackApi } from '../../src/sandbox/slack/fake-slack-api.js';
import { CredentialVault } from '../../src/store/credential-vault.js';
import { PgCredentialStore } from '../../src/store/pg-credential-store.js';
import type { PgStore } from '../../src/store/pg-store.js';
import {
  buttonsOf,
  CHANNEL,
  cardText,
  clickButton,
  eventually,
  type PurchaseScenario,
  serviceEnv,
  submitRejectModal,
  WEBHOOK_TOKEN,
} from './purchase-scenario.js';

export type OdooMajor = 16 | 17 | 18 | 19;

/** Groups that let one Odoo user act on every document type of the fake. */
const ALL_APPROVER_GROUPS = [
  'purchase.group_purchase_manager',
  'account.group_account_manager',
  'hr.group_hr_user',
  'hr_expense.group_hr_expense_manager',
  'sales_team.group_sale_manager',
  'approvals.group_approval_manager',
];

export interface DocumentScenario {
  odoo: FakeOdooServer;
  slack: FakeSlackApi;
  service: Service;
  baseUrl: string;
  users: { bot: number; mia: number; max: number; bob: number };
  slackUsers: { mia: string; max: string; bob: string };
  /** Bob's hr.employee (his manager is Mia's employee). */
  employees: { bob: number; mia: number };
  vendor: number;
  product: number;
  /** The key `CREDENTIALS_KEY` seals with; the same store `/odoo link` writes to. */
  credentials: PgCredentialStore;
  stop(): Promise<void>;
}

/**
 * A company with a fake Odoo of one version and a fake Slack, running the
 * service in this process with `policyYaml` (flows may use `type:` presets).
 * Mia and Max approve everything; Bob requests.
 */
export async function startDocumentScenario(version: OdooMajor, policyYaml: string): Promise<DocumentScenario> {
  const odoo = await FakeOdooServer.start({ version, db: 'acme' });
  const slack = await FakeSlackApi.start({ token: 'xoxb-test-token' });
  const bot = odoo.addUser({
    login: 'chatops-bot',
    name: 'Chatops Bot',
    email: 'bot@acme.test',
    groups: ALL_APPROVER_GROUPS,
    apiKey: 'bot-api-key',
  });
  const mia = odoo.addUser({
    login: 'mia',
    name: 'Mia Manager',
    email: 'mia@acme.test',
    groups: ALL_APPROVER_GROUPS,
    apiKey: 'mia-own-key',
  });
  const max = odoo.addUser({ login: 'max', name: 'Max Manager', email: 'max@acme.test', groups: ALL_APPROVER_GROUPS });
  const bob = odoo.addUser({
    login: 'bob',
    name: 'Bob Requester',
    email: 'bob@acme.test',
    groups: ['purchase.group_purchase_user', 'sales_team.group_sale_salesman', 'approvals.group_approval_user'],
  });
  const miaEmployee = odoo.addEmployee({ name: 'Mia Manager', userId: mia });
  const bobEmployee = odoo.addEmployee({ name: 'Bob Requester', userId: bob, parentId: miaEmployee });
  const vendor = odoo.addPartner('Azure Interior');
  const product = odoo.addProduct('Office Chair');
  slack.addChannel({ id: CHANNEL, name: 'approvals' });
  const slackUsers = {
    mia: slack.addUser({ name: 'mia', email: 'mia@acme.test' }),
    max: slack.addUser({ name: 'max', email: 'max@acme.test' }),
    bob: slack.addUser({ name: 'bob', email: 'bob@acme.test' }),
  };
  const dir = await mkdtemp(join(tmpdir(), 'chatops-docs-'));
  const credentialsKey = randomBytes(32).toString('base64');
  const env = loadEnv({ ...serviceEnv(odoo.url, slack.apiUrl, dir), CREDENTIALS_KEY: credentialsKey });
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const service = await startService(env, parsePolicyFile(policyYaml, 'test-policy.yaml'), { role: 'all', log });
  const store = service.deps.store as PgStore;
  const credentials = new PgCredentialStore(store.pool, CredentialVault.fromEnv(credentialsKey), {
    schema: store.schema,
  });
  return {
    odoo,
    slack,
    service,
    baseUrl: `http://127.0.0.1:${service.port}`,
    users: { bot, mia, max, bob },
    slackUsers,
    employees: { bob: bobEmployee, mia: miaEmployee },
    vendor,
    product,
    credentials,
    async stop() {
      await service.close();
      await odoo.stop();
      await slack.stop();
    },
  };
}

/** Odoo 17's webhook body for any record (sorted keys, `_action/_id/_model/id`). */
export async function announce(s: DocumentScenario, model: string, id: number): Promise<number> {
  const rec = s.odoo.record(model, id)!;
  const body = { _action: 'Notify chatops(#12)', _id: id, _model: model, id, write_date: rec.write_date };
  const res = await fetch(`${s.baseUrl}/odoo/webhook/${WEBHOOK_TOKEN}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body, Object.keys(body).sort()),
  });
  return res.status;
}

/** Waits for the channel card of a record and its case. */
export async function cardFor(s: DocumentScenario, model: string, id: number) {
  const c = await eventually(() =>
    s.service.deps.store
      .listCases({ limit: 1000 })
      .then((cs) => cs.find((x) => x.odooModel === model && x.odooId === id)),
  );
  const card = await eventually(() =>
    s.slack
      .messages(CHANNEL)
      .find((m) => cardText(m).includes(c.snapshot.reference) && buttonsOf(m)['approval.approve']),
  );
  return { caseId: c.id, reference: c.snapshot.reference, card };
}

/** The click as Slack sends it, signed; the purchase helpers only read `slack` from the scenario. */
export async function click(
  s: DocumentScenario,
  userId: string,
  action: 'approval.approve' | 'approval.reject',
  card: { channel: string; ts: string; blocks?: unknown },
): Promise<void> {
  const value = buttonsOf(card)[action]!.value!;
  const res = await clickButton(s.baseUrl, { slack: s.slack } as unknown as PurchaseScenario, {
    userId,
    actionId: action,
    value,
    channelId: card.channel,
    messageTs: card.ts,
  });
  if (res.status !== 200) throw new Error(`Slack click answered ${res.status}`);
}

/** Clicks Reject, waits for the modal and submits it with `reason`. */
export async function rejectWithReason(
  s: DocumentScenario,
  userId: string,
  caseId: string,
  card: { channel: string; ts: string; blocks?: unknown },
  reason: string,
): Promise<void> {
  await click(s, userId, 'approval.reject', card);
  const view = await eventually(() =>
    s.slack.views().find((v) => String(v.view.private_metadata ?? '').includes(caseId)),
  );
  const res = await submitRejectModal(s.baseUrl, {
    userId,
    privateMetadata: String(view.view.private_metadata),
    reason,
    // Each modal has its own view id; the bot keys the decision on it.
    viewId: String(view.id),
  });
  if (res.status !== 200) throw new Error(`Slack modal submission answered ${res.status}`);
}

/** The case's status once it is final. */
export async function finalStatus(s: DocumentScenario, caseId: string): Promise<string> {
  return eventually(async () => {
    const c = await s.service.deps.store.getCase(caseId);
    return c && ['approved', 'rejected', 'failed', 'cancelled'].includes(c.status) ? c.status : null;
  });
}
