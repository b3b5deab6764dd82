/**
 * The models the fake Odoo knows, with the field names and types of the
 * real ones for each supported version (see docs/reference: `groups_id` vs
 * `all_group_ids`, `product_uom` vs `product_uom_id`, `done` vs `locked`).
 * Each application's models live in `fake-odoo-schema-<area>.ts`.
 */

import {
  char,
  companyCurrency,
  computed,
  conversionRate,
  currencyRateOn,
  date,
  flag,
  m2m,
  m2o,
  num,
  o2m,
  relatedIds,
} from './fake-odoo-fields.js';
import { accountModels } from './fake-odoo-schema-account.js';
import { activityModels } from './fake-odoo-schema-activity.js';
import { approvalModels } from './fake-odoo-schema-approvals.js';
import { expenseModels } from './fake-odoo-schema-expense.js';
import { hrModels } from './fake-odoo-schema-hr.js';
import { paymentModels } from './fake-odoo-schema-payment.js';
import { purchaseModels } from './fake-odoo-schema-purchase.js';
import { saleModels } from './fake-odoo-schema-sale.js';

export type FakeOdooVersion = 16 | 17 | 18 | 19;

export { purchaseStates } from './fake-odoo-schema-purchase.js';

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
  /** The calling user of the current RPC call (`env.user`), for fields such as `user_status`. */
  readonly uid?: number;
  readonly now: () => Date;
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
  /** Another model whose rows this one shows (a SQL view such as `hr.employee.public`). */
  table?: string;
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

/** The calling user's company (`env.company`). */
function callerCompany(ctx: ComputeContext): unknown {
  return ctx.all('res.users').find((u) => u.id === ctx.uid)?.company_id ?? ctx.all('res.company')[0]?.id ?? false;
}

/** `res.currency.rate` (the field): today's rate relative to the caller's company currency. */
function currentRate(currency: StoredRecord, ctx: ComputeContext): number {
  const company = callerCompany(ctx);
  const today = ctx.now().toISOString().slice(0, 10);
  return conversionRate(ctx, companyCurrency(ctx, company), currency.id, company, today);
}

/** `res.currency.rate.company_rate`: the technical rate over the company currency's latest rate. */
function companyRate(rate: StoredRecord, ctx: ComputeContext): number {
  const company = rate.company_id || callerCompany(ctx);
  const latest = currencyRateOn(ctx, companyCurrency(ctx, company), company, '9999-12-31');
  return (Number(rate.rate) || 1) / latest;
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
      fields: {
        name: char('Currency'),
        symbol: char('Symbol'),
        active: flag('Active', true),
        // Today's units of this currency per unit of the caller's company currency, from `rate_ids`.
        rate: computed(num('float', 'Current Rate'), currentRate),
        inverse_rate: computed(num('float', 'Inverse Rate'), (c, ctx) => 1 / currentRate(c, ctx)),
        rate_ids: o2m('res.currency.rate', 'currency_id', 'Rates'),
        decimal_places: { ...num('integer', 'Decimal Places'), default: 2 },
      },
    },
    {
      // `odoo/addons/base/models/res_currency.py`; company_rate and its inverse exist since 15.0.
      name: 'res.currency.rate',
      description: 'Currency Rate',
      order: 'name desc',
      recName: 'name',
      fields: {
        name: date('Date'),
        // Units of the currency per unit of the currency of rate 1.
        rate: { ...num('float', 'Technical Rate'), default: 1 },
        company_rate: computed(num('float', 'Company Rate'), companyRate),
        inverse_company_rate: computed(num('float', 'Inverse Company Rate'), (r, ctx) => 1 / companyRate(r, ctx)),
        currency_id: m2o('res.currency', 'Currency'),
        company_id: m2o('res.company', 'Company'),
      },
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
        country_id: m2o('res.country', 'Country'),
      },
    },
    {
      name: 'res.country',
      description: 'Country',
      order: 'name',
      recName: 'name',
      fields: { name: char('Country Name'), code: char('Country Code') },
    },
    {
      name: 'res.groups',
      description: 'Access Groups',
      order: 'name',
      recName: 'full_name',
      fields: { name: char('Name'), full_name: char('Group Name'), implied_ids: m2m('res.groups', 'Inherits') },
    },
    {
      name: 'ir.model',
      description: 'Models',
      order: 'model',
      recName: 'name',
      fields: { model: char('Model'), name: char('Model Description') },
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
        employee_ids: o2m('hr.employee', 'user_id', 'Related employee'),
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
        mail_activity_type_id: m2o('mail.activity.type', 'Mail Activity Type'),
        date: { type: 'datetime', string: 'Date' },
      },
    },
    ...purchaseModels(version),
    ...hrModels(version),
    ...accountModels(version),
    ...expenseModels(version),
    ...saleModels(version),
    ...approvalModels(version),
    ...activityModels(version),
    ...paymentModels(version),
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
