/** Inputs of the FakeOdooServer seed helpers for documents beyond purchase orders. */
export type FakeCurrency = 'EUR' | 'USD';

export interface NewEmployee {
  name: string;
  userId?: number;
  /** Manager (`parent_id`), an hr.employee id. */
  parentId?: number;
  coachId?: number;
  departmentId?: number;
  workEmail?: string;
  /** `expense_manager_id`, a res.users id. */
  expenseManagerId?: number;
}

export interface NewDepartment {
  name: string;
  managerEmployeeId?: number;
  parentId?: number;
}

export interface NewVendorBill {
  partnerId: number;
  lines: Array<{ productId?: number; qty: number; priceUnit: number; description?: string; purchaseLineId?: number }>;
  state?: 'draft' | 'posted' | 'cancel';
  ref?: string;
  currency?: FakeCurrency;
  invoiceUserId?: number;
  createUid?: number;
  /** Links the bill to this order: `invoice_origin` and, line by line, `purchase_line_id`. */
  purchaseOrderId?: number;
  releaseToPay?: 'yes' | 'no' | 'exception';
  /** `YYYY-MM-DD`; default today (Odoo needs it to post a bill). `null` leaves it empty. */
  invoiceDate?: string | null;
  invoiceDateDue?: string;
  moveType?: 'in_invoice' | 'in_refund' | 'out_invoice' | 'out_refund';
}

export interface NewExpenseLine {
  name: string;
  amount: number;
  productId?: number;
  date?: string;
}

export interface NewExpenseSheet {
  name?: string;
  employeeId: number;
  lines: NewExpenseLine[];
  /** 16: any sheet state; 17/18: draft, submit, approve or cancel (stored as `approval_state`). Default `submit`. */
  state?: string;
  /** The sheet's `user_id` (Manager). */
  managerUserId?: number;
  currency?: FakeCurrency;
  createUid?: number;
}

export interface NewExpense extends NewExpenseLine {
  employeeId: number;
  /** Default `submitted` on 19, `reported` on 16–18. */
  state?: string;
  /** 19: `manager_id`. */
  managerUserId?: number;
  currency?: FakeCurrency;
  createUid?: number;
}

export interface NewSaleOrder {
  name?: string;
  partnerId: number;
  /** The salesperson (`user_id`). */
  userId: number;
  lines: Array<{ productId: number | false; qty: number; priceUnit: number; discount?: number; cost?: number }>;
  state?: string;
  locked?: boolean;
  currency?: FakeCurrency;
  createUid?: number;
  dateOrder?: Date;
}

export interface NewApprovalRequest {
  name: string;
  categoryId?: number;
  /** `request_owner_id`, a res.users id. */
  ownerId: number;
  /** res.users ids, one approver line each. */
  approverIds: number[];
  requiredApproverIds?: number[];
  amount?: number;
  /** `approval_minimum` of a category created for this request when `categoryId` is not given. Default 1. */
  minimum?: number;
  /** Submitted (`action_confirm`: approver lines pending), the default, or still new. */
  submitted?: boolean;
  partnerId?: number;
  reason?: string;
}

export interface NewPaymentTransaction {
  /** `partner_id`; `partner_name` and `partner_email` are copied from it, as Odoo's `create` does. */
  partnerId: number;
  amount: number;
  currency?: FakeCurrency;
  /** Default `draft`. */
  state?: 'draft' | 'pending' | 'authorized' | 'done' | 'cancel' | 'error';
  /** `state_message`: what the provider said, e.g. why it refused the payment. */
  stateMessage?: string;
  /** The provider (found by code and name, else created enabled). Default Stripe. */
  provider?: { name: string; code: 'none' | 'demo' | 'adyen' | 'paypal' | 'stripe' };
  providerReference?: string;
  /** account_payment's `invoice_ids`: the invoices paid. */
  invoiceIds?: number[];
  /** Default as `_compute_reference`: the invoices' numbers joined by `-` (else `tx-YYYYMMDDhhmmss`), then `-1`, `-2`... if taken. */
  reference?: string;
  operation?: 'online_redirect' | 'online_direct' | 'online_token' | 'validation' | 'offline' | 'refund';
}
