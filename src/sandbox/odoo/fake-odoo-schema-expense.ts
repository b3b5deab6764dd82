/**
 * Expenses (`addons/hr_expense`). 16: `hr.expense.sheet` with a stored
 * `state`; 17/18: the sheet's `state` is computed from `approval_state`;
 * 19: no sheets, each `hr.expense` is approved on its own. The refuse wizard
 * points at sheets (`sheet_ids`, 17/18; `hr_expense_sheet_id` on 16) or at
 * expenses (`expense_ids`, 19).
 */
import { char, children, computed, date, m2m, m2o, num, o2m, round2, sel } from './fake-odoo-fields.js';
import type { ComputeContext, FakeField, FakeModel, FakeOdooVersion, StoredRecord } from './fake-odoo-schema.js';

export function sheetStates(version: FakeOdooVersion): Array<[string, string]> {
  if (version >= 19) return [];
  return [
    ['draft', 'Draft'],
    ['submit', 'Submitted'],
    ['approve', 'Approved'],
    ['post', 'Posted'],
    ['done', 'Done'],
    ['cancel', 'Refused'],
  ];
}

export function expenseStates(version: FakeOdooVersion): Array<[string, string]> {
  if (version >= 19) {
    return [
      ['draft', 'To Submit'],
      ['submitted', 'Submitted'],
      ['approved', 'Approved'],
      ['posted', 'Posted'],
      ['in_payment', 'In Payment'],
      ['paid', 'Paid'],
      ['refused', 'Refused'],
    ];
  }
  const states: Array<[string, string]> = [
    ['draft', 'To Submit'],
    ['reported', 'Submitted'],
  ];
  if (version >= 17) states.push(['submitted', 'Submitted']);
  states.push(['approved', 'Approved'], ['done', 'Paid'], ['refused', 'Refused']);
  return states;
}

/** 17/18 `_compute_state`: the sheet's state follows `approval_state` (and the move, which the fake leaves out). */
function sheetState(sheet: StoredRecord): string {
  if (sheet.approval_state === 'cancel') return 'cancel';
  if (sheet.approval_state === 'approve') return 'approve';
  if (sheet.approval_state === 'submit') return 'submit';
  return 'draft';
}

function sheetTotal(sheet: StoredRecord, ctx: ComputeContext): number {
  return round2(children(ctx, 'hr.expense', 'sheet_id', sheet.id).reduce((s, e) => s + Number(e.total_amount), 0));
}

export function expenseModels(version: FakeOdooVersion): FakeModel[] {
  const expenseFields: Record<string, FakeField> = {
    name: char('Description'),
    employee_id: m2o('hr.employee', 'Employee'),
    product_id: m2o('product.product', 'Category'),
    date: date('Expense Date'),
    total_amount: num('monetary', 'Total'),
    currency_id: m2o('res.currency', 'Currency'),
    company_id: m2o('res.company', 'Company'),
    state: sel('Status', expenseStates(version), 'draft'),
  };
  if (version >= 17) expenseFields.total_amount_currency = num('monetary', 'Total In Currency');
  if (version >= 19) {
    expenseFields.manager_id = m2o('res.users', 'Manager');
    expenseFields.approval_date = { type: 'datetime', string: 'Approval Date' };
  } else {
    expenseFields.sheet_id = m2o('hr.expense.sheet', 'Expense Report');
  }
  const models: FakeModel[] = [
    {
      name: 'hr.expense',
      description: 'Expense',
      order: 'date desc, id desc',
      recName: 'name',
      mailThread: true,
      fields: expenseFields,
    },
  ];
  const wizardTargets: Record<string, FakeField> =
    version >= 19
      ? { expense_ids: m2m('hr.expense', 'Expenses') }
      : version >= 17
        ? { sheet_ids: m2m('hr.expense.sheet', 'Expense Reports') }
        : { hr_expense_ids: m2m('hr.expense', 'Expenses'), hr_expense_sheet_id: m2o('hr.expense.sheet', 'Sheet') };
  models.push({
    name: 'hr.expense.refuse.wizard',
    description: 'Expense Refuse Reason Wizard',
    order: 'id',
    recName: 'reason',
    fields: { reason: char('Reason'), ...wizardTargets },
  });
  if (version >= 19) return models;
  const state: FakeField =
    version >= 17
      ? computed(sel('Status', sheetStates(version)), sheetState)
      : sel('Status', sheetStates(version), 'draft');
  const approval: Record<string, FakeField> =
    version >= 17
      ? {
          approval_state: sel('Approval State', [
            ['submit', 'Submitted'],
            ['approve', 'Approved'],
            ['cancel', 'Refused'],
          ]),
        }
      : {};
  models.push({
    name: 'hr.expense.sheet',
    description: 'Expense Report',
    order: 'accounting_date desc, id desc',
    recName: 'name',
    mailThread: true,
    fields: {
      name: char('Expense Report Summary'),
      employee_id: m2o('hr.employee', 'Employee'),
      user_id: m2o('res.users', 'Manager'),
      department_id: m2o('hr.department', 'Department'),
      state,
      ...approval,
      approval_date: { type: 'datetime', string: 'Approval Date' },
      accounting_date: date('Accounting Date'),
      expense_line_ids: o2m('hr.expense', 'sheet_id', 'Expense Lines'),
      total_amount: computed(num('monetary', 'Total'), sheetTotal),
      currency_id: m2o('res.currency', 'Currency'),
      company_id: m2o('res.company', 'Company'),
    },
  });
  return models;
}
