import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acceptOdooWebhook,
  type OdooWebhookEvent,
  parseOdooWebhook,
  type WebhookIngressDeps,
  webhookDatetimeToIso,
} from '../../src/odoo/profiles/webhook-event.js';

/** What Odoo 17's "Send Webhook Notification" server action posts: sorted keys, many2one as ids, false for empty. */
function odooPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    _action: 'Send Webhook Notification(#523)',
    _id: 42,
    _model: 'purchase.order',
    amount_total: 12000.0,
    currency_id: 1,
    date_approve: false,
    id: 42,
    name: 'P00042',
    partner_id: 9,
    state: 'to approve',
    user_id: 7,
    write_date: '2026-11-25 10:00:00.123456',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(fields).sort(([a], [b]) => a.localeCompare(b)));
}

function ingress(models: string[] = ['purchase.order']) {
  const queued: Array<{ event: OdooWebhookEvent; key: string }> = [];
  const deps: WebhookIngressDeps = {
    modelsWithFlows: () => new Set(models),
    enqueue: async (event, key) => {
      queued.push({ event, key });
    },
    now: () => new Date('2026-11-25T10:00:07.890Z'),
  };
  return { deps, queued };
}

describe('webhookDatetimeToIso', () => {
  it.each([
    ['2026-11-25 10:00:00.123456', '2026-11-25T10:00:00Z'],
    ['2026-11-25 10:00:00', '2026-11-25T10:00:00Z'],
    ['2026-11-25T10:00:00', '2026-11-25T10:00:00Z'],
  ])('reads %s as %s', (input, iso) => {
    expect(webhookDatetimeToIso(input)).toBe(iso);
  });

  it.each(['', '2026-11-25', 'yesterday', '25/11/2026 10:00:00', '2026-11-25 10:00'])('gives null for %j', (input) => {
    expect(webhookDatetimeToIso(input)).toBeNull();
  });
});

describe('parseOdooWebhook', () => {
  it('reads a real Odoo 17 payload', () => {
    expect(parseOdooWebhook(odooPayload())).toEqual({
      ok: true,
      event: { model: 'purchase.order', id: 42, writeDate: '2026-11-25T10:00:00Z' },
    });
  });

  it('has no write date when the admin did not pick it, or it is false', () => {
    const { write_date: _, ...without } = odooPayload();
    expect(parseOdooWebhook(without)).toMatchObject({ ok: true, event: { writeDate: null } });
    expect(parseOdooWebhook(odooPayload({ write_date: false }))).toMatchObject({
      ok: true,
      event: { writeDate: null },
    });
    expect(parseOdooWebhook(odooPayload({ write_date: 'garbage' }))).toMatchObject({
      ok: true,
      event: { writeDate: null },
    });
  });

  it('needs only _model and _id', () => {
    expect(parseOdooWebhook({ _model: 'account.move', _id: 7 })).toEqual({
      ok: true,
      event: { model: 'account.move', id: 7, writeDate: null },
    });
  });

  it.each([
    ['no _model', { _model: undefined }, /_model/],
    ['no _id', { _id: undefined }, /_id/],
    ['a negative _id', { _id: -1 }, /_id/],
    ['a zero _id', { _id: 0 }, /_id/],
    ['a fractional _id', { _id: 1.5 }, /_id/],
    ['a string _id', { _id: '42' }, /_id/],
    ['a bad model name', { _model: 'Purchase Order' }, /_model must be an Odoo model name/],
    ['a model without a dot', { _model: 'purchase' }, /_model/],
    ['a numeric write_date', { write_date: 1764064800 }, /write_date/],
  ])('refuses a payload with %s, saying why', (_what, overrides, reason) => {
    const result = parseOdooWebhook(odooPayload(overrides));
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/^not an Odoo webhook payload: /) });
    expect(!result.ok && result.error).toMatch(reason);
  });

  it.each([null, 42, 'text', [], [odooPayload()]])('refuses a body that is not an object: %j', (body) => {
    expect(parseOdooWebhook(body)).toMatchObject({ ok: false, error: expect.stringMatching(/body/) });
  });

  it('never throws, whatever the JSON', () => {
    const anyJson = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          _model: fc.oneof(fc.string(), fc.constantFrom('purchase.order', 'a.b'), fc.jsonValue()),
          _id: fc.oneof(fc.integer(), fc.double(), fc.jsonValue()),
          write_date: fc.oneof(fc.string(), fc.constant(false), fc.jsonValue()),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(anyJson, (body) => {
        const r = parseOdooWebhook(body);
        if (r.ok) {
          expect(r.event.id).toBeGreaterThan(0);
          if (r.event.writeDate !== null) expect(r.event.writeDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        } else expect(r.error.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('acceptOdooWebhook', () => {
  it('queues an event for a model with a flow, keyed by its write date', async () => {
    const { deps, queued } = ingress();
    expect(await acceptOdooWebhook(deps, odooPayload())).toEqual({ status: 202, body: { status: 'queued' } });
    expect(queued).toEqual([
      { event: { model: 'purchase.order', id: 42, writeDate: '2026-11-25T10:00:00Z' }, key: '2026-11-25T10:00:00Z' },
    ]);
  });

  it('keys an event without write date to the second it arrived', async () => {
    const { deps, queued } = ingress();
    await acceptOdooWebhook(deps, { _model: 'purchase.order', _id: 42 });
    expect(queued[0]?.key).toBe('2026-11-25T10:00:07');
  });

  it('ignores a model no flow is about, with 202 and a reason', async () => {
    const { deps, queued } = ingress(['account.move']);
    expect(await acceptOdooWebhook(deps, odooPayload())).toEqual({
      status: 202,
      body: { status: 'ignored', message: 'no flow in the policy file is about purchase.order' },
    });
    expect(queued).toEqual([]);
  });

  it('answers 400 with a reason to a malformed payload and queues nothing', async () => {
    const { deps, queued } = ingress();
    const outcome = await acceptOdooWebhook(deps, odooPayload({ _id: -5 }));
    expect(outcome).toEqual({
      status: 400,
      body: { error: 'bad_request', message: expect.stringMatching(/_id/) },
    });
    expect(queued).toEqual([]);
  });
});
