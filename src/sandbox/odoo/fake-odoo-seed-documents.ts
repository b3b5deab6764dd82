/**
 * Seed helpers behind `FakeOdooServer.addEmployee`, `addVendorBill`,
 * `addExpenseSheet`, `addSaleOrder`, `addApprovalRequest`, `addPaymentTransaction`...: records as
 * Odoo would hold them after the UI created them, written as OdooBot.
 */
import { type FakeOdooDb, odooDatetime } from './fake-odoo-db.js';
import { sheetStates } from './fake-odoo-schema-expense.js';
import { saleStates } from './fake-odoo-schema-sale.js';
import { MAIN_COMPANY_ID, SUPERUSER_ID } from './fake-odoo-seed.js';
import type {
  FakeCurrency,
  NewApprovalRequest,
  NewDepartment,
  NewEmployee,
  NewExpense,
  NewExpenseSheet,
  NewPaymentTransaction,
  NewSaleOrder,
  NewVendorBill,
} from './fake-odoo-seed-types.js';

const su = SUPERUSER_ID;
const today = (db: FakeOdooDb) => db.now().toISOString().slice(0, 10);

export function currencyId(db: FakeOdooDb, name: FakeCurrency = 'EUR'): number | false {
  return db.all('res.currency').find((c) => c.name === name)?.id ?? false;
}

export function seedEmployee(db: FakeOdooDb, input: NewEmployee): number {
  return db.create(
    'hr.employee',
    {
      name: input.name,
      user_id: input.userId ?? false,
      parent_id: input.parentId ?? false,
      coach_id: input.coachId ?? false,
      department_id: input.departmentId ?? false,
      work_email: input.workEmail ?? false,
      expense_manager_id: input.expenseManagerId ?? false,
      company_id: MAIN_COMPANY_ID,
    },
    su,
  );
}

export function seedDepartment(db: FakeOdooDb, input: NewDepartment): number {
  return db.create(
    'hr.department',
    {
      name: input.name,
      manager_id: input.managerEmployeeId ?? false,
      parent_id: input.parentId ?? false,
      company_id: MAIN_COMPANY_ID,
    },
    su,
  );
}

export function seedVendorBill(db: FakeOdooDb, input: NewVendorBill): number {
  const order = input.purchaseOrderId ? db.get('purchase.order', input.purchaseOrderId) : undefined;
  if (input.purchaseOrderId && !order) {
    throw new Error(`FakeOdooServer.addVendorBill: purchase.order ${input.purchaseOrderId} does not exist`);
  }
  const poLines = order ? db.all('purchase.order.line').filter((l) => l.order_id === order.id) : [];
  const moveType = input.moveType ?? 'in_invoice';
  const invoiceDate = input.invoiceDate === undefined ? today(db) : input.invoiceDate;
  const state = input.state ?? 'draft';
  const prefix = moveType.startsWith('in_') ? 'BILL' : 'INV';
  const year = (invoiceDate ?? today(db)).slice(0, 4);
  const numbered = db.all('account.move').filter((m) => String(m.name).startsWith(`${prefix}/${year}/`)).length;
  return db.create(
    'account.move',
    {
      name: state === 'draft' ? '/' : `${prefix}/${year}/${String(numbered + 1).padStart(5, '0')}`,
      move_type: moveType,
      state,
      partner_id: input.partnerId,
      ref: input.ref ?? false,
      invoice_origin: order ? order.name : false,
      invoice_date: invoiceDate ?? false,
      invoice_date_due: input.invoiceDateDue ?? invoiceDate ?? false,
      date: invoiceDate ?? today(db),
      invoice_user_id: input.invoiceUserId ?? false,
      currency_id: currencyId(db, input.currency),
      company_id: MAIN_COMPANY_ID,
      release_to_pay: input.releaseToPay ?? 'no',
      invoice_line_ids: input.lines.map((l, i) => {
        const poLine = l.purchaseLineId ? db.get('purchase.order.line', l.purchaseLineId) : poLines[i];
        const productId = l.productId ?? poLine?.product_id ?? false;
        return [
          0,
          0,
          {
            product_id: productId,
            name: l.description ?? (productId ? db.displayName('product.product', Number(productId)) : false),
            quantity: l.qty,
            price_unit: l.priceUnit,
            purchase_line_id: poLine?.id ?? false,
          },
        ];
      }),
    },
    input.createUid ?? input.invoiceUserId ?? su,
  );
}

export function seedExpenseSheet(db: FakeOdooDb, input: NewExpenseSheet): number {
  if (db.version >= 19) {
    throw new Error('FakeOdooServer.addExpenseSheet: Odoo 19 has no expense reports; use addExpense');
  }
  const state = input.state ?? 'submit';
  const allowed =
    db.version >= 17 ? ['draft', 'submit', 'approve', 'cancel'] : sheetStates(db.version).map((s) => s[0]);
  if (!allowed.includes(state)) {
    throw new Error(
      `FakeOdooServer.addExpenseSheet: state "${state}" cannot be seeded on Odoo ${db.version}; use one of ${allowed.join(', ')}`,
    );
  }
  const employee = db.get('hr.employee', input.employeeId);
  const uid = input.createUid ?? (Number(employee?.user_id) || su);
  const currency = currencyId(db, input.currency);
  const lineState: Record<string, string> = {
    draft: 'draft',
    approve: 'approved',
    cancel: 'refused',
    post: 'approved',
    done: 'done',
  };
  const sheetId = db.create(
    'hr.expense.sheet',
    {
      name: input.name ?? `Expenses of ${employee?.name ?? 'employee'}`,
      employee_id: input.employeeId,
      user_id: input.managerUserId ?? false,
      department_id: employee?.department_id ?? false,
      currency_id: currency,
      company_id: MAIN_COMPANY_ID,
      ...(db.version >= 17 ? { approval_state: state === 'draft' ? false : state } : { state }),
    },
    uid,
  );
  for (const line of input.lines) {
    seedExpense(
      db,
      {
        ...line,
        employeeId: input.employeeId,
        currency: input.currency,
        createUid: uid,
        state: lineState[state] ?? 'reported',
      },
      sheetId,
    );
  }
  return sheetId;
}

