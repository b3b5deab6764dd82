/**
 * The models the fake Odoo knows, with the field names and types of the
 * real ones for each supported version (see docs/reference: `groups_id` vs
 * `all_group_ids`, `product_uom` vs `product_uom_id`, `done` vs `locked`).
 */
export type FakeOdooVersion = 16 | 17 | 18 | 19;

export type FakeFieldType =
  | 'char'
  | 'text'
  | 'html'
  | 'boolean'
  | 'integer'
  | 'float'
  | 'monetary'
  | 'date'
  | 'datetime'
  | 'selection'
  | 'many2one'
  | 'one2many'
  | 'many2many';

/** A stored record: many2one as id or `false`, x2many as ids, datetimes as Odoo strings. */
export type StoredRecord = { id: number } & Record<string, unknown>;

/** What a computed field may look at. */
export interface ComputeContext {
  all(model: string): StoredRecord[];
  value(model: string, record: StoredRecord, field: string): unknown;
}

export interface FakeField {
  type: FakeFieldType;
  string: string;
  relation?: string;
  /** one2many: the many2one on `relation` pointing back. */
  inverse?: string;
  selection?: Array<[string, string]>;
  default?: unknown;
  compute?: (record: StoredRecord, ctx: ComputeContext) => unknown;
}

export interface FakeModel {
  name: string;
  description: string;
  fields: Record<string, FakeField>;
  /** Odoo's `_order`, simplified. */
  order: string;
  /** Field holding the display name (`_rec_name`). */
  recName: string;
  /** Inherits mail.thread: has `message_post`. */
  mailThread?: boolean;
}

const m2o = (relation: string, string: string): FakeField => ({ type: 'many2one', relation, string });
const m2m = (relation: string, string: string): FakeField => ({ type: 'many2many', relation, string, default: [] });
const char = (string: string): FakeField => ({ type: 'char', string });
const flag = (string: string, value: boolean): FakeField => ({ type: 'boolean', string, default: value });
const num = (type: 'integer' | 'float' | 'monetary', string: string): FakeField => ({ type, string, default: 0 });

function relatedIds(value: unknown): number[] {
  return Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : [];
}

/** Groups plus every group they imply, transitively (what 19's `all_group_ids` and ≤18's `groups_id` hold). */
export function impliedClosure(ctx: Pick<ComputeContext, 'all'>, groupIds: number[]): number[] {
  const groups = new Map(ctx.all('res.groups').map((g) => [g.id, relatedIds(g.implied_ids)]));
  const seen = new Set<number>();
  const stack = [...groupIds];
  while (stack.length > 0) {
    const id = stack.pop() as number;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(groups.get(id) ?? []));
  }
  return [...seen].sort((a, b) => a - b);
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function lineSubtotal(line: StoredRecord): number {
  const qty = Number(line.product_qty) || 0;
  const price = Number(line.price_unit) || 0;
  const discount = Number(line.discount) || 0;
  return round2(qty * price * (1 - discount / 100));
}

function orderUntaxed(order: StoredRecord, ctx: ComputeContext): number {
  const lines = ctx.all('purchase.order.line').filter((l) => l.order_id === order.id);
  return round2(lines.reduce((sum, l) => sum + lineSubtotal(l), 0));
}

export function purchaseStates(version: FakeOdooVersion): Array<[string, string]> {
  const states: Array<[string, string]> = [
    ['draft', 'RFQ'],
    ['sent', 'RFQ Sent'],
    ['to approve', 'To Approve'],
    ['purchase', 'Purchase Order'],
  ];
  if (version <= 18) states.push(['done', 'Locked']);
  states.push(['cancel', 'Cancelled']);
  return states;
}

