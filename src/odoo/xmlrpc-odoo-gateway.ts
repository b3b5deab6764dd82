import http from 'node:http';
import https from 'node:https';
import { AppError } from '../errors.js';
import type { Logger, OdooGateway } from '../flows/ports.js';
import type { Domain, OdooRecord, OdooServerVersion, OdooUser } from '../flows/types.js';
import { isNoneMarshalFault, mapOdooFault } from './map-odoo-fault.js';
import { normaliseRecord, type OdooFieldInfo } from './normalise-record.js';
import { likeLiteral, toOdooUser, USER_FIELDS } from './odoo-user.js';
import { parseOdooVersion } from './parse-odoo-version.js';
import { postXmlRpc } from './xmlrpc-transport.js';

export interface XmlRpcOdooGatewayOptions {
  /** Server root, e.g. `https://erp.example.com` (no `/web`). */
  url: string;
  db: string;
  /** Login of the service account whose API key this is; approvals are attributed to it. */
  username: string;
  apiKey: string;
  /** Deadline for one call, connection included. Default 15 000 ms. */
  timeoutMs?: number;
  /** pino, or anything with its debug/warn methods. */
  logger?: Logger;
}

type Fields = Record<string, OdooFieldInfo>;

/**
 * Odoo 16–19 over XML-RPC (`/xmlrpc/2`). Authenticates lazily once, reads
 * `fields_get` once per model to normalise values, and turns every failure
 * into an AppError through `mapOdooFault`.
 */
export class XmlRpcOdooGateway implements OdooGateway {
  private readonly url: string;
  private readonly db: string;
  private readonly username: string;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private readonly logger: Logger | undefined;
  private readonly agent: http.Agent;
  private readonly endpoints: Record<'common' | 'object', URL>;
  private uid: Promise<number> | null = null;
  private serverVersion: Promise<OdooServerVersion> | null = null;
  private readonly fieldCache = new Map<string, Promise<Fields>>();
  /** ir.model ids and XML-id lookups, which do not change while we run. */
  private readonly lookups = new Map<string, Promise<unknown>>();

  constructor(options: XmlRpcOdooGatewayOptions) {
    this.url = options.url.replace(/\/+$/, '');
    try {
      this.endpoints = {
        common: new URL(`${this.url}/xmlrpc/2/common`),
        object: new URL(`${this.url}/xmlrpc/2/object`),
      };
    } catch (err) {
      throw new AppError(
        'odoo.bad_url',
        'internal',
        `ODOO_URL "${options.url}" is not a URL. Set it to the Odoo server's root, e.g. https://erp.example.com.`,
        { cause: err },
      );
    }
    this.db = options.db;
    this.username = options.username;
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.logger = options.logger;
    const Agent = this.url.startsWith('https:') ? https.Agent : http.Agent;
    // Idle sockets close after 4 s, before a typical server-side keep-alive timeout (Node's is 5 s)
    // would close them under a request we are about to send.
    this.agent = new Agent({ keepAlive: true, maxSockets: 16, timeout: 4_000 });
  }

  version(): Promise<OdooServerVersion> {
    this.serverVersion ??= this.rpc('common', 'version', [], { call: 'common.version' }).then(parseOdooVersion);
    this.serverVersion.catch(() => {
      this.serverVersion = null;
    });
    return this.serverVersion;
  }

  authenticate(): Promise<number> {
    this.uid ??= this.rpc('common', 'authenticate', [this.db, this.username, this.apiKey, {}], {
      call: 'common.authenticate',
    }).then((uid) => {
      if (typeof uid === 'number' && uid > 0) return uid;
      throw new AppError(
        'odoo.access_denied',
        'forbidden',
        `Odoo at ${this.url} rejected the login "${this.username}" on database "${this.db}". ` +
          'Check ODOO_USERNAME, ODOO_API_KEY and ODOO_DB; an API key may have expired or been revoked.',
      );
    });
    this.uid.catch(() => {
      this.uid = null;
    });
    return this.uid;
  }

  async read(model: string, ids: number[], fields: string[]): Promise<OdooRecord[]> {
    if (ids.length === 0) return [];
    const [rows, info] = await Promise.all([this.execute(model, 'read', [ids], { fields }), this.fields(model)]);
    return asRows(rows).map((row) => normaliseRecord(row, info));
  }

  async searchRead(
    model: string,
    domain: Domain,
    fields: string[],
    options: { order?: string; limit?: number; offset?: number } = {},
  ): Promise<OdooRecord[]> {
    const [rows, info] = await Promise.all([
      this.execute(model, 'search_read', [toOdooDomain(domain)], { fields, ...options }),
      this.fields(model),
    ]);
    return asRows(rows).map((row) => normaliseRecord(row, info));
  }

