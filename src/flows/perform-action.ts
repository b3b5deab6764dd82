import { AppError } from '../errors.js';
import type { FlowDeps } from './deps.js';
import { escapeHtml, modelLabel } from './format.js';
import type { ApprovalFlow, FlowMethod } from './policy.js';
import type { OdooGateway } from './ports.js';
import type { Case, Decision, FieldValue } from './types.js';

/** The part of a decision an action needs; null for the policy's own expiry rejection. */
export type ActingDecision = Pick<Decision, 'reason' | 'odooUserId' | 'odooUserName' | 'actor'> | null;

export interface ActionResult {
  kind: 'method' | 'wizard' | 'note';
  /** What Odoo returned (`null` for None). */
  result: unknown;
  /** The to-do scheduled by a `note` action, if any. */
  activity: { id: number; userId: number } | null;
}

export const performActionErrorCodes = {
  noUserKey: 'identity.no_user_key',
} as const;

/** The reason written into wizards and kwargs when the policy's expiry timer rejects. */
export const EXPIRY_REASON = 'No decision within the time the approval policy allows (odoo-chatops).';

/** The Odoo result of a wizard button that closed the dialog: the wizard did its work. */
const CLOSE = 'ir.actions.act_window_close';

/** `{{reason}}` in any string of kwargs or wizard values becomes the person's reason. */
export function substituteReason<T>(value: T, reason: string): T {
  if (typeof value === 'string') return value.replaceAll('{{reason}}', reason) as T;
  if (Array.isArray(value)) return value.map((v) => substituteReason(v, reason)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteReason(v, reason)])) as T;
  return value;
}

/** `YYYY-MM-DD` in the calendar's time zone, `days` after `now`. */
export function deadlineDate(now: Date, timeZone: string, days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(now)
    .slice(0, 10);
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function userIdOf(v: FieldValue | undefined): number | null {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && !Array.isArray(v)) return v.id;
  return null;
}

/** The gateway to act with: the bot's, or the deciding person's own when Odoo records the caller. */
async function gatewayFor(
  deps: FlowDeps,
  c: Case,
  action: FlowMethod,
  d: ActingDecision,
  which: 'approve' | 'reject',
): Promise<OdooGateway> {
  if (!action.asApprover) return deps.odoo;
  const verb = which === 'approve' ? 'approve' : 'reject';
  const label = modelLabel(c.odooModel);
  if (!d || d.odooUserId === null)
    throw new AppError(
      performActionErrorCodes.noUserKey,
      'forbidden',
      `${c.snapshot.reference} can only be ${verb}d by a person with their own Odoo key, because Odoo records ${label} decisions under the caller's name; nothing was changed. Decide it in Odoo.`,
    );
  const gateway = deps.userOdoo ? await deps.userOdoo.gatewayFor(d.odooUserId) : null;
  if (!gateway)
    throw new AppError(
      performActionErrorCodes.noUserKey,
      'forbidden',
      `To ${verb} ${c.snapshot.reference} the bot must act as you in Odoo, because Odoo records ${label} decisions under the caller's name, and you have not linked your Odoo account yet. Run /odoo link, paste an API key from Odoo (your avatar → My Profile → Account Security → New API Key), then click ${which === 'approve' ? 'Approve' : 'Reject'} again. Nothing was changed.`,
      { details: { odooUserId: d.odooUserId } },
    );
  return gateway;
}

/** Who gets the to-do of a `note` action: the user in the named field, else the requester. */
async function activityUser(deps: FlowDeps, flow: ApprovalFlow, c: Case, to: string): Promise<number | null> {
  if (to !== 'requester') {
    const doc = await deps.documents.load(c.odooModel, c.odooId, flow.requesterFields, [to]);
    const id = userIdOf(doc?.values[to]);
    if (id !== null) return id;
  }
  return c.requesterIds[0] ?? null;
}

async function scheduleFollowUp(
  deps: FlowDeps,
  flow: ApprovalFlow,
  c: Case,
  action: FlowMethod,
  d: ActingDecision,
  which: 'approve' | 'reject',
): Promise<ActionResult['activity']> {
  const activity = action.activity;
  if (!activity) return null;
  const userId = await activityUser(deps, flow, c, activity.to);
  if (userId === null) {
    deps.log.warn(
      { caseId: c.id, odooModel: c.odooModel, odooId: c.odooId },
      `no user to give the follow-up activity to (field "${activity.to}" and the requester are empty); only the chatter note is posted`,
    );
    return null;
  }
  const who = d ? (d.odooUserName ?? d.actor.displayName ?? d.actor.userId) : 'the approval policy';
  const verb = which === 'approve' ? 'Approved' : 'Rejected';
  const reason = d?.reason ? ` Reason: ${escapeHtml(d.reason)}` : '';
  const id = await deps.odoo.scheduleActivity(c.odooModel, c.odooId, {
    userId,
    summary: activity.summary,
    note: `<p>${verb} by ${escapeHtml(who)} via odoo-chatops (flow ${escapeHtml(flow.id)}).${reason}</p>`,
    deadline: deadlineDate(deps.clock.now(), deps.policy.calendar.timeZone, activity.days),
  });
  return { id, userId };
}

/**
 * Does in Odoo what the flow says a decision does: call a method, run a
 * wizard, or (for documents without a rejection state) nothing but an
 * optional to-do. The chatter note is the caller's job. Errors are the
 * gateway's AppErrors, or `identity.no_user_key` (forbidden) when the
 * action must run as the person and they have no linked key.
 */
export async function performAction(
  deps: FlowDeps,
  flow: ApprovalFlow,
  c: Case,
  d: ActingDecision,
  which: 'approve' | 'reject',
): Promise<ActionResult> {
  const action = which === 'approve' ? flow.approve : flow.reject;
  const reason = d ? (d.reason ?? '') : EXPIRY_REASON;
  if (action.note) {
    return { kind: 'note', result: null, activity: await scheduleFollowUp(deps, flow, c, action, d, which) };
  }
  const odoo = await gatewayFor(deps, c, action, d, which);
  if (action.wizard) {
    const w = action.wizard;
    const wizardId = await odoo.create(w.model, {
      ...substituteReason(w.values, reason),
      [w.link]: [[6, 0, [c.odooId]]],
    });
    const result = await odoo.callMethod(w.model, w.method, [wizardId]);
    const closed = result && typeof result === 'object' && (result as { type?: unknown }).type === CLOSE;
    if (!closed && result !== null && result !== false && result !== true)
      deps.log.warn(
        { caseId: c.id, odooModel: c.odooModel, odooId: c.odooId },
        `${w.model}.${w.method} answered with something other than closing the wizard; checking the document`,
      );
    return { kind: 'wizard', result, activity: null };
  }
  if (!action.method)
    throw new AppError(
      'flow.no_action',
      'internal',
      `Flow ${flow.id} has no method, wizard or note for ${which}; fix the policy file.`,
    );
  const kwargs = action.kwargs ? substituteReason(action.kwargs, reason) : undefined;
  const result = await odoo.callMethod(c.odooModel, action.method, [c.odooId], kwargs);
  return { kind: 'method', result, activity: null };
}

/** A short name of what the action does, for audit entries and messages. */
export function actionName(action: FlowMethod): string {
  if (action.wizard) return `${action.wizard.model}.${action.wizard.method}`;
  if (action.note) return action.activity ? 'note + activity' : 'note';
  return action.method ?? 'unknown';
}
