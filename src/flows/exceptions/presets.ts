import type { Domain } from '../types.js';

/** Built-in exception types: their Odoo model and domain (documented in docs/exceptions.md). */
export const EXCEPTION_PRESETS = {
  /** account_3way_match: a vendor bill whose quantities or prices do not match its PO and receipts. */
  'bill-variance': {
    model: 'account.move',
    when: [
      ['move_type', '=', 'in_invoice'],
      ['state', '!=', 'cancel'],
      ['release_to_pay', '=', 'exception'],
    ] as Domain,
    title: 'Vendor bill does not match its purchase order',
  },
  /** Posted customer invoices not paid N days after their due date (`days:`, default 30). */
  'overdue-invoice': {
    model: 'account.move',
    when: [
      ['move_type', '=', 'out_invoice'],
      ['state', '=', 'posted'],
      ['payment_state', 'not in', ['paid', 'in_payment', 'reversed']],
    ] as Domain,
    title: 'Customer invoice overdue',
  },
  /** Online payments the provider refused or that failed (`payment.transaction` in `error`). */
  'failed-payment': {
    model: 'payment.transaction',
    when: [['state', '=', 'error']] as Domain,
    title: 'Payment failed',
  },
} as const;

export type ExceptionPreset = keyof typeof EXCEPTION_PRESETS;
export const EXCEPTION_PRESET_NAMES = Object.keys(EXCEPTION_PRESETS) as ExceptionPreset[];

/** The field `days:` of `overdue-invoice` compares with today − N. */
export const OVERDUE_DATE_FIELD = 'invoice_date_due';
export const DEFAULT_OVERDUE_DAYS = 30;
