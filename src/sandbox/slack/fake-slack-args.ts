/**
 * Argument handling shared by the fake's method handlers. `@slack/web-api`
 * sends form bodies where nested values (`blocks`, `view`, `metadata`) are
 * JSON strings and booleans are `"true"`; JSON bodies carry them as they are.
 */
import { BLOCK_KIT_LIMITS, validateBlocks } from './block-kit-limits.js';
import type { FakeSlackWorkspace, JsonObject } from './fake-slack-workspace.js';

/** A Slack `{ ok: false, error }` answer, with Slack's extra fields. */
export class SlackMethodError extends Error {
  constructor(
    readonly error: string,
    readonly extra: JsonObject = {},
  ) {
    super(error);
    this.name = 'SlackMethodError';
  }
}

export type MethodHandler = (ws: FakeSlackWorkspace, args: JsonObject) => JsonObject;

export function str(args: JsonObject, key: string): string | undefined {
  const value = args[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

/** Parses a nested value sent as a JSON string; `errorName` is Slack's answer to bad JSON. */
export function jsonArg(args: JsonObject, key: string, errorName: string): unknown {
  const value = args[key];
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new SlackMethodError(errorName, {
      response_metadata: { messages: [`[ERROR] ${key} is not valid JSON [json-pointer:/${key}]`] },
    });
  }
}

/** Slack's answer when Block Kit validation fails: `errors` plus the same lines in response_metadata. */
export function invalid(error: string, problems: string[], withErrors: boolean): SlackMethodError {
  return new SlackMethodError(error, {
    ...(withErrors ? { errors: problems } : {}),
    response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) },
  });
}

export interface MessageContent {
  text?: string;
  blocks?: unknown[];
  hasAttachments: boolean;
}

/**
 * Reads and validates `text`, `blocks` and `attachments` of a message write.
 * `requireSome` makes an empty message an error (`no_text`), as for a post.
 */
export function messageContent(args: JsonObject, requireSome: boolean): MessageContent {
  const text = str(args, 'text');
  if (text !== undefined && text.length > BLOCK_KIT_LIMITS.messageText) throw new SlackMethodError('msg_too_long');
  const rawBlocks = jsonArg(args, 'blocks', 'invalid_blocks_format');
  let blocks: unknown[] | undefined;
  if (rawBlocks !== undefined) {
    const problems = validateBlocks(rawBlocks, 'message');
    if (problems.length > 0) throw invalid('invalid_blocks', problems, true);
    blocks = rawBlocks as unknown[];
  }
  const attachments = jsonArg(args, 'attachments', 'invalid_attachments');
  const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
  const empty = (text === undefined || text === '') && (blocks === undefined || blocks.length === 0);
  if (requireSome && empty && !hasAttachments) throw new SlackMethodError('no_text');
  return { text, blocks, hasAttachments };
}
