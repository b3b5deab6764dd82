import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/bot/commands/run-command.js';
import { buildDeps, type TestWorld } from '../fakes/build-deps.js';
import { PEOPLE } from '../fakes/builders.js';
import { InMemoryQueryStore } from '../fakes/in-memory-query-store.js';

/** `/odoo status` of a reference with a long history: every case is looked at, the newest described, the rest counted. */

function world() {
  const w = buildDeps({ now: '2026-11-25T10:00:00Z' });
  const queries = new InMemoryQueryStore(w.store, w.audit);
  const deps = { ...w.deps, queries };
  const asked: number[] = [];
  const casesByReference = queries.casesByReference.bind(queries);
  queries.casesByReference = async (reference, limit, offset) => {
    asked.push(offset ?? 0);
    return casesByReference(reference, limit, offset);
  };
  const ask = async (chatId: string, reference: string) => {
    const r = await runCommand({ flow: deps }, w.actor(chatId), { kind: 'status', reference });
    if (r.kind !== 'text') throw new Error('expected text');
    return r.text;
  };
  return { w, ask, asked };
}

/** Opens a case for a new order named `name` an hour after the previous one, and closes it unless `keepOpen`. */
async function submitted(w: TestWorld, name: string, requester = PEOPLE.marc.odoo, keepOpen = false) {
  w.clock.advance(3_600_000);
  const c = await w.openCaseFor(w.addOrder({ name, user_id: { id: requester.id, name: requester.name } }));
  if (!keepOpen) await w.store.setCaseStatus(c.id, 'rejected');
  return c;
}

describe('/odoo status of a document submitted many times', () => {
  it('describes the newest case and counts the earlier ones, listing a few', async () => {
    const { w, ask, asked } = world();
    for (let i = 0; i < 59; i++) await submitted(w, 'P00077');
    const newest = await submitted(w, 'P00077', PEOPLE.marc.odoo, true);

    const text = await ask(PEOPLE.admin.chat, 'P00077');

    expect(text).toContain('case: waiting for approval');
    expect(text).toContain(`flow ${newest.flowId}`);
    expect(text).toContain('Earlier 59 cases for this reference (the newest is shown above):');
    expect(text.split('\n').filter((l) => l.startsWith('• opened '))).toEqual([
      '• opened 2026-11-27 21:00 · rejected (flow purchase-approval)',
      '• opened 2026-11-27 20:00 · rejected (flow purchase-approval)',
      '• opened 2026-11-27 19:00 · rejected (flow purchase-approval)',
    ]);
    expect(text).toContain('…and 56 more earlier.');
    // Read a page at a time, not cut at the first page.
    expect(asked).toEqual([0, 50]);
  });

  it('finds the one case the asker may see behind many newer ones they may not', async () => {
    const { w, ask } = world();
    const own = await submitted(w, 'P00078', PEOPLE.eve.odoo);
    for (let i = 0; i < 30; i++) await submitted(w, 'P00078');

    const text = await ask(PEOPLE.eve.chat, 'P00078');

    expect(text).toContain('*P00078*');
    expect(text).toContain('case: rejected');
    expect(text).not.toContain('Earlier');
    expect(own.requesterIds).toEqual([PEOPLE.eve.odoo.id]);
  });

  it('says nothing about history for a reference with one case', async () => {
    const { w, ask } = world();
    await submitted(w, 'P00079', PEOPLE.marc.odoo, true);

    expect(await ask(PEOPLE.admin.chat, 'P00079')).not.toContain('Earlier');
  });
});
