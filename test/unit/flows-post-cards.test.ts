import { describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../src/flows/card.js';
import { postCards } from '../../src/flows/post-cards.js';
import { refreshCards } from '../../src/flows/refresh-cards.js';
import { buildDeps } from '../fakes/build-deps.js';
import { CHANNEL, PEOPLE } from '../fakes/builders.js';

describe('postCards', () => {
  it('posts to the channel and DMs approvers with a chat account, never the requester', async () => {
    const w = buildDeps();
    const c = await w.openCaseFor(w.addOrder({ name: 'P00042' }));

    await postCards(w.deps, c.id);

    // admin has Slack; marc requested the order; bob has no Slack account.
    expect(w.chat.posts.map((p) => p.target)).toEqual([
      { kind: 'channel', channelId: CHANNEL },
      { kind: 'user', userId: PEOPLE.admin.chat },
    ]);
    const card = w.chat.posts[0]!.card;
    expect(card.title).toContain('P00042');
    expect(card.actions.map((a) => a.id)).toEqual([
      ACTION_IDS.approve,
      ACTION_IDS.reject,
      ACTION_IDS.askQuestion,
      ACTION_IDS.forward,
    ]);
    expect(await w.store.listPostedMessages(c.id)).toEqual(w.chat.posts.map((p) => p.ref));
    expect(w.audit.list({ type: 'card.posted', caseId: c.id })).toHaveLength(2);
    expect(w.log.records.some((r) => r.msg?.includes('no chat account') && r.fields.odooUserId === 9)).toBe(true);
  });

  it('posts only to the channel when DMs are off', async () => {
    const w = buildDeps({ flow: { slack: { channel: CHANNEL, dmApprovers: false } } });
    const c = await w.openCaseFor(w.addOrder());
    await postCards(w.deps, c.id);
    expect(w.chat.posts.map((p) => p.target.kind)).toEqual(['channel']);
  });

  it('posts nothing twice when run again after a partial failure', async () => {
    const w = buildDeps();
    w.odoo.addUser({ id: 30, name: 'Dana Approver', email: 'dana@example.com' });
    w.chat.addUser('U-DANA', 'dana@example.com');
    w.odoo.setGroup('purchase.group_purchase_manager', [2, 7, 9, 30]);
    const c = await w.openCaseFor(w.addOrder());
    // The channel card and admin's DM go out, then Slack fails on Dana's DM.
    w.chat.failNext('postCard', undefined, 2);
    await expect(postCards(w.deps, c.id)).rejects.toMatchObject({ kind: 'transient' });
    expect(w.chat.posts).toHaveLength(2);

    await postCards(w.deps, c.id);
    await postCards(w.deps, c.id);

    expect(w.chat.posts.map((p) => p.target)).toEqual([
      { kind: 'channel', channelId: CHANNEL },
      { kind: 'user', userId: PEOPLE.admin.chat },
      { kind: 'user', userId: 'U-DANA' },
    ]);
    expect(await w.store.listPostedMessages(c.id)).toHaveLength(3);
    expect(w.audit.list({ type: 'card.posted' })).toHaveLength(3);
  });

  it('does nothing for a case that is no longer open', async () => {
    const w = buildDeps();
    const c = await w.openCaseFor(w.addOrder());
    await w.store.setCaseStatus(c.id, 'cancelled');
    await postCards(w.deps, c.id);
    expect(w.chat.posts).toEqual([]);
  });
});

describe('refreshCards', () => {
  it('redraws every posted copy, keeps going past a deleted one and rethrows a transient failure', async () => {
    const w = buildDeps();
    const c = await w.openCaseFor(w.addOrder());
    await postCards(w.deps, c.id);
    w.chat.failNext('updateCard');

    await expect(refreshCards(w.deps, c.id, 'The document changed.')).rejects.toMatchObject({ kind: 'transient' });
    expect(w.chat.updates).toHaveLength(1);

    await refreshCards(w.deps, c.id, 'The document changed.');
    expect(w.chat.updates).toHaveLength(3);
    expect(w.chat.updates[2]?.card.status).toMatchObject({ tone: 'warning' });
    expect(w.chat.updates[2]?.card.status.text).toContain('The document changed.');
  });
});
