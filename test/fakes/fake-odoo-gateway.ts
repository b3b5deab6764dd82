import { AppError } from '../../src/errors.js';
import type { Clock, OdooGateway } from '../../src/flows/ports.js';
import type { Domain, FieldValue, OdooRecord, OdooServerVersion, OdooUser } from '../../src/flows/types.js';
import { matchDomain } from './match-domain.js';

type SearchOptions = { order?: string; limit?: number; offset?: number };

export type MethodHandler = (record: OdooRecord, kwargs: Record<string, unknown> | undefined) => unknown;

/** Odoo's `write_date` as the adapter normalises it: UTC, whole seconds. */
export function odooDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Errors the real adapter produces, for the failure injector. */
export const odooErrors = {
  unreachable: () =>
    new AppError('odoo.unreachable', 'transient', 'Odoo at https://odoo.test is not answering (test); retried.'),
  userError: (message = 'You cannot approve this order (test).') => new AppError('odoo.user_error', 'user', message),
  missing: () => new AppError('odoo.missing', 'user', 'The record does not exist or has been deleted (test).'),
};

/**
 * An in-memory Odoo over a tiny record table: tests set records, users and
 * groups, register what methods do, and inject failures. Records get a new
 * `write_date` from the clock whenever they change.
 */
export class FakeOdooGateway implements OdooGateway {
  readonly methodCalls: Array<{ model: string; method: string; ids: number[]; kwargs?: Record<string, unknown> }> = [];
  readonly notes: Array<{ model: string; id: number; html: string }> = [];
  readonly created: Array<{ model: string; id: number; values: Record<string, unknown> }> = [];
  readonly activities: Array<{
    id: number;
    model: string;
    resId: number;
    userId: number;
    summary: string;
    note?: string;
    deadline?: string;
  }> = [];
  /** Every call that reached the fake, by method name (document-source methods included), oldest first. */
  readonly calls: string[] = [];
  serverVersion: OdooServerVersion = { serie: '17.0', major: 17, minor: 0 };
  private readonly tables = new Map<string, Map<number, OdooRecord>>();
  private readonly userTable = new Map<number, OdooUser>();
  private readonly groups = new Map<string, number[]>();
  private readonly handlers = new Map<string, MethodHandler>();
  private readonly failures: Array<{ method: string; error: Error; skip: number }> = [];
  private readonly relations = new Map<string, { relation: string; type: 'many2one' | 'one2many' | 'many2many' }>();
  private nextId = 100;

  constructor(private readonly clock: Clock) {}

  // ---- test set-up ----

  /** Adds (or replaces) a record; `write_date` defaults to now. Returns its id. */
  put(model: string, values: Partial<OdooRecord>): number {
    const id = values.id ?? this.nextId++;
    this.table(model).set(id, { write_date: odooDate(this.clock.now()), ...values, id } as OdooRecord);
    return id;
  }

  /** Changes a record the way a person in Odoo would, stamping a new `write_date`. */
  write(model: string, id: number, values: Partial<OdooRecord>): void {
    const record = this.record(model, id);
    if (!record) throw new Error(`no ${model} ${id} in the fake Odoo`);
    Object.assign(record, { write_date: odooDate(this.clock.now()) }, values, { id });
  }

  remove(model: string, id: number): void {
    this.table(model).delete(id);
  }

  record(model: string, id: number): OdooRecord | undefined {
    return this.table(model).get(id);
  }

  addUser(user: Partial<OdooUser> & { id: number; name: string }): OdooUser {
    const full: OdooUser = {
      login: user.email ?? `user${user.id}`,
      email: null,
      active: true,
      share: false,
      tz: null,
      ...user,
    };
    this.userTable.set(full.id, full);
    return full;
  }

  setGroup(xmlId: string, userIds: number[]): void {
    this.groups.set(xmlId, [...userIds]);
  }

