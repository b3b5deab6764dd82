import { type DomainFieldValue, type DomainRecord, domainPaths } from '../../src/flows/domain-fields.js';
import type { DomainRead } from '../../src/flows/ports.js';
import type { Domain, OdooRecord, RecordLink } from '../../src/flows/types.js';
import type { FakeOdooGateway } from './fake-odoo-gateway.js';

function isLink(v: DomainFieldValue | undefined): v is RecordLink {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof v.id === 'number';
}

/**
 * `DocumentSource.readForDomains` over a `FakeOdooGateway`'s tables, the way
 * the Odoo reader does it: one `read` per model per hop (counted in
 * `odoo.calls` as `read`), related records nested in place of their link
 * with the link's name as `display_name`. A dotted path goes only through
 * fields declared with `odoo.relate`; other paths and x2many hops are unread.
 */
export async function fakeReadForDomains(
  odoo: FakeOdooGateway,
  model: string,
  ids: number[],
  domains: Domain[],
): Promise<DomainRead> {
  const unread = new Map<string, string>();
  const paths = [...new Map(domains.flatMap(domainPaths).map((p) => [p.join('.'), p])).values()];
  const readable = paths.filter((path) => {
    let current = model;
    for (const name of path.slice(0, -1)) {
      const rel = odoo.relationOf(current, name);
      if (rel?.type !== 'many2one') {
        unread.set(path.join('.'), `${current}.${name} is not a declared many2one in the fake Odoo`);
        return false;
      }
      current = rel.relation;
    }
    return true;
  });
  const records = await readLevel(odoo, model, ids, readable);
  return { records, unread };
}

/** Reads `paths` on the records of `model`, then each hop's related records in one read per hop. */
async function readLevel(
  odoo: FakeOdooGateway,
  model: string,
  ids: number[],
  paths: string[][],
): Promise<Map<number, DomainRecord>> {
  const heads = [...new Set(paths.map((p) => p[0] as string))];
  // Like the Odoo reader: `active` too, when the model has it (search hides archived records).
  if (odoo.matching(model, []).some((r) => 'active' in r)) heads.push('active');
  const rows: OdooRecord[] = await odoo.read(model, ids, heads.length > 0 ? heads : ['id']);
  const out = new Map<number, DomainRecord>(rows.map((r) => [r.id, { ...r }]));
  const hops = [...new Set(paths.filter((p) => p.length > 1).map((p) => p[0] as string))];
  for (const hop of hops) {
    const rel = odoo.relationOf(model, hop) as { relation: string };
    const linked = [...new Set(rows.flatMap((r) => (isLink(r[hop]) ? [(r[hop] as RecordLink).id] : [])))];
    if (linked.length === 0) continue;
    const related = await readLevel(
      odoo,
      rel.relation,
      linked,
      paths.filter((p) => p[0] === hop && p.length > 1).map((p) => p.slice(1)),
    );
    for (const record of out.values()) {
      const link = record[hop];
      const found = isLink(link) ? related.get(link.id) : undefined;
      if (found && isLink(link)) record[hop] = { display_name: link.name, ...found };
    }
  }
  return out;
}
