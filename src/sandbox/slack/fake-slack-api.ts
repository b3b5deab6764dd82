/**
 * A fake Slack Web API on 127.0.0.1 that speaks the protocol `@slack/web-api`
 * 8.x speaks: `POST {apiUrl}<method>` with form or JSON bodies and a bearer
 * token, answering with Slack's response shapes, error names, Block Kit
 * validation and HTTP 429 + Retry-After. Point `slackApiUrl` (or Bolt's
 * `clientOptions.slackApiUrl`) at `apiUrl`. Used by our adapter tests and by
 * the sandbox mode, so it must stay faithful rather than convenient.
 */

import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type MethodHandler, SlackMethodError } from './fake-slack-args.js';
import { CHAT_METHODS } from './fake-slack-chat-methods.js';
import { type FakeResponse, FakeResponseUrls, type ResponseUrlOrigin } from './fake-slack-response-urls.js';
import { USER_METHODS } from './fake-slack-user-methods.js';
import { VIEW_METHODS } from './fake-slack-view-methods.js';
import {
  type FakeEphemeral,
  type FakeMessage,
  FakeSlackWorkspace,
  type FakeView,
  type JsonObject,
} from './fake-slack-workspace.js';

export interface FakeSlackApiOptions {
  /** The only bot token accepted; default `xoxb-fake-token`. */
  token?: string;
  /** Default `T0FAKETEAM1`. */
  teamId?: string;
  /** Clock for trigger and response_url expiry and for `ts` values; default `Date.now`. */
  now?: () => number;
}

export interface FakeSlackCall {
  method: string;
  /** Arguments as parsed (form values are strings; the token is left out). */
  args: JsonObject;
  at: number;
  status: number;
  ok: boolean;
  error?: string;
}

export type FakeFailure = { status: 500 | 503 } | { error: string };

type Fault = { retryAfterSec: number } | FakeFailure;

const METHODS: Record<string, MethodHandler> = { ...CHAT_METHODS, ...USER_METHODS, ...VIEW_METHODS };
const MAX_BODY_BYTES = 5 * 1024 * 1024;

export class FakeSlackApi {
  readonly calls: FakeSlackCall[] = [];
  readonly token: string;
  private readonly ws: FakeSlackWorkspace;
  private readonly hooks: FakeResponseUrls;
  private readonly faults = new Map<string, Fault[]>();
  private readonly baseUrl: string;

  private constructor(
    private readonly server: Server,
    options: FakeSlackApiOptions,
  ) {
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.token = options.token ?? 'xoxb-fake-token';
    this.ws = new FakeSlackWorkspace(options.teamId ?? 'T0FAKETEAM1', options.now ?? Date.now);
    this.hooks = new FakeResponseUrls(this.ws);
  }

