import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/bot/commands/run-command.js';
import { buildDeps } from '../fakes/build-deps.js';
import { APPROVER_GROUP, PEOPLE } from '../fakes/builders.js';
import { InMemoryQueryStore } from '../fakes/in-memory-query-store.js';

describe('/odoo pending: who a case waits on', () => {
  it('names three approvers and counts the rest instead of dropping them', async () => {
    const w = buildDeps({ now: '2026-11-25T10:00:00Z' });
    w.addPerson(30, 'Dora Deputy', 'dora@example.com');
    w.addPerson(31, 'Fred Finance', 'fred@example.com');
    w.odoo.setGroup(APPROVER_GROUP, [PEOPLE.admin.odoo.id, PEOPLE.marc.odoo.id, PEOPLE.bob.odoo.id, 30, 31]);
    const deps = { ...w.deps, queries: new InMemoryQueryStore(w.store, w.audit) };
    deps.policy = { ...deps.policy, access: { finance: { users: [PEOPLE.eve.odoo.email] } } };
    const c = await w.openCaseFor(w.addOrder());
    expect(c.approvers).toHaveLength(5);

    const r = await runCommand({ flow: deps }, w.actor(PEOPLE.eve.chat), {
      kind: 'pending',
      scope: 'all',
      flowId: null,
      offset: 0,
    });

    if (r.kind !== 'text') throw new Error('expected text');
    const names = c.approvers.map((a) => a.name);
    expect(r.text).toContain(`waiting on ${names.slice(0, 3).join(', ')} and 2 more`);
  });
});
