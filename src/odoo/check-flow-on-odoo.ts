import type { ApprovalFlow, FlowMethod } from '../flows/policy.js';
import type { OdooGateway } from '../flows/ports.js';
import type { OdooServerVersion } from '../flows/types.js';

/**
 * Methods whose existence depends on the Odoo version. XML-RPC cannot list
 * a model's methods, so what the reference (odoo-external-api.md §3) says is
 * kept here for `odoo-chatops check`.
 */
const VERSIONED_METHODS: Record<string, Record<string, { from?: number; to?: number; instead: string }>> = {
  'hr.expense.sheet': {
    approve_expense_sheets: { to: 16, instead: 'action_approve_expense_sheets on 17/18 (or `type: expense`)' },
    refuse_sheet: {
      to: 16,
      instead: 'the refuse wizard on 17/18: wizard { model: hr.expense.refuse.wizard, link: sheet_ids }',
    },
    action_approve_expense_sheets: { from: 17, to: 18, instead: 'approve_expense_sheets on 16 (or `type: expense`)' },
  },
  'hr.expense': {
    action_approve: { from: 19, instead: 'approving the expense report (hr.expense.sheet) before 19' },
    // Expense-report methods never existed on single expenses.
    approve_expense_sheets: { to: 0, instead: 'action_approve on 19 (or `type: expense`)' },
    action_approve_expense_sheets: { to: 0, instead: 'action_approve on 19 (or `type: expense`)' },
  },
};

/** Methods that only open a dialog: calling them refuses nothing. */
const WIZARD_OPENERS: Record<string, Record<string, string>> = {
  'hr.expense.sheet': { action_refuse_expense_sheets: 'hr.expense.refuse.wizard with link sheet_ids' },
  'hr.expense': { action_refuse: 'hr.expense.refuse.wizard with link expense_ids' },
};

/** Models that exist only in some versions, with what to use instead. */
const VERSIONED_MODELS: Record<string, { to: number; instead: string }> = {
  'hr.expense.sheet': { to: 18, instead: 'Odoo 19 has no expense reports: use hr.expense (or `type: expense`)' },
};

function fieldsOf(domain: ApprovalFlow['when']): string[] {
  return domain.flatMap((t) => (Array.isArray(t) ? [t[0].split('.')[0]!] : []));
}

/**
 * What a flow needs that this Odoo lacks: one sentence per problem naming
 * the field or method and why. Empty when the flow can run.
 */
export async function flowGapsOnOdoo(
  odoo: OdooGateway,
  flow: ApprovalFlow,
  version: OdooServerVersion,
): Promise<string[]> {
  const v = version.major;
  const gaps: string[] = [];
  const versioned = VERSIONED_MODELS[flow.model];
  if (versioned && v > versioned.to) return [`model ${flow.model} does not exist on Odoo ${v}: ${versioned.instead}`];
  let fields: Record<string, { type: string; relation?: string }>;
  try {
    fields = await odoo.fields(flow.model);
  } catch (err) {
    return [
      `model ${flow.model} cannot be read on this Odoo (${err instanceof Error ? err.message : String(err)}); is its module installed and may the bot's user read it?`,
    ];
  }
  const missing = (names: string[], why: string) => {
    for (const f of [...new Set(names)].filter((n) => !(n in fields)))
      gaps.push(`${flow.model} has no field ${f} on Odoo ${v} (${why})`);
  };
  missing([...fieldsOf(flow.when), 'write_date'], 'used by "when"');
  for (const t of flow.tiers) {
    missing(fieldsOf(t.when ?? []), `used by tier "${t.name}"`);
    missing(t.approvers.field ?? [], `approver field of tier "${t.name}"`);
  }
  for (const path of flow.requesterFields) {
    const [head, next] = path.split('.') as [string, string | undefined];
    if (!(head in fields)) {
      missing([head], 'named in requesterFields');
      continue;
    }
    const relation = fields[head]?.relation;
    if (next && relation) {
      const related = await odoo.fields(relation).catch(() => ({}) as Record<string, unknown>);
      if (!(next in related)) gaps.push(`${relation} has no field ${next} (requesterFields ${path})`);
    }
  }
  for (const [which, action] of [
    ['approve', flow.approve],
    ['reject', flow.reject],
  ] as Array<[string, FlowMethod]>) {
    gaps.push(...(await actionGaps(odoo, flow.model, which, action, v, fields)));
  }
  return gaps;
}

async function actionGaps(
  odoo: OdooGateway,
  model: string,
  which: string,
  action: FlowMethod,
  v: number,
  fields: Record<string, unknown>,
): Promise<string[]> {
  const gaps: string[] = [];
  if (action.method) {
    const known = VERSIONED_METHODS[model]?.[action.method];
    if (known && ((known.from !== undefined && v < known.from) || (known.to !== undefined && v > known.to)))
      gaps.push(`${which}: ${model}.${action.method} does not exist on Odoo ${v}; use ${known.instead}`);
    const opener = WIZARD_OPENERS[model]?.[action.method];
    if (opener)
      gaps.push(`${which}: ${model}.${action.method} only opens a dialog and changes nothing; use a wizard: ${opener}`);
  }
  if (action.note && action.activity && action.activity.to !== 'requester' && !(action.activity.to in fields))
    gaps.push(`${which}: ${model} has no field ${action.activity.to} (activity.to) on Odoo ${v}`);
  if (action.wizard) {
    const w = action.wizard;
    try {
      const wizardFields = await odoo.fields(w.model);
      for (const f of [...Object.keys(w.values), w.link].filter((n) => !(n in wizardFields)))
        gaps.push(`${which}: the wizard ${w.model} has no field ${f} on Odoo ${v}`);
    } catch {
      gaps.push(`${which}: the wizard model ${w.model} does not exist on this Odoo (or the bot's user may not use it)`);
    }
  }
  return gaps;
}
