import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpReply } from '../bot/slack/slack-request-receiver.js';
import type { Logger } from '../flows/ports.js';

/** Slack bodies are small; Odoo webhooks carry only the fields an admin picked. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** How long shutdown waits for requests in flight. */
export const SHUTDOWN_GRACE_MS = 5000;

export interface ReadinessCheck {
  name: string;
  run(): Promise<void>;
}

export interface HttpHandlers {
  /** Set on `--role worker` processes: they answer health checks only, and say so. */
  healthOnly?: boolean;
  /** `POST /slack/events`, absent when Slack is not configured. */
  slack?: (req: IncomingMessage, raw: Buffer) => Promise<HttpReply>;
  /** `POST /api/messages` (Bot Framework activities), absent when Teams is not configured. */
  teams?: (req: IncomingMessage, raw: Buffer) => Promise<HttpReply>;
  /** `POST /events`: signed external exception events; absent (404) when EVENTS_HMAC_SECRET is unset. */
  events?: (req: IncomingMessage, raw: Buffer) => Promise<HttpReply>;
  /** `POST /odoo/webhook/<token>`: called only after the token matched. */
  odooWebhook?: (body: unknown) => Promise<HttpReply>;
  /** `/sandbox` and below: the sandbox page and its API; only `odoo-chatops sandbox` sets it. */
  sandbox?: (req: IncomingMessage, raw: Buffer) => Promise<HttpReply>;
  /** `GET /metrics` in Prometheus text format; absent, 404. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /** `METRICS_TOKEN`: when set, `/metrics` wants `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** Called once per answered request, with the route's fixed name (never the raw path: it may hold the webhook token). */
  observeRequest?: (route: HttpRoute, status: number, seconds: number) => void;
  webhookToken: string;
  readiness: ReadinessCheck[];
  log: Logger;
}

/** The routes as `/metrics` names them: a fixed set, so no path (and no token in one) becomes a label. */
export type HttpRoute =
  | '/healthz'
  | '/readyz'
  | '/metrics'
  | '/slack/events'
  | '/api/messages'
  | '/events'
  | '/odoo/webhook/:token'
  | '/sandbox'
  | 'other';

const FIXED_ROUTES = new Set<HttpRoute>([
  '/healthz',
  '/readyz',
  '/metrics',
  '/slack/events',
  '/api/messages',
  '/events',
]);

/** The route a request URL belongs to, by the same parsing `route` uses. */
export function routeName(url: string | undefined): HttpRoute {
  let path: string;
  try {
    path = new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return 'other';
  }
  if (FIXED_ROUTES.has(path as HttpRoute)) return path as HttpRoute;
  if (/^\/odoo\/webhook\/[^/]*$/.test(path)) return '/odoo/webhook/:token';
  if (path === '/sandbox' || path.startsWith('/sandbox/')) return '/sandbox';
  return 'other';
}

export function json(status: number, body: unknown): HttpReply {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

const WORKER_ONLY =
  'this process runs with --role worker and takes no Slack, Teams or Odoo traffic; send it to a web (or all) process';

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Too large: stop keeping the bytes but let them drain. Destroying the
    // request would also destroy the socket, and the client would get a reset
    // instead of the 413 that tells it what went wrong.
    const tooLarge = () => {
      req.off('data', onData);
      req.resume();
      reject(new BodyTooLarge());
    };
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        tooLarge();
        return;
      }
      chunks.push(c);
    };
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      tooLarge();
      return;
    }
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Compares secrets in constant time, whatever their lengths. */
export function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** Whether an `Authorization` header carries this bearer token. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m !== null && sameSecret(m[1]!, token);
}

