/**
 * A fake Microsoft Teams back end on 127.0.0.1: the Bot Connector REST API
 * the Teams SDK calls (create conversation, send / update / delete activities,
 * get a member, page through a roster) and the Entra / Bot Framework login around it (client
 * credentials token endpoint, OpenID metadata and JWKS). It records every call
 * and accepts only bearer tokens it issued itself, and it signs the requests
 * "the Bot Connector" sends to our bot with `signActivityJwt`.
 *
 * Teams serves each conversation from a regional Bot Connector (…/emea/,
 * …/amer/, GCC) named by the activities' `serviceUrl`; `addRegion` starts
 * another one of the same tenant (same login, keys and people) on its own
 * port and path, so tests can check that each call went to the right one.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity, ActivityContext } from './activities.js';
import { FakeSigningKey } from './fake-jwt.js';
import { type FakeMember, FakeRosters } from './fake-rosters.js';

export type { FakeMember } from './fake-rosters.js';

export interface FakeBotConnectorOptions {
  clientId: string;
  clientSecret: string;
  tenantId: string;
  /** The path of the service URL, as in https://smba.trafficmanager.net/<region>/; default `teams`. */
  region?: string;
}

/** What every regional Bot Connector of one tenant shares: the login's keys and tokens, and the people. */
interface Tenant {
  home: FakeBotConnector;
  key: FakeSigningKey;
  issued: Set<string>;
  members: Map<string, FakeMember>;
  rosters: FakeRosters;
}

export interface FakeConnectorCall {
  method: string;
  /** Percent-decoded. */
  path: string;
  conversationId?: string;
  activityId?: string;
  /** The query string, `?…` or empty (the roster's `pageSize` and `continuationToken`). */
  query: string;
  body: unknown;
  status: number;
}

type Json = Record<string, unknown>;

export class FakeBotConnector {
  readonly calls: FakeConnectorCall[] = [];
  readonly key: FakeSigningKey;
  /** Activities by conversation, then by id, as last written. */
  readonly conversations = new Map<string, Map<string, Json>>();
  private readonly members: Map<string, FakeMember>;
  /**
   * Who is in which conversation (`pagedmembers`, `members/{id}`); shared by
   * every region of the tenant. Unseeded conversations have everyone.
   */
  readonly rosters: FakeRosters;
  private readonly issued: Set<string>;
  private readonly tenant: Tenant;
  private readonly faults: number[] = [];
  private readonly regions: FakeBotConnector[] = [];
  private server!: Server;
  url = '';

  private constructor(
    readonly options: FakeBotConnectorOptions,
    tenant?: Tenant,
  ) {
    this.tenant = tenant ?? FakeBotConnector.newTenant(this, options.tenantId);
    this.key = this.tenant.key;
    this.members = this.tenant.members;
    this.rosters = this.tenant.rosters;
    this.issued = this.tenant.issued;
  }

  private static newTenant(home: FakeBotConnector, tenantId: string): Tenant {
    const members = new Map<string, FakeMember>();
    // Each person is in the map twice (by Teams id and by Entra id).
    const everyone = () => [...new Set(members.values())];
    return {
      home,
      key: new FakeSigningKey(),
      issued: new Set(),
      members,
      rosters: new FakeRosters(tenantId, everyone),
    };
  }

  static async start(options: FakeBotConnectorOptions): Promise<FakeBotConnector> {
    return FakeBotConnector.listen(new FakeBotConnector(options));
  }

  private static async listen(fake: FakeBotConnector): Promise<FakeBotConnector> {
    fake.server = createServer((req, res) => void fake.handle(req, res));
    fake.server.listen(0, '127.0.0.1');
    await once(fake.server, 'listening');
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /**
   * Another regional Bot Connector of this tenant, on its own port at
   * `/<region>/`: it accepts this login's tokens, knows the same people, and
   * records its own calls and conversations. Stopped with this one.
   */
  async addRegion(region: string): Promise<FakeBotConnector> {
    const fake = await FakeBotConnector.listen(new FakeBotConnector({ ...this.options, region }, this.tenant));
    this.tenant.home.regions.push(fake);
    return fake;
  }

  private get region(): string {
    return this.options.region ?? 'teams';
  }
  /** Bot Connector base URL (TEAMS_SERVICE_URL) and the activity `serviceUrl`. */
  get serviceUrl(): string {
    return `${this.url}/${this.region}/`;
  }
  /** TEAMS_LOGIN_URL: tokens come from `<loginUrl>/<tenant>/oauth2/v2.0/token`. */
  get loginUrl(): string {
    return `${this.tenant.home.url}/login`;
  }
  /** TEAMS_OPENID_METADATA_URL; the SDK reads the keys next to it (`…/keys`). */
  get openIdMetadataUrl(): string {
    return `${this.tenant.home.url}/v1/.well-known/openidconfiguration`;
  }
  /** TEAMS_TOKEN_ISSUER of the tokens sent to the bot. */
  get issuer(): string {
    return `${this.tenant.home.url}/issuer`;
  }

  /** Adds a person to the tenant; returns their ids. */
  addUser(p: { name: string; email: string; upn?: string }): FakeMember {
    const m: FakeMember = {
      id: `29:${randomUUID().replace(/-/g, '')}`,
      aadObjectId: randomUUID(),
      name: p.name,
      email: p.email,
      userPrincipalName: p.upn ?? p.email,
    };
    this.members.set(m.id, m);
    this.members.set(m.aadObjectId, m);
    return m;
  }

  /** The next `n` Bot Connector calls fail with this HTTP status. */
  failNext(status: number, n = 1): void {
    for (let i = 0; i < n; i++) this.faults.push(status);
  }

  context(conversation: ActivityContext['conversation']): ActivityContext {
    return { serviceUrl: this.serviceUrl, tenantId: this.options.tenantId, botId: this.options.clientId, conversation };
  }

  /** The `Authorization` header the Bot Connector sends with an activity to the bot. */
  signActivityJwt(activity: Pick<Activity, 'serviceUrl'>, overrides: Json = {}): string {
    const token = this.key.sign({
      iss: this.issuer,
      aud: this.options.clientId,
      serviceurl: activity.serviceUrl,
      ...overrides,
    });
    return `Bearer ${token}`;
  }

  /** Posts an activity to the bot the way the Bot Connector does. */
  async deliver(botUrl: string, activity: Activity, authorization?: string | null): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const auth = authorization === undefined ? this.signActivityJwt(activity) : authorization;
    if (auth) headers.authorization = auth;
    return fetch(botUrl, { method: 'POST', headers, body: JSON.stringify(activity) });
  }

