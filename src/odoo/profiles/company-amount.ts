/**
 * A document's total in its company's currency, for tier amount bounds
 * (issue #3: the record's company-currency amount, else Odoo's rate), with
 * the rate of the document's date rather than today's.
 */
import type { OdooGateway } from '../../flows/ports.js';
import type { Domain, OdooRecord, RecordLink } from '../../flows/types.js';

/** Fields holding the total already in the company currency (invoices, 16's expenses). */
const COMPANY_AMOUNT_FIELDS = ['amount_total_signed', 'amount_company_currency_signed', 'total_amount_company'];

/**
 * Models whose stored `currency_rate` is Odoo's rate at the order date from
 * the company currency to the order currency (`_compute_currency_rate`:
 * `_get_conversion_rate(company currency, order currency, company,
 * date_order)`). Named one by one: `hr.expense.currency_rate` means the
 * opposite direction.
 */
const ORDER_RATE_MODELS = new Set(['purchase.order', 'sale.order']);

/** Fields the conversion reads when the model has them. */
export const CONVERSION_FIELDS = [...COMPANY_AMOUNT_FIELDS, 'total_amount_currency', 'currency_rate', 'company_id'];

export interface CompanyAmount {
  amount: number | null;
  /** How it was obtained, for the debug log: a field name, `currency_rate 1.1`, `rate of 2026-03-02`, ... */
  via: string;
}

export interface CompanyAmountInput {
  model: string;
  rec: OdooRecord;
  /** The field the document's total was read from (`amount_total`, `total_amount`, ...). */
  amountField: string | null;
  amount: number | null;
  currency: RecordLink | null;
  /** The document's date or datetime (ISO-8601); null when it has none. */
  date: string | null;
}

function link(v: unknown): RecordLink | null {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as RecordLink) : null;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Converts amounts with Odoo's rates; remembers each company's currency. */
export class CompanyAmounts {
  private readonly companyCurrencies = new Map<number, Promise<number | null>>();

  constructor(private readonly odoo: OdooGateway) {}

  /**
   * In order: a company-currency field of the record; hr.expense's
   * `total_amount` (company currency since 17, next to
   * `total_amount_currency`); the order's own `currency_rate`; the rate in
   * effect on the document's date; today's rate when the document has no
   * date.
   */
  async convert(input: CompanyAmountInput): Promise<CompanyAmount> {
    const { rec, amount, currency } = input;
    for (const f of COMPANY_AMOUNT_FIELDS) {
      const v = rec[f];
      if (typeof v === 'number') return { amount: Math.abs(v), via: f };
    }
    if (amount === null) return { amount: null, via: 'no amount' };
    if (input.amountField === 'total_amount' && typeof rec.total_amount_currency === 'number')
      return { amount, via: 'total_amount (company currency)' };
    if (!currency) return { amount, via: 'no currency' };
    const rate = rec.currency_rate;
    if (ORDER_RATE_MODELS.has(input.model) && typeof rate === 'number' && rate > 0)
      return { amount: round2(amount / rate), via: `currency_rate ${rate}` };
    const companyId = link(rec.company_id)?.id ?? null;
    const companyCurrency = companyId === null ? null : await this.companyCurrency(companyId);
    if (companyCurrency === currency.id) return { amount, via: 'company currency' };
    if (input.date) {
      const day = input.date.slice(0, 10);
      const r = await this.rateOn(currency.id, companyId, day);
      const base = companyCurrency === null ? 1 : await this.rateOn(companyCurrency, companyId, day);
      return { amount: round2((amount * base) / r), via: `rate of ${day}` };
    }
    const [cur] = await this.odoo.read('res.currency', [currency.id], ['rate']);
    const today = typeof cur?.rate === 'number' && cur.rate > 0 ? cur.rate : 1;
    return { amount: round2(amount / today), via: `today's rate ${today}` };
  }

  private companyCurrency(companyId: number): Promise<number | null> {
    let cached = this.companyCurrencies.get(companyId);
    if (!cached) {
      cached = this.odoo
        .read('res.company', [companyId], ['currency_id'])
        .then(([c]) => link(c?.currency_id)?.id ?? null);
      cached.catch(() => this.companyCurrencies.delete(companyId));
      this.companyCurrencies.set(companyId, cached);
    }
    return cached;
  }

  /**
   * The technical rate (units per unit of the currency of rate 1) as
   * `res.currency._get_rates` picks it: the latest on or before the day,
   * the company's own rates before shared ones (`company_id` ascending puts
   * empty last), else the earliest, else 1.
   */
  private async rateOn(currencyId: number, companyId: number | null, day: string): Promise<number> {
    const scope: Domain = [['currency_id', '=', currencyId]];
    if (companyId !== null) scope.push(['company_id', 'in', [companyId, false]]);
    const pick = async (extra: Domain, order: string) => {
      const [row] = await this.odoo.searchRead('res.currency.rate', [...scope, ...extra], ['rate'], {
        order,
        limit: 1,
      });
      return typeof row?.rate === 'number' && row.rate > 0 ? row.rate : null;
    };
    return (
      (await pick([['name', '<=', day]], 'company_id, name desc')) ?? (await pick([], 'company_id, name asc')) ?? 1
    );
  }
}