  static async start(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
    let fake: FakeSlackApi | undefined;
    const server = createServer((req, res) => {
      fake
        ?.route(req, res)
        .catch((err: unknown) => send(res, 500, { ok: false, error: 'fatal_error', detail: `${err}` }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    fake = new FakeSlackApi(server, options);
    return fake;
  }

  /** What to pass as `slackApiUrl`: `http://127.0.0.1:PORT/api/`. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  get teamId(): string {
    return this.ws.teamId;
  }

  /** The bot's own user id (`auth.test` user_id, author of its messages). */
  get botUserId(): string {
    return this.ws.botUserId;
  }

  get botId(): string {
    return this.ws.botId;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  addUser(user: { id?: string; name: string; email?: string; isBot?: boolean; deleted?: boolean }): string {
    return this.ws.addUser(user);
  }

  addChannel(channel: { id?: string; name: string }): string {
    return this.ws.addChannel(channel);
  }

  /** Seeds a message written by someone else (default: a new human user); returns its ts. */
  addMessage(message: { channel: string; text: string; user?: string; blocks?: unknown[] }): string {
    const user = message.user ?? this.ws.addUser({ name: 'someone' });
    return this.ws.addMessage({ ...message, user, via: 'seed' }).ts;
  }

  /** A trigger id as Slack puts in interaction payloads: single-use, valid for 3 s. */
  issueTriggerId(userId?: string): string {
    return this.ws.issueTriggerId(userId);
  }

  /** A live response_url (5 uses, 30 minutes); `origin` ties it to the clicked message. */
  responseUrl(id: string = randomUUID(), origin?: ResponseUrlOrigin): string {
    this.hooks.register(id, origin);
    return `${this.baseUrl}/response/${encodeURIComponent(id)}`;
  }

  /** The next `times` calls of `method` answer HTTP 429 with `Retry-After: retryAfterSec`. */
  rateLimit(method: string, limit: { times: number; retryAfterSec: number }): void {
    for (let i = 0; i < limit.times; i += 1) this.queueFault(method, { retryAfterSec: limit.retryAfterSec });
  }

  /** The next call of `method` fails: an HTTP status with no JSON, or `{ ok: false, error }`. */
  failNext(method: string, failure: FakeFailure): void {
    this.queueFault(method, failure);
  }

  /** Messages (including deleted ones, flagged) with every version in `history`. */
  messages(channelId?: string): FakeMessage[] {
    return structuredClone(this.ws.messages.filter((m) => channelId === undefined || m.channel === channelId));
  }

  lastMessage(channelId: string): FakeMessage | undefined {
    return this.messages(channelId)
      .filter((m) => !m.deleted)
      .at(-1);
  }

  ephemerals(userId?: string): FakeEphemeral[] {
    return structuredClone(this.ws.ephemerals.filter((e) => userId === undefined || e.user === userId));
  }

  views(): FakeView[] {
    return structuredClone([...this.ws.views.values()]);
  }

  /** The Home tab last published for a user with `views.publish`, if any. */
  homeView(userId: string): FakeView | undefined {
    const found = [...this.ws.views.values()].find((v) => v.userId === userId && v.view.type === 'home');
    return found && structuredClone(found);
  }

  /** Everything POSTed to response URLs, refused posts included (`outcome: 'refused'`). */
  responses(id?: string): FakeResponse[] {
    return structuredClone(this.hooks.received.filter((r) => id === undefined || r.id === id));
  }

  /** The DM channel id the bot has with a user, if one was opened. */
  dmChannelOf(userId: string): string | undefined {
    return [...this.ws.channels.values()].find((c) => c.dmUserId === userId)?.id;
  }

  private queueFault(method: string, fault: Fault): void {
    const queue = this.faults.get(method) ?? [];
    queue.push(fault);
    this.faults.set(method, queue);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const raw = await readBody(req);
    let reply: Reply = { status: 404, body: { ok: false, error: 'not_found' } };
    if (raw === undefined) reply = { status: 413, body: { ok: false, error: 'request_too_large' } };
    else if (url.pathname.startsWith('/api/')) {
      const method = decodeURIComponent(url.pathname.slice(5));
      const parsed = parseArgs(req.headers['content-type'], raw, url.searchParams);
      const { token: bodyToken, ...args } = parsed ?? {};
      const header = req.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice(7) : typeof bodyToken === 'string' ? bodyToken : '';
      reply = this.callMethod(method, parsed === undefined ? undefined : args, token);
      const error = typeof reply.body.error === 'string' ? reply.body.error : undefined;
      this.calls.push({ method, args, at: this.ws.now(), status: reply.status, ok: reply.body.ok === true, error });
    } else if (url.pathname.startsWith('/response/') && req.method === 'POST') {
      reply = this.hooks.handle(decodeURIComponent(url.pathname.slice(10)), raw);
    }
    send(res, reply.status, reply.body, reply.headers);
  }

  private callMethod(method: string, args: JsonObject | undefined, token: string): Reply {
    const fault = this.faults.get(method)?.shift();
    if (fault && 'retryAfterSec' in fault) {
      const headers = { 'retry-after': String(fault.retryAfterSec) };
      return { status: 429, body: { ok: false, error: 'ratelimited' }, headers };
    }
    if (fault && 'status' in fault) return { status: fault.status, body: { ok: false, error: `http_${fault.status}` } };
    if (fault) return platformError(fault.error);
    if (args === undefined) return platformError('invalid_json');
    if (token === '') return platformError('not_authed');
    if (token !== this.token) return platformError('invalid_auth');
    const handler = METHODS[method];
    if (handler === undefined) {
      const why = `[ERROR] FakeSlackApi does not implement ${method}; add it under src/sandbox/slack/`;
      return platformError('unknown_method', { response_metadata: { messages: [why] } });
    }
    try {
      return { status: 200, body: { ok: true, ...handler(this.ws, args) } };
    } catch (err) {
      if (!(err instanceof SlackMethodError)) throw err;
      return platformError(err.error, err.extra);
    }
  }
}

interface Reply {
  status: number;
  body: JsonObject;
  headers?: Record<string, string>;
}

/** Slack reports method failures with HTTP 200 and `ok: false`. */
function platformError(error: string, extra: JsonObject = {}): Reply {
  return { status: 200, body: { ok: false, error, ...extra } };
}

/** Form bodies (what WebClient sends) or JSON bodies; query parameters are merged in, as Slack does. */
function parseArgs(contentType: string | undefined, raw: string, query: URLSearchParams): JsonObject | undefined {
  const args: JsonObject = Object.fromEntries(query);
  if (raw === '') return args;
  if (contentType?.startsWith('application/json')) {
    try {
      const json: unknown = JSON.parse(raw);
      return typeof json === 'object' && json !== null ? { ...args, ...(json as JsonObject) } : undefined;
    } catch {
      return undefined;
    }
  }
  return { ...args, ...Object.fromEntries(new URLSearchParams(raw)) };
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: JsonObject, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
