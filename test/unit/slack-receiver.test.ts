import type { IncomingHttpHeaders } from 'node:http';
import { App } from '@slack/bolt';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseSlackBody,
  SlackRequestReceiver,
  verifySlackSignature,
} from '../../src/bot/slack/slack-request-receiver.js';
import { blockActionsPayload, slashCommandFields } from '../../src/sandbox/slack/payloads.js';
import {
  blockActionsBody,
  SLACK_FORM_CONTENT_TYPE,
  signSlackRequest,
  slashCommandBody,
} from '../../src/sandbox/slack/sign-slack-request.js';
import { aRecordingLogger } from '../support/builders.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW = 1_700_000_000;
const body = 'payload=%7B%22type%22%3A%22block_actions%22%7D';

function signed(raw: string, overrides: Partial<IncomingHttpHeaders> = {}, at = NOW): IncomingHttpHeaders {
  return { 'content-type': SLACK_FORM_CONTENT_TYPE, ...signSlackRequest(SECRET, raw, at), ...overrides };
}

const verify = (headers: IncomingHttpHeaders, raw = body) =>
  verifySlackSignature(SECRET, headers, Buffer.from(raw), NOW);

describe('verifySlackSignature', () => {
  it('accepts a correctly signed request, at the edges of the window too', () => {
    expect(verify(signed(body))).toEqual({ ok: true });
    expect(verify(signed(body, {}, NOW - 300))).toEqual({ ok: true });
    expect(verify(signed(body, {}, NOW + 300))).toEqual({ ok: true });
  });

  it('refuses a signature made with another secret', () => {
    const headers = { ...signSlackRequest('another-secret', body, NOW) };
    expect(verify(headers)).toMatchObject({ ok: false, reason: expect.stringMatching(/SLACK_SIGNING_SECRET/) });
  });

  it('refuses an altered body', () => {
    expect(verify(signed(body), `${body}x`)).toMatchObject({ ok: false });
  });

  it.each([
    ['301 s old', NOW - 301],
    ['301 s in the future', NOW + 301],
  ])('refuses a timestamp %s', (_what, at) => {
    expect(verify(signed(body, {}, at))).toMatchObject({ ok: false, reason: expect.stringMatching(/5-minute/) });
  });

  it('refuses missing headers', () => {
    const { 'x-slack-signature': sig, 'x-slack-request-timestamp': ts } = signed(body);
    expect(verify({ 'x-slack-signature': sig })).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/) });
    expect(verify({ 'x-slack-request-timestamp': ts })).toMatchObject({ ok: false });
    expect(verify({})).toMatchObject({ ok: false });
  });

  it('refuses a non-numeric timestamp', () => {
    expect(verify(signed(body, { 'x-slack-request-timestamp': 'yesterday' }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not a number/),
    });
    expect(verify(signed(body, { 'x-slack-request-timestamp': '1700000000.5' }))).toMatchObject({ ok: false });
  });

  it('refuses another signature version', () => {
    const sig = signed(body)['x-slack-signature'] as string;
    expect(verify(signed(body, { 'x-slack-signature': sig.replace(/^v0=/, 'v1=') }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/version/),
    });
    expect(verify(signed(body, { 'x-slack-signature': sig.slice(3) }))).toMatchObject({ ok: false });
  });

  it('refuses truncated, padded or garbled hex', () => {
    const sig = signed(body)['x-slack-signature'] as string;
    for (const bad of [sig.slice(0, -2), sig.slice(0, -1), `${sig}00`, `${sig}zz`, `${sig}z`, 'v0=', 'v0=zz'])
      expect(verify(signed(body, { 'x-slack-signature': bad })), bad).toMatchObject({ ok: false });
  });
});