/** The token segment of the path; null when it is not valid percent-encoding (a wrong token, then). */
function decodeSegment(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

async function route(h: HttpHandlers, req: IncomingMessage): Promise<HttpReply> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  if (path === '/healthz')
    return req.method === 'GET' ? json(200, { status: 'ok' }) : json(405, { error: 'method_not_allowed' });
  if (path === '/readyz') {
    if (req.method !== 'GET') return json(405, { error: 'method_not_allowed' });
    const results = await Promise.all(
      h.readiness.map(async (c) => {
        try {
          await withTimeout(c.run(), 3000, c.name);
          return { name: c.name, ok: true };
        } catch (err) {
          return { name: c.name, ok: false, error: err instanceof Error ? err.message : String(err) };
        }
      }),
    );
    const ok = results.every((r) => r.ok);
    return json(ok ? 200 : 503, { status: ok ? 'ready' : 'not_ready', checks: results });
  }
  if (path === '/metrics') {
    if (req.method !== 'GET') return json(405, { error: 'method_not_allowed' });
    if (!h.metrics) return json(404, { error: 'not_found' });
    if (h.metricsToken && !bearerMatches(req.headers.authorization, h.metricsToken))
      return {
        ...json(401, {
          error: 'unauthorized',
          message:
            'GET /metrics needs the header "Authorization: Bearer <METRICS_TOKEN>": give the scrape job that token (Prometheus: authorization.credentials)',
        }),
        headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="metrics"' },
      };
    const m = await h.metrics();
    return { status: 200, headers: { 'content-type': m.contentType }, body: m.body };
  }
  if (path === '/slack/events') {
    if (req.method !== 'POST') return json(405, { error: 'method_not_allowed' });
    if (!h.slack)
      return json(404, {
        error: 'not_found',
        message: h.healthOnly ? WORKER_ONLY : 'Slack is not configured on this service',
      });
    return h.slack(req, await readBody(req, MAX_BODY_BYTES));
  }
  if (path === '/api/messages') {
    if (req.method !== 'POST') return json(405, { error: 'method_not_allowed' });
    if (!h.teams)
      return json(404, {
        error: 'not_found',
        message: h.healthOnly ? WORKER_ONLY : 'Microsoft Teams is not configured on this service',
      });
    return h.teams(req, await readBody(req, MAX_BODY_BYTES));
  }
  if (path === '/events') {
    if (!h.events) return json(404, { error: 'not_found' });
    if (req.method !== 'POST') return json(405, { error: 'method_not_allowed' });
    return h.events(req, await readBody(req, MAX_BODY_BYTES));
  }
  if (h.sandbox && (path === '/sandbox' || path.startsWith('/sandbox/')))
    return h.sandbox(req, await readBody(req, MAX_BODY_BYTES));
  const hook = /^\/odoo\/webhook\/([^/]*)$/.exec(path);
  if (hook) {
    // Odoo signs nothing: the token in the path is the credential. A wrong
    // token looks exactly like a missing route, and nothing is read.
    const token = decodeSegment(hook[1] ?? '');
    if (!h.odooWebhook || token === null || !sameSecret(token, h.webhookToken))
      return json(404, { error: 'not_found' });
    if (req.method !== 'POST') return json(405, { error: 'method_not_allowed' });
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (type !== 'application/json')
      return json(415, {
        error: 'unsupported_media_type',
        message: 'Odoo webhooks are JSON (Content-Type: application/json)',
      });
    const raw = await readBody(req, MAX_BODY_BYTES);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return json(400, { error: 'bad_request', message: 'body is not valid JSON' });
    }
    return h.odooWebhook(body);
  }
  return json(404, { error: 'not_found' });
}

export interface RunningServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export async function startHttpServer(h: HttpHandlers, port: number, host = '0.0.0.0'): Promise<RunningServer> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    if (h.observeRequest)
      res.once('finish', () =>
        h.observeRequest?.(routeName(req.url), res.statusCode, (performance.now() - started) / 1000),
      );
    route(h, req)
      .catch((err: unknown) => {
        if (err instanceof BodyTooLarge)
          return {
            ...json(413, { error: 'payload_too_large', message: `bodies are limited to ${MAX_BODY_BYTES} bytes` }),
            // The rest of the body is still arriving; do not wait for it on this connection.
            headers: { 'content-type': 'application/json', connection: 'close' },
          };
        const ref = Math.random().toString(36).slice(2, 10);
        h.log.error(
          { err, ref, path: req.url?.replace(/\/odoo\/webhook\/.*/, '/odoo/webhook/[token]') },
          'request failed',
        );
        return json(500, {
          error: 'internal',
          message: `the service failed to handle this request (ref ${ref}); see its log`,
        });
      })
      .then((reply) => {
        if (res.headersSent) return;
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body);
      });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    server,
    port: actual,
    // Stop accepting, let requests in flight finish (Slack clicks are acknowledged
    // in milliseconds), and cut whatever is left after the grace period.
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
