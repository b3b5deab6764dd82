/**
 * `odoo-chatops check` for one exception definition: what it needs from
 * Odoo (model, domain fields, the resolve write, owners) and whether Odoo
 * accepts its domain. External-only definitions have no model; only their
 * owners are checked.
 */
import { isAppError } from '../errors.js';
import { domainPaths } from '../flows/domain-fields.js';
import { exceptionDomain } from '../flows/exceptions/exception-domain.js';
import type { ExceptionPolicy } from '../flows/exceptions/policy.js';
import type { ApproverSource, Policy } from '../flows/policy.js';
import type { Directory, OdooGateway } from '../flows/ports.js';
import { resolveSource } from '../flows/resolve-approvers.js';
import { describeApproversOnOdoo, expandRoles } from './describe-approvers-on-odoo.js';

type Fields = Awaited<ReturnType<OdooGateway['fields']>>;

export interface ExceptionCheckDeps {
  odoo: OdooGateway;
  directory: Directory;
  policy: Policy;
  /** When the check runs: `olderThan` (overdue-invoice) is computed from it. */
  now: Date;
}

export interface ExceptionCheck {
  /** One sentence per problem, each naming what to fix; empty when the definition can run. */
  gaps: string[];
  /** What was found, for the check's line when there is no gap. */
  summary: string;
}

const THREE_WAY_MATCH =
  'install 3-way matching (Enterprise module account_3way_match: Purchase → Settings → Bill Control → 3-way matching)';

/** The app that brings a model, for "install ..." advice. */
const MODEL_MODULES: Record<string, string> = {
  'account.move': 'Invoicing (account)',
  'payment.transaction': 'Payment Providers (payment), which Invoicing and eCommerce install',
  'purchase.order': 'Purchase (purchase)',
  'sale.order': 'Sales (sale_management)',
  'hr.expense': 'Expenses (hr_expense)',
  'hr.expense.sheet': 'Expenses (hr_expense)',
  'approval.request': 'Approvals (Enterprise: approvals)',
};

/** Fields that optional modules add to a model, with the module to install. */
const FIELD_MODULES: Record<string, Record<string, string>> = {
  'account.move': {
    release_to_pay: THREE_WAY_MATCH,
    release_to_pay_manual: THREE_WAY_MATCH,
    force_release_to_pay: THREE_WAY_MATCH,
  },
  'sale.order': { margin: 'install Margins (sale_margin)', margin_percent: 'install Margins (sale_margin)' },
};

const RELATIONAL = new Set(['many2one', 'one2many', 'many2many']);

function message(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0]! : String(err);
}

/** Where the definition's model and domain come from in the YAML, for "fix ..." advice. */
function whereDomain(def: ExceptionPolicy, index: number): string {
  return def.type !== 'odoo' && def.odoo ? `exceptions[${index}].type (${def.type})` : `exceptions[${index}].when`;
}

