/**
 * Reads records the way domains need them, so the flow engine can decide a
 * domain on the record instead of asking Odoo to `search` once per domain.
 * Dotted paths (`partner_id.country_id.code`) are followed through
 * many2one fields with one `read` per model per hop, however many records
 * and paths there are. What cannot be read faithfully is reported, not
 * guessed: the flow engine asks Odoo for domains that use it.
 */
import { isAppError } from '../errors.js';
import { type DomainRecord, domainPaths } from '../flows/domain-fields.js';
import type { DomainRead, OdooGateway } from '../flows/ports.js';
import type { Domain, OdooRecord, RecordLink } from '../flows/types.js';

/** Field types whose values the local evaluator compares as Odoo's SQL does. */
const LOCAL_TYPES = new Set([
  'char',
  'text',
  'html',
  'selection',
  'integer',
  'float',
  'monetary',
  'boolean',
  'date',
  'datetime',
  'many2one',
  'one2many',
  'many2many',
]);

interface FieldFacts {
  type: string;
  relation?: string;
  /** False for computed fields Odoo does not store: `search` runs their own search method (or ignores them). */
  store: boolean;
}
type ModelFacts = Record<string, FieldFacts>;

/** One model's part of the read: its fields, the many2one fields followed from it, and the ids to read. */
interface Hop {
  model: string;
  fields: Set<string>;
  next: Map<string, Hop>;
  /** Every dotted path that goes through this hop, to report if it cannot be read. */
  paths: Set<string>;
  ids: Set<number>;
  rows: Map<number, OdooRecord>;
}

const newHop = (model: string): Hop => ({
  model,
  fields: new Set(),
  next: new Map(),
  paths: new Set(),
  ids: new Set(),
  rows: new Map(),
});

function isLink(value: unknown): value is RecordLink {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as RecordLink).id === 'number'
  );
}

/** Implements `DocumentSource.readForDomains` over the gateway (which normalises Odoo's shapes). */
export class OdooDomainRecordReader {
  constructor(private readonly odoo: OdooGateway) {}

  async read(model: string, ids: number[], domains: Domain[]): Promise<DomainRead> {
    const unread = new Map<string, string>();
    const root = newHop(model);
    const paths = new Map(domains.flatMap(domainPaths).map((p) => [p.join('.'), p]));
    for (const [shown, path] of paths) await this.plan(root, path, shown, unread);
    const rootFacts = await this.modelFacts(model);
    // Odoo's search leaves archived records out unless the domain names `active`.
    if (rootFacts.active?.type === 'boolean') root.fields.add('active');
    for (const id of ids) root.ids.add(id);

    let level = [root];
    while (level.length > 0) {
      await this.readLevel(level, root, unread);
      level = level.flatMap((hop) => [...hop.next].flatMap(([field, child]) => follow(hop, field, child)));
    }
    const records = new Map<number, DomainRecord>();
    for (const id of ids) {
      const record = assemble(root, id);
      if (record) records.set(id, record);
    }
    return { records, unread };
  }

  /** Adds one path to the plan, or says why it cannot be read. */
  private async plan(root: Hop, path: string[], shown: string, unread: Map<string, string>): Promise<void> {
    let hop = root;
    for (const [i, name] of path.entries()) {
      hop.paths.add(shown);
      let facts: ModelFacts;
      try {
        facts = await this.modelFacts(hop.model);
      } catch (err) {
        if (hop === root || !isAppError(err) || err.kind !== 'forbidden') throw err;
        unread.set(shown, `the bot may not read ${hop.model} (${err.code})`);
        return;
      }
      const field = name === 'id' ? { type: 'integer', store: true } : facts[name];
      const why = field
        ? unreadable(hop.model, name, field, i === path.length - 1)
        : `${hop.model} has no field "${name}"`;
      if (why) {
        unread.set(shown, `"${shown}": ${why}`);
        return;
      }
      hop.fields.add(name);
      if (i === path.length - 1) return;
      let next = hop.next.get(name);
      if (!next) {
        next = newHop((field as FieldFacts).relation as string);
        hop.next.set(name, next);
      }
      hop = next;
    }
  }

  /** One read per model for all the hops of this level; a hop the bot may not read marks its paths unread. */
  private async readLevel(level: Hop[], root: Hop, unread: Map<string, string>): Promise<void> {
    const byModel = new Map<string, Hop[]>();
    for (const hop of level) byModel.set(hop.model, [...(byModel.get(hop.model) ?? []), hop]);
    for (const [model, hops] of byModel) {
      const ids = [...new Set(hops.flatMap((h) => [...h.ids]))];
      const fields = [...new Set(hops.flatMap((h) => [...h.fields]))];
      let rows: OdooRecord[];
      try {
        // Never an empty field list: Odoo would read every field.
        rows = await this.odoo.read(model, ids, fields.length > 0 ? fields : ['id']);
      } catch (err) {
        if (hops.includes(root) || !isAppError(err) || err.kind !== 'forbidden') throw err;
        for (const hop of hops) {
          for (const p of hop.paths) unread.set(p, `"${p}": the bot may not read ${model} (${err.code})`);
          hop.next.clear();
        }
        continue;
      }
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const hop of hops) for (const id of hop.ids) if (byId.has(id)) hop.rows.set(id, byId.get(id) as OdooRecord);
    }
  }

  /** Types, relations and which fields Odoo stores: the gateway's `fields_get`, asked once per model and cached there. */
  private modelFacts(model: string): Promise<ModelFacts> {
    return this.odoo.fields(model);
  }
}

/** Why this field cannot be read for a domain, or null. */
function unreadable(model: string, name: string, field: FieldFacts, last: boolean): string | null {
  if (!field.store) return `${model}.${name} is computed and not stored, so Odoo searches it its own way`;
  if (!last) {
    if (field.type === 'one2many' || field.type === 'many2many')
      return `${model}.${name} is a list of records (${field.type}), left to Odoo`;
    if (field.type !== 'many2one' || !field.relation) return `${model}.${name} is not a relation`;
    return null;
  }
  if (!LOCAL_TYPES.has(field.type)) return `${model}.${name} is a ${field.type} field, left to Odoo`;
  return null;
}

/** The hop's child, with the ids its rows link to; nothing to read when none links. */
function follow(hop: Hop, field: string, child: Hop): Hop[] {
  for (const row of hop.rows.values()) {
    const link = row[field];
    if (isLink(link)) child.ids.add(link.id);
  }
  return child.ids.size > 0 ? [child] : [];
}

/** The row with each followed link replaced by the related record (its link name as `display_name`). */
function assemble(hop: Hop, id: number): DomainRecord | undefined {
  const row = hop.rows.get(id);
  if (!row) return undefined;
  const out: DomainRecord = { ...row };
  for (const [field, child] of hop.next) {
    const link = row[field];
    if (!isLink(link)) continue;
    const related = assemble(child, link.id);
    if (related) out[field] = { display_name: link.name, ...related };
  }
  return out;
}