export function buildSchema(version: FakeOdooVersion): Map<string, FakeModel> {
  const userGroups: Record<string, FakeField> =
    version >= 19
      ? {
          group_ids: m2m('res.groups', 'Groups'),
          all_group_ids: {
            ...m2m('res.groups', 'Groups and implied groups'),
            compute: (user, ctx) => impliedClosure(ctx, relatedIds(user.group_ids)),
          },
        }
      : { groups_id: m2m('res.groups', 'Groups') };
  const uomField = version >= 19 ? 'product_uom_id' : 'product_uom';
  const models: FakeModel[] = [
    {
      name: 'res.company',
      description: 'Companies',
      order: 'id',
      recName: 'name',
      fields: {
        name: char('Company Name'),
        currency_id: m2o('res.currency', 'Currency'),
        po_double_validation: {
          type: 'selection',
          string: 'Levels of Approvals',
          selection: [
            ['one_step', 'Confirm purchase orders in one step'],
            ['two_step', 'Get 2 levels of approvals to confirm a purchase order'],
          ],
          default: 'one_step',
        },
        po_double_validation_amount: { ...num('monetary', 'Double validation amount'), default: 5000 },
        po_lock: {
          type: 'selection',
          string: 'Purchase Order Modification',
          selection: [
            ['edit', 'Allow to edit purchase orders'],
            ['lock', 'Confirmed purchase orders are not editable'],
          ],
          default: 'edit',
        },
      },
    },
    {
      name: 'res.currency',
      description: 'Currency',
      order: 'name',
      recName: 'name',
      fields: { name: char('Currency'), symbol: char('Symbol'), active: flag('Active', true) },
    },
    {
      name: 'res.partner',
      description: 'Contact',
      order: 'name',
      recName: 'name',
      mailThread: true,
      fields: {
        name: char('Name'),
        email: char('Email'),
        active: flag('Active', true),
        company_id: m2o('res.company', 'Company'),
      },
    },
    {
      name: 'res.groups',
      description: 'Access Groups',
      order: 'name',
      recName: 'full_name',
      fields: { name: char('Name'), full_name: char('Group Name'), implied_ids: m2m('res.groups', 'Inherits') },
    },
    {
      name: 'ir.model.data',
      description: 'Model Data',
      order: 'id',
      recName: 'name',
      fields: {
        module: char('Module'),
        name: char('External Identifier'),
        model: char('Model Name'),
        res_id: num('integer', 'Record ID'),
      },
    },
    {
      name: 'res.users',
      description: 'User',
      order: 'name',
      recName: 'name',
      fields: {
        login: char('Login'),
        name: char('Name'),
        email: char('Email'),
        active: flag('Active', true),
        share: flag('Share User', false),
        tz: char('Timezone'),
        partner_id: m2o('res.partner', 'Related Partner'),
        company_id: m2o('res.company', 'Company'),
        ...userGroups,
      },
    },
    {
      name: 'uom.uom',
      description: 'Product Unit of Measure',
      order: 'name',
      recName: 'name',
      fields: { name: char('Unit') },
    },
    {
      name: 'product.product',
      description: 'Product Variant',
      order: 'name',
      recName: 'name',
      fields: { name: char('Name'), default_code: char('Internal Reference'), active: flag('Active', true) },
    },
    {
      name: 'mail.message.subtype',
      description: 'Message subtypes',
      order: 'id',
      recName: 'name',
      fields: { name: char('Message Type') },
    },
    {
      name: 'mail.message',
      description: 'Message',
      order: 'id desc',
      recName: 'body',
      fields: {
        model: char('Related Document Model'),
        res_id: num('integer', 'Related Document ID'),
        body: { type: 'html', string: 'Contents' },
        author_id: m2o('res.partner', 'Author'),
        message_type: {
          type: 'selection',
          string: 'Type',
          selection: [
            ['email', 'Incoming Email'],
            ['comment', 'Comment'],
            ['notification', 'System notification'],
          ],
          default: 'notification',
        },
        subtype_id: m2o('mail.message.subtype', 'Subtype'),
        date: { type: 'datetime', string: 'Date' },
      },
    },
    {
      name: 'purchase.order',
      description: 'Purchase Order',
      order: 'id desc',
      recName: 'name',
      mailThread: true,
      fields: {
        name: char('Order Reference'),
        partner_id: m2o('res.partner', 'Vendor'),
        user_id: m2o('res.users', 'Buyer'),
        date_order: { type: 'datetime', string: 'Order Deadline' },
        date_approve: { type: 'datetime', string: 'Confirmation Date' },
        state: { type: 'selection', string: 'Status', selection: purchaseStates(version), default: 'draft' },
        ...(version >= 19 ? { locked: flag('Locked', false) } : {}),
        currency_id: m2o('res.currency', 'Currency'),
        company_id: m2o('res.company', 'Company'),
        origin: char('Source Document'),
        partner_ref: char('Vendor Reference'),
        notes: { type: 'html', string: 'Terms and Conditions' },
        invoice_status: {
          type: 'selection',
          string: 'Billing Status',
          selection: [
            ['no', 'Nothing to Bill'],
            ['to invoice', 'Waiting Bills'],
            ['invoiced', 'Fully Billed'],
          ],
          default: 'no',
        },
        order_line: { type: 'one2many', relation: 'purchase.order.line', inverse: 'order_id', string: 'Order Lines' },
        amount_untaxed: { type: 'monetary', string: 'Untaxed Amount', compute: orderUntaxed },
        amount_tax: { type: 'monetary', string: 'Taxes', compute: () => 0 },
        amount_total: { type: 'monetary', string: 'Total', compute: orderUntaxed },
      },
    },
    {
      name: 'purchase.order.line',
      description: 'Purchase Order Line',
      order: 'id',
      recName: 'name',
      fields: {
        order_id: m2o('purchase.order', 'Order Reference'),
        product_id: m2o('product.product', 'Product'),
        name: { type: 'text', string: 'Description' },
        product_qty: num('float', 'Quantity'),
        price_unit: num('float', 'Unit Price'),
        discount: num('float', 'Discount (%)'),
        [uomField]: m2o('uom.uom', 'Unit of Measure'),
        date_planned: { type: 'datetime', string: 'Expected Arrival' },
        qty_received: num('float', 'Received Qty'),
        qty_invoiced: num('float', 'Billed Qty'),
        price_subtotal: { type: 'monetary', string: 'Subtotal', compute: lineSubtotal },
        price_total: { type: 'monetary', string: 'Total', compute: lineSubtotal },
      },
    },
  ];
  const schema = new Map<string, FakeModel>();
  for (const model of models) {
    const displayName: FakeField = { type: 'char', string: 'Display Name' };
    model.fields = {
      id: { type: 'integer', string: 'ID' },
      display_name: displayName,
      ...model.fields,
      create_uid: m2o('res.users', 'Created by'),
      create_date: { type: 'datetime', string: 'Created on' },
      write_uid: m2o('res.users', 'Last Updated by'),
      write_date: { type: 'datetime', string: 'Last Updated on' },
    };
    schema.set(model.name, model);
  }
  return schema;
}
