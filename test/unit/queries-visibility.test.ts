import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/bot/commands/run-command.js';
import { buildDeps } from '../fakes/build-deps.js';
import { PEOPLE } from '../fakes/builders.js';
import { InMemoryQueryStore } from '../fakes/in-memory-query-store.js';

function world() {
  const w = buildDeps({ now: '2026-11-25T10:00:00Z' });
  const deps = { ...w.deps, queries: new InMemoryQueryStore(w.store, w.audit) };
  const ask = async (chatId: string, parsed: Parameters<typeof runCommand>[2]) => {
    const r = await runCommand({ flow: deps }, w.actor(chatId), parsed);
    if (r.kind !== 'text') throw new Error('expected text');
    return r;
  };
  return { w, deps, ask };
}

describe('who may see what in the status questions', () => {
  it('answers a case one may not see exactly like an unknown one, and shows it to requester, approver and manager', async () => {
    const { w, ask } = world();
    const c = await w.openCaseFor(w.addOrder());
    const ref = c.snapshot.reference;
    const unknown = await ask(PEOPLE.eve.chat, { kind: 'status', reference: 'P99999' });
    const hidden = await ask(PEOPLE.eve.chat, { kind: 'status', reference: ref });
    expect(hidden.text).toBe(unknown.text.replace('P99999', ref));
    expect((await ask(PEOPLE.admin.chat, { kind: 'status', reference: ref })).text).toContain(`*${ref}*`);
    expect((await ask(PEOPLE.marc.chat, { kind: 'status', reference: ref })).text).toContain(`*${ref}*`);
    w.directory.setManager(PEOPLE.marc.odoo.id, 50).setManager(50, PEOPLE.eve.odoo.id);
    expect((await ask(PEOPLE.eve.chat, { kind: 'status', reference: ref })).text).toContain(`*${ref}*`);
    const team = await ask(PEOPLE.eve.chat, { kind: 'pending', scope: 'team', flowId: null, offset: 0 });
    expect(team.text).toMatch(/^1 case requested by your team/);
  });

  it('gives pending all to the finance source only', async () => {
    const { w, deps, ask } = world();
    await w.openCaseFor(w.addOrder());
    const all = { kind: 'pending', scope: 'all', flowId: null, offset: 0 } as const;
    expect((await ask(PEOPLE.eve.chat, all)).text).toContain('only for the finance people');
    deps.policy = { ...deps.policy, access: { finance: { users: [PEOPLE.eve.odoo.email] } } };
    expect((await ask(PEOPLE.eve.chat, all)).text).toMatch(/^1 case waiting in all flows/);
  });

  it('offers the next page while more cases wait', async () => {
    const { w, ask } = world();
    for (let i = 0; i < 12; i++) await w.openCaseFor(w.addOrder());
    const first = await ask(PEOPLE.admin.chat, { kind: 'pending', scope: 'mine', flowId: null, offset: 0 });
    expect(first.more).toEqual({ query: 'pending mine', offset: 10 });
    const second = await ask(PEOPLE.admin.chat, { kind: 'pending', scope: 'mine', flowId: null, offset: 10 });
    expect(second.more).toBeUndefined();
    expect(second.text).toContain('11–12');
  });
});
