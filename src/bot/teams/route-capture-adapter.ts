import type { HttpRouteHandler, IHttpServerAdapter } from '@microsoft/teams.apps';
import type { HttpReply } from '../slack/slack-request-receiver.js';

/**
 * Lets our own node:http server own the socket: the Teams SDK registers its
 * `/api/messages` handler here (with its JWT check inside), and the server
 * calls `handle` for that path. The SDK never listens on a port of its own.
 */
export class RouteCaptureAdapter implements IHttpServerAdapter {
  private readonly routes = new Map<string, HttpRouteHandler>();

  registerRoute(method: 'POST', path: string, handler: HttpRouteHandler): void {
    this.routes.set(`${method} ${path}`, handler);
  }

  has(path: string): boolean {
    return this.routes.has(`POST ${path}`);
  }

  /** Runs the SDK's handler for a POST body; 400 for a body that is not JSON. */
  async handle(path: string, headers: Record<string, string | string[] | undefined>, raw: Buffer): Promise<HttpReply> {
    const handler = this.routes.get(`POST ${path}`);
    if (!handler) return reply(404, { error: 'not_found', message: 'Teams is not initialised on this service' });
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return reply(400, { error: 'bad_request', message: 'body is not valid JSON' });
    }
    const clean: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(headers)) if (v !== undefined) clean[k.toLowerCase()] = v;
    const res = await handler({ body, headers: clean });
    return reply(res.status, res.body);
  }
}

function reply(status: number, body: unknown): HttpReply {
  return body === undefined || body === null
    ? { status, headers: {}, body: '' }
    : { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
