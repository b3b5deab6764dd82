import { type AppError, isTransient } from '../errors.js';
import { chatFor } from './chats.js';
import type { FlowDeps } from './deps.js';
import { escapeHtml, modelLabel, platformLabel } from './format.js';
import { type ApplyDecisionJob, type CardsJob, JOBS, jobId, QUEUES } from './jobs.js';
import { type CounterLabels, metricsOf } from './metrics-port.js';
import type { ApprovalFlow } from './policy.js';
import { scheduleTimers } from './timers.js';
import type { Case, Decision } from './types.js';

/** Helpers every step of a decision shares: answering the person, refusing, redrawing cards. */
export function actorKey(d: Decision): string {
  return `${d.actor.platform}:${d.actor.userId}`;
}

/** Counts a decision's final outcome once; an applied one also gives the time from the click. */
export function countDecision(
  deps: FlowDeps,
  d: Decision,
  outcome: CounterLabels['decisions']['outcome'],
  flowId: string | null,
): void {
  const labels = { action: d.action, flow: flowId ?? 'unknown', platform: d.actor.platform };
  metricsOf(deps).count('decisions', { outcome, ...labels });
  if (outcome === 'applied')
    metricsOf(deps).observe(
      'decision_apply_seconds',
      Math.max(0, (deps.clock.now().getTime() - d.createdAt.getTime()) / 1000),
      labels,
    );
}

export async function refresh(deps: FlowDeps, caseId: string, tag: string, notice?: string): Promise<void> {
  await deps.queue.enqueue<CardsJob>(
    QUEUES.notify,
    JOBS.refreshCards,
    { caseId, notice: notice ?? null },
    { jobId: jobId('refresh', caseId, tag, deps.clock.now().getTime()) },
  );
}

export async function tell(deps: FlowDeps, d: Decision, job: ApplyDecisionJob, text: string): Promise<void> {
  try {
    await chatFor(deps, d.actor.platform).tellUser(d.actor, text, job.context);
  } catch (err) {
    // The outcome is already stored and on the card; a lost private note is not worth a retry.
    deps.log.warn({ caseId: d.caseId, actor: actorKey(d), err }, 'could not tell the person privately');
  }
}

export async function refuse(
  deps: FlowDeps,
  d: Decision,
  job: ApplyDecisionJob,
  code: string,
  text: string,
  /** The case's flow, for the decision counter; absent when the case is gone. */
  flowId: string | null = null,
): Promise<void> {
  const first = await deps.store.finishDecision(d.id, 'refused', text, {
    type: 'decision.refused',
    caseId: d.caseId,
    actor: actorKey(d),
    data: { decisionId: d.id, action: d.action, code, odooUserId: d.odooUserId },
  });
  if (first) countDecision(deps, d, 'refused', flowId);
  if (first) await tell(deps, d, job, text);
}

export function alreadyDecided(c: Case, winner: Decision | null): string {
  if (!winner) return 'This case is no longer open; nothing was changed.';
  const who = winner.odooUserName ?? winner.actor.displayName ?? 'someone';
  const what = winner.action === 'approve' ? 'approved' : 'rejected';
  const state = c.status === 'deciding' ? `is being ${what}` : `was already ${what}`;
  return `${c.snapshot.reference} ${state} by ${who}; your click changed nothing.`;
}

/** The chatter note naming the human (and on whose behalf), the platform, the step and the reason. */
export function chatterNote(
  flow: ApprovalFlow,
  c: Case,
  d: Decision,
  extra: { onBehalfOf?: { name: string } | null; step?: string | null } = {},
): string {
  const verb = d.action === 'approve' ? 'Approved' : 'Rejected';
  const who = escapeHtml(d.odooUserName ?? d.actor.displayName ?? d.actor.userId);
  const behalf = extra.onBehalfOf ? ` on behalf of <b>${escapeHtml(extra.onBehalfOf.name)}</b>` : '';
  const step = extra.step ? ` ${escapeHtml(extra.step)}` : '';
  const reason = d.reason ? `<br/>Reason: ${escapeHtml(d.reason)}` : '';
  return `<p>${verb}${step} by <b>${who}</b>${behalf} in ${platformLabel(d.actor)} (odoo-chatops, flow ${escapeHtml(flow.id)}, ${escapeHtml(modelLabel(c.odooModel))} ${escapeHtml(c.snapshot.reference)}).${reason}</p>`;
}

