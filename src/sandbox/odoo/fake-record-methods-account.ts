/**
 * Vendor-bill buttons (`addons/account/models/account_move.py`):
 * `action_post` → False, `button_cancel` / `button_draft` → None. Posting
 * checks the CALLING user's `account.group_account_invoice`.
 */
import type { FakeOdooDb } from './fake-odoo-db.js';
import { fakeFaults } from './fake-odoo-faults.js';
import type { FakeOdooVersion } from './fake-odoo-schema.js';
import { hasGroup } from './fake-odoo-seed.js';
import type { ModelMethods, RecordMethod } from './fake-record-methods.js';

const INVOICE_TYPES = ['out_invoice', 'out_refund', 'in_invoice', 'in_refund', 'out_receipt', 'in_receipt'];

/** `BILL/2025/00001`, `INV/2025/00001`, ...: the next number in the move's journal for the year. */
function sequenceName(db: FakeOdooDb, moveType: string, date: string): string {
  const prefix = moveType.startsWith('in_') ? 'BILL' : moveType.startsWith('out_') ? 'INV' : 'MISC';
  const year = date.slice(0, 4);
  const taken = db.all('account.move').filter((m) => String(m.name).startsWith(`${prefix}/${year}/`)).length;
  return `${prefix}/${year}/${String(taken + 1).padStart(5, '0')}`;
}

const actionPost: RecordMethod = (db, uid, ids) => {
  const moves = db.browse('account.move', ids, uid);
  if (!hasGroup(db, uid, 'account.group_account_invoice')) {
    throw fakeFaults.accessError("You don't have the access rights to post an invoice.");
  }
  for (const move of moves) {
    if (move.state === 'posted') {
      throw fakeFaults.userError(`The entry ${move.name} (id ${move.id}) is already posted.`);
    }
    const isInvoice = INVOICE_TYPES.includes(String(move.move_type));
    const lines = db.all('account.move.line').filter((l) => l.move_id === move.id);
    if (lines.length === 0) throw fakeFaults.userError('You need to add a line before posting.');
    if (isInvoice && !move.partner_id) {
      const label = String(move.move_type).startsWith('in_') ? 'Vendor' : 'Customer';
      throw fakeFaults.userError(
        `The field '${label}' is required, please complete it to validate the ${label === 'Vendor' ? 'Vendor Bill' : 'Customer Invoice'}.`,
      );
    }
    if (String(move.move_type).startsWith('in_') && !move.invoice_date) {
      throw fakeFaults.userError('The Bill/Refund date is required to validate this document.');
    }
  }
  for (const move of moves) {
    const today = db.now().toISOString().slice(0, 10);
    const date = typeof move.invoice_date === 'string' ? move.invoice_date : today;
    const vals: Record<string, unknown> = { state: 'posted', date };
    if (!move.name || move.name === '/') vals.name = sequenceName(db, String(move.move_type), date);
    if (!move.invoice_date_due) vals.invoice_date_due = date;
    db.write('account.move', [move.id], vals, uid);
  }
  return false;
};

const buttonCancel: RecordMethod = (db, uid, ids) => {
  const moves = db.browse('account.move', ids, uid);
  // A posted move is reset to draft first; anything else not in draft raises (and Odoo rolls back).
  if (moves.some((m) => m.state !== 'draft' && m.state !== 'posted')) {
    throw fakeFaults.userError('Only draft journal entries can be cancelled.');
  }
  db.write('account.move', ids, { state: 'cancel' }, uid);
  return undefined;
};

const buttonDraft: RecordMethod = (db, uid, ids) => {
  const moves = db.browse('account.move', ids, uid);
  if (moves.some((m) => m.state !== 'posted' && m.state !== 'cancel')) {
    throw fakeFaults.userError('Only posted/cancelled journal entries can be reset to draft.');
  }
  db.write('account.move', ids, { state: 'draft' }, uid);
  return undefined;
};

export function accountMethods(_version: FakeOdooVersion): ModelMethods {
  return {
    'account.move': { action_post: actionPost, button_cancel: buttonCancel, button_draft: buttonDraft },
  };
}
