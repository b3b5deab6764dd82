/**
 * The business methods the bot calls, with the rules of Odoo's own code
 * (`addons/purchase/models/purchase_order.py`, `mail_thread.message_post`).
 * A method that returns `undefined` returned Python's `None`.
 */

import { escapeHtml } from './fake-odoo-chatter.js';
import { type FakeOdooDb, odooDatetime } from './fake-odoo-db.js';
import { fakeFaults } from './fake-odoo-faults.js';
import { hasGroup, MAIN_COMPANY_ID, ref } from './fake-odoo-seed.js';
import { accountMethods } from './fake-record-methods-account.js';
import { activityMethods } from './fake-record-methods-activity.js';
import { approvalMethods } from './fake-record-methods-approvals.js';
import { expenseMethods } from './fake-record-methods-expense.js';
import { saleMethods } from './fake-record-methods-sale.js';

/** A public model method: `ids` is `args[0]`, `args` the positional arguments after it. */
export type RecordMethod = (
  db: FakeOdooDb,
  uid: number,
  ids: number[],
  kwargs: Record<string, unknown>,
  args: unknown[],
) => unknown;

/** A positional-or-keyword argument, as Python binds `method(self, name=...)`: `args` holds those after `ids`. */
export function argument(args: unknown[], kwargs: Record<string, unknown>, index: number, name: string): unknown {
  return name in kwargs ? kwargs[name] : args[index];
}

/** `_approval_allowed`: one step, or two steps under the threshold, or the calling user is a purchase manager. */
function approvalAllowed(db: FakeOdooDb, uid: number, orderId: number): boolean {
  const order = db.get('purchase.order', orderId);
  const company = db.get('res.company', Number(order?.company_id) || MAIN_COMPANY_ID);
  if (!order || !company) return false;
  const amount = Number(db.value('purchase.order', order, 'amount_total'));
  return (
    company.po_double_validation === 'one_step' ||
    (company.po_double_validation === 'two_step' && amount < Number(company.po_double_validation_amount)) ||
    hasGroup(db, uid, 'purchase.group_purchase_manager')
  );
}

const buttonApprove: RecordMethod = (db, uid, ids) => {
  db.browse('purchase.order', ids, uid);
  // Odoo filters silently and does not look at the state.
  for (const id of ids.filter((id) => approvalAllowed(db, uid, id))) {
    const order = db.get('purchase.order', id);
    const company = db.get('res.company', Number(order?.company_id) || MAIN_COMPANY_ID);
    const vals: Record<string, unknown> = { state: 'purchase', date_approve: odooDatetime(db.now()) };
    if (company?.po_lock === 'lock') Object.assign(vals, db.version >= 19 ? { locked: true } : { state: 'done' });
    db.write('purchase.order', [id], vals, uid);
  }
  return {};
};

const buttonConfirm: RecordMethod = (db, uid, ids) => {
  for (const order of db.browse('purchase.order', ids, uid)) {
    if (order.state !== 'draft' && order.state !== 'sent') continue;
    const lines = db.all('purchase.order.line').filter((l) => l.order_id === order.id);
    if (lines.some((l) => !l.product_id)) {
      throw fakeFaults.userError(
        'Some order lines are missing a product, you need to correct them before going further.',
      );
    }
    if (approvalAllowed(db, uid, order.id)) buttonApprove(db, uid, [order.id], {}, []);
    else db.write('purchase.order', [order.id], { state: 'to approve' }, uid);
  }
  return true;
};

const buttonCancel: RecordMethod = (db, uid, ids) => {
  const orders = db.browse('purchase.order', ids, uid);
  const locked = orders.filter((o) => o.locked === true);
  if (locked.length > 0) {
    throw fakeFaults.userError(
      `Unable to cancel purchase order(s): ${locked.map((o) => o.name).join(', ')}. You must first unlock them.`,
    );
  }
  db.write('purchase.order', ids, { state: 'cancel' }, uid);
  return undefined;
};

const buttonDraft: RecordMethod = (db, uid, ids) => {
  db.write('purchase.order', ids, { state: 'draft' }, uid);
  return {};
};

function messagePost(model: string): RecordMethod {
  return (db, uid, ids, kwargs) => {
    if (ids.length !== 1) throw fakeFaults.valueError(`Expected singleton: ${model}(${ids.join(', ')})`);
    const [id] = db.browse(model, ids, uid).map((r) => r.id);
    if (db.version < 17 && 'body_is_html' in kwargs) {
      throw fakeFaults.server("TypeError: MailThread.message_post() got an unexpected keyword argument 'body_is_html'");
    }
    const isHtml = kwargs.body_is_html === true;
    if (isHtml && !hasGroup(db, uid, 'base.group_user')) {
      throw fakeFaults.accessError('Only internal users may post HTML messages over RPC.');
    }
    const raw = typeof kwargs.body === 'string' ? kwargs.body : '';
    // 17+ escapes a str body (only Markup passes as HTML); 16 takes it as HTML.
    const body = db.version >= 17 && !isHtml ? escapeHtml(raw) : raw;
    const subtypeXmlId = typeof kwargs.subtype_xmlid === 'string' ? kwargs.subtype_xmlid : 'mail.mt_note';
    const author = db.get('res.users', uid)?.partner_id ?? false;
    return db.create(
      'mail.message',
      {
        model,
        res_id: id,
        body,
        author_id: author,
        message_type: typeof kwargs.message_type === 'string' ? kwargs.message_type : 'notification',
        subtype_id: ref(db, subtypeXmlId) ?? false,
        date: odooDatetime(db.now()),
      },
      uid,
    );
  };
}

const purchaseMethods: ModelMethods = {
  'purchase.order': {
    button_approve: buttonApprove,
    button_confirm: buttonConfirm,
    button_cancel: buttonCancel,
    button_draft: buttonDraft,
  },
};

/** Methods per model, for one Odoo version. */
export type ModelMethods = Record<string, Record<string, RecordMethod>>;

/** The method for `model.method`, or undefined when the fake (and Odoo) has none. */
export function recordMethod(db: FakeOdooDb, model: string, method: string): RecordMethod | undefined {
  if (method === 'message_post' && db.model(model).mailThread) return messagePost(model);
  const v = db.version;
  for (const methods of [
    purchaseMethods,
    accountMethods(v),
    expenseMethods(v),
    saleMethods(v),
    approvalMethods(v),
    activityMethods(v),
  ]) {
    const fn = methods[model]?.[method];
    if (fn) return fn;
  }
  return undefined;
}
