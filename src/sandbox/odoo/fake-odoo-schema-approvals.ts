/**
 * Enterprise Approvals (`approvals/models/approval_request.py`, 17-era).
 * `request_status` is computed from the approver lines as
 * `_compute_request_status` does; `user_status` is the line of the calling
 * user (`env.user`), so it differs per API key.
 */
import { char, children, computed, date, datetime, flag, m2o, num, o2m, sel, text } from './fake-odoo-fields.js';
import type { ComputeContext, FakeModel, FakeOdooVersion, StoredRecord } from './fake-odoo-schema.js';

export const APPROVER_STATUSES: Array<[string, string]> = [
  ['new', 'New'],
  ['pending', 'To Approve'],
  ['waiting', 'Waiting'],
  ['approved', 'Approved'],
  ['refused', 'Refused'],
  ['cancel', 'Cancel'],
];

const REQUEST_STATUSES: Array<[string, string]> = [
  ['new', 'To Submit'],
  ['pending', 'Submitted'],
  ['approved', 'Approved'],
  ['refused', 'Refused'],
  ['cancel', 'Cancel'],
];

const approvers = (request: StoredRecord, ctx: ComputeContext) =>
  children(ctx, 'approval.approver', 'request_id', request.id);

function minimum(request: StoredRecord, ctx: ComputeContext): number {
  const category = ctx.all('approval.category').find((c) => c.id === request.category_id);
  return Number(category?.approval_minimum ?? 1);
}

export function requestStatus(request: StoredRecord, ctx: ComputeContext): string {
  const lines = approvers(request, ctx);
  const statuses = lines.map((a) => String(a.status));
  if (statuses.length === 0) return 'new';
  const requiredApproved = lines.filter((a) => a.required === true).every((a) => a.status === 'approved');
  const needed = Math.min(minimum(request, ctx), statuses.length);
  if (statuses.includes('cancel')) return 'cancel';
  if (statuses.includes('refused')) return 'refused';
  if (statuses.includes('new')) return 'new';
  if (statuses.filter((s) => s === 'approved').length >= needed && requiredApproved) return 'approved';
  return 'pending';
}

export function approvalModels(_version: FakeOdooVersion): FakeModel[] {
  return [
    {
      name: 'approval.category',
      description: 'Approval Category',
      order: 'sequence, id',
      recName: 'name',
      fields: {
        name: char('Name'),
        sequence: { ...num('integer', 'Sequence'), default: 10 },
        active: flag('Active', true),
        approval_minimum: { ...num('integer', 'Minimum Approval'), default: 1 },
        approver_sequence: flag('Approvers Sequence?', false),
        has_amount: sel('Has Amount', [
          ['required', 'Required'],
          ['optional', 'Optional'],
          ['no', 'None'],
        ]),
        company_id: m2o('res.company', 'Company'),
      },
    },
    {
      name: 'approval.request',
      description: 'Approval Request',
      order: 'name',
      recName: 'name',
      mailThread: true,
      fields: {
        name: char('Approval Subject'),
        category_id: m2o('approval.category', 'Category'),
        request_owner_id: m2o('res.users', 'Request Owner'),
        request_status: computed(sel('Request Status', REQUEST_STATUSES), requestStatus),
        user_status: computed(sel('User Status', APPROVER_STATUSES), (r, ctx) => {
          const mine = approvers(r, ctx).find((a) => a.user_id === ctx.uid);
          return mine?.status ?? false;
        }),
        approval_minimum: computed(num('integer', 'Minimum Approval'), minimum),
        approver_ids: o2m('approval.approver', 'request_id', 'Approvers'),
        amount: num('float', 'Amount'),
        currency_id: m2o('res.currency', 'Currency'),
        reason: { type: 'html', string: 'Description' },
        date: datetime('Date'),
        date_confirmed: datetime('Date Confirmed'),
        request_date: date('Request Date'),
        partner_id: m2o('res.partner', 'Contact'),
        reference: char('Reference'),
        company_id: m2o('res.company', 'Company'),
      },
    },
    {
      name: 'approval.approver',
      description: 'Approver',
      order: 'sequence, id',
      recName: 'user_id',
      fields: {
        sequence: { ...num('integer', 'Sequence'), default: 10 },
        request_id: m2o('approval.request', 'Request'),
        user_id: m2o('res.users', 'User'),
        status: sel('Status', APPROVER_STATUSES, 'new'),
        required: flag('Required', false),
        comment: text('Comment'),
      },
    },
  ];
}
