import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpReply } from '../../src/bot/slack/slack-request-receiver.js';
import { type HttpHandlers, json, type RunningServer, sameSecret, startHttpServer } from '../../src/http/server.js';
import { aRecordingLogger } from '../support/builders.js';

const TOKEN = 'f3c1a9e07b2d4c5e8a6b0d1f2e3c4b5a6978';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A plain HTTP request, so the test controls headers and body bytes exactly. */
function send(
  port: number,
  method: string,
  path: string,
  body?: Buffer | string,
  headers: Record<string, string> = {},
) {
  return new Promise<Reply>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

let running: RunningServer | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

async function serve(overrides: Partial<HttpHandlers> = {}) {
  const webhookBodies: unknown[] = [];
  const slackBodies: string[] = [];
  const log = aRecordingLogger();
  const handlers: HttpHandlers = {
    webhookToken: TOKEN,
    readiness: [],
    log,
    odooWebhook: async (body: unknown): Promise<HttpReply> => {
      webhookBodies.push(body);
      return json(202, { status: 'queued' });
    },
    slack: async (_req, raw) => {
      slackBodies.push(raw.toString('utf8'));
      return json(200, { ok: true });
    },
    ...overrides,
  };
  running = await startHttpServer(handlers, 0, '127.0.0.1');
  return { port: running.port, webhookBodies, slackBodies, log };
}

const JSON_TYPE = { 'content-type': 'application/json' };

describe('startHttpServer', () => {
  it('on a worker process, says chat traffic belongs to a web process', async () => {
    const { port } = await serve({ healthOnly: true, slack: undefined, odooWebhook: undefined });
    expect((await send(port, 'GET', '/healthz')).status).toBe(200);
    const r = await send(port, 'POST', '/slack/events', 'payload=%7B%7D');
    expect(r.status).toBe(404);
    expect(r.text).toContain('--role worker');
  });

  it('answers /healthz', async () => {
    const { port } = await serve();
    const r = await send(port, 'GET', '/healthz');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ status: 'ok' });
    expect((await send(port, 'POST', '/healthz', '')).status).toBe(405);
  });

  it('answers /readyz 200 when every check passes', async () => {
    const { port } = await serve({ readiness: [{ name: 'store', run: async () => {} }] });
    const r = await send(port, 'GET', '/readyz');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toEqual({ status: 'ready', checks: [{ name: 'store', ok: true }] });
  });

  it('answers /readyz 503 naming the failing check and why', async () => {
    const { port } = await serve({
      readiness: [
        { name: 'store', run: async () => {} },
        {
          name: 'queue',
          run: async () => {
            throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
          },
        },
      ],
    });
    const r = await send(port, 'GET', '/readyz');
    expect(r.status).toBe(503);
    expect(JSON.parse(r.text)).toEqual({
      status: 'not_ready',
      checks: [
        { name: 'store', ok: true },
        { name: 'queue', ok: false, error: 'connect ECONNREFUSED 127.0.0.1:6379' },
      ],
    });
  });

  it('reports a hanging check as a timeout', async () => {
    const { port } = await serve({ readiness: [{ name: 'odoo', run: () => new Promise<void>(() => {}) }] });
    const started = Date.now();
    const r = await send(port, 'GET', '/readyz');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.status).toBe(503);
    expect(JSON.parse(r.text).checks[0]).toEqual({
      name: 'odoo',
      ok: false,
      error: 'odoo did not answer within 3000 ms',
    });
  });

  it('passes a JSON webhook with the right token to the handler', async () => {
    const { port, webhookBodies } = await serve();
    const r = await send(port, 'POST', `/odoo/webhook/${TOKEN}`, '{"_model":"purchase.order","_id":42}', {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(r.status).toBe(202);
    expect(webhookBodies).toEqual([{ _model: 'purchase.order', _id: 42 }]);
  });

  it.each([
    ['a wrong token', `/odoo/webhook/${TOKEN.slice(0, -1)}x`],
    ['a token prefix', `/odoo/webhook/${TOKEN.slice(0, 10)}`],
    ['no token', '/odoo/webhook/'],
    ['a malformed escape', '/odoo/webhook/%E0%A4%A'],
    ['a nested path', `/odoo/webhook/${TOKEN}/x`],
  ])('answers 404 to %s and does not call the handler', async (_what, path) => {
    const { port, webhookBodies } = await serve();
    const r = await send(port, 'POST', path, '{"_model":"purchase.order","_id":42}', JSON_TYPE);
    expect(r.status).toBe(404);
    expect(webhookBodies).toEqual([]);
  });

  it('answers 404 to every webhook when no handler is configured', async () => {
    const { port } = await serve({ odooWebhook: undefined });
    expect((await send(port, 'POST', `/odoo/webhook/${TOKEN}`, '{}', JSON_TYPE)).status).toBe(404);
  });

  it('answers 405 to a GET with the right token', async () => {
    const { port } = await serve();
    expect((await send(port, 'GET', `/odoo/webhook/${TOKEN}`)).status).toBe(405);
  });

  it('answers 415 to a webhook that is not JSON', async () => {
    const { port, webhookBodies } = await serve();
    const r = await send(port, 'POST', `/odoo/webhook/${TOKEN}`, '{}', { 'content-type': 'text/plain' });
    expect(r.status).toBe(415);
    expect(JSON.parse(r.text).message).toMatch(/application\/json/);
    expect(webhookBodies).toEqual([]);
  });

  it('answers 400 to invalid JSON', async () => {
    const { port, webhookBodies } = await serve();
    const r = await send(port, 'POST', `/odoo/webhook/${TOKEN}`, '{"_model":', JSON_TYPE);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toEqual({ error: 'bad_request', message: 'body is not valid JSON' });
    expect(webhookBodies).toEqual([]);
  });

  it('answers 413 to a body over 1 MiB', async () => {
    const { port, webhookBodies, slackBodies } = await serve();
    const big = Buffer.alloc(1024 * 1024 + 1, 0x20);
    const hook = await send(port, 'POST', `/odoo/webhook/${TOKEN}`, big, JSON_TYPE);
    expect(hook.status).toBe(413);
    expect(JSON.parse(hook.text).error).toBe('payload_too_large');
    const slack = await send(port, 'POST', '/slack/events', big, { 'content-type': 'application/json' });
    expect(slack.status).toBe(413);
    const chunked = await send(port, 'POST', `/odoo/webhook/${TOKEN}`, big, {
      ...JSON_TYPE,
      'transfer-encoding': 'chunked',
    });
    expect(chunked.status).toBe(413);
    expect(webhookBodies).toEqual([]);
    expect(slackBodies).toEqual([]);
  });

  it('accepts a body of exactly 1 MiB', async () => {
    const { port, webhookBodies } = await serve();
    const body = Buffer.alloc(1024 * 1024, 0x20);
    body.write('{}');
    expect((await send(port, 'POST', `/odoo/webhook/${TOKEN}`, body, JSON_TYPE)).status).toBe(202);
    expect(webhookBodies).toEqual([{}]);
  });

  it('passes the raw Slack body to the Slack handler and answers 405 to GET', async () => {
    const { port, slackBodies } = await serve();
    expect((await send(port, 'POST', '/slack/events', 'payload=%7B%7D', {})).status).toBe(200);
    expect(slackBodies).toEqual(['payload=%7B%7D']);
    expect((await send(port, 'GET', '/slack/events')).status).toBe(405);
  });

  it('answers 404 on /slack/events when Slack is not configured', async () => {
    const { port } = await serve({ slack: undefined });
    const r = await send(port, 'POST', '/slack/events', '{}', JSON_TYPE);
    expect(r.status).toBe(404);
    expect(JSON.parse(r.text).message).toMatch(/Slack is not configured/);
  });

  it('answers 404 to an unknown path', async () => {
    const { port } = await serve();
    expect((await send(port, 'GET', '/nope')).status).toBe(404);
    expect((await send(port, 'GET', '/')).status).toBe(404);
  });

  it('answers 500 with a reference when a handler fails, and logs it without the token', async () => {
    const { port, log } = await serve({
      odooWebhook: async () => {
        throw new Error('boom');
      },
    });
    const r = await send(port, 'POST', `/odoo/webhook/${TOKEN}`, '{}', JSON_TYPE);
    expect(r.status).toBe(500);
    const ref = /ref ([a-z0-9]+)/.exec(JSON.parse(r.text).message)?.[1];
    expect(ref).toBeTruthy();
    const entry = log.entries.find((e) => e.level === 'error');
    expect(entry?.obj).toMatchObject({ ref, path: '/odoo/webhook/[token]' });
    expect(JSON.stringify(entry?.obj)).not.toContain(TOKEN);
  });
});

describe('sameSecret', () => {
  it('is true only for equal strings, whatever the lengths', () => {
    expect(sameSecret(TOKEN, TOKEN)).toBe(true);
    expect(sameSecret(TOKEN, `${TOKEN}x`)).toBe(false);
    expect(sameSecret(TOKEN, TOKEN.slice(0, -1))).toBe(false);
    expect(sameSecret('', '')).toBe(true);
    expect(sameSecret('', TOKEN)).toBe(false);
    expect(sameSecret('é', 'e')).toBe(false);
  });
});
