import type {
  BillLineFact,
  CaseFacts,
  ContextSource,
  FactKind,
  PastDocument,
  PriceFact,
} from '../flows/context-ports.js';
import type { OdooGateway } from '../flows/ports.js';
import type { CaseSnapshot, FieldValue, OdooRecord, RecordLink } from '../flows/types.js';

const HISTORY = 5;
/** Confirmed purchase states: an order in one of them means the vendor is not new. */
const CONFIRMED_PO = ['purchase', 'done'];

const link = (v: FieldValue | undefined): RecordLink | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? v : null;
const str = (v: FieldValue | undefined): string | null => (typeof v === 'string' && v ? v : null);
const num = (v: FieldValue | undefined): number | null => (typeof v === 'number' ? v : null);
const day = (v: FieldValue | undefined): string | null => str(v)?.slice(0, 10) ?? null;
const pct = (now: number, before: number): number | null =>
  before === 0 ? null : Math.round(((now - before) / Math.abs(before)) * 1000) / 10;

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

/**
 * Context facts over the Odoo gateway, in a handful of reads per document:
 * for a purchase order one read of the order, one of its history, one of its
 * lines and one of the last prices of its products; for a bill one of the
 * bill, its history, its lines, their order lines and the order.
 */
export class OdooContextSource implements ContextSource {
  constructor(private readonly odoo: OdooGateway) {}

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
    const [po] = await this.odoo.read('purchase.order', [id], ['partner_id', 'partner_ref', 'order_line']);
    const partner = link(po?.partner_id);
    if (!po || !partner) return f;
    const rows = await this.odoo.searchRead(
      'purchase.order',
      [
        ['partner_id', '=', partner.id],
        ['id', '!=', id],
        ['state', 'not in', ['draft', 'cancel']],
      ],
      ['name', 'date_order', 'amount_total', 'partner_ref', 'state'],
      { order: 'date_order desc, id desc', limit: HISTORY },
    );
    const lineIds = Array.isArray(po.order_line) ? (po.order_line as number[]) : [];
    return {
      ...f,
      partnerRef: str(po.partner_ref),
      history: past(rows, 'date_order', 'amount_total', 'partner_ref'),
      // Only the five newest are read: a vendor with only older confirmed orders is still not new.
      newPartner:
        !rows.some((r) => CONFIRMED_PO.includes(String(r.state))) &&
        (
          await this.odoo.search(
            'purchase.order',
            [
              ['partner_id', '=', partner.id],
              ['id', '!=', id],
              ['state', 'in', CONFIRMED_PO],
            ],
            { limit: 1 },
          )
        ).length === 0,
      prices: await this.lastPrices(id, lineIds),
    };
  }

  /** The last confirmed price of each product on the order, newest order line first. */
  private async lastPrices(orderId: number, lineIds: number[]): Promise<PriceFact[]> {
    if (lineIds.length === 0) return [];
    const lines = await this.odoo.read('purchase.order.line', lineIds.slice(0, 20), ['product_id', 'price_unit']);
    const products = [...new Set(lines.flatMap((l) => link(l.product_id)?.id ?? []))];
    const earlier =
      products.length === 0
        ? []
        : await this.odoo.searchRead(
            'purchase.order.line',
            [
              ['product_id', 'in', products],
              ['order_id', '!=', orderId],
              ['order_id.state', 'in', CONFIRMED_PO],
            ],
            ['product_id', 'price_unit', 'order_id'],
            { order: 'id desc', limit: 200 },
          );
    const seen = new Set<number>();
    const out: PriceFact[] = [];
    for (const l of lines) {
      const p = link(l.product_id);
      if (!p || seen.has(p.id)) continue;
      seen.add(p.id);
      const last = earlier.find((e) => link(e.product_id)?.id === p.id);
      const unitPrice = num(l.price_unit) ?? 0;
      const lastPrice = last ? num(last.price_unit) : null;
      out.push({
        product: p.name,
        unitPrice,
        lastPrice,
        lastReference: link(last?.order_id)?.name ?? null,
        changePct: lastPrice === null ? null : pct(unitPrice, lastPrice),
      });
    }
    return out;
  }

  private async bill(id: number, f: CaseFacts): Promise<CaseFacts> {
    const [move] = await this.odoo.read(
      'account.move',
      [id],
      ['partner_id', 'ref', 'invoice_origin', 'amount_total', 'invoice_line_ids'],
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
      ],
      ['name', 'invoice_date', 'amount_total', 'ref', 'state'],
      { order: 'invoice_date desc, id desc', limit: HISTORY },
    );
    const matched = await this.billLines(move);
    const origin = str(move.invoice_origin);
    // The order is the one the bill lines point at; `invoice_origin` (free text) only when no line does.
    const [po] =
      matched.orderId !== null
        ? await this.odoo.read('purchase.order', [matched.orderId], ['name', 'amount_total'])
        : origin
          ? await this.odoo.searchRead('purchase.order', [['name', '=', origin]], ['name', 'amount_total'], {
              limit: 1,
            })
          : [];
    const orderAmount = num(po?.amount_total);
    const amount = num(move.amount_total) ?? f.amount;
    const variance = orderAmount !== null && amount !== null ? Math.round((amount - orderAmount) * 100) / 100 : null;
    return {
      ...f,
      partnerRef: str(move.ref),
      history: past(rows, 'invoice_date', 'amount_total', 'ref'),
      newPartner: !rows.some((r) => r.state === 'posted'),
      bill: {
        orderReference: str(po?.name),
        orderAmount,
        variance,
        variancePct: variance !== null && orderAmount ? pct(amount!, orderAmount) : null,
        ...(matched.lines.length > 0 ? { lines: matched.lines } : {}),
      },
    };
  }

  /**
   * The bill's lines against their order lines (`purchase_line_id`): ordered,
   * received and billed quantities and prices, bill lines of one order line
   * added up. Only the lines of one order (the first one met) are kept, so
   * every line compares with the order the facts name.
   */
  private async billLines(move: OdooRecord): Promise<{ orderId: number | null; lines: BillLineFact[] }> {
    const none = { orderId: null, lines: [] };
    const ids = Array.isArray(move.invoice_line_ids) ? (move.invoice_line_ids as number[]).slice(0, 100) : [];
    // Without the Purchase app, bill lines have no purchase_line_id to read.
    if (ids.length === 0 || !('purchase_line_id' in (await this.odoo.fields('account.move.line')))) return none;
    const billed = new Map<number, { qty: number; price: number }>();
    for (const l of await this.odoo.read('account.move.line', ids, ['quantity', 'price_unit', 'purchase_line_id'])) {
      const orderLine = link(l.purchase_line_id);
      if (!orderLine) continue;
      const seen = billed.get(orderLine.id);
      const price = num(l.price_unit) ?? 0;
      billed.set(orderLine.id, {
        qty: (seen?.qty ?? 0) + (num(l.quantity) ?? 0),
        price: seen ? Math.max(seen.price, price) : price,
      });
    }
    if (billed.size === 0) return none;
    const orderLines = await this.odoo.read(
      'purchase.order.line',
      [...billed.keys()],
      ['order_id', 'product_id', 'name', 'product_qty', 'qty_received', 'price_unit'],
    );
    const orderId = link(orderLines[0]?.order_id)?.id ?? null;
    const lines = orderLines
      .filter((p) => link(p.order_id)?.id === orderId)
      .map((p): BillLineFact => {
        const b = billed.get(p.id)!;
        const orderPrice = num(p.price_unit) ?? 0;
        return {
          product: link(p.product_id)?.name ?? str(p.name) ?? `order line ${p.id}`,
          ordered: num(p.product_qty) ?? 0,
          received: num(p.qty_received) ?? 0,
          billed: Math.round(b.qty * 1e6) / 1e6,
          orderPrice,
          billPrice: b.price,
          priceChangePct: pct(b.price, orderPrice),
        };
      });
    return { orderId, lines };
  }

  private async expense(id: number, f: CaseFacts): Promise<CaseFacts> {
    const [sheet] = await this.odoo.read('hr.expense.sheet', [id], ['employee_id']);
    const employee = link(sheet?.employee_id);
    if (!employee) return f;
    const rows = await this.odoo.searchRead(
      'hr.expense.sheet',
      [
        ['employee_id', '=', employee.id],
        ['id', '!=', id],
        ['state', 'not in', ['draft', 'cancel']],
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
    const lineIds = Array.isArray(so.order_line) ? (so.order_line as number[]) : [];
    const lines = lineIds.length ? await this.odoo.read('sale.order.line', lineIds.slice(0, 50), ['discount']) : [];
    const discounts = lines.map((l) => num(l.discount) ?? 0);
    const margin = num(so.margin);
    const untaxed = f.amount;
    return {
      ...f,
      sale: {
        maxDiscountPct: discounts.length ? Math.max(...discounts) : null,
        marginPct: margin !== null && untaxed ? Math.round((margin / untaxed) * 1000) / 10 : null,
      },
    };
  }
}
