/**
 * Expense approval (`addons/hr_expense`): 16 `approve_expense_sheets` /
 * `refuse_sheet(reason)`; 17/18 `action_approve_expense_sheets` /
 * `action_refuse_expense_sheets` (wizard action only); 19 `hr.expense`
 * `action_submit` / `action_approve` / `action_refuse` (wizard action). The
 * refuse wizard's `action_refuse` does the refusing and posts the reason.
 * Who may approve follows `_check_can_approve` (see `approvalError`).
 */

import { escapeHtml, postChatter } from './fake-odoo-chatter.js';
import { type FakeOdooDb, odooDatetime } from './fake-odoo-db.js';
import { fakeFaults } from './fake-odoo-faults.js';
import type { FakeOdooVersion, StoredRecord } from './fake-odoo-schema.js';
import { hasGroup } from './fake-odoo-seed.js';
import { argument, type ModelMethods, type RecordMethod } from './fake-record-methods.js';

const SHEET = 'hr.expense.sheet';
const EXPENSE = 'hr.expense';
const WIZARD = 'hr.expense.refuse.wizard';
const CLOSE = { type: 'ir.actions.act_window_close' };

/**
 * Why `uid` may not approve `doc` (a sheet, or a 19 expense), or undefined.
 * Team approvers only; never one's own expense; officers and expense
 * managers approve anyone else's; a team approver only when they are the
 * employee's `expense_manager_id`, manager's user, department manager's
 * user, or the document's `user_id` / `manager_id`.
 */
export function approvalError(db: FakeOdooDb, uid: number, model: string, doc: StoredRecord): string | undefined {
  const old = db.version <= 16;
  const name = String(doc.name);
  const reason = (text: string) => (old ? text : `You cannot approve:\n ${name}: ${text}`);
  if (!hasGroup(db, uid, 'hr_expense.group_hr_expense_team_approver')) {
    return old ? 'Only Managers and HR Officers can approve expenses' : reason('Your are not a Manager or HR Officer');
  }
  const employee = db.get('hr.employee', Number(doc.employee_id));
  if (employee?.user_id === uid) return old ? 'You cannot approve your own expenses' : reason('It is your own expense');
  if (hasGroup(db, uid, 'hr_expense.group_hr_expense_user')) return undefined;
  const manager = db.get('hr.employee', Number(employee?.parent_id));
  const department = db.get('hr.department', Number(employee?.department_id));
  const departmentManager = db.get('hr.employee', Number(department?.manager_id));
  const approvers = [
    employee?.expense_manager_id,
    manager?.user_id,
    departmentManager?.user_id,
    model === SHEET ? doc.user_id : doc.manager_id,
  ];
  if (approvers.includes(uid)) return undefined;
  return old ? 'You can only approve your department expenses' : reason('It is not from your department');
}

function checkCanApprove(db: FakeOdooDb, uid: number, model: string, ids: number[]): StoredRecord[] {
  const docs = db.browse(model, ids, uid);
  for (const doc of docs) {
    const error = approvalError(db, uid, model, doc);
    if (error) throw fakeFaults.userError(error);
  }
  return docs;
}

const refusedBody = (kind: string, name: unknown, reason: string) =>
  `<p>Your ${kind} ${escapeHtml(String(name))} has been refused</p><ul><li>Reason: ${escapeHtml(reason)}</li></ul>`;

function sheetStateOf(db: FakeOdooDb, sheet: StoredRecord): unknown {
  return db.value(SHEET, sheet, 'state');
}

function approveSheets(db: FakeOdooDb, uid: number, ids: number[]): undefined {
  for (const sheet of checkCanApprove(db, uid, SHEET, ids)) {
    if (!['submit', 'draft'].includes(String(sheetStateOf(db, sheet)))) continue;
    const vals: Record<string, unknown> = db.version >= 17 ? { approval_state: 'approve' } : { state: 'approve' };
    vals.user_id = sheet.user_id || uid;
    vals.approval_date = odooDatetime(db.now());
    db.write(SHEET, [sheet.id], vals, uid);
    const lines = db.all(EXPENSE).filter((e) => e.sheet_id === sheet.id);
    db.write(
      EXPENSE,
      lines.map((l) => l.id),
      { state: 'approved' },
      uid,
    );
  }
  return undefined;
}

