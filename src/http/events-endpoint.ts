import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import type { HttpReply } from '../bot/slack/slack-request-receiver.js';
import { isTransient } from '../errors.js';
import type { ExternalEvent, ExternalOutcome } from '../flows/exceptions/open-exception.js';
import { EXCEPTION_SEVERITIES } from '../flows/exceptions/types.js';
import type { Logger } from '../flows/ports.js';

/** Requests signed more than this far from our clock, either way, are refused (replay window). */
export const EVENTS_WINDOW_SECONDS = 300;

/**
 * The signature a caller sends in `X-Signature`: `sha256=` and the lower-case
 * hex HMAC-SHA256, keyed with EVENTS_HMAC_SECRET, of the exact string
 * `<X-Timestamp>.<raw request body>` (the decimal unix seconds, a dot, then
 * the body bytes as sent).
 */
export function signEvent(secret: string, timestamp: string | number, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex')}`;
}

const scalar = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);

export const externalEventSchema = z
  .object({
    key: z
      .string()
      .trim()
      .min(1, 'key is required: your id for this event, so a retry is not a second exception')
      .max(200),
    type: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'type must be a lower-case event type such as usage-sync-failed'),
    severity: z.enum(EXCEPTION_SEVERITIES, { message: 'severity must be low, medium, high or critical' }).optional(),
    title: z.string().trim().min(1, 'title is required').max(150),
    facts: z
      .record(z.string().min(1).max(60), scalar)
      .refine((f) => Object.keys(f).length <= 20, 'facts may have at most 20 entries')
      .default({}),
    odoo: z
      .object({
        model: z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, 'odoo.model must be an Odoo model such as account.move'),
        id: z.number().int().positive('odoo.id must be a positive record id'),
      })
      .strict()
      .optional(),
  })
  .strict();

export interface EventsEndpointOptions {
  secret: string;
  /** The secret before a rotation (EVENTS_HMAC_SECRET_PREVIOUS), still accepted until it is unset. */
  previousSecret?: string | undefined;
  now: () => Date;
  /** Opens the exception (or finds the one with this key). */
  accept: (event: ExternalEvent) => Promise<ExternalOutcome>;
  log: Logger;
}

function reply(status: number, body: unknown, headers: Record<string, string> = {}): HttpReply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

function header(headers: IncomingHttpHeaders, name: string): string | null {
  const v = headers[name];
  return typeof v === 'string' ? v : null;
}

/** Why the signature is refused, or null when it is good. */
export function checkEventSignature(
  secret: string,
  headers: IncomingHttpHeaders,
  raw: Buffer,
  now: Date,
): string | null {
  const timestamp = header(headers, 'x-timestamp');
  const signature = header(headers, 'x-signature');
  if (!timestamp || !signature) return 'X-Timestamp and X-Signature headers are required';
  if (!/^\d{1,12}$/.test(timestamp)) return 'X-Timestamp must be unix seconds';
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > EVENTS_WINDOW_SECONDS)
    return `X-Timestamp is more than ${EVENTS_WINDOW_SECONDS} seconds from the server's clock; sign again with the current time`;
  const expected = Buffer.from(signEvent(secret, timestamp, raw));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return 'X-Signature does not match: it must be sha256=<hex HMAC-SHA256 of "<X-Timestamp>.<raw body>">';
  return null;
}

/**
 * `POST /events`: an exception reported by another system. 401 for a bad
 * signature, 400 for a malformed body, 422 when no definition has the type,
 * 202 when opened, 200 with the same id when the key was seen before.
 */
export async function handleEvents(
  o: EventsEndpointOptions,
  headers: IncomingHttpHeaders,
  raw: Buffer,
): Promise<HttpReply> {
  let bad = checkEventSignature(o.secret, headers, raw, o.now());
  if (bad && o.previousSecret && checkEventSignature(o.previousSecret, headers, raw, o.now()) === null) {
    o.log.info(
      {},
      'accepted an /events request signed with EVENTS_HMAC_SECRET_PREVIOUS; move that caller to the new secret',
    );
    bad = null;
  }
  if (bad) {
    // The caller sees why; the operator sees that someone is sending unsigned or stale events.
    o.log.warn({ reason: bad }, 'refused an /events request');
    return reply(401, { error: 'unauthorized', message: bad });
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    return reply(400, { error: 'bad_request', message: 'the body is not valid JSON' });
  }
  const parsed = externalEventSchema.safeParse(body);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    o.log.warn({ reasons }, 'refused a malformed /events request');
    return reply(400, { error: 'bad_request', message: reasons.join('; '), issues: reasons });
  }
  try {
    const outcome = await o.accept(parsed.data);
    if (outcome.kind === 'no_definition')
      o.log.warn({ type: parsed.data.type }, 'an /events request named an unknown exception type');
    if (outcome.kind === 'no_definition')
      return reply(422, {
        error: 'unknown_type',
        message: `no exception in the policy file has external type "${parsed.data.type}"; add one under exceptions: with external: { type: ${parsed.data.type} }`,
        known: outcome.known,
      });
    return reply(outcome.kind === 'created' ? 202 : 200, {
      id: outcome.item.id,
      status: outcome.kind,
      exceptionStatus: outcome.item.status,
    });
  } catch (err) {
    if (!isTransient(err)) throw err;
    o.log.warn({ err }, 'an external exception could not be opened now');
    return reply(
      503,
      {
        error: 'unavailable',
        message: 'Odoo or the database is not answering; send the event again later (same key).',
      },
      { 'retry-after': '30' },
    );
  }
}