  activities(conversationId: string): Json[] {
    return [...(this.conversations.get(conversationId)?.values() ?? [])];
  }

  async stop(): Promise<void> {
    for (const r of this.regions.splice(0)) await r.stop();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    const path = url.pathname;
    if (req.method === 'GET' && path === '/v1/.well-known/openidconfiguration')
      return send(200, {
        issuer: this.issuer,
        authorization_endpoint: `${this.url}/login/botframework.com/oauth2/v2.0/authorize`,
        jwks_uri: `${this.url}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    if (req.method === 'GET' && path === '/v1/.well-known/keys') return send(200, this.key.jwks());
    const login = /^\/login\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (login && req.method === 'POST') return send(...this.token(login[1]!, new URLSearchParams(raw)));
    const body = raw ? safeJson(raw) : undefined;
    const record = (status: number, reply: unknown, ids: { conversationId?: string; activityId?: string } = {}) => {
      this.calls.push({ method: req.method ?? '', path: decoded(path), query: url.search, ...ids, body, status });
      send(status, reply);
      return undefined;
    };
    const prefix = `/${this.region}`;
    if (!path.startsWith(`${prefix}/v3/`)) return record(404, { error: { code: 'NotFound', message: path } });
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !this.issued.has(auth.slice(7)))
      return record(401, { message: 'Authorization has been denied for this request.' });
    const fault = this.faults.shift();
    if (fault) return record(fault, { error: { code: 'ServiceError', message: `injected ${fault}` } });
    this.route(req.method ?? '', decoded(path.slice(prefix.length)), url.searchParams, body as Json, record);
  }

  private route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: Json,
    record: (s: number, reply: unknown, ids?: { conversationId?: string; activityId?: string }) => undefined,
  ): undefined {
    if (method === 'POST' && path === '/v3/conversations') {
      const members = (body?.members as Array<{ id: string }> | undefined) ?? [];
      const person = members[0] && this.members.get(members[0].id);
      if (!person) return record(400, { error: { code: 'BadArgument', message: 'unknown member' } });
      const id = `a:1${person.aadObjectId.replace(/-/g, '')}`;
      if (!this.conversations.has(id)) this.conversations.set(id, new Map());
      return record(201, { id }, { conversationId: id });
    }
    const act = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (act) {
      const [, conversationId = '', activityId] = act;
      const base = conversationId.split(';messageid=')[0]!;
      const conv = this.conversations.get(base) ?? new Map<string, Json>();
      this.conversations.set(base, conv);
      if (method === 'POST') {
        const id = `${Date.now()}${Math.floor(Math.random() * 1000)}`;
        const thread = conversationId.includes(';messageid=') ? conversationId.split(';messageid=')[1] : undefined;
        conv.set(id, { ...body, id, ...(thread ? { threadId: thread } : {}) });
        return record(201, { id }, { conversationId, activityId: id });
      }
      if (!activityId || !conv.has(activityId))
        return record(404, { error: { code: 'NotFound', message: 'activity not found' } }, { conversationId });
      if (method === 'PUT') {
        conv.set(activityId, { ...body, id: activityId });
        return record(200, { id: activityId }, { conversationId, activityId });
      }
      if (method === 'DELETE') {
        conv.delete(activityId);
        return record(200, undefined, { conversationId, activityId });
      }
    }
    // The SDK asks for `pagedMembers`, Learn documents `pagedmembers`: the service takes either.
    const paged = /^\/v3\/conversations\/([^/]+)\/pagedmembers$/i.exec(path);
    if (paged && method === 'GET') {
      const conversationId = paged[1]!;
      return record(...this.rosters.page(conversationId, query), { conversationId });
    }
    const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(path);
    if (member && method === 'GET') {
      const conversationId = member[1]!;
      return record(...this.rosters.member(conversationId, member[2]!), { conversationId });
    }
    return record(404, { error: { code: 'NotFound', message: `${method} ${path}` } });
  }

  private token(tenant: string, form: URLSearchParams): [number, unknown] {
    if (tenant !== this.options.tenantId)
      return [400, { error: 'invalid_request', error_description: `AADSTS90002: Tenant '${tenant}' not found.` }];
    if (form.get('grant_type') !== 'client_credentials')
      return [400, { error: 'unsupported_grant_type', error_description: 'use client_credentials' }];
    if (form.get('client_id') !== this.options.clientId || form.get('client_secret') !== this.options.clientSecret)
      return [401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' }];
    const token = this.key.sign({
      aud: 'https://api.botframework.com',
      iss: `${this.url}/login/${tenant}/v2.0`,
      appid: this.options.clientId,
      tid: tenant,
    });
    this.issued.add(token);
    return [200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token }];
  }
}

/** Paths are recorded as the server reads them (`members/mia@acme.test`, not `mia%40acme.test`). */
function decoded(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
