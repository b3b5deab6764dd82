/**
 * The `common` and `object` services of `odoo/service/`, over the fake's
 * tables: credential checks first (Fault 3), then private names (Fault 4),
 * the model (Fault 2), record rules, and the ORM or business method.
 */

import { checkModelAccess } from './fake-odoo-access.js';
import type { FakeOdooDb } from './fake-odoo-db.js';
import { fakeFaults } from './fake-odoo-faults.js';
import { type Credentials, hasGroup } from './fake-odoo-seed.js';
import { recordMethod } from './fake-record-methods.js';
import { prepareActivity } from './fake-record-methods-activity.js';

export interface FakeRpcCall {
  service: 'common' | 'object';
  method: string;
  model: string | null;
  /** The model method for `execute_kw`, e.g. `button_approve`. */
  modelMethod: string | null;
  args: unknown[];
  kwargs: Record<string, unknown>;
  uid: number | null;
}

export class FakeOdooRpc {
  constructor(
    private readonly db: FakeOdooDb,
    private readonly dbName: string,
    private readonly credentials: Credentials,
  ) {}

  /** Splits a raw call into what the call log records (secrets left out). */
  describe(service: 'common' | 'object', method: string, params: unknown[]): FakeRpcCall {
    if (service === 'object' && (method === 'execute_kw' || method === 'execute')) {
      const args = method === 'execute_kw' ? asArray(params[5]) : params.slice(5);
      const kwargs = method === 'execute_kw' ? asObject(params[6]) : {};
      const uid = typeof params[1] === 'number' ? params[1] : null;
      return { service, method, model: str(params[3]), modelMethod: str(params[4]), args, kwargs, uid };
    }
    const args = method === 'authenticate' || method === 'login' ? [params[0], params[1], '***'] : params;
    return { service, method, model: null, modelMethod: null, args, kwargs: {}, uid: null };
  }

  common(method: string, params: unknown[]): unknown {
    switch (method) {
      case 'version': {
        const v = this.db.version;
        return {
          server_version: `${v}.0`,
          server_version_info: [v, 0, 0, 'final', 0, ''],
          server_serie: `${v}.0`,
          protocol_version: 1,
        };
      }
      case 'login':
      case 'authenticate': {
        this.checkDb(params[0]);
        const user = this.db.all('res.users').find((u) => u.login === params[1] && u.active === true);
        // AccessDenied is caught by exp_authenticate: bad credentials are `False`, not a fault.
        return user && this.credentials.get(user.id)?.has(String(params[2])) ? user.id : false;
      }
      default:
        throw fakeFaults.server(`KeyError: 'exp_${method}'`);
    }
  }

  object(method: string, params: unknown[]): unknown {
    if (method !== 'execute_kw' && method !== 'execute') throw fakeFaults.server(`KeyError: 'exp_${method}'`);
    const call = this.describe('object', method, params);
    this.checkDb(params[0]);
    const uid = call.uid;
    const user = uid === null ? undefined : this.db.get('res.users', uid);
    if (uid === null || !user || user.active !== true || !this.credentials.get(uid)?.has(String(params[2]))) {
      throw fakeFaults.accessDenied();
    }
    const model = call.model ?? '';
    const name = call.modelMethod ?? '';
    if (name.startsWith('_')) {
      const qualified = this.db.version >= 19 ? `'${model}.${name}'` : `${model}.${name}`;
      throw fakeFaults.accessError(`Private methods (such as ${qualified}) cannot be called remotely.`);
    }
    const fields =
      call.kwargs.fields ?? (name === 'read' ? call.args[1] : name === 'search_read' ? call.args[1] : undefined);
    checkModelAccess(this.db, uid, model, name, fieldList(fields));
    this.db.uid = uid;
    return this.orm(model, name, uid, call.args, call.kwargs);
  }

  private orm(model: string, method: string, uid: number, args: unknown[], kw: Record<string, unknown>): unknown {
    const db = this.db;
    const context = asObject(kw.context);
    const activeTest = context.active_test !== false;
    const pick = (index: number, key: string): unknown => (key in kw ? kw[key] : args[index]);
    const num = (v: unknown) => {
      if (v === undefined || v === false) return undefined;
      if (typeof v === 'number') return v;
      // PostgreSQL would reject `LIMIT ''`; so does the fake.
      throw fakeFaults.server(
        `psycopg2.errors.InvalidTextRepresentation: invalid input syntax for type bigint: "${String(v)}"`,
      );
    };
    const order = (v: unknown) => (typeof v === 'string' ? v : undefined);
    switch (method) {
      case 'search':
        return db.search(model, pick(0, 'domain') ?? [], {
          offset: num(pick(1, 'offset')),
          limit: num(pick(2, 'limit')),
          order: order(pick(3, 'order')),
          activeTest,
        });
      case 'search_count':
        return db.search(model, pick(0, 'domain') ?? [], { activeTest }).length;
      case 'read':
        return db.read(model, ids(pick(0, 'ids')), fieldList(pick(1, 'fields')), kw.load !== false);
      case 'search_read': {
        const found = db.search(model, pick(0, 'domain') ?? [], {
          offset: num(pick(2, 'offset')),
          limit: num(pick(3, 'limit')),
          order: order(pick(4, 'order')),
          activeTest,
        });
        return db.read(model, found, fieldList(pick(1, 'fields')));
      }
      case 'fields_get':
        return db.fieldsGet(model, fieldList(pick(1, 'attributes')));
      case 'write':
        db.write(model, ids(pick(0, 'ids')), asObject(pick(1, 'vals')), uid);
        return true;
      case 'create': {
        const prepare = (v: unknown) =>
          model === 'mail.activity' ? prepareActivity(db, uid, asObject(v)) : asObject(v);
        const vals = pick(0, 'vals_list');
        if (Array.isArray(vals)) return vals.map((v) => db.create(model, prepare(v), uid));
        return db.create(model, prepare(vals), uid);
      }
      case 'unlink':
        db.unlink(model, ids(pick(0, 'ids')), uid);
        return true;
      case 'has_group':
        if (db.version < 18) break;
        return hasGroup(db, ids(args[0])[0] ?? uid, String(args[1] ?? kw.group_ext_id));
    }
    const fn = recordMethod(db, model, method);
    if (!fn) throw fakeFaults.server(`AttributeError: The method '${model}.${method}' does not exist`);
    return fn(db, uid, ids(args[0]), kw, args.slice(1));
  }

  private checkDb(db: unknown): void {
    if (db !== this.dbName) throw fakeFaults.unknownDatabase(String(db));
  }
}

function ids(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return value;
  throw fakeFaults.valueError(`Expected a list of record ids, got ${JSON.stringify(value)}`);
}

function fieldList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map(String) : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
