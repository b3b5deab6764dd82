import { type DomainContext, domainFields, matchesDomain, parseDomain } from './evaluate-domain.js';
import { fakeFaults } from './fake-odoo-faults.js';
import {
  buildSchema,
  type FakeField,
  type FakeModel,
  type FakeOdooVersion,
  type StoredRecord,
} from './fake-odoo-schema.js';

export interface SearchOptions {
  order?: string;
  limit?: number;
  offset?: number;
  /** Odoo's `active_test` context key: hide archived records unless the domain mentions `active`. */
  activeTest?: boolean;
}

/** `YYYY-MM-DD HH:MM:SS`, naive UTC, as Odoo stores and sends datetimes. */
export function odooDatetime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** The fake's tables: records in memory, read and searched the way Odoo's ORM does. */
export class FakeOdooDb implements DomainContext {
  readonly schema: Map<string, FakeModel>;
  private readonly tables = new Map<string, Map<number, StoredRecord>>();
  private readonly nextIds = new Map<string, number>();
  /** `env.uid` of the call being served (set by the RPC layer); computed fields such as `user_status` read it. */
  uid = 1;

  constructor(
    readonly version: FakeOdooVersion,
    readonly now: () => Date,
  ) {
    this.schema = buildSchema(version);
    for (const name of this.schema.keys()) this.tables.set(name, new Map());
    // A view model (`hr.employee.public`) reads the rows of its table.
    for (const m of this.schema.values()) if (m.table) this.tables.set(m.name, this.tables.get(m.table) ?? new Map());
  }

  model(name: string): FakeModel {
    const model = this.schema.get(name);
    if (!model) throw fakeFaults.userError(`Object ${name} doesn't exist`);
    return model;
  }

  field(model: string, name: string): FakeField | undefined {
    return this.schema.get(model)?.fields[name];
  }

  get(model: string, id: number): StoredRecord | undefined {
    return this.tables.get(model)?.get(id);
  }

  all(model: string): StoredRecord[] {
    return [...(this.tables.get(model)?.values() ?? [])];
  }

  /** A field's value in stored form, computing computed and one2many fields. */
  value(model: string, record: StoredRecord, name: string): unknown {
    const field = this.field(model, name);
    if (name === 'id') return record.id;
    if (name === 'display_name') return this.displayName(model, record.id);
    if (field?.compute) return field.compute(record, this);
    if (field?.type === 'one2many' && field.relation && field.inverse) {
      const inverse = field.inverse;
      return this.all(field.relation)
        .filter((r) => r[inverse] === record.id)
        .map((r) => r.id);
    }
    return record[name] ?? false;
  }

  displayName(model: string, id: number): string {
    const record = this.get(model, id);
    if (!record) return '';
    const m = this.model(model);
    const name = record[m.recName];
    if (model === 'product.product' && record.default_code) return `[${record.default_code}] ${name}`;
    return typeof name === 'string' ? name : `${model},${id}`;
  }

  create(model: string, vals: Record<string, unknown>, uid: number): number {
    const m = this.model(model);
    const id = this.nextIds.get(model) ?? 1;
    this.nextIds.set(model, id + 1);
    const now = odooDatetime(this.now());
    const record: StoredRecord = { id };
    for (const [name, field] of Object.entries(m.fields)) {
      if (field.compute || field.type === 'one2many' || name === 'id' || name === 'display_name') continue;
      record[name] = structuredClone(field.default ?? false);
    }
    Object.assign(record, { create_uid: uid, create_date: now, write_uid: uid, write_date: now });
    this.tables.get(model)?.set(id, record);
    this.assign(model, record, vals, uid);
    return id;
  }

  write(model: string, ids: number[], vals: Record<string, unknown>, uid: number): void {
    const records = this.browse(model, ids, uid);
    const now = odooDatetime(this.now());
    for (const record of records) {
      this.assign(model, record, vals, uid);
      Object.assign(record, { write_uid: uid, write_date: now });
    }
  }

  /** Deletes the records (Odoo's `unlink`); missing ids give the MissingError fault. */
  unlink(model: string, ids: number[], uid: number): void {
    this.browse(model, ids, uid);
    for (const id of ids) this.tables.get(model)?.delete(id);
  }

  /** Existing records for these ids, or Odoo's MissingError fault. */
  browse(model: string, ids: number[], uid: number): StoredRecord[] {
    const missing = ids.filter((id) => !this.get(model, id));
    if (missing.length > 0) throw fakeFaults.missing(model, missing, uid);
    return ids.map((id) => this.get(model, id) as StoredRecord);
  }

  search(model: string, domain: unknown, options: SearchOptions = {}): number[] {
    const m = this.model(model);
    const node = parseDomain(domain);
    const hideArchived = options.activeTest !== false && 'active' in m.fields && !domainFields(node).includes('active');
    let rows = this.all(model).filter(
      (r) => (!hideArchived || r.active === true) && matchesDomain(node, model, r, this),
    );
    rows = this.sort(model, rows, options.order || m.order);
    const offset = options.offset ?? 0;
    const end = options.limit ? offset + options.limit : undefined;
    return rows.slice(offset, end).map((r) => r.id);
  }

