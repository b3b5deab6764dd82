import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicyFile } from '../../src/config/policy.js';
import { flowGapsOnOdoo } from '../../src/odoo/check-flow-on-odoo.js';
import { applyPresets } from '../../src/odoo/presets.js';
import { CredentialUserOdooAccess } from '../../src/odoo/user-odoo-access.js';
import { XmlRpcOdooGateway } from '../../src/odoo/xmlrpc-odoo-gateway.js';
import { FakeOdooServer } from '../../src/sandbox/odoo/fake-odoo-server.js';
import type { CredentialStore, OdooCredential } from '../../src/store/pg-credential-store.js';

/** The credential store's contract in memory, recording what the access layer reports back. */
class MemoryCredentials implements CredentialStore {
  readonly rows = new Map<number, OdooCredential & { used: number; error: string | null }>();
  async save(id: number, login: string, apiKey: string) {
    this.rows.set(id, { login, apiKey, used: 0, error: null });
  }
  async get(id: number) {
    const r = this.rows.get(id);
    return r ? { login: r.login, apiKey: r.apiKey } : null;
  }
  async remove(id: number) {
    return this.rows.delete(id);
  }
  async markUsed(id: number) {
    const r = this.rows.get(id);
    if (r) Object.assign(r, { used: r.used + 1, error: null });
  }
  async markFailed(id: number, error: string) {
    const r = this.rows.get(id);
    if (r) r.error = error;
  }
  async has(id: number) {
    return this.rows.has(id);
  }
}

const flows = (yaml: string) => `approvals:\n${yaml}`;
const flow = (id: string, body: string) =>
  `  - id: ${id}\n    slack: { channel: C0APPROVALS }\n    approvers: { users: [mia@acme.test] }\n${body}`;

describe.each([16, 17, 19] as const)('flows against the fake Odoo %i', (version) => {
  let odoo: FakeOdooServer;
  let gateway: XmlRpcOdooGateway;
  beforeAll(async () => {
    odoo = await FakeOdooServer.start({ version, db: 'acme' });
    gateway = new XmlRpcOdooGateway({ url: odoo.url, db: 'acme', username: 'admin', apiKey: 'admin' });
  });
  afterAll(async () => {
    gateway?.close();
    await odoo?.stop();
  });

  it('finds nothing missing for every preset of this version', async () => {
    const types = ['purchase-order', 'vendor-bill', 'expense', 'sale-order', 'approval-request'];
    const policy = applyPresets(
      parsePolicyFile(flows(types.map((t) => flow(t, `    type: ${t}\n`)).join(''))),
      await gateway.version(),
    );
    for (const f of policy.approvals) expect(await flowGapsOnOdoo(gateway, f, await gateway.version())).toEqual([]);
  });

  it('names a method of another version, with the one to use', async () => {
    const policy = applyPresets(
      parsePolicyFile(flows(flow('old', '    type: expense\n    approve: { method: approve_expense_sheets }\n'))),
      await gateway.version(),
    );
    const gaps = await flowGapsOnOdoo(gateway, policy.approvals[0]!, await gateway.version());
    if (version === 16) expect(gaps).toEqual([]);
    else if (version === 19)
      expect(gaps.join()).toMatch(/hr\.expense\.approve_expense_sheets does not exist on Odoo 19; use action_approve/);
    else
      expect(gaps.join()).toMatch(
        /approve_expense_sheets does not exist on Odoo 17; use action_approve_expense_sheets/,
      );
  });

  it('names missing fields of when, requesterFields and activity targets', async () => {
    const policy = applyPresets(
      parsePolicyFile(
        flows(
          flow(
            'bills',
            '    type: vendor-bill\n    when: [["x_approval", "=", true]]\n    requesterFields: [employee_id.user_id]\n    reject: { note: true, activity: { to: x_buyer } }\n',
          ),
        ),
      ),
      await gateway.version(),
    );
    const gaps = (await flowGapsOnOdoo(gateway, policy.approvals[0]!, await gateway.version())).join('\n');
    expect(gaps).toMatch(/account\.move has no field x_approval on Odoo \d+ \(used by "when"\)/);
    expect(gaps).toMatch(/account\.move has no field employee_id on Odoo \d+ \(named in requesterFields\)/);
    expect(gaps).toMatch(/reject: account\.move has no field x_buyer \(activity\.to\)/);
  });

  it('per-person access logs in with the linked key, reports use and rejection', async () => {
    const mia = odoo.addUser({ login: 'mia', name: 'Mia', email: 'mia@acme.test', apiKey: 'mia-key' });
    const store = new MemoryCredentials();
    const access = new CredentialUserOdooAccess({
      credentials: store,
      connect: (c) => new XmlRpcOdooGateway({ url: odoo.url, db: 'acme', username: c.login, apiKey: c.apiKey }),
    });
    expect(await access.gatewayFor(mia)).toBeNull();
    await store.save(mia, 'mia', 'mia-key');
    const g = await access.gatewayFor(mia);
    expect(await g?.authenticate()).toBe(mia);
    expect(await access.gatewayFor(mia)).toBe(g);
    expect(store.rows.get(mia)).toMatchObject({ used: 1, error: null });
    await store.save(mia, 'mia', 'revoked-key');
    const err = await access.gatewayFor(mia).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'identity.user_key_rejected', kind: 'forbidden' });
    expect((err as Error).message).toMatch(/Run \/odoo link again/);
    expect(store.rows.get(mia)?.error).toMatch(/rejected/);
    access.close();
  });

  it('schedules a to-do activity through mail.activity.create', async () => {
    const partner = odoo.addPartner('Vendor');
    const bill = odoo.addVendorBill({ partnerId: partner, lines: [{ qty: 1, priceUnit: 10 }] });
    const id = await gateway.scheduleActivity('account.move', bill, {
      userId: odoo.adminUid,
      summary: 'Check it',
      note: '<p>why</p>',
      deadline: '2026-12-01',
    });
    const [activity] = odoo.activities('account.move', bill);
    expect(activity).toMatchObject({ id, user_id: odoo.adminUid, summary: 'Check it', date_deadline: '2026-12-01' });
    expect(activity?.activity_type_id).toBe(odoo.ref('mail.mail_activity_data_todo'));
  });
});
