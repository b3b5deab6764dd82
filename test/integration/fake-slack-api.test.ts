import { ErrorCode, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../../src/sandbox/slack/fake-slack-api.js';

let clock = Date.now();
let fake: FakeSlackApi;
let client: WebClient;
let channel: string;
let alice: string;

function clientWith(token: string | undefined, extra: ConstructorParameters<typeof WebClient>[1] = {}): WebClient {
  return new WebClient(token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, ...extra });
}

async function failure(promise: Promise<unknown>): Promise<{ code?: string; data?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (err) {
    return err as { code?: string; data?: Record<string, unknown> };
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  fake = await FakeSlackApi.start({ token: 'xoxb-test', now: () => clock });
  client = clientWith('xoxb-test');
  channel = fake.addChannel({ name: 'approvals' });
  alice = fake.addUser({ name: 'alice', email: 'Alice@Example.com' });
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(() => {
  clock = Date.now();
});

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('FakeSlackApi with the real WebClient', () => {
  it('answers auth.test and refuses wrong or missing tokens', async () => {
    const auth = await client.auth.test();
    expect(auth).toMatchObject({ ok: true, team_id: fake.teamId, user_id: fake.botUserId, bot_id: fake.botId });
    expect((await failure(clientWith('xoxb-wrong').auth.test())).data?.error).toBe('invalid_auth');
    expect((await failure(clientWith(undefined).auth.test())).data?.error).toBe('not_authed');
  });

  it('posts, updates and records every version of a message', async () => {
    const posted = await client.chat.postMessage({ channel, text: 'PO00042 needs approval', blocks: [section('v1')] });
    expect(posted).toMatchObject({
      ok: true,
      channel,
      message: { text: 'PO00042 needs approval', bot_id: fake.botId },
    });
    const ts = posted.ts!;
    const updated = await client.chat.update({ channel, ts, text: 'Approved', blocks: [section('v2')] });
    expect(updated).toMatchObject({ ok: true, channel, ts, text: 'Approved' });
    // Text-only update keeps the blocks, as Slack does.
    await client.chat.update({ channel, ts, text: 'Approved by alice' });
    const stored = fake.lastMessage(channel)!;
    expect(stored.text).toBe('Approved by alice');
    expect(stored.blocks).toEqual([section('v2')]);
    expect(stored.history.map((v) => v.via)).toEqual(['chat.postMessage', 'chat.update', 'chat.update']);
    expect(fake.calls.find((c) => c.method === 'chat.postMessage')?.args.blocks).toBe(JSON.stringify([section('v1')]));
  });

  it('uses Slack error names for message writes', async () => {
    const cases: Array<[Promise<unknown>, string]> = [
      [client.chat.postMessage({ channel: 'C0NOPE', text: 'x' }), 'channel_not_found'],
      [client.chat.update({ channel, ts: '1.000001', text: 'x' }), 'message_not_found'],
      [client.chat.update({ channel, ts: fake.addMessage({ channel, text: 'hi' }), text: 'x' }), 'cant_update_message'],
      [client.chat.postMessage({ channel, text: 'x'.repeat(40_001) }), 'msg_too_long'],
      [client.chat.postMessage({ channel, text: '' }), 'no_text'],
    ];
    for (const [call, error] of cases) expect((await failure(call)).data?.error).toBe(error);
  });

  it('opens a DM when posting to a user id, and deletes messages', async () => {
    const posted = await client.chat.postMessage({ channel: alice, text: 'Your approval is needed' });
    expect(posted.channel).toMatch(/^D/);
    expect(fake.dmChannelOf(alice)).toBe(posted.channel);
    const opened = await client.conversations.open({ users: alice });
    expect(opened.channel?.id).toBe(posted.channel);
    await client.chat.delete({ channel: posted.channel!, ts: posted.ts! });
    expect(fake.lastMessage(posted.channel!)).toBeUndefined();
    expect(fake.messages(posted.channel!)[0]?.deleted).toBe(true);
  });

  it('looks users up by email and id', async () => {
    const byEmail = await client.users.lookupByEmail({ email: 'alice@example.com' });
    expect(byEmail.user).toMatchObject({
      id: alice,
      is_bot: false,
      deleted: false,
      profile: { email: 'Alice@Example.com' },
    });
    const gone = fake.addUser({ name: 'bob', deleted: true });
    expect((await client.users.info({ user: gone })).user?.deleted).toBe(true);
    expect((await failure(client.users.lookupByEmail({ email: 'nobody@example.com' }))).data?.error).toBe(
      'users_not_found',
    );
    expect((await failure(client.users.info({ user: 'U0NOPE' }))).data?.error).toBe('user_not_found');
  });

  it('posts ephemerals', async () => {
    const sent = await client.chat.postEphemeral({ channel, user: alice, text: 'Only you can see this' });
    expect(sent.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(fake.ephemerals(alice).at(-1)).toMatchObject({ channel, text: 'Only you can see this' });
  });

  it('refuses invalid blocks with the errors Slack gives', async () => {
    const err = await failure(client.chat.postMessage({ channel, text: 'x', blocks: [section('y'.repeat(3001))] }));
    expect(err.code).toBe(ErrorCode.PlatformError);
    expect(err.data).toMatchObject({
      error: 'invalid_blocks',
      errors: ['must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
    });
    const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const many = await failure(client.chat.postMessage({ channel, text: 'x', blocks: tooMany }));
    expect(many.data?.errors).toEqual(['no more than 50 items allowed [json-pointer:/blocks]']);
  });

  it('opens modals only with a fresh, unused trigger id', async () => {
    const view = {
      type: 'modal' as const,
      callback_id: 'approval.reject',
      title: { type: 'plain_text' as const, text: 'Reject' },
      submit: { type: 'plain_text' as const, text: 'Reject' },
      blocks: [
        {
          type: 'input',
          block_id: 'reason',
          label: { type: 'plain_text' as const, text: 'Reason' },
          element: { type: 'plain_text_input' as const, action_id: 'reason.input', multiline: true },
        },
      ],
    };
    const trigger = fake.issueTriggerId(alice);
    const opened = await client.views.open({ trigger_id: trigger, view });
    expect(opened.view).toMatchObject({ callback_id: 'approval.reject', type: 'modal' });
    expect((await failure(client.views.open({ trigger_id: trigger, view }))).data?.error).toBe('exchanged_trigger_id');
    const late = fake.issueTriggerId(alice);
    clock += 3001;
    expect((await failure(client.views.open({ trigger_id: late, view }))).data?.error).toBe('expired_trigger_id');
    const longTitle = { ...view, title: { type: 'plain_text' as const, text: 'x'.repeat(25) } };
    const bad = await failure(client.views.open({ trigger_id: fake.issueTriggerId(), view: longTitle }));
    expect(bad.data).toMatchObject({
      error: 'invalid_arguments',
      response_metadata: { messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'] },
    });
    const updated = await client.views.update({ view_id: opened.view!.id!, hash: opened.view!.hash!, view });
    expect(updated.view?.id).toBe(opened.view!.id);
    const stale = client.views.update({ view_id: opened.view!.id!, hash: opened.view!.hash!, view });
    expect((await failure(stale)).data?.error).toBe('hash_conflict');
    expect(fake.views().find((v) => v.id === opened.view!.id)?.history).toHaveLength(2);
  });

  it('answers 429 with Retry-After, which the client surfaces when it rejects rate-limited calls', async () => {
    fake.rateLimit('chat.postMessage', { times: 1, retryAfterSec: 7 });
    const strict = clientWith('xoxb-test', { rejectRateLimitedCalls: true });
    const err = (await failure(strict.chat.postMessage({ channel, text: 'x' }))) as {
      code?: string;
      retryAfter?: number;
    };
    expect(err.code).toBe(ErrorCode.RateLimitedError);
    expect(err.retryAfter).toBe(7);
    expect(fake.calls.at(-1)).toMatchObject({ method: 'chat.postMessage', status: 429 });
    await expect(strict.chat.postMessage({ channel, text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it('fails the next call on demand', async () => {
    fake.failNext('users.info', { status: 503 });
    expect((await failure(client.users.info({ user: alice }))).code).toBe(ErrorCode.HTTPError);
    fake.failNext('users.info', { error: 'fatal_error' });
    expect((await failure(client.users.info({ user: alice }))).data?.error).toBe('fatal_error');
    await expect(client.users.info({ user: alice })).resolves.toMatchObject({ ok: true });
  });
});

describe('response_url', () => {
  const post = (url: string, body: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('replaces, deletes, and answers ephemerally or in channel', async () => {
    const { ts } = await client.chat.postMessage({ channel, text: 'card', blocks: [section('pending')] });
    const url = fake.responseUrl('hook-1', { channelId: channel, messageTs: ts!, userId: alice });
    expect((await post(url, { text: 'Only you', response_type: 'ephemeral' })).status).toBe(200);
    expect((await post(url, { text: 'Everyone', response_type: 'in_channel' })).status).toBe(200);
    expect((await post(url, { replace_original: true, text: 'Approved', blocks: [section('done')] })).status).toBe(200);
    const card = fake.messages(channel).find((m) => m.ts === ts)!;
    expect(card.blocks).toEqual([section('done')]);
    expect(card.history.at(-1)?.via).toBe('response_url');
    expect(fake.ephemerals(alice).at(-1)).toMatchObject({ text: 'Only you', via: 'response_url' });
    expect(fake.lastMessage(channel)?.text).toBe('Everyone');
    await post(url, { delete_original: true });
    expect(fake.messages(channel).find((m) => m.ts === ts)?.deleted).toBe(true);
    expect(fake.responses('hook-1').map((r) => r.outcome)).toEqual(['ephemeral', 'in_channel', 'replaced', 'deleted']);
  });

  it('replaces and deletes an ephemeral message through the response_url of a click on it', async () => {
    await post(fake.responseUrl('command-1', { channelId: channel, userId: alice }), { text: 'Private answer' });
    const shown = fake.ephemerals(alice).at(-1)!;
    expect(shown).toMatchObject({ channel, text: 'Private answer' });
    const click = fake.responseUrl('click-1', { channelId: channel, messageTs: shown.messageTs, userId: alice });
    await post(click, { response_type: 'in_channel', replace_original: false, text: 'Shared' });
    expect(fake.lastMessage(channel)?.text).toBe('Shared');
    await post(click, { replace_original: true, text: 'You shared it', blocks: [section('shared')] });
    const replaced = fake.ephemerals(alice).find((e) => e.messageTs === shown.messageTs)!;
    expect(replaced).toMatchObject({ text: 'You shared it', blocks: [section('shared')] });
    expect(replaced.replacedAt).toHaveLength(1);
    expect(replaced.deleted).toBeUndefined();
    await post(click, { delete_original: true });
    expect(fake.ephemerals(alice).find((e) => e.messageTs === shown.messageTs)?.deleted).toBe(true);
    expect(fake.responses('click-1').map((r) => r.outcome)).toEqual(['in_channel', 'replaced', 'deleted']);
  });

  it('refuses a sixth use and use after 30 minutes', async () => {
    const url = fake.responseUrl();
    for (let i = 0; i < 5; i += 1) expect((await post(url, { text: `${i}` })).status).toBe(200);
    const sixth = await post(url, { text: 'again' });
    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toMatchObject({ ok: false, error: 'used_url' });
    const old = fake.responseUrl();
    clock += 30 * 60 * 1000 + 1;
    const late = await post(old, { text: 'late' });
    expect(late.status).toBe(404);
    expect(await late.json()).toMatchObject({ error: 'expired_url' });
  });

  it('refuses invalid blocks', async () => {
    const bad = await post(fake.responseUrl(), { blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'x' } }] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_blocks' });
  });
});