  /** Odoo's `read`: ids that no longer exist are skipped, as `_read_format` does. */
  read(model: string, ids: number[], fields: string[] | undefined, classic = true): Array<Record<string, unknown>> {
    const m = this.model(model);
    const names = fields && fields.length > 0 ? fields : Object.keys(m.fields);
    for (const name of names) if (!m.fields[name]) throw fakeFaults.invalidField(model, name);
    const out: Array<Record<string, unknown>> = [];
    for (const id of ids) {
      const record = this.get(model, id);
      if (!record) continue;
      const row: Record<string, unknown> = { id };
      for (const name of names)
        row[name] = this.toWire(m.fields[name] as FakeField, this.value(model, record, name), classic);
      out.push(row);
    }
    return out;
  }

  fieldsGet(model: string, attributes?: string[]): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [name, field] of Object.entries(this.model(model).fields)) {
      const full: Record<string, unknown> = {
        type: field.type,
        string: field.string,
        readonly: Boolean(field.compute) || name === 'id' || name.endsWith('_uid') || name.endsWith('_date'),
        store: !field.compute,
      };
      if (field.relation) full.relation = field.relation;
      if (field.selection) full.selection = field.selection;
      out[name] = attributes?.length
        ? Object.fromEntries(Object.entries(full).filter(([k]) => attributes.includes(k)))
        : full;
    }
    return out;
  }

  private toWire(field: FakeField, value: unknown, classic: boolean): unknown {
    if (field.type === 'boolean') return value === true;
    if (value === false || value === null || value === undefined) return false;
    if (field.type === 'many2one' && typeof value === 'number') {
      return classic ? [value, this.displayName(field.relation as string, value)] : value;
    }
    return structuredClone(value);
  }

  private assign(model: string, record: StoredRecord, vals: Record<string, unknown>, uid: number): void {
    const m = this.model(model);
    for (const [name, value] of Object.entries(vals)) {
      const field = m.fields[name];
      if (!field) throw fakeFaults.invalidField(model, name);
      if (field.compute || name === 'id') continue;
      if (field.type === 'one2many') this.applyOne2many(field, record.id, value, uid);
      else if (field.type === 'many2many') record[name] = applyMany2many(relatedList(record[name]), value);
      else if (field.type === 'many2one') record[name] = Array.isArray(value) ? value[0] : value || false;
      else record[name] = value === null ? false : value;
    }
  }

  /** Supports the commands the bot and tests use: `(0, 0, vals)` create, `(2, id)` delete. */
  private applyOne2many(field: FakeField, ownerId: number, commands: unknown, uid: number): void {
    if (!Array.isArray(commands)) throw fakeFaults.valueError(`Invalid one2many commands ${JSON.stringify(commands)}`);
    for (const cmd of commands) {
      if (!Array.isArray(cmd)) continue;
      if (cmd[0] === 0) this.create(field.relation as string, { ...cmd[2], [field.inverse as string]: ownerId }, uid);
      else if (cmd[0] === 2) this.tables.get(field.relation as string)?.delete(Number(cmd[1]));
      else throw fakeFaults.valueError(`one2many command ${cmd[0]} is not supported by the fake Odoo`);
    }
  }

  private sort(model: string, rows: StoredRecord[], orderSpec: string): StoredRecord[] {
    const keys = orderSpec.split(',').map((part) => {
      const [name = '', dir = 'asc'] = part.trim().split(/\s+/);
      const field = this.field(model, name);
      if (!field || !/^(asc|desc)$/i.test(dir)) throw fakeFaults.valueError(`Invalid "order" specified (${orderSpec})`);
      return { name, field, desc: dir.toLowerCase() === 'desc' };
    });
    const sortValue = (r: StoredRecord, name: string, field: FakeField): unknown => {
      const v = this.value(model, r, name);
      if (field.type === 'many2one' && typeof v === 'number') return this.displayName(field.relation as string, v);
      return v === false && field.type !== 'boolean' ? null : v;
    };
    return rows.sort((a, b) => {
      for (const { name, field, desc } of keys) {
        const c = compareValues(sortValue(a, name, field), sortValue(b, name, field), desc);
        if (c !== 0) return c;
      }
      return a.id - b.id;
    });
  }
}

/** PostgreSQL's order: NULLS LAST ascending, NULLS FIRST descending. */
function compareValues(a: unknown, b: unknown, desc: boolean): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return desc ? -1 : 1;
  if (b === null || b === undefined) return desc ? 1 : -1;
  const c = typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1;
  return desc ? -c : c;
}

function relatedList(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : [];
}

/** many2many commands: `(6, 0, ids)` replace, `(4, id)` link, `(3, id)` unlink, `(5,)` clear; a bare id list replaces. */
function applyMany2many(current: number[], commands: unknown): number[] {
  if (!Array.isArray(commands)) throw fakeFaults.valueError(`Invalid many2many value ${JSON.stringify(commands)}`);
  if (commands.every((c) => typeof c === 'number')) return [...commands];
  let ids = [...current];
  for (const cmd of commands) {
    if (!Array.isArray(cmd)) throw fakeFaults.valueError(`Invalid many2many command ${JSON.stringify(cmd)}`);
    const [code, id, list] = cmd as [number, number, number[]];
    if (code === 6) ids = [...(list ?? [])];
    else if (code === 4 && !ids.includes(id)) ids.push(id);
    else if (code === 3) ids = ids.filter((x) => x !== id);
    else if (code === 5) ids = [];
  }
  return ids;
}
