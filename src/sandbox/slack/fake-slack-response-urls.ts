/**
 * Slack's `response_url` hooks: JSON POSTs that answer an interaction.
 * Each URL takes up to 5 uses within 30 minutes; `replace_original` and
 * `delete_original` act on the message the interaction came from (an
 * ephemeral one too: the only way to change an ephemeral message), otherwise
 * `response_type` decides between an ephemeral (default) and a channel post.
 */
import { BLOCK_KIT_LIMITS, validateBlocks } from './block-kit-limits.js';
import type { FakeSlackWorkspace, JsonObject } from './fake-slack-workspace.js';

export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

/** Where the interaction behind a response_url came from; without it, posts are only recorded. */
export interface ResponseUrlOrigin {
  channelId: string;
  /** The message whose button was clicked: target of replace_original/delete_original. */
  messageTs?: string;
  /** Who clicked: recipient of ephemeral responses. */
  userId?: string;
}

export type ResponseOutcome = 'ephemeral' | 'in_channel' | 'replaced' | 'deleted' | 'refused';

export interface FakeResponse {
  id: string;
  body: unknown;
  at: number;
  status: number;
  outcome: ResponseOutcome;
  error?: string;
}

interface Hook {
  createdAt: number;
  uses: number;
  origin?: ResponseUrlOrigin;
}

export class FakeResponseUrls {
  private readonly hooks = new Map<string, Hook>();
  readonly received: FakeResponse[] = [];

  constructor(private readonly ws: FakeSlackWorkspace) {}

  register(id: string, origin?: ResponseUrlOrigin): void {
    this.hooks.set(id, { createdAt: this.ws.now(), uses: 0, origin });
  }

  /** Handles one POST; returns the HTTP status and JSON body to send back. */
  handle(id: string, rawBody: string): { status: number; body: JsonObject } {
    let body: unknown;
    try {
      body = JSON.parse(rawBody);
    } catch {
      return this.refuse(id, rawBody, 400, 'invalid_payload');
    }
    const hook = this.hooks.get(id);
    if (hook === undefined) return this.refuse(id, body, 404, 'no_active_hooks');
    if (this.ws.now() - hook.createdAt > RESPONSE_URL_TTL_MS) return this.refuse(id, body, 404, 'expired_url');
    if (hook.uses >= RESPONSE_URL_MAX_USES) return this.refuse(id, body, 404, 'used_url');
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return this.refuse(id, body, 400, 'invalid_payload');
    }
    const message = body as JsonObject;
    const text = typeof message.text === 'string' ? message.text : undefined;
    if (text !== undefined && text.length > BLOCK_KIT_LIMITS.messageText) {
      return this.refuse(id, body, 400, 'msg_too_long');
    }
    const blocks = message.blocks === undefined ? undefined : message.blocks;
    if (blocks !== undefined) {
      const problems = validateBlocks(blocks, 'message');
      if (problems.length > 0) return this.refuse(id, body, 400, 'invalid_blocks', { errors: problems });
    }
    hook.uses += 1;
    const outcome = this.apply(hook.origin, message, text, blocks as unknown[] | undefined);
    this.received.push({ id, body, at: this.ws.now(), status: 200, outcome });
    return { status: 200, body: { ok: true } };
  }

  private apply(
    origin: ResponseUrlOrigin | undefined,
    message: JsonObject,
    text: string | undefined,
    blocks: unknown[] | undefined,
  ): ResponseOutcome {
    const original = origin?.messageTs ? this.ws.findMessage(origin.channelId, origin.messageTs) : undefined;
    const ephemeral =
      origin?.messageTs && !original
        ? this.ws.findEphemeral(origin.channelId, origin.messageTs, origin.userId)
        : undefined;
    if (isTrue(message.delete_original)) {
      if (original) this.ws.deleteMessage(original, 'response_url');
      if (ephemeral) ephemeral.deleted = true;
      return 'deleted';
    }
    if (isTrue(message.replace_original)) {
      if (original) this.ws.editMessage(original, { text: text ?? '', blocks: blocks ?? [], via: 'response_url' });
      if (ephemeral) {
        ephemeral.text = text ?? '';
        ephemeral.blocks = blocks;
        ephemeral.replacedAt = [...(ephemeral.replacedAt ?? []), this.ws.now()];
      }
      return 'replaced';
    }
    if (message.response_type === 'in_channel') {
      if (origin) {
        this.ws.addMessage({
          channel: origin.channelId,
          text: text ?? '',
          blocks,
          threadTs: typeof message.thread_ts === 'string' ? message.thread_ts : undefined,
          via: 'response_url',
        });
      }
      return 'in_channel';
    }
    if (origin?.userId) {
      this.ws.ephemerals.push({
        channel: origin.channelId,
        user: origin.userId,
        messageTs: this.ws.nextTs(),
        text: text ?? '',
        blocks,
        at: this.ws.now(),
        via: 'response_url',
      });
    }
    return 'ephemeral';
  }

  private refuse(
    id: string,
    body: unknown,
    status: number,
    error: string,
    extra: JsonObject = {},
  ): { status: number; body: JsonObject } {
    this.received.push({ id, body, at: this.ws.now(), status, outcome: 'refused', error });
    return { status, body: { ok: false, error, ...extra } };
  }
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}
