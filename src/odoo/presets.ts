import { type DocumentType, type FlowPresetKeys, finishPolicy, type PolicyFile } from '../config/policy-file.js';
import { AppError, isTransient } from '../errors.js';
import type { FlowMethod, Policy } from '../flows/policy.js';
import type { OdooGateway } from '../flows/ports.js';
import type { OdooServerVersion } from '../flows/types.js';

/**
 * What each document type does in Odoo, per major version (reference:
 * odoo-external-api.md §3). Only keys the policy file leaves out are filled.
 */
type Preset = Required<Omit<FlowPresetKeys, 'requesterFields'>> & { requesterFields: string[] };

const REASON = '{{reason}}';

/** A refusal wizard linked to the document; its reason lands in the chatter. */
function refuseWizard(link: string): FlowMethod {
  return {
    wizard: { model: 'hr.expense.refuse.wizard', method: 'action_refuse', values: { reason: REASON }, link },
  };
}

function expensePreset(major: number): Preset {
  // The employee's own user asked for the expense; the sheet's `user_id` is its manager, so not a requester.
  const requesterFields = ['employee_id.user_id', 'create_uid'];
  if (major >= 19)
    return {
      model: 'hr.expense',
      when: [['state', '=', 'submitted']],
      approve: { method: 'action_approve' },
      reject: refuseWizard('expense_ids'),
      requesterFields,
    };
  if (major >= 17)
    return {
      model: 'hr.expense.sheet',
      // 17/18 compute `state` from `approval_state`; the stored field is the one to search on.
      when: [['approval_state', '=', 'submit']],
      approve: { method: 'action_approve_expense_sheets' },
      reject: refuseWizard('sheet_ids'),
      requesterFields,
    };
  return {
    model: 'hr.expense.sheet',
    when: [['state', '=', 'submit']],
    approve: { method: 'approve_expense_sheets' },
    // `refuse_sheet(self, reason)`: a positional parameter binds by keyword over execute_kw too.
    reject: { method: 'refuse_sheet', kwargs: { reason: REASON } },
    requesterFields,
  };
}

/** The preset of a document type for an Odoo major version. */
export function presetFor(type: DocumentType, major: number): Preset {
  switch (type) {
    case 'purchase-order':
      return {
        model: 'purchase.order',
        when: [['state', '=', 'to approve']],
        approve: { method: 'button_approve' },
        reject: { method: 'button_cancel' },
        requesterFields: ['user_id', 'create_uid'],
      };
    case 'vendor-bill':
      return {
        model: 'account.move',
        when: [
          ['move_type', '=', 'in_invoice'],
          ['state', '=', 'draft'],
        ],
        approve: { method: 'action_post' },
        // Odoo has no bill-rejection state: the bill stays in draft, its responsible gets a to-do.
        reject: {
          note: true,
          activity: { to: 'invoice_user_id', summary: 'Vendor bill rejected: please review', days: 1 },
        },
        requesterFields: ['invoice_user_id', 'create_uid'],
      };
    case 'expense':
      return expensePreset(major);
    case 'sale-order':
      return {
        model: 'sale.order',
        // Which quotations need approval (discount, margin) is the admin's domain to add; see docs/policies.md.
        when: [['state', 'in', ['draft', 'sent']]],
        approve: { method: 'action_confirm' },
        reject: { note: true, activity: { to: 'user_id', summary: 'Quotation rejected: please review', days: 1 } },
        requesterFields: ['user_id', 'create_uid'],
      };
    case 'approval-request':
      return {
        model: 'approval.request',
        when: [['request_status', '=', 'pending']],
        // Odoo approves the approver line of the calling user: only the person's own key works.
        approve: { method: 'action_approve', asApprover: true },
        reject: { method: 'action_refuse', asApprover: true },
        requesterFields: ['request_owner_id'],
      };
  }
}

/**
 * Fills in, for flows with `type:`, the keys the file left out (explicit
 * keys win), then checks every flow is complete.
 */
export function applyPresets(file: PolicyFile, version: OdooServerVersion, source?: string): Policy {
  const approvals = file.approvals.map((f) => {
    if (!f.type) return f;
    const p = presetFor(f.type, version.major);
    return {
      ...f,
      model: f.model ?? p.model,
      when: f.when ?? p.when,
      approve: f.approve ?? p.approve,
      reject: f.reject ?? p.reject,
      requesterFields: f.requesterFields ?? p.requesterFields,
    };
  });
  return finishPolicy({ ...file, approvals }, source);
}

/**
 * The policy to run: presets need the Odoo version, so Odoo must answer at
 * start when the file relies on them. A file without `type:` gaps never asks.
 */
export async function resolvePolicy(odoo: Pick<OdooGateway, 'version'>, file: PolicyFile): Promise<Policy> {
  const gaps = file.approvals.some(
    (f) => f.type && (!f.model || !f.when || !f.approve || !f.reject || !f.requesterFields),
  );
  if (!gaps) return finishPolicy(file);
  let version: OdooServerVersion;
  try {
    version = await odoo.version();
  } catch (err) {
    if (!isTransient(err)) throw err;
    throw new AppError(
      'config.presets_need_odoo',
      'transient',
      'The policy file uses `type:` presets, whose models and methods depend on the Odoo version, but Odoo did not answer common.version at start. Start again once Odoo answers, or write model, when, approve and reject in each flow.',
      { cause: err },
    );
  }
  return applyPresets(file, version);
}
