import type { DocumentSource, DomainRead, LoadedDocument, Logger, OdooGateway } from '../../flows/ports.js';
import type { CaseLine, Domain, FieldValue, OdooRecord, RecordLink } from '../../flows/types.js';
import { OdooDomainRecordReader } from '../domain-record-reader.js';
import { CONVERSION_FIELDS, CompanyAmounts } from './company-amount.js';

/** Lines read per document: the card shows five and counts the rest. */
const LINES_READ = 5;

/** Candidate fields per role, first existing one wins; covers POs, bills, sale orders, expenses. */
const ROLE_FIELDS = {
  reference: ['name', 'display_name'],
  partner: ['partner_id', 'employee_id'],
  amount: ['amount_total', 'total_amount', 'amount'],
  currency: ['currency_id'],
  owner: ['user_id', 'employee_id', 'create_uid'],
  date: ['date_order', 'invoice_date', 'date', 'create_date'],
  state: ['state'],
  lines: ['order_line', 'invoice_line_ids', 'expense_line_ids'],
} as const;

const LINE_FIELDS = [
  'product_id',
  'name',
  'product_qty',
  'product_uom_qty',
  'quantity',
  'price_unit',
  'price_subtotal',
];

function link(v: FieldValue | undefined): RecordLink | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? v : null;
}
function str(v: FieldValue | undefined): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return link(v)?.name ?? null;
}
function num(v: FieldValue | undefined): number | null {
  return typeof v === 'number' ? v : null;
}

/** `2026-11-25 10:00:00`, the form Odoo compares datetimes in. */
export function odooDatetime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

/** Reads approval documents over the gateway, choosing fields by what the model really has. */
export class OdooDocumentSource implements DocumentSource {
  private readonly amounts: CompanyAmounts;
  private readonly domainReader: OdooDomainRecordReader;

  /** `log` receives, at debug level, how each total was converted to the company currency. */
  constructor(
    private readonly odoo: OdooGateway,
    private readonly log?: Logger,
  ) {
    this.amounts = new CompanyAmounts(odoo);
    this.domainReader = new OdooDomainRecordReader(odoo);
  }

  private async pick(model: string): Promise<Record<keyof typeof ROLE_FIELDS, string | null>> {
    const fields = await this.odoo.fields(model);
    const first = (names: readonly string[]) => names.find((n) => n in fields) ?? null;
    return {
      reference: first(ROLE_FIELDS.reference),
      partner: first(ROLE_FIELDS.partner),
      amount: first(ROLE_FIELDS.amount),
      currency: first(ROLE_FIELDS.currency),
      owner: first(ROLE_FIELDS.owner),
      date: first(ROLE_FIELDS.date),
      state: first(ROLE_FIELDS.state),
      lines: first(ROLE_FIELDS.lines),
    };
  }

  async load(
    model: string,
    id: number,
    requesterFields: string[],
    extraFields: string[] = [],
  ): Promise<LoadedDocument | null> {
    const roles = await this.pick(model);
    const fields = await this.odoo.fields(model);
    const wanted = new Set<string>(['write_date']);
    for (const f of Object.values(roles)) if (f) wanted.add(f);
    // A dotted requester field (`employee_id.user_id`) reads its first step here and follows it below.
    const heads = requesterFields.map((f) => f.split('.')[0]!);
    for (const f of [...heads, ...extraFields, ...CONVERSION_FIELDS]) if (f in fields) wanted.add(f);
    const [rec] = await this.odoo.read(model, [id], [...wanted]);
    if (!rec) return null;
    const lineIds = roles.lines && Array.isArray(rec[roles.lines]) ? (rec[roles.lines] as number[]) : [];
    const lines = roles.lines ? await this.readLines(model, roles.lines, lineIds.slice(0, LINES_READ)) : [];
    const get = (role: keyof typeof roles) => (roles[role] ? rec[roles[role]!] : undefined);
    return {
      snapshot: {
        reference: str(get('reference')) ?? `${model},${id}`,
        partner: str(get('partner')),
        amount: num(get('amount')),
        currency: str(get('currency')),
        owner: str(get('owner')),
        date: str(get('date')),
        state: str(get('state')),
        writeDate: str(rec.write_date),
        lines,
        lineCount: lineIds.length,
        url: this.odoo.recordUrl(model, id),
      },
      requesterIds: await this.requesterIds(model, rec, requesterFields),
      companyAmount: await this.companyAmount(model, rec, roles.amount, link(get('currency')), str(get('date'))),
      values: Object.fromEntries(extraFields.filter((f) => f in rec).map((f) => [f, rec[f] ?? null])),
    };
  }

