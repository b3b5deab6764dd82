import type { CaseFacts, ContextSource, FactKind, PastDocument } from '../flows/context-ports.js';
import type { OdooGateway } from '../flows/ports.js';
import type { CaseSnapshot, Domain, OdooRecord } from '../flows/types.js';
import { billInCompanyCurrency, billLineFacts } from './bill-line-facts.js';
import { day, ids, link, num, pct, readInBatches, str } from './context-reads.js';
import { CONFIRMED_PO } from './last-purchase-prices.js';
import { CompanyAmounts } from './profiles/company-amount.js';
import { orderRate, purchasePriceFacts } from './purchase-price-facts.js';

const HISTORY = 5;

function kindOf(model: string): FactKind {
  if (model === 'purchase.order') return 'purchase';
  if (model === 'account.move') return 'bill';
  if (model === 'hr.expense.sheet' || model === 'hr.expense') return 'expense';
  if (model === 'sale.order') return 'sale';
  return 'other';
}

function past(rows: OdooRecord[], date: string, amount: string, ref: string): PastDocument[] {
  return rows.map((r) => ({
    reference: str(r.name) ?? `#${r.id}`,
    date: day(r[date]),
    amount: num(r[amount]) ?? 0,
    partnerRef: str(r[ref]),
  }));
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Past purchase orders with their currency and company-currency total (`amount_total / currency_rate`, as CompanyAmounts does). */
function pastOrders(rows: OdooRecord[]): PastDocument[] {
  return past(rows, 'date_order', 'amount_total', 'partner_ref').map((h, i) => {
    const rate = orderRate(rows[i]!.currency_rate);
    return { ...h, currency: link(rows[i]!.currency_id)?.name ?? null, companyAmount: rate && round2(h.amount / rate) };
  });
}

/** Past bills with their currency and company-currency total (`amount_total_signed`, negative on vendor bills). */
function pastBills(rows: OdooRecord[]): PastDocument[] {
  return past(rows, 'invoice_date', 'amount_total', 'ref').map((h, i) => {
    const signed = num(rows[i]!.amount_total_signed);
    return { ...h, currency: link(rows[i]!.currency_id)?.name ?? null, companyAmount: signed && Math.abs(signed) };
  });
}

/** Earlier documents count only in the record's own company (multi-company: another company's are not this one's history). */
function sameCompany(record: OdooRecord): Domain {
  const company = link(record.company_id)?.id;
  return company === undefined ? [] : [['company_id', '=', company]];
}

/**
 * Context facts over the Odoo gateway. Every line of the document is read,
 * in batches of READ_BATCH (200) ids, so the facts and flags cover all of
 * them. Calls per document, with n lines:
 * - purchase order: 1 read of the order, 1 search_read of its history, at
 *   most 1 search for an earlier confirmed order, ⌈n / 200⌉ reads of its
 *   lines, the last prices in one search_read per round (at most one
 *   round per distinct product, usually one; see `lastPurchasePrices`),
 *   and ⌈k / 200⌉ reads of the `currency_rate` of the k orders whose last
 *   price is in another currency (none when every last price shares the
 *   order's currency; see `purchasePriceFacts`);
 * - bill: 1 read of the bill, 1 search_read of its history, ⌈n / 200⌉ reads
 *   of its lines and as many of the order lines they match, 1 read or
 *   search_read of the order (with its currency and `currency_rate`, so a
 *   bill in another currency than its order compares in the company
 *   currency without more reads);
 * - expense sheet: 1 read and 1 search_read of the employee's history;
 * - sale order: 1 read of the order and ⌈n / 200⌉ reads of its lines.
 * The gateway's one `fields_get` per model and process comes on top, and,
 * only for a purchase order without a `currency_rate` (or a bill in another
 * currency than its order, without `amount_total_signed` or a
 * `currency_rate` on the order), the reads CompanyAmounts makes to convert
 * its total.
 *
 * Currencies: amounts and prices compare as they are when they share the
 * document's currency; across currencies, in the company currency at each
 * document's own rate (purchase `currency_rate`, bill `amount_total_signed`);
 * a bill against its order too, totals and line prices.
 */
export class OdooContextSource implements ContextSource {
  private readonly amounts: CompanyAmounts;

  constructor(private readonly odoo: OdooGateway) {
    this.amounts = new CompanyAmounts(odoo);
  }

  async gather(model: string, id: number, s: CaseSnapshot, thresholds: number[]): Promise<CaseFacts> {
    const base: CaseFacts = {
      kind: kindOf(model),
      reference: s.reference,
      partner: s.partner,
      amount: s.amount,
      currency: s.currency,
      date: s.date?.slice(0, 10) ?? null,
      partnerRef: null,
      history: [],
      newPartner: false,
      prices: [],
      thresholds,
    };
    switch (base.kind) {
      case 'purchase':
        return this.purchase(id, base);
      case 'bill':
        return this.bill(id, base);
      case 'expense':
        return model === 'hr.expense.sheet' ? this.expense(id, base) : base;
      case 'sale':
        return this.sale(id, base);
      default:
        return base;
    }
  }

  private async purchase(id: number, f: CaseFacts): Promise<CaseFacts> {
    const [po] = await this.odoo.read(
      'purchase.order',
      [id],
      [
        'partner_id',
        'partner_ref',
        'order_line',
        'company_id',
        'currency_id',
        'currency_rate',
        'amount_total',
        'date_order',
      ],
    );
    const partner = link(po?.partner_id);
    if (!po || !partner) return f;
    const others: Domain = [['partner_id', '=', partner.id], ['id', '!=', id], ...sameCompany(po)];
    const rows = await this.odoo.searchRead(
      'purchase.order',
      [...others, ['state', 'not in', ['draft', 'cancel']]],
      ['name', 'date_order', 'amount_total', 'partner_ref', 'state', 'currency_id', 'currency_rate'],
      { order: 'date_order desc, id desc', limit: HISTORY },
    );
    const amount = num(po.amount_total) ?? f.amount;
    const company = await this.amounts.convert({
      model: 'purchase.order',
      rec: po,
      amountField: 'amount_total',
      amount,
      currency: link(po.currency_id),
      date: str(po.date_order),
    });
    return {
      ...f,
      companyAmount: company.amount,
      partnerRef: str(po.partner_ref),
      history: pastOrders(rows),
      // Only the five newest are read: a vendor with only older confirmed orders is still not new.
      newPartner:
        !rows.some((r) => CONFIRMED_PO.includes(String(r.state))) &&
        (await this.odoo.search('purchase.order', [...others, ['state', 'in', CONFIRMED_PO]], { limit: 1 })).length ===
          0,
      prices: await purchasePriceFacts(
        this.odoo,
        {
          id,
          companyId: link(po.company_id)?.id ?? null,
          currency: link(po.currency_id),
          rate: orderRate(po.currency_rate),
        },
        ids(po.order_line),
      ),
    };
  }

  private async bill(id: number, f: CaseFacts): Promise<CaseFacts> {
    const [move] = await this.odoo.read(
      'account.move',
      [id],
      [
        'partner_id',
        'ref',
        'invoice_origin',
        'amount_total',
        'amount_total_signed',
        'invoice_line_ids',
        'company_id',
        'currency_id',
        'invoice_date',
      ],
    );
    const partner = link(move?.partner_id);
    if (!move || !partner) return f;
    const rows = await this.odoo.searchRead(
      'account.move',
      [
        ['partner_id', '=', partner.id],
        ['id', '!=', id],
        ['move_type', '=', 'in_invoice'],
        ['state', '!=', 'cancel'],
        ...sameCompany(move),
      ],
      ['name', 'invoice_date', 'amount_total', 'ref', 'state', 'currency_id', 'amount_total_signed'],
      { order: 'invoice_date desc, id desc', limit: HISTORY },
    );
    const matched = await billLineFacts(this.odoo, move);
    const origin = str(move.invoice_origin);
    const orderFields = ['name', 'amount_total', 'currency_id', 'currency_rate', 'date_order', 'company_id'];
    // The order is the one the bill lines point at; `invoice_origin` (free text) only when no line does.
    const [po] =
      matched.orderId !== null
        ? await this.odoo.read('purchase.order', [matched.orderId], orderFields)
        : origin
          ? await this.odoo.searchRead('purchase.order', [['name', '=', origin]], orderFields, { limit: 1 })
          : [];
    const orderAmount = num(po?.amount_total);
    const amount = num(move.amount_total) ?? f.amount;
    const signed = num(move.amount_total_signed);
    const billCurrency = link(move.currency_id);
    const orderCurrency = link(po?.currency_id);
    const foreign =
      po !== undefined && billCurrency !== null && orderCurrency !== null && billCurrency.id !== orderCurrency.id;
    const compared = foreign
      ? await billInCompanyCurrency(this.amounts, move, po, amount, orderAmount, matched.lines)
      : { amount, orderAmount, lines: matched.lines };
    const variance =
      compared.orderAmount !== null && compared.amount !== null
        ? Math.round((compared.amount - compared.orderAmount) * 100) / 100
        : null;
    return {
      ...f,
      companyAmount: signed === null ? null : Math.abs(signed),
      partnerRef: str(move.ref),
      history: pastBills(rows),
      newPartner: !rows.some((r) => r.state === 'posted'),
      bill: {
        orderReference: str(po?.name),
        orderAmount,
        variance,
        variancePct: variance !== null && compared.orderAmount ? pct(compared.amount!, compared.orderAmount) : null,
        ...(foreign ? { orderCurrency: orderCurrency.name } : {}),
        ...(compared.lines.length > 0 ? { lines: compared.lines } : {}),
      },
    };
  }

  private async expense(id: number, f: CaseFacts): Promise<CaseFacts> {
    const [sheet] = await this.odoo.read('hr.expense.sheet', [id], ['employee_id', 'company_id']);
    const employee = link(sheet?.employee_id);
    if (!sheet || !employee) return f;
    const rows = await this.odoo.searchRead(
      'hr.expense.sheet',
      [
        ['employee_id', '=', employee.id],
        ['id', '!=', id],
        ['state', 'not in', ['draft', 'cancel']],
        ...sameCompany(sheet),
      ],
      ['name', 'create_date', 'total_amount'],
      { order: 'create_date desc, id desc', limit: HISTORY },
    );
    return {
      ...f,
      history: past(rows, 'create_date', 'total_amount', 'name').map((h) => ({ ...h, partnerRef: null })),
    };
  }

  private async sale(id: number, f: CaseFacts): Promise<CaseFacts> {
    const fields = await this.odoo.fields('sale.order');
    const [so] = await this.odoo.read('sale.order', [id], ['order_line', ...('margin' in fields ? ['margin'] : [])]);
    if (!so) return f;
    const lines = await readInBatches(this.odoo, 'sale.order.line', ids(so.order_line), ['discount']);
    const discounts = lines.map((l) => num(l.discount) ?? 0);
    const margin = num(so.margin);
    const untaxed = f.amount;
    return {
      ...f,
      sale: {
        maxDiscountPct: discounts.length ? discounts.reduce((a, b) => Math.max(a, b)) : null,
        marginPct: margin !== null && untaxed ? Math.round((margin / untaxed) * 1000) / 10 : null,
      },
    };
  }
}
