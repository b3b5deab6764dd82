import { AppError } from '../errors.js';
import type { ApprovalFlow, FlowMethod, Policy } from '../flows/policy.js';
import type { Domain } from '../flows/types.js';

/** Document types with presets (src/odoo/presets.ts): what `type:` accepts in a flow. */
export const DOCUMENT_TYPES = ['purchase-order', 'vendor-bill', 'expense', 'sale-order', 'approval-request'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** Who asked for the document when neither the file nor a preset says: the document's user, then its creator. */
export const DEFAULT_REQUESTER_FIELDS = ['user_id', 'create_uid'];

/** The keys a preset may fill in; the policy file's own keys always win. */
export interface FlowPresetKeys {
  model?: string | undefined;
  when?: Domain | undefined;
  approve?: FlowMethod | undefined;
  reject?: FlowMethod | undefined;
  requesterFields?: string[] | undefined;
}

/** A flow as written in the file, before presets for the Odoo version fill the keys it left out. */
export type FlowDraft = Omit<ApprovalFlow, keyof FlowPresetKeys> & FlowPresetKeys & { type?: DocumentType | undefined };

/**
 * The validated policy file. Flows with a `type:` may still lack keys that
 * depend on the Odoo version; `applyPresets` (src/odoo/presets.ts) fills them
 * once the version is known, and `finishPolicy` checks nothing is missing.
 */
export interface PolicyFile extends Omit<Policy, 'approvals'> {
  approvals: FlowDraft[];
}

const REQUIRED = ['model', 'when', 'approve', 'reject'] as const;

const EXAMPLE: Record<(typeof REQUIRED)[number], string> = {
  model: 'model: purchase.order',
  when: 'when: [["state", "=", "to approve"]]',
  approve: 'approve: { method: button_approve }',
  reject: 'reject: { method: button_cancel }',
};

/**
 * Checks every flow has model, when, approve and reject (given, or filled by
 * a preset) and returns the policy the flow engine runs. Flows still
 * lacking a key are named with the key and an example.
 */
export function finishPolicy(file: PolicyFile, source = 'the policy file'): Policy {
  const problems: string[] = [];
  const approvals = file.approvals.map((f, i): ApprovalFlow | null => {
    const missing = REQUIRED.filter((k) => f[k] === undefined);
    for (const k of missing) {
      const why = f.type
        ? `the "${f.type}" preset does not set it for this Odoo version`
        : 'it is required (or give `type:` to use a preset, see docs/policies.md)';
      problems.push(`  approvals[${i}].${k} (flow ${f.id}): missing; ${why}. Example: ${EXAMPLE[k]}`);
    }
    if (missing.length) return null;
    const { type: _type, ...rest } = f;
    return {
      ...rest,
      model: f.model!,
      when: f.when!,
      approve: f.approve!,
      reject: f.reject!,
      requesterFields: f.requesterFields ?? DEFAULT_REQUESTER_FIELDS,
    };
  });
  if (problems.length)
    throw new AppError(
      'config.policy_invalid',
      'user',
      `${source} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${problems.join('\n')}`,
    );
  return { ...file, approvals: approvals as ApprovalFlow[] };
}

/** True when some flow leaves a key to a preset, so the Odoo version must be known first. */
export function needsPresets(file: PolicyFile): boolean {
  return file.approvals.some(
    (f) => f.type !== undefined && [...REQUIRED, 'requesterFields' as const].some((k) => f[k] === undefined),
  );
}
