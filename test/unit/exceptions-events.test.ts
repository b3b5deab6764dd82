import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openExternalException } from '../../src/flows/exceptions/open-exception.js';
import { handleEvents, signEvent } from '../../src/http/events-endpoint.js';
import { buildExceptionWorld } from '../support/exception-world.js';

const SECRET = 'events-secret-0123456789abcdef0123456789';

function anEvent(overrides: Record<string, unknown> = {}) {
  return {
    key: 'meter-2026-11-25-acme',
    type: 'usage-sync-failed',
    severity: 'high',
    title: 'Usage sync failed for ACME',
    facts: { Customer: 'ACME', 'Records rejected': 42 },
    ...overrides,
  };
}

function setup() {
  const w = buildExceptionWorld();
  const now = () => w.clock.now();
  const post = (body: string, headers: Record<string, string>) =>
    handleEvents(
      { secret: SECRET, now, accept: (e) => openExternalException(w.ex, e), log: w.log },
      headers,
      Buffer.from(body),
    );
  const signed = (body: string, at = Math.floor(now().getTime() / 1000), secret = SECRET) =>
    post(body, { 'x-timestamp': String(at), 'x-signature': signEvent(secret, at, body) });
  return { w, post, signed, nowSec: Math.floor(now().getTime() / 1000) };
}

describe('POST /events', () => {
  it('signs "<timestamp>.<raw body>" with HMAC-SHA256 as sha256=<hex>', () => {
    const expected = createHmac('sha256', 'k').update('1700000000.{"a":1}').digest('hex');
    expect(signEvent('k', 1700000000, '{"a":1}')).toBe(`sha256=${expected}`);
  });

  it('opens an exception (202), and a repeat of the key answers 200 with the same id and no second card', async () => {
    const { w, signed } = setup();
    const body = JSON.stringify(anEvent());
    const first = await signed(body);
    expect(first.status).toBe(202);
    const { id } = JSON.parse(first.body) as { id: string };
    const again = await signed(body);
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body)).toMatchObject({ id, status: 'exists' });
    expect(await w.exceptions.list({})).toHaveLength(1);
    const item = (await w.exceptions.get(id))!;
    expect(item).toMatchObject({ severity: 'high', owners: [expect.objectContaining({ name: 'Mitchell Admin' })] });
    expect(item.facts).toEqual([
      { label: 'Customer', value: 'ACME' },
      { label: 'Records rejected', value: '42' },
    ]);
    expect(w.queue.pending({ name: 'exception.cards_post' })).toHaveLength(1);
  });

  it('answers 401 for a forged, missing or stale signature (both ways), before reading the body', async () => {
    const { w, post, signed, nowSec } = setup();
    const body = JSON.stringify(anEvent());
    expect((await signed(body, nowSec, 'wrong-secret')).status).toBe(401);
    expect((await post(body, {})).status).toBe(401);
    expect((await signed(body, nowSec - 301)).status).toBe(401);
    expect((await signed(body, nowSec + 301)).status).toBe(401);
    expect((await signed(body, nowSec - 299)).status).toBe(202);
    // A signature over another body does not carry over.
    const other = await post(JSON.stringify(anEvent({ key: 'other' })), {
      'x-timestamp': String(nowSec),
      'x-signature': signEvent(SECRET, nowSec, body),
    });
    expect(other.status).toBe(401);
    expect(JSON.parse(other.body).message).toMatch(/sha256=<hex HMAC-SHA256 of "<X-Timestamp>.<raw body>">/);
    expect(await w.exceptions.list({})).toHaveLength(1);
  });

  it('answers 400 with the reason for a malformed body, and 422 for an unknown type', async () => {
    const { signed } = setup();
    const bad = await signed(JSON.stringify(anEvent({ title: '', severity: 'urgent' })));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).message).toMatch(/severity must be low, medium, high or critical/);
    expect(JSON.parse(bad.body).message).toMatch(/title: title is required/);
    expect((await signed('{not json')).status).toBe(400);
    const unknown = await signed(JSON.stringify(anEvent({ type: 'invoice-sync-failed' })));
    expect(unknown.status).toBe(422);
    expect(JSON.parse(unknown.body)).toMatchObject({ error: 'unknown_type', known: ['usage-sync-failed'] });
  });
});

describe('POST /events during a secret rotation', () => {
  const PREVIOUS = 'events-secret-previous-0123456789abcdef';
  const NEWEST = 'events-secret-newest-0123456789abcdef012';

  it('accepts the previous secret only while EVENTS_HMAC_SECRET_PREVIOUS is set', async () => {
    const w = buildExceptionWorld();
    const now = () => w.clock.now();
    const at = Math.floor(now().getTime() / 1000);
    const post = (previousSecret: string | undefined, secret: string, key: string) => {
      const body = JSON.stringify(anEvent({ key }));
      return handleEvents(
        { secret: NEWEST, previousSecret, now, accept: (e) => openExternalException(w.ex, e), log: w.log },
        { 'x-timestamp': String(at), 'x-signature': signEvent(secret, at, body) },
        Buffer.from(body),
      );
    };
    expect((await post(PREVIOUS, NEWEST, 'k1')).status).toBe(202);
    expect((await post(PREVIOUS, PREVIOUS, 'k2')).status).toBe(202);
    expect((await post(undefined, PREVIOUS, 'k3')).status).toBe(401);
    expect((await post(PREVIOUS, 'some-other-secret-0123456789abcdef0123', 'k4')).status).toBe(401);
  });
});
