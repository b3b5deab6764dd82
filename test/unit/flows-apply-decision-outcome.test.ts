import { describe, expect, it } from 'vitest';
import type { FlowMethod } from '../../src/flows/policy.js';
import { postCards } from '../../src/flows/post-cards.js';
import { buildDeps, type TestWorld } from '../fakes/build-deps.js';
import { PEOPLE, PURCHASE } from '../fakes/builders.js';
import { odooErrors } from '../fakes/fake-odoo-gateway.js';

/**
 * Whether a decision took effect in Odoo (the method's `expect`, or "no
 * longer matches the flow's when") is decided on the record read after the
 * write, not by a `search` per check; Odoo is asked only for a domain the
 * local evaluator declines.
 */

/** A clicked approval on a fresh order, with the fake's call log cleared just before the decision worker runs. */
async function clicked(w: TestWorld) {
  const odooId = w.addOrder({ name: 'P00042' });
  const c = await w.openCaseFor(odooId);
  await postCards(w.deps, c.id);
  const d = await w.click(c.id, PEOPLE.admin.chat);
  w.odoo.calls.length = 0;
  return { odooId, c, d };
}

/** Calls that decide a domain: reads of the record, and searches (`matchingIds`, `search`, `searchRead`). */
function domainCalls(w: TestWorld): string[] {
  return w.odoo.calls.filter((c) => ['read', 'matchingIds', 'search', 'searchRead', 'callMethod'].includes(c));
}

function withApprove(approve: FlowMethod): TestWorld {
  return buildDeps({ flow: { approve } });
}

describe('applyDecision: outcome checked on the record read', () => {
  it('sees that the order left the flow’s when from a read, before and after the write, with no search', async () => {
    const w = buildDeps();
    const { c, d } = await clicked(w);

    await w.apply(d.id);

    expect((await w.store.getDecision(d.id))?.status).toBe('applied');
    expect((await w.store.getCase(c.id))?.status).toBe('approved');
    // Already done? (a read) → button_approve → did it take? (a read).
    expect(domainCalls(w)).toEqual(['read', 'callMethod', 'read']);
  });

  it('checks the method’s expect domain locally', async () => {
    const w = withApprove({ method: 'button_approve', expect: [['state', 'in', ['purchase', 'done']]] });
    const { d } = await clicked(w);

    await w.apply(d.id);

    expect((await w.store.getDecision(d.id))?.status).toBe('applied');
    expect(domainCalls(w)).toEqual(['read', 'callMethod', 'read']);
  });

  it('fails the decision when the read shows the write did nothing, still without a search', async () => {
    const w = withApprove({ method: 'button_approve', expect: [['state', '=', 'purchase']] });
    w.odoo.onMethod(PURCHASE, 'button_approve', () => true);
    const { c, d } = await clicked(w);

    await w.apply(d.id);

    expect((await w.store.getDecision(d.id))?.outcome).toContain('did not change');
    expect((await w.store.getCase(c.id))?.status).toBe('open');
    expect(domainCalls(w)).toEqual(['read', 'callMethod', 'read']);
  });

  it('on a retry after the write, sees from a read that Odoo already has the outcome and does not call again', async () => {
    const w = buildDeps();
    const { c, d } = await clicked(w);
    // The check after the write fails (Odoo went away): the job is retried.
    w.odoo.failNext('read', odooErrors.unreachable(), 1);
    await expect(w.apply(d.id)).rejects.toMatchObject({ code: 'odoo.unreachable' });
    w.odoo.calls.length = 0;

    await w.apply(d.id, 2);

    expect(w.odoo.methodCalls).toEqual([{ model: PURCHASE, method: 'button_approve', ids: [c.odooId] }]);
    expect((await w.store.getDecision(d.id))?.status).toBe('applied');
    expect(domainCalls(w)).toEqual(['read']);
  });

  it('asks Odoo for an expect domain the local evaluator declines, with the same result', async () => {
    const w = withApprove({
      method: 'button_approve',
      expect: [
        ['state', '=', 'purchase'],
        ['partner_id', 'child_of', 14],
      ],
    });
    const { d } = await clicked(w);

    await w.apply(d.id);

    expect((await w.store.getDecision(d.id))?.status).toBe('applied');
    // child_of needs Odoo's hierarchy: no read for it, one search on the id before and one after the write.
    expect(domainCalls(w)).toEqual(['matchingIds', 'callMethod', 'matchingIds']);
  });
});
