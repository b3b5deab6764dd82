import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type BlockAction, verifySlackRequest } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi } from '../../src/sandbox/slack/fake-slack-api.js';
import { blockActionsPayload, slashCommandFields, viewSubmissionPayload } from '../../src/sandbox/slack/payloads.js';
import {
  blockActionsBody,
  type SlackRequestBody,
  signedSlackHeaders,
  signSlackRequest,
  slashCommandBody,
  viewSubmissionBody,
} from '../../src/sandbox/slack/sign-slack-request.js';

const secret = 'test-signing-secret';
let fake: FakeSlackApi;
let app: App;
let eventsUrl: string;
let channel: string;
let alice: string;
const seen: string[] = [];

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  channel = fake.addChannel({ name: 'approvals' });
  alice = fake.addUser({ name: 'alice', email: 'alice@example.com' });
  app = new App({
    token: fake.token,
    signingSecret: secret,
    botId: fake.botId,
    botUserId: fake.botUserId,
    processBeforeResponse: true,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  app.action<BlockAction>('approval.approve', async ({ ack, body, client, respond }) => {
    await ack();
    const ts = body.container.message_ts as string;
    await client.chat.update({ channel: body.channel!.id, ts, text: `Approved by <@${body.user.id}>` });
    await respond({ response_type: 'ephemeral', text: 'Recorded.' });
  });
  app.view('approval.reject', async ({ ack, view }) => {
    seen.push(view.state.values.reason?.['reason.input']?.value ?? '');
    await ack({ response_action: 'errors', errors: { reason: 'Say why in at least 10 characters.' } });
  });
  app.command('/odoo', async ({ ack, command }) => {
    seen.push(command.text);
    await ack({ response_type: 'ephemeral', text: 'Nothing pending.' });
  });
  const server = (await app.start(0)) as Server;
  eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});

afterAll(async () => {
  await app.stop();
  await fake.stop();
});

const deliver = (request: SlackRequestBody, headers = signedSlackHeaders(secret, request)) =>
  fetch(eventsUrl, { method: 'POST', headers, body: request.body });

describe('signed requests as Slack sends them', () => {
  it('produces signatures Bolt verifies', () => {
    const body = 'payload=%7B%7D';
    const headers = signSlackRequest(secret, body, 1_700_000_000);
    expect(headers['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(() =>
      verifySlackRequest({
        signingSecret: secret,
        body,
        headers: {
          'x-slack-signature': headers['x-slack-signature'],
          'x-slack-request-timestamp': 1_700_000_000,
        },
        nowMilliseconds: 1_700_000_000_000,
      }),
    ).not.toThrow();
  });

  it('delivers a button click that updates the card through the fake and answers on response_url', async () => {
    const { ts } = await app.client.chat.postMessage({ channel, text: 'PO00042 needs approval' });
    const responseUrl = fake.responseUrl('click-1', { channelId: channel, messageTs: ts!, userId: alice });
    const payload = blockActionsPayload({ channelId: channel, messageTs: ts!, userId: alice, responseUrl });
    const res = await deliver(blockActionsBody(payload));
    expect(res.status).toBe(200);
    expect(fake.lastMessage(channel)?.text).toBe(`Approved by <@${alice}>`);
    expect(fake.responses('click-1')).toMatchObject([
      { status: 200, outcome: 'ephemeral', body: { text: 'Recorded.' } },
    ]);
  });

  it('delivers a view submission and returns the ack body', async () => {
    const payload = viewSubmissionPayload({
      values: { reason: { 'reason.input': { type: 'plain_text_input', value: 'too' } } },
    });
    const res = await deliver(viewSubmissionBody(payload));
    expect(await res.json()).toEqual({
      response_action: 'errors',
      errors: { reason: 'Say why in at least 10 characters.' },
    });
    expect(seen).toContain('too');
  });

  it('delivers a slash command as flat form fields', async () => {
    const res = await deliver(slashCommandBody(slashCommandFields({ text: 'pending' })));
    expect(await res.json()).toMatchObject({ text: 'Nothing pending.' });
    expect(seen).toContain('pending');
  });

  it('is refused by Bolt when the signature is wrong or stale', async () => {
    const request = blockActionsBody(blockActionsPayload());
    expect((await deliver(request, signedSlackHeaders('wrong-secret', request))).status).toBe(401);
    const stale = signedSlackHeaders(secret, request, Math.floor(Date.now() / 1000) - 301);
    expect((await deliver(request, stale)).status).toBe(401);
  });
});
