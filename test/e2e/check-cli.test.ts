import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOdooServer } from '../../src/sandbox/odoo/fake-odoo-server.js';
import { FakeSlackApi } from '../../src/sandbox/slack/fake-slack-api.js';
import { runCli } from '../support/spawn-service.js';

const POLICY = (exceptions: string) => `approvals:
  - id: purchase-orders
    type: purchase-order
    slack: { channel: C0APPROVALS }
    approvers: { odooGroup: purchase.group_purchase_manager }
exceptions:
${exceptions}`;

const GOOD = `  - id: bill-variances
    type: bill-variance
    owner: { odooGroup: account.group_account_manager }
    slack: { channel: C0EXCEPTIONS }
    resolve: { write: { release_to_pay_manual: "yes" } }
  - id: usage-sync
    external: { type: usage-sync-failed }
    owner: { users: [mia@acme.test] }
    slack: { channel: C0EXCEPTIONS }
`;

const BAD = `  - id: disputes
    model: account.move
    when: [["x_dispute", "=", true]]
    owner: { users: [mia@acme.test] }
    slack: { channel: C0EXCEPTIONS }
  - id: landed-costs
    model: stock.landed.cost
    when: [["state", "=", "done"]]
    owner: { users: [mia@acme.test] }
    slack: { channel: C0EXCEPTIONS }
  - id: vendor-refs
    model: account.move
    when: [["ref.name", "=", "X"]]
    owner: { users: [mia@acme.test] }
    slack: { channel: C0EXCEPTIONS }
`;

/** `odoo-chatops check` from the built CLI against the fake Odoo and Slack, with the embedded PGlite. */
describe('npx odoo-chatops check: exception definitions', () => {
  let odoo: FakeOdooServer;
  let slack: FakeSlackApi;
  let dir: string;

  beforeAll(async () => {
    odoo = await FakeOdooServer.start({ version: 17, db: 'acme' });
    slack = await FakeSlackApi.start({ token: 'xoxb-test-token' });
    odoo.addUser({
      login: 'chatops-bot',
      name: 'Chatops Bot',
      email: 'bot@acme.test',
      groups: ['purchase.group_purchase_manager', 'account.group_account_invoice'],
      apiKey: 'bot-api-key',
    });
    odoo.addUser({
      login: 'mia',
      name: 'Mia',
      email: 'mia@acme.test',
      groups: ['purchase.group_purchase_manager', 'account.group_account_manager'],
    });
    dir = await mkdtemp(join(tmpdir(), 'chatops-check-'));
  });
  afterAll(async () => {
    await odoo?.stop();
    await slack?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function check(name: string, exceptions: string) {
    const policyFile = join(dir, `${name}.yaml`);
    await writeFile(policyFile, POLICY(exceptions));
    return runCli(['check'], {
      ODOO_URL: odoo.url,
      ODOO_DB: 'acme',
      ODOO_USERNAME: 'chatops-bot',
      ODOO_API_KEY: 'bot-api-key',
      ODOO_WEBHOOK_TOKEN: 'whtok_0123456789abcdef0123456789',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: 'test-signing-secret-0123456789',
      SLACK_API_URL: slack.apiUrl,
      PUBLIC_URL: 'http://127.0.0.1',
      DATA_DIR: join(dir, `${name}-data`),
      POLICY_FILE: policyFile,
      LOG_LEVEL: 'silent',
    });
  }

  const line = (stdout: string, name: string) => stdout.split('\n').find((l) => l.slice(2).startsWith(`${name}:`));

  it('passes good definitions, one line each', async () => {
    const r = await check('good', GOOD);
    expect(r.stdout).toMatch(/✓ policy: .*2 exception definition\(s\): bill-variances, usage-sync/);
    expect(line(r.stdout, 'exception bill-variances'), r.stdout + r.stderr).toMatch(
      /^✓ exception bill-variances: account\.move: 0 record\(s\) match now; resolve writes release_to_pay_manual; owner: 2 in account\.group_account_manager$/,
    );
    expect(line(r.stdout, 'exception usage-sync')).toMatch(
      /^✓ exception usage-sync: events of type usage-sync-failed posted to \/events \(no Odoo model to check\); owner: 1 named$/,
    );
    expect(r.stdout).toMatch(/All checks passed\./);
    expect(r.code).toBe(0);
  }, 120_000);

  it('fails an unknown field, an unknown model and a hop through a non-relational field, saying what to fix', async () => {
    const r = await check('bad', BAD);
    expect(r.code).toBe(1);
    expect(line(r.stdout, 'exception disputes'), r.stdout + r.stderr).toMatch(
      /^✗ exception disputes: on Odoo 17\.0: account\.move has no field x_dispute \("x_dispute" in exceptions\[0\]\.when\); fix exceptions\[0\]\.when/,
    );
    expect(line(r.stdout, 'exception landed-costs')).toMatch(
      /^✗ exception landed-costs: on Odoo 17\.0: model stock\.landed\.cost does not exist on this Odoo .*; install the app that brings it or fix exceptions\[1\]\.model$/,
    );
    expect(line(r.stdout, 'exception vendor-refs')).toMatch(
      /^✗ exception vendor-refs: .*"ref\.name" in exceptions\[2\]\.when cannot be followed: account\.move\.ref is a char field, not a relation/,
    );
    expect(r.stdout).toMatch(/check\(s\) failed; fix them and run odoo-chatops check again\./);
  }, 120_000);
});
