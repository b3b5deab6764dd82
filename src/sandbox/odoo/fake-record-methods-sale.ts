/**
 * Sale order buttons (`addons/sale/models/sale_order.py`): `action_confirm`
 * → True (draft/sent only, every line needs a product, `date_order` becomes
 * now), `action_cancel` → True (refused on a locked order, 17+), `action_draft`.
 */
import { odooDatetime } from './fake-odoo-db.js';
import { fakeFaults } from './fake-odoo-faults.js';
import type { FakeOdooVersion } from './fake-odoo-schema.js';
import type { ModelMethods, RecordMethod } from './fake-record-methods.js';

const SALE = 'sale.order';

const actionConfirm: RecordMethod = (db, uid, ids) => {
  const orders = db.browse(SALE, ids, uid);
  for (const order of orders) {
    if (order.state !== 'draft' && order.state !== 'sent') {
      throw fakeFaults.userError(
        `The following orders are not in a state requiring confirmation: ${orders
          .filter((o) => o.state !== 'draft' && o.state !== 'sent')
          .map((o) => o.name)
          .join(', ')}`,
      );
    }
    const lines = db.all('sale.order.line').filter((l) => l.order_id === order.id);
    if (lines.some((l) => !l.product_id)) {
      throw fakeFaults.userError(
        'Some order lines are missing a product, you need to correct them before going further.',
      );
    }
  }
  db.write(SALE, ids, { state: 'sale', date_order: odooDatetime(db.now()) }, uid);
  return true;
};

const actionCancel: RecordMethod = (db, uid, ids) => {
  const orders = db.browse(SALE, ids, uid);
  if (orders.some((o) => o.locked === true || o.state === 'done')) {
    throw fakeFaults.userError('You cannot cancel a locked order. Please unlock it first.');
  }
  db.write(SALE, ids, { state: 'cancel' }, uid);
  return true;
};

const actionDraft: RecordMethod = (db, uid, ids) => {
  const orders = db.browse(SALE, ids, uid).filter((o) => o.state === 'cancel' || o.state === 'sent');
  db.write(
    SALE,
    orders.map((o) => o.id),
    { state: 'draft' },
    uid,
  );
  return true;
};

export function saleMethods(version: FakeOdooVersion): ModelMethods {
  const methods: Record<string, RecordMethod> = {
    action_confirm: actionConfirm,
    action_cancel: actionCancel,
    action_draft: actionDraft,
  };
  if (version >= 17) {
    methods.action_lock = (db, uid, ids) => {
      db.browse(SALE, ids, uid);
      db.write(SALE, ids, { locked: true }, uid);
      return undefined;
    };
    methods.action_unlock = (db, uid, ids) => {
      db.browse(SALE, ids, uid);
      db.write(SALE, ids, { locked: false }, uid);
      return undefined;
    };
  } else {
    methods.action_done = (db, uid, ids) => {
      db.browse(SALE, ids, uid);
      db.write(SALE, ids, { state: 'done' }, uid);
      return true;
    };
  }
  return { [SALE]: methods };
}
