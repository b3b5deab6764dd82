import { z } from 'zod';

/**
 * The body Odoo 17+'s "Send Webhook Notification" posts: sorted-key JSON with
 * `_action`, `_id`, `_model`, `id` and the fields the admin picked; many2one
 * as bare ids, empty fields as `false`, datetimes as `str(datetime)`.
 */
export const odooWebhookSchema = z
  .object({
    _model: z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, 'must be an Odoo model name'),
    _id: z.number().int().positive(),
    _action: z.string().optional(),
    id: z.number().int().positive().optional(),
    write_date: z.union([z.string(), z.literal(false)]).optional(),
  })
  .passthrough();

export interface OdooWebhookEvent {
  model: string;
  id: number;
  /** ISO-8601 UTC to the second, when the payload carried `write_date`. */
  writeDate: string | null;
}

/** `2026-11-25 10:00:00.123456` (naive UTC) → `2026-11-25T10:00:00Z`; RPC reads drop microseconds too. */
export function webhookDatetimeToIso(v: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})/.exec(v);
  return m ? `${m[1]}T${m[2]}Z` : null;
}

export function parseOdooWebhook(body: unknown): { ok: true; event: OdooWebhookEvent } | { ok: false; error: string } {
  const r = odooWebhookSchema.safeParse(body);
  if (!r.success)
    return {
      ok: false,
      error: `not an Odoo webhook payload: ${r.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}`,
    };
  const wd = typeof r.data.write_date === 'string' ? webhookDatetimeToIso(r.data.write_date) : null;
  return { ok: true, event: { model: r.data._model, id: r.data._id, writeDate: wd } };
}

export interface WebhookIngressDeps {
  modelsWithFlows: () => Set<string>;
  enqueue: (event: OdooWebhookEvent, jobKey: string) => Promise<void>;
  now: () => Date;
}

export type WebhookOutcome =
  | { status: 400; body: { error: 'bad_request'; message: string } }
  | { status: 202; body: { status: 'queued' | 'ignored'; message?: string } };

/**
 * Odoo waits one second and never retries, so the answer is immediate: the
 * record is re-read by a worker. Without `write_date` in the payload the
 * event is keyed to the second it arrived (the poller backs this up).
 */
export async function acceptOdooWebhook(deps: WebhookIngressDeps, body: unknown): Promise<WebhookOutcome> {
  const parsed = parseOdooWebhook(body);
  if (!parsed.ok) return { status: 400, body: { error: 'bad_request', message: parsed.error } };
  const { event } = parsed;
  if (!deps.modelsWithFlows().has(event.model))
    return {
      status: 202,
      body: { status: 'ignored', message: `no flow in the policy file is about ${event.model}` },
    };
  const key = event.writeDate ?? deps.now().toISOString().slice(0, 19);
  await deps.enqueue(event, key);
  return { status: 202, body: { status: 'queued' } };
}