  async search(
    model: string,
    domain: Domain,
    options: { order?: string; limit?: number; offset?: number } = {},
  ): Promise<number[]> {
    const ids = await this.execute(model, 'search', [toOdooDomain(domain)], options);
    return Array.isArray(ids) ? ids.filter((id): id is number => typeof id === 'number') : [];
  }

  fields(model: string): Promise<Fields> {
    let cached = this.fieldCache.get(model);
    if (!cached) {
      cached = this.execute(model, 'fields_get', [], { attributes: ['type', 'string', 'relation', 'store'] }).then(
        toFields,
      );
      cached.catch(() => this.fieldCache.delete(model));
      this.fieldCache.set(model, cached);
    }
    return cached;
  }

  async callMethod(model: string, method: string, ids: number[], kwargs: Record<string, unknown> = {}) {
    return this.execute(model, method, [ids], kwargs, { noneIsSuccess: true });
  }

  async create(model: string, values: Record<string, unknown>): Promise<number> {
    const id = await this.execute(model, 'create', [values], {});
    // `create` with one dict returns one id (a list when given a list).
    const first = Array.isArray(id) ? id[0] : id;
    if (typeof first !== 'number')
      throw new AppError(
        'odoo.fault',
        'internal',
        `Odoo answered ${model}.create without a record id (${JSON.stringify(id)}); nothing can be done with the new record.`,
      );
    return first;
  }

  async scheduleActivity(
    model: string,
    id: number,
    activity: { userId: number; summary: string; note?: string; deadline?: string },
  ): Promise<number> {
    // `activity_schedule` returns a recordset without @api.returns, which XML-RPC cannot marshal: create directly.
    const [resModelId, typeId] = await Promise.all([this.modelId(model), this.todoActivityType()]);
    const values: Record<string, unknown> = {
      res_model_id: resModelId,
      res_id: id,
      user_id: activity.userId,
      summary: activity.summary,
    };
    if (typeId !== null) values.activity_type_id = typeId;
    if (activity.note !== undefined) values.note = activity.note;
    if (activity.deadline !== undefined) values.date_deadline = activity.deadline;
    return this.create('mail.activity', values);
  }

  async postNote(model: string, id: number, html: string): Promise<number | null> {
    const { major } = await this.version();
    const kwargs: Record<string, unknown> = { body: html, message_type: 'comment', subtype_xmlid: 'mail.mt_note' };
    // 17+ escapes a str body unless told it is HTML; 16 has no such argument and takes HTML as is.
    if (major >= 17) kwargs.body_is_html = true;
    const result = await this.callMethod(model, 'message_post', [id], kwargs);
    if (typeof result === 'number') return result;
    if (Array.isArray(result) && typeof result[0] === 'number') return result[0];
    return null;
  }

  async groupMembers(xmlId: string): Promise<OdooUser[]> {
    const dot = xmlId.indexOf('.');
    if (dot <= 0 || dot === xmlId.length - 1) {
      throw new AppError(
        'odoo.bad_group',
        'internal',
        `"${xmlId}" is not a group XML id like "purchase.group_purchase_manager". Fix the group in the policy file.`,
      );
    }
    const refs = await this.execute(
      'ir.model.data',
      'search_read',
      [
        [
          ['module', '=', xmlId.slice(0, dot)],
          ['name', '=', xmlId.slice(dot + 1)],
          ['model', '=', 'res.groups'],
        ],
      ],
      { fields: ['res_id'], limit: 1 },
    );
    const groupId = asRows(refs)[0]?.res_id;
    if (typeof groupId !== 'number') {
      throw new AppError(
        'odoo.unknown_group',
        'internal',
        `Odoo has no group "${xmlId}". Check the group in the policy file and that its module is installed in Odoo.`,
      );
    }
    const userFields = await this.fields('res.users');
    // 19 keeps the implied-group closure in `all_group_ids`; ≤18 keeps it in `groups_id`.
    const groupField = ['all_group_ids', 'groups_id', 'group_ids'].find((f) => f in userFields) ?? 'groups_id';
    const rows = await this.searchRead(
      'res.users',
      [
        [groupField, 'in', [groupId]],
        ['active', '=', true],
        ['share', '=', false],
      ],
      USER_FIELDS,
      { order: 'id' },
    );
    return rows.map(toOdooUser);
  }

  async findUserByEmail(email: string): Promise<OdooUser | null> {
    const address = email.trim().toLowerCase();
    if (!address.includes('@')) return null;
    const pattern = likeLiteral(address);
    const rows = await this.searchRead(
      'res.users',
      [['active', '=', true], ['share', '=', false], '|', ['email', '=ilike', pattern], ['login', '=ilike', pattern]],
      USER_FIELDS,
    );
    const matches = rows
      .map(toOdooUser)
      .filter((u) => u.email?.trim().toLowerCase() === address || u.login.trim().toLowerCase() === address);
    return matches.length === 1 ? (matches[0] ?? null) : null;
  }