export async function markApplying(deps: FlowDeps, c: Case, d: Decision): Promise<Decision> {
  const claimed = await deps.store.updateDecision(d.id, { status: 'applying' });
  await deps.audit.append({
    type: 'decision.accepted',
    caseId: c.id,
    actor: actorKey(d),
    data: { decisionId: d.id, action: d.action, odooUserId: d.odooUserId, odooUserName: d.odooUserName },
  });
  await refresh(deps, c.id, 'claimed');
  return claimed;
}

export async function refuseAsSuperseded(
  deps: FlowDeps,
  c: Case,
  d: Decision,
  job: ApplyDecisionJob,
  winner: Decision | null,
) {
  const text = alreadyDecided(c, winner);
  const first = await deps.store.finishDecision(d.id, 'superseded', text, {
    type: 'decision.refused',
    caseId: d.caseId,
    actor: actorKey(d),
    data: { decisionId: d.id, action: d.action, code: 'case.already_decided', winner: winner?.id ?? null },
  });
  if (first) countDecision(deps, d, 'superseded', c.flowId);
  if (first) await tell(deps, d, job, text);
}

/** Odoo refused the write for good: tell the card and the person, and reopen the case. */
export async function failInOdoo(
  deps: FlowDeps,
  c: Case,
  d: Decision,
  job: ApplyDecisionJob,
  err: AppError | null,
  text: string,
) {
  const first = await deps.store.finishDecision(d.id, 'failed', text, {
    type: 'decision.failed',
    caseId: c.id,
    actor: actorKey(d),
    data: { decisionId: d.id, action: d.action, code: err?.code ?? 'odoo.no_effect', message: text },
  });
  if (!first) return;
  countDecision(deps, d, 'failed', c.flowId);
  await releaseCase(deps, c.id, d.id);
  await refresh(deps, c.id, 'failed', text);
  await tell(deps, d, job, text);
}

/**
 * Odoo did not take a decision: give the case back as it was before the
 * click. The approval it counted is taken back (so the same person can click
 * again, e.g. after `/odoo link`), the claim is dropped, the case is open and
 * its timers run again. Safe to repeat: only a case still held by `decisionId`
 * changes.
 */
export async function releaseCase(deps: FlowDeps, caseId: string, decisionId: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const c = await deps.store.getCase(caseId);
    if (!c || c.decisionId !== decisionId) return;
    const saved = await deps.store.saveCase({
      ...c,
      status: 'open',
      decisionId: null,
      tiers: c.tiers.map((t) => ({ ...t, approvals: t.approvals.filter((a) => a.decisionId !== decisionId) })),
    });
    if (saved) {
      await scheduleTimers(deps, saved);
      return;
    }
  }
  // Five conflicts in a row: at least reopen it; the reconciler and the next click sort out the rest.
  await deps.store.setCaseStatus(caseId, 'open');
}

export const OUTAGE_NOTE = 'Odoo is not answering; the decision is kept and will be applied when Odoo is back.';

/** Puts "waiting for Odoo" on the card, best effort: the retry matters more than the note. */
export async function showWaitingForOdoo(deps: FlowDeps, c: Case, d: Decision): Promise<void> {
  try {
    await deps.store.updateDecision(d.id, { outcome: OUTAGE_NOTE });
    const who = d.odooUserName ?? d.actor.displayName ?? 'an approver';
    const what = d.action === 'approve' ? 'approval' : 'rejection';
    await refresh(
      deps,
      c.id,
      'retrying',
      d.status === 'applying' ? undefined : `The ${what} by ${who} is waiting: ${OUTAGE_NOTE}`,
    );
  } catch (err) {
    deps.log.warn({ caseId: c.id, err }, 'could not show the outage on the card');
  }
}

/** Posts under the channel card so the channel reads as a story; best effort unless Slack is down. */
export async function threadReply(deps: FlowDeps, caseId: string, text: string): Promise<void> {
  for (const ref of await deps.store.listPostedMessages(caseId)) {
    if (ref.kind !== 'channel') continue;
    try {
      await chatFor(deps, ref.platform).postReply(ref, text);
    } catch (err) {
      if (isTransient(err)) throw err;
      deps.log.warn({ caseId, err }, 'could not reply under the card');
    }
  }
}