  /**
   * Declares `model.field` a relation to `relation`, so the fake document
   * source can follow dotted domain paths through it (records hold a
   * `RecordLink` for many2one, ids for x2many). Undeclared paths are unread.
   */
  relate(
    model: string,
    field: string,
    relation: string,
    type: 'many2one' | 'one2many' | 'many2many' = 'many2one',
  ): void {
    this.relations.set(`${model}.${field}`, { relation, type });
  }

  relationOf(model: string, field: string): { relation: string; type: string } | undefined {
    return this.relations.get(`${model}.${field}`);
  }

  /** What `method` does to a record of `model`; its return value is what Odoo returns. */
  onMethod(model: string, method: string, handler: MethodHandler): void {
    this.handlers.set(`${model}/${method}`, handler);
  }

  /**
   * A later call of `method` throws `error` (default: transient
   * `odoo.unreachable`): the next one, or the one after `okCalls` successful
   * calls. Names are this class's methods and the document source's (`load`,
   * `matchingIds`, `changedSince`).
   */
  failNext(method: string, error: Error = odooErrors.unreachable(), okCalls = 0): void {
    this.failures.push({ method, error, skip: okCalls });
  }

  /** Throws an injected failure for `method`, if one is pending. Used by the fake document source too. */
  enter(method: string): void {
    this.calls.push(method);
    const i = this.failures.findIndex((f) => f.method === method);
    const failure = this.failures[i];
    if (!failure) return;
    if (failure.skip > 0) {
      failure.skip -= 1;
      return;
    }
    this.failures.splice(i, 1);
    throw failure.error;
  }

  /** Records of `model` matching `domain`, in id order. */
  matching(model: string, domain: Domain): OdooRecord[] {
    return [...this.table(model).values()].filter((r) => matchDomain(r, domain)).sort((a, b) => a.id - b.id);
  }

  // ---- OdooGateway ----

  async version(): Promise<OdooServerVersion> {
    this.enter('version');
    return { ...this.serverVersion };
  }

  async authenticate(): Promise<number> {
    this.enter('authenticate');
    return 1;
  }

  async read(model: string, ids: number[], fields: string[]): Promise<OdooRecord[]> {
    this.enter('read');
    return ids.flatMap((id) => {
      const r = this.record(model, id);
      return r ? [pick(r, fields)] : [];
    });
  }

  async searchRead(
    model: string,
    domain: Domain,
    fields: string[],
    options: SearchOptions = {},
  ): Promise<OdooRecord[]> {
    this.enter('searchRead');
    return this.page(model, domain, options).map((r) => pick(r, fields));
  }

  async search(model: string, domain: Domain, options: SearchOptions = {}): Promise<number[]> {
    this.enter('search');
    return this.page(model, domain, options).map((r) => r.id);
  }

