import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { decideDomain } from '../../src/flows/decide-domain.js';
import { ingestRecord } from '../../src/flows/ingest-record.js';
import { recordMatches } from '../../src/flows/record-matches.js';
import type { Domain } from '../../src/flows/types.js';
import { buildDeps, type TestWorld } from '../fakes/build-deps.js';
import { PEOPLE, PURCHASE } from '../fakes/builders.js';

/** Flow and tier conditions decided on the record as read, with Odoo asked only for what cannot be. */

const CARLA = { id: 20, name: 'Carla CFO', email: 'carla@example.com', chat: 'U-CARLA' };
const BELGIUM = 21;
const FRANCE = 22;

function world(tiersYaml: string): TestWorld {
  const w = buildDeps({
    policyYaml: `
approvals:
  - id: purchase-orders
    model: purchase.order
    when: [["state", "=", "to approve"]]
    slack: { channel: C0APPROVALS }
    requesterFields: [user_id]
    approve: { method: button_approve }
    reject: { method: button_cancel }
    tiers:
${tiersYaml}`,
  });
  w.addPerson(CARLA.id, CARLA.name, CARLA.email, CARLA.chat);
  // Vendors with a country, so `partner_id.country_id.code` can be followed.
  w.odoo.relate(PURCHASE, 'partner_id', 'res.partner');
  w.odoo.relate('res.partner', 'country_id', 'res.country');
  w.odoo.put('res.country', { id: BELGIUM, name: 'Belgium', code: 'BE' });
  w.odoo.put('res.country', { id: FRANCE, name: 'France', code: 'FR' });
  w.odoo.put('res.partner', { id: 14, name: 'Azure Interior', country_id: { id: BELGIUM, name: 'Belgium' } });
  w.odoo.put('res.partner', { id: 15, name: 'Gemini Furniture', country_id: { id: FRANCE, name: 'France' } });
  return w;
}

const GEMINI = { id: 15, name: 'Gemini Furniture' };

/** Odoo calls an ingest makes to decide conditions: reads of the record and searches on its id. */
function conditionCalls(w: TestWorld): string[] {
  return w.odoo.calls.filter((c) => c === 'read' || c === 'matchingIds');
}

const TIERS = `
      - name: Buyer lead
        when: [["x_contract", "=", false]]
        approvers: { odooGroup: purchase.group_purchase_manager }
      - name: Legal
        when: [["x_contract", "=", true]]
        approvers: { users: [carla@example.com] }
      - name: Foreign vendors
        when: [["partner_id.country_id.code", "!=", "BE"]]
        approvers: { users: [carla@example.com] }`;