/** `where` says where the name appears, `fix` the YAML path to change. */
function missingField(model: string, field: string, where: string, fix: string): string {
  const module = FIELD_MODULES[model]?.[field];
  return `${model} has no field ${field} (${where}); ${module ?? `fix ${fix} (Odoo lists a model's fields under Settings → Technical → Fields, in developer mode)`}`;
}

/** Follows a dotted domain path: every hop a relational field, the last one existing. */
async function pathGap(odoo: OdooGateway, model: string, fields: Fields, path: string[], where: string) {
  let current = model;
  let known = fields;
  for (const [i, name] of path.entries()) {
    const field = known[name];
    const shown = path.join('.');
    if (!field) return missingField(current, name, `"${shown}" in ${where}`, where);
    if (i === path.length - 1) return null;
    if (!RELATIONAL.has(field.type) || !field.relation)
      return `"${shown}" in ${where} cannot be followed: ${current}.${name} is a ${field.type} field, not a relation; compare ${name} itself or go through a many2one field`;
    try {
      known = await odoo.fields(field.relation);
    } catch (err) {
      return `"${shown}" in ${where} goes through ${field.relation}, which the bot's Odoo user cannot read (${message(err)})`;
    }
    current = field.relation;
  }
  return null;
}

/** Owner or escalation fields must be res.users fields of the record. */
function sourceFieldGaps(policy: Policy, model: string, fields: Fields, key: string, source: ApproverSource) {
  const gaps: string[] = [];
  for (const name of expandRoles(policy, source).flatMap((s) => s.field ?? [])) {
    const field = fields[name];
    if (!field) gaps.push(missingField(model, name, `${key}.field`, `${key}.field`));
    else if (field.relation !== 'res.users')
      gaps.push(
        `${key}.field ${name} is a ${field.relation ?? field.type} field, not a user (res.users); name a field such as user_id or invoice_user_id`,
      );
  }
  return gaps;
}

/** Owner and escalation: who they name today, and that someone other than the bot can act. */
async function peopleCheck(
  deps: ExceptionCheckDeps,
  selfId: number,
  source: ApproverSource,
  key: string,
  owner: boolean,
): Promise<{ gaps: string[]; note: string }> {
  const gaps: string[] = [];
  const sources = expandRoles(deps.policy, source);
  if (sources.some((s) => s.manager || s.departmentManager))
    gaps.push(
      `${key} names the requester's manager, but an exception has no requester, so that names nobody; use odooGroup, users, field or role in ${key}`,
    );
  let note: string;
  try {
    note = await describeApproversOnOdoo(deps.directory, deps.policy, source, [], 'act on these exceptions');
  } catch (err) {
    return { gaps: [...gaps, `${key}: ${message(err)}`], note: '' };
  }
  const dynamic = sources.some((s) => s.field?.length);
  if (owner && !dynamic) {
    const people = await resolveSource(deps, source, { requesterId: null, values: {}, selfId });
    if (people.length === 0)
      gaps.push(
        `${key} names nobody who could act (the bot's own Odoo user does not count); add people to the group in Odoo, or name other users in ${key}`,
      );
  }
  return { gaps, note };
}

/** What the definition needs from Odoo that is missing, and what it finds there now. */
export async function checkExceptionOnOdoo(
  deps: ExceptionCheckDeps,
  def: ExceptionPolicy,
  index: number,
): Promise<ExceptionCheck> {
  const { odoo } = deps;
  const at = `exceptions[${index}]`;
  const selfId = await odoo.authenticate();
  const gaps: string[] = [];
  const notes: string[] = [];
  const owner = await peopleCheck(deps, selfId, def.owner, `${at}.owner`, true);
  gaps.push(...owner.gaps);
  const escalate = def.escalateTo
    ? await peopleCheck(deps, selfId, def.escalateTo, `${at}.escalate.to`, false)
    : { gaps: [], note: '' };
  gaps.push(...escalate.gaps);

  if (def.odoo) {
    const { model } = def.odoo;
    const where = whereDomain(def, index);
    let fields: Fields | null = null;
    try {
      fields = await odoo.fields(model);
    } catch (err) {
      const module = MODEL_MODULES[model];
      gaps.push(
        `model ${model} does not exist on this Odoo or the bot's user may not use it (${message(err)}); ${module ? `install ${module}` : `install the app that brings it or fix exceptions[${index}].model`}`,
      );
    }
    if (fields) {
      const domain = exceptionDomain(def, deps.policy, deps.now);
      const domainGaps: string[] = [];
      for (const path of domainPaths(domain)) {
        const gap = await pathGap(odoo, model, fields, path, where);
        if (gap) domainGaps.push(gap);
      }
      gaps.push(...domainGaps);
      for (const name of Object.keys(def.resolveWrite ?? {}))
        if (!(name in fields)) gaps.push(missingField(model, name, `${at}.resolve.write`, `${at}.resolve.write`));
      gaps.push(...sourceFieldGaps(deps.policy, model, fields, `${at}.owner`, def.owner));
      if (def.escalateTo)
        gaps.push(...sourceFieldGaps(deps.policy, model, fields, `${at}.escalate.to`, def.escalateTo));
      // A domain naming a missing field would be refused anyway: then only ask whether the model is readable.
      const askDomain = domainGaps.length === 0;
      try {
        const found = await odoo.search(model, askDomain ? domain : [], { limit: askDomain ? 1000 : 1 });
        if (askDomain)
          notes.push(`${model}: ${found.length >= 1000 ? '1000 or more' : found.length} record(s) match now`);
      } catch (err) {
        if (isAppError(err) && err.kind === 'forbidden')
          gaps.push(
            `the bot's Odoo user may not read ${model} (${message(err)}); give it a group that may, in Odoo under Settings → Users`,
          );
        else if ((isAppError(err) && err.kind === 'transient') || !askDomain) throw err;
        else gaps.push(`Odoo refused the domain of ${where} on ${model} (${message(err)}); fix ${where}`);
      }
      if (def.resolveWrite) notes.push(`resolve writes ${Object.keys(def.resolveWrite).join(', ')}`);
    }
  } else {
    notes.push(`events of type ${def.external?.type ?? def.type} posted to /events (no Odoo model to check)`);
  }
  notes.push(`owner: ${owner.note}`);
  if (def.escalateTo) notes.push(`escalates to: ${escalate.note}`);
  return { gaps, summary: notes.join('; ') };
}