describe('parseSlackBody', () => {
  const parse = (type: string | undefined, text: string) => parseSlackBody(type, Buffer.from(text));

  it('parses JSON events, with or without a charset', () => {
    const event = { type: 'event_callback', event: { type: 'app_mention' } };
    expect(parse('application/json', JSON.stringify(event))).toEqual({ body: event });
    expect(parse('Application/JSON; charset=utf-8', JSON.stringify(event))).toEqual({ body: event });
  });

  it('parses form-encoded interactions from the payload field', () => {
    const payload = blockActionsPayload({ userId: 'U0ALICE' });
    const result = parse(SLACK_FORM_CONTENT_TYPE, blockActionsBody(payload).body);
    expect(result).toEqual({ body: payload });
    expect(parse(`${SLACK_FORM_CONTENT_TYPE}; charset=utf-8`, blockActionsBody(payload).body)).toEqual({
      body: payload,
    });
  });

  it('parses slash commands from flat fields', () => {
    const fields = slashCommandFields({ command: '/odoo', text: 'help' });
    expect(parse(SLACK_FORM_CONTENT_TYPE, slashCommandBody(fields).body)).toEqual({ body: fields });
  });

  it('passes an ssl_check through', () => {
    expect(parse(SLACK_FORM_CONTENT_TYPE, 'ssl_check=1&token=x')).toEqual({ body: { ssl_check: '1', token: 'x' } });
  });

  it.each([
    ['malformed JSON', 'application/json', '{"type":', /not valid JSON/],
    ['JSON without a type', 'application/json', '{"event":{}}', /"type"/],
    ['a JSON array', 'application/json', '[1,2]', /"type"/],
    ['a malformed payload', SLACK_FORM_CONTENT_TYPE, 'payload=%7Bnope', /not valid JSON/],
    [
      'a payload without user',
      SLACK_FORM_CONTENT_TYPE,
      blockActionsBody({ type: 'block_actions', actions: [] }).body,
      /malformed: user/,
    ],
    ['a form that is no command', SLACK_FORM_CONTENT_TYPE, 'foo=bar', /neither/],
    ['a command without /', SLACK_FORM_CONTENT_TYPE, 'command=odoo&user_id=U1', /neither/],
    ['text/plain', 'text/plain', 'hello', /unsupported content type "text\/plain"/],
    ['no content type', undefined, '{}', /unsupported content type ""/],
  ])('refuses %s with a reason', (_what, type, text, reason) => {
    const result = parse(type, text);
    expect(result).toEqual({ error: expect.stringMatching(reason) });
  });

  it('never throws, whatever the bytes and content type', () => {
    const type = fc.option(
      fc.oneof(
        fc.constantFrom('application/json', SLACK_FORM_CONTENT_TYPE, `${SLACK_FORM_CONTENT_TYPE}; charset=utf-8`),
        fc.string(),
      ),
      { nil: undefined },
    );
    const raw = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
      fc.json().map((j) => Buffer.from(j)),
      fc.json().map((j) => Buffer.from(`payload=${encodeURIComponent(j)}`)),
      fc.dictionary(fc.string(), fc.string()).map((d) => Buffer.from(new URLSearchParams(d).toString())),
    );
    fc.assert(
      fc.property(type, raw, (t, r) => {
        const result = parseSlackBody(t, r);
        expect('body' in result || 'error' in result).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('SlackRequestReceiver with a Bolt App', () => {
  function setup() {
    const log = aRecordingLogger();
    const receiver = new SlackRequestReceiver(SECRET, log, () => NOW);
    const app = new App({ token: 'xoxb-x', botId: 'B1', botUserId: 'U1', receiver });
    const clicks: string[] = [];
    app.action('x', async ({ ack, body }) => {
      clicks.push(body.user.id);
      await ack();
    });
    return { receiver, clicks, log };
  }
  const click = (overrides: Record<string, unknown> = {}) =>
    blockActionsBody(blockActionsPayload({ actionId: 'x', userId: 'U0ALICE' }, overrides)).body;

  it('runs the listener for a signed request and answers 200', async () => {
    const { receiver, clicks } = setup();
    const raw = click();
    const reply = await receiver.handle(signed(raw), Buffer.from(raw));
    expect(reply.status).toBe(200);
    expect(clicks).toEqual(['U0ALICE']);
  });

  it('answers 401 to a bad signature and runs no listener', async () => {
    const { receiver, clicks, log } = setup();
    const raw = click();
    const reply = await receiver.handle(signed(raw, {}, NOW - 1000), Buffer.from(raw));
    expect(reply.status).toBe(401);
    expect(JSON.parse(reply.body)).toMatchObject({ error: 'invalid_signature' });
    const forged = await receiver.handle(signed('payload=%7B%7D'), Buffer.from(raw));
    expect(forged.status).toBe(401);
    expect(clicks).toEqual([]);
    expect(log.entries.filter((e) => e.level === 'warn')).toHaveLength(2);
  });

  it('echoes the url_verification challenge', async () => {
    const { receiver } = setup();
    const raw = JSON.stringify({
      token: 't',
      challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
      type: 'url_verification',
    });
    const reply = await receiver.handle(signed(raw, { 'content-type': 'application/json' }), Buffer.from(raw));
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('answers 400 to a signed but malformed body', async () => {
    const { receiver, clicks } = setup();
    const raw = 'payload=%7Bnot-json';
    const reply = await receiver.handle(signed(raw), Buffer.from(raw));
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ error: 'bad_request', message: expect.any(String) });
    expect(clicks).toEqual([]);
  });

  it('answers 200 to an event nobody listens to', async () => {
    const { receiver, clicks } = setup();
    const raw = JSON.stringify({
      type: 'event_callback',
      team_id: 'T0FAKETEAM1',
      api_app_id: 'A0FAKEAPP01',
      event: { type: 'reaction_added', user: 'U0ALICE', reaction: 'thumbsup', event_ts: '1700000000.000200' },
      event_id: 'Ev0001',
      event_time: NOW,
    });
    const reply = await receiver.handle(signed(raw, { 'content-type': 'application/json' }), Buffer.from(raw));
    expect(reply.status).toBe(200);
    const other = click({ actions: [{ type: 'button', action_id: 'y', block_id: 'b', value: 'v', action_ts: '1' }] });
    expect((await receiver.handle(signed(other), Buffer.from(other))).status).toBe(200);
    expect(clicks).toEqual([]);
  });

  it('answers 503 before an app is attached', async () => {
    const receiver = new SlackRequestReceiver(SECRET, aRecordingLogger(), () => NOW);
    const raw = click();
    expect((await receiver.handle(signed(raw), Buffer.from(raw))).status).toBe(503);
  });
});
