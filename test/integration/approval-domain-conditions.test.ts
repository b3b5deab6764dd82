/**
 * Flow and tier conditions with dotted paths, decided on the record as read
 * over XML-RPC, while the poller keeps sending the same domain to Odoo: a
 * webhook opens the case with the right tiers without a `search` per
 * condition, and Odoo's search finds the same records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/config/policy.js';
import { recordMatches } from '../../src/flows/record-matches.js';
import { XmlRpcOdooGateway } from '../../src/odoo/xmlrpc-odoo-gateway.js';
import type { FakeRpcCall } from '../../src/sandbox/odoo/fake-odoo-server.js';
import { type InProcessService, startInProcess } from '../support/in-process-service.js';
import { eventually, type PurchaseScenario, postWebhook, startPurchaseScenario } from '../support/purchase-scenario.js';

const POLICY = `approvals:
  - id: purchase-orders
    model: purchase.order
    when: [["state", "=", "to approve"], ["partner_id.country_id.code", "in", ["BE", "FR"]]]
    slack: { channel: C0APPROVALS }
    approve: { method: button_approve }
    reject: { method: button_cancel }
    tiers:
      - name: Buyers
        approvers: { odooGroup: purchase.group_purchase_manager }
      - name: Foreign vendors
        when: [["partner_id.country_id.code", "!=", "BE"]]
        approvers: { users: [max@acme.test] }
      - name: Belgian vendors
        when: ["|", ["partner_id.country_id.code", "=", "BE"], ["partner_id.country_id", "ilike", "belg"]]
        approvers: { users: [mia@acme.test] }
`;

const flow = parsePolicy(POLICY).approvals[0]!;

/** Searches that name this record's id: what `matchingIds` sends to ask Odoo about one record. */
function searchesFor(calls: FakeRpcCall[], id: number): FakeRpcCall[] {
  return calls.filter(
    (c) =>
      c.model === 'purchase.order' &&
      (c.modelMethod === 'search' || c.modelMethod === 'search_read') &&
      JSON.stringify(c.args[0]).includes(`["id","in",[${id}]]`),
  );
}

describe('domain conditions decided on the record read (fake Odoo 17 over XML-RPC)', () => {
  let s: PurchaseScenario;
  let svc: InProcessService;
  let admin: XmlRpcOdooGateway;
  let belgian: number;
  let french: number;
  let countryless: number;

  beforeAll(async () => {
    s = await startPurchaseScenario();
    admin = new XmlRpcOdooGateway({ url: s.odoo.url, db: s.odoo.db, username: 'admin', apiKey: 'admin' });
    const be = await admin.create('res.country', { name: 'Belgium', code: 'BE' });
    const fr = await admin.create('res.country', { name: 'France', code: 'FR' });
    belgian = s.vendor;
    s.odoo.write('res.partner', belgian, { country_id: be });
    french = s.odoo.addPartner('Gemini Furniture');
    s.odoo.write('res.partner', french, { country_id: fr });
    countryless = s.odoo.addPartner('Nowhere Ltd');
    svc = await startInProcess(s, { policyYaml: POLICY });
  }, 60_000);
  afterAll(async () => {
    admin?.close();
    await svc?.close();
    await s?.stop();
  });

  const order = (partnerId: number) =>
    s.odoo.addPurchaseOrder({
      partnerId,
      userId: s.users.buyer,
      lines: [{ productId: s.product, qty: 1, priceUnit: 120 }],
      state: 'to approve',
    });

  async function caseOf(po: number) {
    return eventually(() =>
      svc.service.deps.store.listCases({ limit: 1000 }).then((cs) => cs.find((c) => c.odooId === po)),
    );
  }

  it('opens the case of a webhook with the tiers its vendor country selects, without a search per condition', async () => {
    const french1 = order(french);
    const belgian1 = order(belgian);
    expect((await postWebhook(svc.baseUrl, s, french1)).status).toBe(202);
    expect((await postWebhook(svc.baseUrl, s, belgian1)).status).toBe(202);

    const fromFrance = await caseOf(french1);
    const fromBelgium = await caseOf(belgian1);

    expect(fromFrance.tiers.map((t) => t.name)).toEqual(['Buyers', 'Foreign vendors']);
    expect(fromFrance.tiers[1]!.approvers.map((a) => a.email)).toEqual(['max@acme.test']);
    expect(fromBelgium.tiers.map((t) => t.name)).toEqual(['Buyers', 'Belgian vendors']);
    // The flow's when and three tier conditions were decided on reads, not by asking Odoo per condition.
    expect(searchesFor(s.odoo.calls, french1)).toEqual([]);
    expect(searchesFor(s.odoo.calls, belgian1)).toEqual([]);
    expect(s.odoo.calls.some((c) => c.model === 'res.country' && c.modelMethod === 'read')).toBe(true);
  });

  it("agrees with the poller's domain, which Odoo evaluates", async () => {
    const ids = [order(french), order(belgian), order(countryless)];
    s.odoo.write('purchase.order', ids[1]!, { state: 'draft' });

    const polled = (await svc.service.deps.odoo.search('purchase.order', [['id', 'in', ids], ...flow.when])).sort();
    const local: number[] = [];
    for (const id of ids) {
      const matches = await recordMatches(svc.service.deps, 'purchase.order', id, [flow.when]);
      if (await matches.matches(flow.when)) local.push(id);
      expect(matches.counts).toEqual({ local: 1, odoo: 0 });
    }

    expect(polled).toEqual([ids[0]]);
    expect(local).toEqual(polled);
  });

  it('asks Odoo for a condition the record read cannot decide, with the same answer', async () => {
    const po = order(french);
    const lines: Parameters<typeof recordMatches>[3] = [
      [['order_line.product_id', '=', s.product]],
      [['partner_id', 'child_of', french]],
    ];
    const matches = await recordMatches(svc.service.deps, 'purchase.order', po, lines);

    expect(await matches.matches(lines[0]!)).toBe(true);
    expect(await matches.matches(lines[1]!)).toBe(true);
    expect(matches.counts).toEqual({ local: 0, odoo: 2 });
    expect(searchesFor(s.odoo.calls, po)).toHaveLength(2);
  });
});
