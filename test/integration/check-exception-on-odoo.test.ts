import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicyFile } from '../../src/config/policy.js';
import type { OdooGateway } from '../../src/flows/ports.js';
import { checkExceptionOnOdoo } from '../../src/odoo/check-exception-on-odoo.js';
import { OdooDirectory } from '../../src/odoo/odoo-directory.js';
import { applyPresets } from '../../src/odoo/presets.js';
import { XmlRpcOdooGateway } from '../../src/odoo/xmlrpc-odoo-gateway.js';
import { FakeOdooServer } from '../../src/sandbox/odoo/fake-odoo-server.js';

const FLOW = `approvals:
  - id: purchase-orders
    type: purchase-order
    slack: { channel: C0APPROVALS }
    approvers: { users: [mia@acme.test] }
`;

/** One exception definition in the policy file's YAML, with a channel and, unless given, Mia as owner. */
const exception = (id: string, body: string) =>
  `  - id: ${id}\n    slack: { channel: C0EXCEPTIONS }\n${body.includes('owner:') ? '' : '    owner: { users: [mia@acme.test] }\n'}${body}`;

describe.each([16, 17, 19] as const)('exception definitions against the fake Odoo %i', (version) => {
  let odoo: FakeOdooServer;
  let gateway: XmlRpcOdooGateway;

  beforeAll(async () => {
    odoo = await FakeOdooServer.start({ version, db: 'acme' });
    odoo.addUser({ login: 'mia', name: 'Mia', email: 'mia@acme.test', groups: ['account.group_account_manager'] });
    gateway = new XmlRpcOdooGateway({ url: odoo.url, db: 'acme', username: 'admin', apiKey: 'admin' });
  });
  afterAll(async () => {
    gateway?.close();
    await odoo?.stop();
  });

  async function checkWith(odooGateway: OdooGateway, ...defs: string[]) {
    const policy = applyPresets(parsePolicyFile(`${FLOW}exceptions:\n${defs.join('')}`), await gateway.version());
    const deps = { odoo: odooGateway, directory: new OdooDirectory(odooGateway), policy, now: new Date() };
    return Promise.all((policy.exceptions ?? []).map((def, i) => checkExceptionOnOdoo(deps, def, i)));
  }
  const check = (...defs: string[]) => checkWith(gateway, ...defs);

  it('finds nothing missing for the presets, a dotted domain, a user field owner and an external type', async () => {
    const partner = odoo.addPartner('Azure Interior');
    odoo.addVendorBill({ partnerId: partner, lines: [{ qty: 1, priceUnit: 10 }], releaseToPay: 'exception' });
    const results = await check(
      exception(
        'bill-variances',
        '    type: bill-variance\n    owner: { odooGroup: account.group_account_manager }\n    resolve: { write: { release_to_pay_manual: "yes" } }\n',
      ),
      exception('overdue', '    type: overdue-invoice\n    days: 10\n'),
      exception('failed-payments', '    type: failed-payment\n'),
      exception(
        'azure-bills',
        '    model: account.move\n    when: [["partner_id.name", "ilike", "azure"]]\n    owner: { field: [invoice_user_id], users: [mia@acme.test] }\n',
      ),
      exception('usage', '    external: { type: usage-sync-failed }\n'),
    );
    for (const r of results) expect(r.gaps).toEqual([]);
    expect(results[0]!.summary).toMatch(
      /account\.move: 1 record\(s\) match now; resolve writes release_to_pay_manual; owner: 2 in account\.group_account_manager/,
    );
    expect(results[3]!.summary).toMatch(/owner: 1 named \+ the document's invoice_user_id/);
    expect(results[4]!.summary).toMatch(
      /events of type usage-sync-failed posted to \/events \(no Odoo model to check\)/,
    );
  });

  it('names an unknown field, a hop that is no relation and an unknown resolve field, with the fix', async () => {
    const [unknown, hop, write] = await check(
      exception('disputes', '    model: account.move\n    when: [["x_dispute", "=", true]]\n'),
      exception('refs', '    model: account.move\n    when: [["ref.name", "=", "X"]]\n'),
      exception(
        'writes',
        '    model: account.move\n    when: [["state", "=", "posted"]]\n    resolve: { write: { x_checked: true } }\n',
      ),
    );
    expect(unknown!.gaps.join()).toMatch(
      /account\.move has no field x_dispute \("x_dispute" in exceptions\[0\]\.when\)/,
    );
    expect(hop!.gaps.join()).toMatch(
      /"ref\.name" in exceptions\[1\]\.when cannot be followed: account\.move\.ref is a char field, not a relation/,
    );
    expect(write!.gaps.join()).toMatch(/account\.move has no field x_checked \(exceptions\[2\]\.resolve\.write\)/);
  });

  it('names an unknown model, and what to install when a module field is missing', async () => {
    const [model] = await check(
      exception('landed', '    model: stock.landed.cost\n    when: [["state", "=", "done"]]\n'),
    );
    expect(model!.gaps.join()).toMatch(/model stock\.landed\.cost does not exist on this Odoo .*doesn't exist/);
    expect(model!.gaps.join()).toMatch(/fix exceptions\[0\]\.model/);

    // Odoo Community has no account_3way_match: the bill's release_to_pay fields are not there.
    const community: OdooGateway = Object.create(gateway);
    community.fields = async (name) => {
      const fields = { ...(await gateway.fields(name)) };
      if (name === 'account.move') for (const f of ['release_to_pay', 'release_to_pay_manual']) delete fields[f];
      return fields;
    };
    const bill = '    type: bill-variance\n    resolve: { write: { release_to_pay_manual: "yes" } }\n';
    const [bills] = await checkWith(community, exception('bills', bill));
    expect(bills!.gaps).toEqual([
      expect.stringMatching(
        /^account\.move has no field release_to_pay \("release_to_pay" in exceptions\[0\]\.type \(bill-variance\)\); install 3-way matching \(Enterprise module account_3way_match/,
      ),
      expect.stringMatching(
        /^account\.move has no field release_to_pay_manual \(exceptions\[0\]\.resolve\.write\); install 3-way matching/,
      ),
    ]);
  });

  it('names owners nobody could act as, and owner fields that are not users', async () => {
    const [group, manager, field] = await check(
      exception('nobody', '    type: failed-payment\n    owner: { odooGroup: hr.group_hr_user }\n'),
      exception('managers', '    type: failed-payment\n    owner: { manager: { levels: 1 } }\n'),
      exception('partners', '    type: bill-variance\n    owner: { field: [partner_id] }\n'),
    );
    // Only the bot's own user (admin) is in the HR group.
    expect(group!.gaps.join()).toMatch(/exceptions\[0\]\.owner names nobody who could act/);
    expect(manager!.gaps.join()).toMatch(
      /exceptions\[1\]\.owner names the requester's manager, but an exception has no requester/,
    );
    expect(field!.gaps.join()).toMatch(/exceptions\[2\]\.owner\.field partner_id is a res\.partner field, not a user/);
  });
});