  /** Odoo's paging: sorted by `order` (`field [asc|desc], …`), ties by id, then `offset` and `limit`. */
  private page(model: string, domain: Domain, options: SearchOptions): OdooRecord[] {
    const keys = (options.order ?? '')
      .split(',')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, dir = 'asc']) => ({ name: name!, desc: dir.toLowerCase() === 'desc' }));
    const rows = this.matching(model, domain).sort((a, b) => {
      for (const { name, desc } of keys) {
        const c = compare(a[name], b[name]);
        if (c !== 0) return desc ? -c : c;
      }
      return a.id - b.id;
    });
    const offset = options.offset ?? 0;
    return rows.slice(offset, options.limit ? offset + options.limit : undefined);
  }

  /** Every field a record of `model` holds, stored; a `char` unless declared a relation with `relate`. */
  async fields(
    model: string,
  ): Promise<Record<string, { type: string; string: string; relation?: string; store: boolean }>> {
    this.enter('fields');
    const names = new Set([...this.table(model).values()].flatMap((r) => Object.keys(r)));
    return Object.fromEntries(
      [...names].map((n) => {
        const rel = this.relationOf(model, n);
        return [n, rel ? { ...rel, string: n, store: true } : { type: 'char', string: n, store: true }];
      }),
    );
  }

  async callMethod(model: string, method: string, ids: number[], kwargs?: Record<string, unknown>): Promise<unknown> {
    // Recorded before an injected failure: a call that reached Odoo and failed is still a call.
    this.methodCalls.push(kwargs ? { model, method, ids, kwargs } : { model, method, ids });
    this.enter('callMethod');
    const handler = this.handlers.get(`${model}/${method}`);
    if (!handler) throw odooErrors.userError(`The fake Odoo has no ${model}.${method}; register it with onMethod().`);
    let result: unknown = null;
    for (const id of ids) {
      const record = this.record(model, id);
      if (!record) throw odooErrors.missing();
      const before = JSON.stringify(record);
      result = handler(record, kwargs) ?? null;
      if (JSON.stringify(record) !== before) record.write_date = odooDate(this.clock.now());
    }
    return result;
  }

  /** Stores the values as a record (a wizard, typically) so `callMethod` can run on it. */
  async create(model: string, values: Record<string, unknown>): Promise<number> {
    this.enter('create');
    const id = this.put(model, values as Partial<OdooRecord>);
    this.created.push({ model, id, values: structuredClone(values) });
    return id;
  }

  async scheduleActivity(
    model: string,
    id: number,
    activity: { userId: number; summary: string; note?: string; deadline?: string },
  ): Promise<number> {
    this.enter('scheduleActivity');
    if (!this.record(model, id)) throw odooErrors.missing();
    const activityId = this.activities.length + 1;
    this.activities.push({ id: activityId, model, resId: id, ...activity });
    return activityId;
  }

  async postNote(model: string, id: number, html: string): Promise<number | null> {
    this.enter('postNote');
    if (!this.record(model, id)) throw odooErrors.missing();
    this.notes.push({ model, id, html });
    return this.notes.length;
  }

  async groupMembers(xmlId: string): Promise<OdooUser[]> {
    this.enter('groupMembers');
    return (this.groups.get(xmlId) ?? []).flatMap((id) => {
      const u = this.userTable.get(id);
      return u?.active && !u.share ? [{ ...u }] : [];
    });
  }

  async findUserByEmail(email: string): Promise<OdooUser | null> {
    this.enter('findUserByEmail');
    const e = email.toLowerCase();
    const found = [...this.userTable.values()].filter(
      (u) => u.active && !u.share && (u.email?.toLowerCase() === e || u.login.toLowerCase() === e),
    );
    return found.length === 1 ? { ...found[0]! } : null;
  }

  async users(ids: number[]): Promise<OdooUser[]> {
    this.enter('users');
    return ids.flatMap((id) => {
      const u = this.userTable.get(id);
      return u ? [{ ...u }] : [];
    });
  }

  recordUrl(model: string, id: number): string {
    return `https://odoo.test/odoo/${model}/${id}`;
  }

  private table(model: string): Map<number, OdooRecord> {
    let t = this.tables.get(model);
    if (!t) {
      t = new Map();
      this.tables.set(model, t);
    }
    return t;
  }
}

/** PostgreSQL's ascending order: empty values (null, false) last, numbers by value, the rest as text. */
function compare(a: FieldValue | undefined, b: FieldValue | undefined): number {
  const empty = (v: FieldValue | undefined) => v === undefined || v === null || v === false;
  if (empty(a) || empty(b)) return empty(a) === empty(b) ? 0 : empty(a) ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const text = (v: FieldValue | undefined) => (typeof v === 'object' && v && !Array.isArray(v) ? v.name : String(v));
  return text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0;
}

function pick(record: OdooRecord, fields: string[]): OdooRecord {
  const out: OdooRecord = { id: record.id };
  for (const f of fields.length ? fields : Object.keys(record)) out[f] = structuredClone(record[f] ?? null);
  return out;
}