export function seedExpense(db: FakeOdooDb, input: NewExpense, sheetId?: number): number {
  const state = input.state ?? (db.version >= 19 ? 'submitted' : 'reported');
  const employee = db.get('hr.employee', input.employeeId);
  const vals: Record<string, unknown> = {
    name: input.name,
    employee_id: input.employeeId,
    product_id: input.productId ?? false,
    date: input.date ?? today(db),
    total_amount: input.amount,
    currency_id: currencyId(db, input.currency),
    company_id: MAIN_COMPANY_ID,
    state,
  };
  if (db.version >= 17) vals.total_amount_currency = input.amount;
  if (db.version >= 19) {
    const parent = db.get('hr.employee', Number(employee?.parent_id));
    vals.manager_id = input.managerUserId ?? (employee?.expense_manager_id || parent?.user_id || false);
  } else if (sheetId) vals.sheet_id = sheetId;
  return db.create('hr.expense', vals, input.createUid ?? (Number(employee?.user_id) || su));
}

export function seedSaleOrder(db: FakeOdooDb, input: NewSaleOrder, sequence: number): number {
  const state = input.state ?? 'draft';
  if (!saleStates(db.version).some(([value]) => value === state)) {
    throw new Error(`FakeOdooServer.addSaleOrder: "${state}" is not a sale.order state on Odoo ${db.version}`);
  }
  return db.create(
    'sale.order',
    {
      name: input.name ?? `S${String(sequence).padStart(5, '0')}`,
      partner_id: input.partnerId,
      user_id: input.userId,
      state,
      ...(db.version >= 17 ? { locked: input.locked ?? false } : {}),
      date_order: odooDatetime(input.dateOrder ?? db.now()),
      currency_id: currencyId(db, input.currency),
      company_id: MAIN_COMPANY_ID,
      order_line: input.lines.map((l) => [
        0,
        0,
        {
          product_id: l.productId,
          name: l.productId ? db.displayName('product.product', l.productId) : 'Note',
          product_uom_qty: l.qty,
          price_unit: l.priceUnit,
          discount: l.discount ?? 0,
          purchase_price: l.cost ?? 0,
        },
      ]),
    },
    input.createUid ?? input.userId,
  );
}

export function seedApprovalRequest(db: FakeOdooDb, input: NewApprovalRequest): number {
  const categoryId =
    input.categoryId ??
    db.create('approval.category', { name: `${input.name} approval`, approval_minimum: input.minimum ?? 1 }, su);
  const submitted = input.submitted ?? true;
  const required = new Set(input.requiredApproverIds ?? []);
  return db.create(
    'approval.request',
    {
      name: input.name,
      category_id: categoryId,
      request_owner_id: input.ownerId,
      amount: input.amount ?? 0,
      currency_id: currencyId(db),
      partner_id: input.partnerId ?? false,
      reason: input.reason ?? false,
      company_id: MAIN_COMPANY_ID,
      date_confirmed: submitted ? odooDatetime(db.now()) : false,
      approver_ids: input.approverIds.map((userId) => [
        0,
        0,
        { user_id: userId, status: submitted ? 'pending' : 'new', required: required.has(userId) },
      ]),
    },
    input.ownerId,
  );
}

/** `payment_utils.singularize_reference_prefix()`: `tx-` and the UTC time as `YYYYMMDDhhmmss`. */
function timedReference(db: FakeOdooDb): string {
  return `tx-${odooDatetime(db.now()).replace(/\D/g, '')}`;
}

export function seedPaymentTransaction(db: FakeOdooDb, input: NewPaymentTransaction): number {
  const { name, code } = input.provider ?? { name: 'Stripe', code: 'stripe' };
  const providerId =
    db.all('payment.provider').find((p) => p.code === code && p.name === name)?.id ??
    db.create('payment.provider', { name, code, state: 'enabled', company_id: MAIN_COMPANY_ID }, su);
  const invoices = (input.invoiceIds ?? []).map((id) => {
    const move = db.get('account.move', id);
    if (!move) throw new Error(`FakeOdooServer.addPaymentTransaction: account.move ${id} does not exist`);
    return move;
  });
  // `_compute_reference`: the prefix, then `-1`, `-2`... when the prefix is taken (the reference is unique).
  const prefix = input.reference ?? (invoices.map((m) => String(m.name)).join('-') || timedReference(db));
  const taken = new Set(db.all('payment.transaction').map((t) => t.reference));
  let reference = prefix;
  for (let n = 1; taken.has(reference); n++) reference = `${prefix}-${n}`;
  const partner = db.get('res.partner', input.partnerId);
  return db.create(
    'payment.transaction',
    {
      provider_id: providerId,
      company_id: MAIN_COMPANY_ID,
      reference,
      provider_reference: input.providerReference ?? false,
      amount: input.amount,
      currency_id: currencyId(db, input.currency),
      state: input.state ?? 'draft',
      state_message: input.stateMessage ?? false,
      last_state_change: odooDatetime(db.now()),
      operation: input.operation ?? 'online_redirect',
      partner_id: input.partnerId,
      partner_name: partner?.name ?? false,
      partner_email: partner?.email ?? false,
      invoice_ids: invoices.map((m) => m.id),
    },
    su,
  );
}