function refuseSheets(db: FakeOdooDb, uid: number, ids: number[], reason: string): void {
  const sheets = checkCanApprove(db, uid, SHEET, ids);
  db.write(SHEET, ids, db.version >= 17 ? { approval_state: 'cancel' } : { state: 'cancel' }, uid);
  for (const sheet of sheets) {
    const lines = db.all(EXPENSE).filter((e) => e.sheet_id === sheet.id);
    db.write(
      EXPENSE,
      lines.map((l) => l.id),
      { state: 'refused' },
      uid,
    );
    postChatter(db, uid, SHEET, sheet.id, { body: refusedBody('Expense Report', sheet.name, reason) });
  }
}

function refuseExpenses(db: FakeOdooDb, uid: number, ids: number[], reason: string): void {
  const expenses = checkCanApprove(db, uid, EXPENSE, ids);
  db.write(EXPENSE, ids, { state: 'refused' }, uid);
  for (const e of expenses) postChatter(db, uid, EXPENSE, e.id, { body: refusedBody('Expense', e.name, reason) });
}

const wizardAction = (context: Record<string, unknown>) => ({
  name: 'Refuse Expense',
  type: 'ir.actions.act_window',
  res_model: WIZARD,
  view_mode: 'form',
  target: 'new',
  context,
});

const submitSheets: RecordMethod = (db, uid, ids) => {
  db.browse(SHEET, ids, uid);
  db.write(SHEET, ids, db.version >= 17 ? { approval_state: 'submit' } : { state: 'submit' }, uid);
  return undefined;
};

/** The wizard's `action_refuse`, per version: what it points at decides what is refused. */
const wizardRefuse: RecordMethod = (db, uid, ids) => {
  for (const wizard of db.browse(WIZARD, ids, uid)) {
    const reason = typeof wizard.reason === 'string' ? wizard.reason : '';
    if (db.version >= 19) refuseExpenses(db, uid, wizard.expense_ids as number[], reason);
    else if (db.version >= 17) refuseSheets(db, uid, wizard.sheet_ids as number[], reason);
    else if (wizard.hr_expense_sheet_id) refuseSheets(db, uid, [Number(wizard.hr_expense_sheet_id)], reason);
  }
  return CLOSE;
};

export function expenseMethods(version: FakeOdooVersion): ModelMethods {
  const wizard = { [WIZARD]: { action_refuse: wizardRefuse } };
  if (version >= 19) {
    return {
      ...wizard,
      [EXPENSE]: {
        action_submit: (db, uid, ids) => {
          for (const e of db.browse(EXPENSE, ids, uid).filter((x) => x.state === 'draft')) {
            const employee = db.get('hr.employee', Number(e.employee_id));
            const parent = db.get('hr.employee', Number(employee?.parent_id));
            const manager = e.manager_id || employee?.expense_manager_id || parent?.user_id || false;
            db.write(EXPENSE, [e.id], { state: 'submitted', manager_id: manager }, uid);
          }
          return undefined;
        },
        action_approve: (db, uid, ids) => {
          for (const e of checkCanApprove(db, uid, EXPENSE, ids).filter((x) => x.state === 'submitted')) {
            db.write(EXPENSE, [e.id], { state: 'approved', approval_date: odooDatetime(db.now()) }, uid);
          }
          return undefined;
        },
        action_refuse: (db, uid, ids) => {
          checkCanApprove(db, uid, EXPENSE, ids);
          return wizardAction({ default_expense_ids: ids });
        },
        action_reset: (db, uid, ids) => {
          db.browse(EXPENSE, ids, uid);
          db.write(EXPENSE, ids, { state: 'draft' }, uid);
          return undefined;
        },
      },
    };
  }
  if (version >= 17) {
    return {
      ...wizard,
      [SHEET]: {
        action_submit_sheet: submitSheets,
        action_approve_expense_sheets: (db, uid, ids) => approveSheets(db, uid, ids),
        action_refuse_expense_sheets: (db, uid, ids) => {
          checkCanApprove(db, uid, SHEET, ids);
          return wizardAction({ default_sheet_ids: ids });
        },
      },
    };
  }
  return {
    ...wizard,
    [SHEET]: {
      action_submit_sheet: submitSheets,
      approve_expense_sheets: (db, uid, ids) => approveSheets(db, uid, ids),
      refuse_sheet: (db, uid, ids, kwargs, args) => {
        const reason = argument(args, kwargs, 0, 'reason');
        if (reason === undefined) {
          throw fakeFaults.server(
            "TypeError: HrExpenseSheet.refuse_sheet() missing 1 required positional argument: 'reason'",
          );
        }
        refuseSheets(db, uid, ids, String(reason));
        return undefined;
      },
    },
  };
}