  async users(ids: number[]): Promise<OdooUser[]> {
    const rows = await this.read('res.users', ids, USER_FIELDS);
    return rows.map(toOdooUser);
  }

  recordUrl(model: string, id: number): string {
    return `${this.url}/web#id=${id}&model=${encodeURIComponent(model)}&view_type=form`;
  }

  /** `ir.model` id of a model, as `mail.activity.res_model_id` needs it; cached. */
  private modelId(model: string): Promise<number> {
    return this.cached(`model:${model}`, async () => {
      const ids = await this.search('ir.model', [['model', '=', model]], { limit: 1 });
      if (typeof ids[0] !== 'number')
        throw new AppError(
          'odoo.missing',
          'user',
          `Odoo has no model ${model} (ir.model), so no activity can be scheduled on it. Check the module is installed.`,
        );
      return ids[0];
    });
  }

  /** The "To-Do" activity type (`mail.mail_activity_data_todo`), or null when it was deleted; cached. */
  private todoActivityType(): Promise<number | null> {
    return this.cached('activity:todo', async () => {
      const refs = await this.execute(
        'ir.model.data',
        'search_read',
        [
          [
            ['module', '=', 'mail'],
            ['name', '=', 'mail_activity_data_todo'],
          ],
        ],
        { fields: ['res_id'], limit: 1 },
      );
      const id = asRows(refs)[0]?.res_id;
      return typeof id === 'number' ? id : null;
    });
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    let hit = this.lookups.get(key) as Promise<T> | undefined;
    if (!hit) {
      hit = load();
      hit.catch(() => this.lookups.delete(key));
      this.lookups.set(key, hit);
    }
    return hit;
  }

  /** Closes idle keep-alive sockets; call on shutdown. */
  close(): void {
    this.agent.destroy();
  }

  private async execute(
    model: string,
    method: string,
    args: unknown[],
    kwargs: Record<string, unknown>,
    options: { noneIsSuccess?: boolean } = {},
  ): Promise<unknown> {
    const uid = await this.authenticate();
    const call = `${model}.${method}`;
    // An `undefined` option would travel as an empty string (`limit=''`): leave it out.
    const kw = Object.fromEntries(Object.entries(kwargs).filter(([, v]) => v !== undefined));
    const params = [this.db, uid, this.apiKey, model, method, args, kw];
    try {
      return await this.rpc('object', 'execute_kw', params, { call, odooModel: model }, options.noneIsSuccess);
    } catch (err) {
      // A key revoked while we run: authenticate afresh next time.
      if (err instanceof AppError && err.code === 'odoo.access_denied') this.uid = null;
      throw err;
    }
  }

  private async rpc(
    service: 'common' | 'object',
    method: string,
    params: unknown[],
    target: { call: string; odooModel?: string },
    noneIsSuccess = false,
  ): Promise<unknown> {
    const { call, odooModel } = target;
    const started = Date.now();
    try {
      const endpoint = this.endpoints[service];
      const result = await postXmlRpc(endpoint, method, params, { agent: this.agent, timeoutMs: this.timeoutMs });
      this.logger?.debug({ odooModel, call, ms: Date.now() - started }, 'odoo call');
      return result;
    } catch (err) {
      // Odoo committed, then failed to marshal the method's `None`: a success.
      if (noneIsSuccess && isNoneMarshalFault(err)) return null;
      const mapped = mapOdooFault(err, { url: this.url, db: this.db, call });
      const level = mapped.kind === 'transient' || mapped.kind === 'internal' ? 'warn' : 'debug';
      this.logger?.[level]({ odooModel, call, code: mapped.code, ms: Date.now() - started }, mapped.message);
      throw mapped;
    }
  }
}

/** Our domains are already Odoo-shaped; only `null` needs to become Odoo's `False`. */
function toOdooDomain(domain: Domain): unknown[] {
  return domain.map((term) => (Array.isArray(term) ? [term[0], term[1], term[2] ?? false] : term));
}

function asRows(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value)
    ? value.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null)
    : [];
}

function toFields(value: unknown): Fields {
  const out: Fields = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [name, raw] of Object.entries(value as Record<string, Record<string, unknown>>)) {
    const info: OdooFieldInfo = {
      type: String(raw.type ?? 'unknown'),
      string: String(raw.string ?? name),
      // Every field Odoo 16–19 describes has `store`; absent, it is a stored field.
      store: raw.store !== false,
    };
    if (typeof raw.relation === 'string' && raw.relation) info.relation = raw.relation;
    out[name] = info;
  }
  return out;
}
