import type { DocumentSource, DomainRead, LoadedDocument } from '../../src/flows/ports.js';
import type { CaseSnapshot, Domain, FieldValue, OdooRecord } from '../../src/flows/types.js';
import { fakeReadForDomains } from './fake-domain-reader.js';
import type { FakeOdooGateway } from './fake-odoo-gateway.js';

function text(v: FieldValue | undefined): string | null {
  if (v === undefined || v === null || v === false) return null;
  if (typeof v === 'object' && !Array.isArray(v)) return v.name;
  return String(v);
}

function linkId(v: FieldValue | undefined): number | null {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && !Array.isArray(v)) return v.id;
  return null;
}

/**
 * Reads documents from a `FakeOdooGateway`'s table the way the purchase
 * profile does: `name`, `partner_id`, `amount_total`, `currency_id`,
 * `user_id`, `date_order`, `state`, `write_date`, `line_count`.
 */
export class FakeDocumentSource implements DocumentSource {
  /** Every `changedSince` page asked for, in order, so tests can see how a poller walked. */
  readonly pagesRead: Array<{ model: string; afterId: number }> = [];

  constructor(private readonly odoo: FakeOdooGateway) {}

  snapshotOf(model: string, r: OdooRecord): CaseSnapshot {
    return {
      reference: text(r.name) ?? `${model},${r.id}`,
      partner: text(r.partner_id),
      amount: typeof r.amount_total === 'number' ? r.amount_total : null,
      currency: text(r.currency_id),
      owner: text(r.user_id),
      date: text(r.date_order),
      state: text(r.state),
      writeDate: text(r.write_date),
      lines: [],
      lineCount: typeof r.line_count === 'number' ? r.line_count : 0,
      url: this.odoo.recordUrl(model, r.id),
    };
  }

  async load(
    model: string,
    id: number,
    requesterFields: string[],
    extraFields: string[] = [],
  ): Promise<LoadedDocument | null> {
    this.odoo.enter('load');
    const r = this.odoo.record(model, id);
    if (!r) return null;
    const requesterIds = [...new Set(requesterFields.map((f) => linkId(r[f])).filter((x): x is number => x !== null))];
    const snapshot = this.snapshotOf(model, r);
    const values = Object.fromEntries(extraFields.filter((f) => f in r).map((f) => [f, r[f] ?? null]));
    return { snapshot, requesterIds, companyAmount: snapshot.amount, values };
  }

  /** One `read` per model per hop on the fake's tables; see `fakeReadForDomains`. */
  readForDomains(model: string, ids: number[], domains: Domain[]): Promise<DomainRead> {
    return fakeReadForDomains(this.odoo, model, ids, domains);
  }

  async matchingIds(model: string, domain: Domain, ids: number[]): Promise<number[]> {
    this.odoo.enter('matchingIds');
    const wanted = new Set(ids);
    return this.odoo
      .matching(model, domain)
      .filter((r) => wanted.has(r.id))
      .map((r) => r.id);
  }

  async changedSince(
    model: string,
    domain: Domain,
    since: Date | null,
    page: { afterId: number; limit: number },
  ): Promise<Array<{ id: number; writeDate: Date | null }>> {
    this.odoo.enter('changedSince');
    this.pagesRead.push({ model, afterId: page.afterId });
    return this.odoo
      .matching(model, domain)
      .map((r) => ({ id: r.id, writeDate: typeof r.write_date === 'string' ? new Date(r.write_date) : null }))
      .filter((r) => r.id > page.afterId && (!since || (r.writeDate !== null && r.writeDate >= since)))
      .slice(0, page.limit);
  }
}
