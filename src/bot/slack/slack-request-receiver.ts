import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../flows/ports.js';

/** Slack's replay window. Bolt only refuses old timestamps; we refuse both ways, as Slack's Python SDK does. */
export const SLACK_MAX_SKEW_SECONDS = 300;

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** Verifies `X-Slack-Signature` over `v0:{timestamp}:{raw body}`. */
export function verifySlackSignature(
  signingSecret: string,
  headers: IncomingHttpHeaders,
  rawBody: Buffer,
  nowSeconds: number,
): SignatureCheck {
  const signature = headers['x-slack-signature'];
  const timestamp = headers['x-slack-request-timestamp'];
  if (typeof signature !== 'string' || typeof timestamp !== 'string')
    return { ok: false, reason: 'missing X-Slack-Signature or X-Slack-Request-Timestamp header' };
  const ts = Number(timestamp);
  if (!Number.isInteger(ts)) return { ok: false, reason: 'X-Slack-Request-Timestamp is not a number' };
  if (Math.abs(nowSeconds - ts) > SLACK_MAX_SKEW_SECONDS)
    return { ok: false, reason: 'request timestamp is outside the 5-minute window (replayed, or a clock is wrong)' };
  const [version, hash] = signature.split('=', 2);
  if (version !== 'v0' || !hash) return { ok: false, reason: 'unsupported signature version' };
  // Buffer.from(hex) silently stops at the first non-hex character; insist on exactly 64 hex digits.
  if (!/^[0-9a-f]{64}$/i.test(hash))
    return { ok: false, reason: 'signature does not match (wrong SLACK_SIGNING_SECRET, or a forged request)' };
  const expected = createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(rawBody).digest();
  const given = Buffer.from(hash, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'signature does not match (wrong SLACK_SIGNING_SECRET, or a forged request)' };
  return { ok: true };
}

const interactionSchema = z
  .object({
    type: z.string(),
    user: z.object({ id: z.string().min(1) }).passthrough(),
  })
  .passthrough();
const commandSchema = z.object({ command: z.string().startsWith('/'), user_id: z.string().min(1) }).passthrough();
const eventSchema = z.object({ type: z.string() }).passthrough();

function reply(status: number, body: unknown): HttpReply {
  if (typeof body === 'string') return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** Parses a verified body the way Slack sends it: JSON events, form-encoded interactions and commands. */
export function parseSlackBody(
  contentType: string | undefined,
  raw: Buffer,
): { body: Record<string, unknown> } | { error: string } {
  const text = raw.toString('utf8');
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  try {
    if (type === 'application/json') {
      const parsed = eventSchema.safeParse(JSON.parse(text));
      return parsed.success ? { body: parsed.data } : { error: 'JSON body must be a Slack event with a "type"' };
    }
    if (type === 'application/x-www-form-urlencoded') {
      const form = new URLSearchParams(text);
      const payload = form.get('payload');
      if (payload !== null) {
        const parsed = interactionSchema.safeParse(JSON.parse(payload));
        return parsed.success
          ? { body: parsed.data }
          : {
              error: `interaction payload is malformed: ${parsed.error.issues.map((i) => i.path.join('.') || i.message).join(', ')}`,
            };
      }
      const fields = Object.fromEntries(form.entries());
      if (fields.ssl_check) return { body: fields };
      const parsed = commandSchema.safeParse(fields);
      return parsed.success
        ? { body: parsed.data }
        : { error: 'form body is neither an interaction payload nor a slash command' };
    }
    return { error: `unsupported content type "${contentType ?? ''}"` };
  } catch {
    return { error: 'body is not valid JSON' };
  }
}

/**
 * Bolt receiver fed by our own HTTP server: it authenticates the request,
 * validates its shape, and hands Bolt a ReceiverEvent whose `ack` becomes the
 * HTTP response. Nothing reaches a listener unverified.
 */
export class SlackRequestReceiver implements Receiver {
  private app: App | null = null;

  constructor(
    private readonly signingSecret: string,
    private readonly log: Logger,
    private readonly now: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async handle(headers: IncomingHttpHeaders, raw: Buffer): Promise<HttpReply> {
    const check = verifySlackSignature(this.signingSecret, headers, raw, this.now());
    if (!check.ok) {
      this.log.warn({ platform: 'slack', reason: check.reason }, 'refused a Slack request');
      return reply(401, { error: 'invalid_signature', message: check.reason });
    }
    const parsed = parseSlackBody(headers['content-type'], raw);
    if ('error' in parsed) return reply(400, { error: 'bad_request', message: parsed.error });
    const body = parsed.body;
    if (body.ssl_check) return reply(200, '');
    if (body.type === 'url_verification') return reply(200, { challenge: String(body.challenge ?? '') });
    if (!this.app) return reply(503, { error: 'not_ready', message: 'the Slack app is starting; retry shortly' });

    let answer: HttpReply | null = null;
    let settle: (r: HttpReply) => void = () => {};
    const answered = new Promise<HttpReply>((resolve) => {
      settle = resolve;
    });
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => {
        if (answer) return;
        answer = response === undefined || response === '' ? reply(200, '') : reply(200, response);
        settle(answer);
      },
    };
    const retry = headers['x-slack-retry-num'];
    if (typeof retry === 'string') event.retryNum = Number(retry);
    const reason = headers['x-slack-retry-reason'];
    if (typeof reason === 'string') event.retryReason = reason;

    this.app
      .processEvent(event)
      .then(() => {
        // Nothing listened (an event type we do not use): Slack still wants a 200.
        if (!answer) settle(reply(200, ''));
      })
      .catch((err: unknown) => {
        this.log.error({ platform: 'slack', err }, 'a Slack listener failed');
        if (!answer)
          settle(reply(500, { error: 'internal', message: 'the bot could not handle this request; see its log' }));
      });
    return answered;
  }
}