  /** The total in the company currency (see CompanyAmounts.convert), logged with how it was obtained. */
  private async companyAmount(
    model: string,
    rec: OdooRecord,
    amountField: string | null,
    currency: RecordLink | null,
    date: string | null,
  ): Promise<number | null> {
    const amount = amountField ? num(rec[amountField]) : null;
    const result = await this.amounts.convert({ model, rec, amountField, amount, currency, date });
    this.log?.debug(
      {
        odooModel: model,
        odooId: rec.id,
        amount,
        currency: currency?.name ?? null,
        companyAmount: result.amount,
        via: result.via,
      },
      'document total in the company currency',
    );
    return result.amount;
  }

  private async readLines(model: string, field: string, ids: number[]): Promise<CaseLine[]> {
    if (ids.length === 0) return [];
    const relation = (await this.odoo.fields(model))[field]?.relation;
    if (!relation) return [];
    const available = await this.odoo.fields(relation);
    const rows = await this.odoo.read(
      relation,
      ids,
      LINE_FIELDS.filter((f) => f in available),
    );
    return rows.map((r) => ({
      product: str(r.product_id) ?? '',
      description: str(r.name) ?? '',
      quantity: num(r.product_qty) ?? num(r.product_uom_qty) ?? num(r.quantity) ?? 0,
      unitPrice: num(r.price_unit) ?? 0,
      subtotal: num(r.price_subtotal) ?? 0,
    }));
  }

  /** User ids named by the requester fields, in their order; `a.b` reads `b` on the record `a` points at. */
  private async requesterIds(model: string, rec: OdooRecord, requesterFields: string[]): Promise<number[]> {
    const ids = new Set<number>();
    for (const path of requesterFields) {
      const [head, next] = path.split('.') as [string, string | undefined];
      if (!next) {
        for (const id of userIds(rec, [head])) ids.add(id);
        continue;
      }
      const target = link(rec[head]);
      const relation = (await this.odoo.fields(model))[head]?.relation;
      if (!target || !relation) continue;
      const [related] = await this.odoo.read(relation, [target.id], [next]);
      if (related) for (const id of userIds(related, [next])) ids.add(id);
    }
    return [...ids];
  }

  readForDomains(model: string, ids: number[], domains: Domain[]): Promise<DomainRead> {
    return this.domainReader.read(model, ids, domains);
  }

  async matchingIds(model: string, domain: Domain, ids: number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    return this.odoo.search(model, [['id', 'in', ids], ...domain]);
  }

  async changedSince(model: string, domain: Domain, since: Date | null, page: { afterId: number; limit: number }) {
    const filter: Domain = [...domain];
    if (since) filter.push(['write_date', '>=', odooDatetime(since)]);
    if (page.afterId > 0) filter.push(['id', '>', page.afterId]);
    const rows = await this.odoo.searchRead(model, filter, ['id', 'write_date'], {
      order: 'id asc',
      limit: page.limit,
    });
    return rows.map((r) => ({ id: r.id, writeDate: typeof r.write_date === 'string' ? new Date(r.write_date) : null }));
  }
}

function userIds(rec: OdooRecord, fields: string[]): number[] {
  const ids = new Set<number>();
  for (const f of fields) {
    const v = rec[f];
    const l = link(v);
    if (l) ids.add(l.id);
    else if (typeof v === 'number') ids.add(v);
  }
  return [...ids];
}
