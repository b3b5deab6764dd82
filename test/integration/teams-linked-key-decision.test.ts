// biome-ignore-all lint/suspicious/noExplicitAny: assertions walk card JSON
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINK_DIALOG_ID } from '../../src/bot/teams/teams-link-cards.js';
import { loadEnv } from '../../src/config/env.js';
import { parsePolicyFile } from '../../src/config/policy.js';
import type { AuditEntry } from '../../src/flows/types.js';
import { createLogger } from '../../src/logger.js';
import { type Service, startService } from '../../src/main.js';
import {
  type Activity,
  cardActionActivity,
  messageActivity,
  taskActivity,
} from '../../src/sandbox/teams/activities.js';
import { eventually, WEBHOOK_TOKEN } from '../support/purchase-scenario.js';
import { cardOf, executes, isTeamsCardOf, type Json } from '../support/teams-cards.js';
import { startTeamsScenario, type TeamsScenario } from '../support/teams-scenario.js';

const CREDENTIALS_KEY = randomBytes(32).toString('base64');
const DANA_KEY = randomBytes(20).toString('hex');
const CHAT = 'a:1dana-personal-chat';

/** Odoo Approvals requests, decided by Dana as herself (`asApprover`), with cards in Teams. */
const POLICY = `approvals:
  - id: approval-requests
    type: approval-request
    slack: { channel: C0APPROVALS }
    teams: {}
    approvers: { users: [dana@acme.test] }
`;

describe('a decision by someone who linked their own Odoo API key in Teams is written to Odoo as them', () => {
  let s: TeamsScenario;
  let service: Service;
  let baseUrl = '';
  let dana: ReturnType<TeamsScenario['teams']['addUser']>;
  let danaOdoo: number;

  beforeAll(async () => {
    s = await startTeamsScenario({
      botGroups: ['purchase.group_purchase_manager', 'approvals.group_approval_manager'],
    });
    danaOdoo = s.odoo.addUser({
      login: 'dana',
      name: 'Dana Deputy',
      email: 'dana@acme.test',
      groups: ['approvals.group_approval_user'],
      apiKey: DANA_KEY,
    });
    dana = s.teams.addUser({ name: 'Dana Deputy', email: 'dana@acme.test' });
    // The preset needs the Odoo version, so the policy file is finished at start-up, as `start` does.
    service = await startService(loadEnv({ ...s.env, CREDENTIALS_KEY }), parsePolicyFile(POLICY, 'test-policy.yaml'), {
      role: 'all',
      log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    });
    baseUrl = `http://127.0.0.1:${service.port}`;
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await s?.stop();
  });

  const personal = () => s.personalContext(CHAT);
  async function invoke(activity: Activity): Promise<Json> {
    const res = await s.deliver(baseUrl, activity);
    expect(res.status).toBe(200);
    return (await res.json()) as Json;
  }
  const approveCalls = () =>
    s.odoo.calls.filter((c) => c.model === 'approval.request' && c.modelMethod === 'action_approve');
  async function audit(): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for await (const e of service.deps.audit.entries()) out.push(e);
    return out;
  }

  /** Announces a new approval request for Dana; resolves with its id and the Approve action of her 1:1 card. */
  async function newRequest(name: string): Promise<{ id: number; approve: Json }> {
    const id = s.odoo.addApprovalRequest({ name, ownerId: s.users.buyer, approverIds: [danaOdoo] });
    const rec = s.odoo.record('approval.request', id)!;
    const body = {
      _action: 'Notify chatops(#12)',
      _id: id,
      _model: 'approval.request',
      id,
      write_date: rec.write_date,
    };
    const res = await fetch(`${baseUrl}/odoo/webhook/${WEBHOOK_TOKEN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(202);
    const card = await eventually(() =>
      s.teams.activities(CHAT).find((a) => executes(cardOf(a))['approval.approve'] && isTeamsCardOf(a, name)),
    );
    return { id, approve: executes(cardOf(card))['approval.approve']! };
  }
  const click = (approve: Json) =>
    invoke(cardActionActivity(personal(), dana, { verb: approve.verb, data: approve.data }));

  it('before linking, approving from the 1:1 card is refused, she is told to link, and nothing runs in Odoo', async () => {
    // Dana writes to the bot first, so it knows her and her 1:1 chat.
    expect((await s.deliver(baseUrl, messageActivity(personal(), dana, 'help'))).status).toBe(200);
    await eventually(() => s.teams.activities(CHAT).length > 0);
    const { id, approve } = await newRequest('New laptop');
    expect((await click(approve)).statusCode).toBe(200);
    await eventually(async () =>
      (await audit()).some((e) => e.type === 'decision.failed' && e.data.code === 'identity.no_user_key'),
    );
    await eventually(() => s.teams.activities(CHAT).some((a) => JSON.stringify(a).includes('Run /odoo link')));
    expect(approveCalls()).toEqual([]);
    expect(s.odoo.record('approval.request', id)?.request_status).toBe('pending');
  });

  it('after linking through the dialog, her approval is written to Odoo as Dana, with her key', async () => {
    const before = s.teams.activities(CHAT).length;
    expect((await s.deliver(baseUrl, messageActivity(personal(), dana, 'link'))).status).toBe(200);
    const prompt = await eventually(() =>
      s.teams
        .activities(CHAT)
        .slice(before)
        .find((a) => JSON.stringify(cardOf(a) ?? {}).includes('task/fetch')),
    );
    const open = (cardOf(prompt)!.actions as Json[])[0]!;
    const dialog = await invoke(taskActivity(personal(), dana, 'task/fetch', open.data));
    const send = (dialog.task.value.card.content.actions as Json[]).find((a) => a.type === 'Action.Submit')!;
    expect(send.data).toMatchObject({ action: LINK_DIALOG_ID });
    const linked = await invoke(taskActivity(personal(), dana, 'task/submit', { ...send.data, apiKey: DANA_KEY }));
    expect(linked.task).toEqual({ type: 'message', value: expect.stringContaining('Your Odoo API key is linked') });

    const { id, approve } = await newRequest('Conference ticket');
    expect((await click(approve)).statusCode).toBe(200);
    await eventually(() => s.odoo.record('approval.request', id)?.request_status === 'approved');
    const calls = approveCalls();
    expect(calls.map((c) => c.uid)).toEqual([danaOdoo]);
    expect(calls[0]!.args).toEqual([[id]]);
    const chatter = await eventually(() => {
      const text = s.odoo
        .messages('approval.request', id)
        .map((m) => String(m.body))
        .join('\n');
      return /Approved by/.test(text) ? text : null;
    });
    expect(chatter).toMatch(/Approved by <b>Dana Deputy<\/b>/);
    const applied = await eventually(async () =>
      (await audit()).find((e) => e.type === 'decision.applied' && e.caseId !== null),
    );
    expect(applied.actor).toBe(`teams:${dana.aadObjectId}`);
  });
});