describe('conditions decided on the record read', () => {
  it('chooses the tiers locally, with one read per hop and no search', async () => {
    const w = world(TIERS);
    const id = w.addOrder({ x_contract: true, partner_id: GEMINI });
    w.odoo.calls.length = 0;

    const c = await w.openCaseFor(id);

    expect(c.tiers.map((t) => t.name)).toEqual(['Legal', 'Foreign vendors']);
    // The flow's when and three tier conditions: the order, its vendor and the vendor's country, read once each.
    expect(conditionCalls(w)).toEqual(['read', 'read', 'read']);
    expect(w.log.at('debug').find((r) => r.msg?.startsWith('domains decided'))?.fields).toMatchObject({
      decided: { local: 4, odoo: 0 },
    });
  });

  it('makes fewer Odoo calls than one search per condition', async () => {
    const w = world(`
      - name: Small
        when: [["amount_total", "<", 5000]]
        approvers: { odooGroup: purchase.group_purchase_manager }
      - name: Large
        when: [["amount_total", ">=", 5000]]
        approvers: { users: [carla@example.com] }
      - name: Contracts
        when: [["x_contract", "=", true]]
        approvers: { users: [carla@example.com] }`);
    const id = w.addOrder({ amount_total: 1250, x_contract: true });
    w.odoo.calls.length = 0;

    const c = await w.openCaseFor(id);

    expect(c.tiers.map((t) => t.name)).toEqual(['Small', 'Contracts']);
    // Asked of Odoo, the flow's when and three tiers were four searches.
    expect(conditionCalls(w)).toEqual(['read']);
  });

  it('asks Odoo for a child_of condition, and logs why at debug', async () => {
    const w = world(`
      - name: Group vendors
        when: [["partner_id", "child_of", 14]]
        approvers: { users: [carla@example.com] }
      - name: Everyone
        approvers: { odooGroup: purchase.group_purchase_manager }`);
    const id = w.addOrder();
    w.odoo.calls.length = 0;

    const c = await w.openCaseFor(id);

    expect(c.tiers.map((t) => t.name)).toEqual(['Group vendors', 'Everyone']);
    expect(conditionCalls(w)).toEqual(['read', 'matchingIds']);
    const asked = w.log.at('debug').find((r) => r.msg?.startsWith('domain asked of Odoo'));
    expect(asked?.fields).toMatchObject({
      odooModel: PURCHASE,
      odooId: id,
      domain: [['partner_id', 'child_of', 14]],
      reason: expect.stringContaining('child_of'),
    });
  });

  it('asks Odoo for a dotted path it cannot follow', async () => {
    const w = world(`
      - name: Widgets
        when: [["order_line.product_id", "=", 5]]
        approvers: { users: [carla@example.com] }
      - name: Everyone
        approvers: { odooGroup: purchase.group_purchase_manager }`);
    const id = w.addOrder();
    const matches = await recordMatches(w.deps, PURCHASE, id, [[['order_line.product_id', '=', 5]]]);

    expect(await matches.matches([['order_line.product_id', '=', 5]])).toBe(false);
    expect(matches.counts).toEqual({ local: 0, odoo: 1 });
  });

  it('does not read the record when no condition can be decided on it', async () => {
    const w = world(`
      - name: Everyone
        approvers: { odooGroup: purchase.group_purchase_manager }`);
    const id = w.addOrder();
    w.odoo.calls.length = 0;
    const domain: Domain = [['partner_id', 'child_of', 14]];

    const matches = await recordMatches(w.deps, PURCHASE, id, [domain]);

    expect(await matches.matches(domain)).toBe(true);
    expect(w.odoo.calls).toEqual(['matchingIds']);
  });

  it('answers false for a record that does not exist, without a search', async () => {
    const w = world(TIERS);
    const domain: Domain = [['state', '!=', 'done']];
    w.odoo.calls.length = 0;

    const matches = await recordMatches(w.deps, PURCHASE, 999, [domain]);

    expect(await matches.matches(domain)).toBe(false);
    expect(w.odoo.calls).toEqual(['read']);
  });

  it('leaves every condition to Odoo when the record may not be read', async () => {
    const w = world(TIERS);
    const id = w.addOrder();
    w.odoo.failNext('read', new AppError('odoo.access_error', 'forbidden', 'Access denied (test).'));
    const domain: Domain = [['state', '=', 'to approve']];

    const matches = await recordMatches(w.deps, PURCHASE, id, [domain]);

    expect(await matches.matches(domain)).toBe(true);
    expect(matches.counts).toEqual({ local: 0, odoo: 1 });
  });

  it('closes the case on a stale click when the record left the flow, decided on the record read', async () => {
    const w = world(`
      - name: Everyone
        approvers: { odooGroup: purchase.group_purchase_manager }`);
    const id = w.addOrder();
    const c = await w.openCaseFor(id);
    const d = await w.click(c.id, PEOPLE.admin.chat);
    w.clock.advance(60_000);
    w.odoo.write(PURCHASE, id, { state: 'cancel' });
    w.odoo.calls.length = 0;

    await w.apply(d.id);

    expect((await w.store.getCase(c.id))?.status).toBe('cancelled');
    expect((await w.store.getDecision(d.id))?.outcome).toContain('left the approval step');
    expect(w.odoo.calls).not.toContain('matchingIds');
  });

  it('decides once per distinct domain, however many flows and tiers share it', async () => {
    const w = world(`
      - name: One
        when: [["x_contract", "=", true]]
        approvers: { odooGroup: purchase.group_purchase_manager }
      - name: Two
        when: [["x_contract", "=", true]]
        approvers: { users: [carla@example.com] }`);
    const id = w.addOrder({ x_contract: true });

    await ingestRecord(w.deps, { model: PURCHASE, id, writeDate: null, source: 'webhook' }, 1);

    const c = await w.store.findActiveCase(w.flow.id, PURCHASE, id);
    expect(c?.tiers.map((t) => t.name)).toEqual(['One', 'Two']);
    expect(w.log.at('debug').find((r) => r.msg?.startsWith('domains decided'))?.fields).toMatchObject({
      decided: { local: 2, odoo: 0 },
    });
  });
});

describe('decideDomain', () => {
  const order = { id: 1, state: 'to approve', amount_total: 100, partner_id: { id: 14, name: 'Azure Interior' } };

  it('decides what it can, as Odoo would', () => {
    expect(decideDomain([['state', '=', 'to approve']], order)).toEqual({ decided: true, matches: true });
    expect(decideDomain([['partner_id', 'ilike', 'azure']], order)).toEqual({ decided: true, matches: true });
    expect(decideDomain(['!', ['amount_total', '>', 50]], order)).toEqual({ decided: true, matches: false });
  });

  it('hides an archived record unless the domain names active, as search does', () => {
    const archived = { ...order, active: false };
    expect(decideDomain([['state', '=', 'to approve']], archived)).toEqual({ decided: true, matches: false });
    expect(decideDomain([['active', '=', false]], archived)).toEqual({ decided: true, matches: true });
  });

  it('declines hierarchy operators, unread paths and values it cannot convert, with the reason', () => {
    expect(decideDomain([['partner_id', 'parent_of', 14]], order)).toMatchObject({
      decided: false,
      reason: expect.stringContaining('hierarchy'),
    });
    const unread = new Map([['order_line.product_id', 'a list of records']]);
    expect(decideDomain([['order_line.product_id', '=', 5]], order, unread)).toEqual({
      decided: false,
      reason: 'a list of records',
    });
    expect(decideDomain([['amount_total', '>', 'lots']], order)).toMatchObject({
      decided: false,
      reason: expect.stringContaining('write a number'),
    });
    expect(decideDomain([['partner_id.country_id.code', '=', 'BE']], order)).toMatchObject({ decided: false });
  });
});
