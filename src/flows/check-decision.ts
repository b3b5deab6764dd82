import { AppError } from '../errors.js';
import {
  actorKey,
  chatterNote,
  countDecision,
  markApplying,
  refresh,
  refuse,
  refuseAsSuperseded,
  tell,
  threadReply,
} from './decision-support.js';
import type { FlowDeps } from './deps.js';
import { platformLabel } from './format.js';
import { type ApplyDecisionJob, type CardsJob, JOBS, jobId, QUEUES } from './jobs.js';
import { metricsOf } from './metrics-port.js';
import type { ApprovalFlow } from './policy.js';
import { recordMatches } from './record-matches.js';
import { notLinkedMessage, resolveActor } from './resolve-actor.js';
import { withDelegates } from './resolve-approvers.js';
import { addApproval, currentTier, eligibility, missingText } from './tiers.js';
import { cancelTimers, deadlines, scheduleTimers, timerSettings } from './timers.js';
import type { Case, CaseApproval, Decision } from './types.js';

const ACTIVE = new Set(['open', 'info_requested']);

const NOT_ELIGIBLE: Record<string, (c: Case, tierName: string) => string> = {
  'policy.not_approver': (c, tier) =>
    `You are not an approver of ${c.snapshot.reference} at the "${tier}" step (nor a delegate of one): approvers are ${
      c.tiers[c.currentTier]?.approvers
        .map((a) => a.via)
        .filter((v, i, all) => v && all.indexOf(v) === i)
        .join(', ') || 'set by the policy'
    }. Nothing was changed.`,
  'policy.already_approved': (c, tier) =>
    `You already approved ${c.snapshot.reference} at the "${tier}" step; it is waiting for other approvers. Nothing was changed.`,
  'policy.distinct_approvers': (c) =>
    `You approved an earlier step of ${c.snapshot.reference}, and this flow needs a different person at each step. Nothing was changed.`,
};

/**
 * Checks the person may decide now and the card is current. An approval that
 * does not finish the last tier is counted here; a rejection, or the approval
 * that completes the last tier, claims the case for the Odoo write-back and
 * is returned.
 */
export async function checkDecision(
  deps: FlowDeps,
  flow: ApprovalFlow,
  c: Case,
  d: Decision,
  job: ApplyDecisionJob,
): Promise<Decision | null> {
  if (c.status === 'deciding' && c.decisionId === d.id) return markApplying(deps, c, d);
  if (!ACTIVE.has(c.status)) {
    await refuseAsSuperseded(deps, c, d, job, c.decisionId ? await deps.store.getDecision(c.decisionId) : null);
    return null;
  }
  const who = await resolveActor(deps, d.actor);
  if (!who.ok) {
    await refuse(deps, d, job, 'identity.not_linked', notLinkedMessage(who, platformLabel(d.actor)), c.flowId);
    return null;
  }
  if (d.odooUserId !== who.user.id)
    d = await deps.store.updateDecision(d.id, { odooUserId: who.user.id, odooUserName: who.user.name });
  const tier = currentTier(c);
  const tierName = tier?.name ?? 'approval';
  if (d.tier !== null && d.tier !== c.currentTier) {
    await refresh(deps, c.id, 'tier-moved');
    await refuse(
      deps,
      d,
      job,
      'case.tier_moved',
      `${c.snapshot.reference} has moved on to the "${tierName}" step since this card was drawn; the card now shows who decides. Nothing was changed.`,
      c.flowId,
    );
    return null;
  }
  const allowed = eligibility(c, who.user.id, flow.distinctApprovers);
  if (!allowed.ok && !(d.action === 'reject' && allowed.code === 'policy.already_approved')) {
    await refuse(deps, d, job, allowed.code, NOT_ELIGIBLE[allowed.code]!(c, tierName), c.flowId);
    return null;
  }
  if (c.requesterIds.includes(who.user.id)) {
    await refuse(
      deps,
      d,
      job,
      'policy.segregation_of_duties',
      `You requested ${c.snapshot.reference}, so you cannot ${d.action} it yourself (segregation of duties), not even as a delegate. Another approver has to decide. Nothing was changed.`,
      c.flowId,
    );
    return null;
  }
  const onBehalfOf = allowed.ok ? (allowed.as.onBehalfOf ?? null) : null;
  if (onBehalfOf && !(await delegationRuns(deps, onBehalfOf, who.user.id))) {
    await refuse(
      deps,
      d,
      job,
      'policy.delegation_ended',
      `Your delegation from ${onBehalfOf.name} has ended (or was withdrawn), so you can no longer decide ${c.snapshot.reference} for them. Nothing was changed; ${onBehalfOf.name} or another approver has to decide.`,
      c.flowId,
    );
    return null;
  }
  if (!(await cardIsCurrent(deps, flow, c, d, job))) return null;

  if (d.action === 'reject') return claim(deps, c, d, job);

  const approval: CaseApproval = {
    odooUserId: who.user.id,
    name: who.user.name,
    decisionId: d.id,
    at: deps.clock.now().toISOString(),
    platform: d.actor.platform,
    onBehalfOf,
  };
  const next = c.tiers[c.currentTier + 1];
  const nextApprovers = next
    ? await withDelegates(
        deps,
        next.approvers.filter((a) => !a.onBehalfOf),
      )
    : [];
  const outcome = addApproval(c, approval, () => nextApprovers);
  if (outcome.kind === 'final') return claim(deps, outcome.case, d, job);

  let updated = outcome.case;
  if (outcome.kind === 'next_tier') {
    const t = updated.tiers[updated.currentTier]!;
    const next = deadlines(deps.policy, timerSettings(flow, t.name), deps.clock.now(), c.createdAt);
    // A question still waiting for its answer keeps the new tier's timers paused.
    updated = { ...updated, timers: { ...next, pausedAt: c.timers.pausedAt } };
  }
  const saved = await deps.store.saveCase(updated);
  if (!saved)
    throw new AppError('case.conflict', 'transient', `case ${c.id} changed while counting an approval; trying again`);
  await finishCounted(deps, flow, saved, d, job);
  if (outcome.kind === 'next_tier') {
    await cancelTimers(deps, c);
    await scheduleTimers(deps, saved);
    await deps.queue.enqueue<CardsJob>(
      QUEUES.notify,
      JOBS.postCards,
      { caseId: c.id },
      { jobId: jobId('post', c.id, 'tier', saved.currentTier) },
    );
  }
  return null;
}

/** Is the delegation (or chain) from the approver to this person still running now? */
async function delegationRuns(
  deps: FlowDeps,
  from: { odooUserId: number; name: string },
  delegateId: number,
): Promise<boolean> {
  const refs = await withDelegates(deps, [{ odooUserId: from.odooUserId, name: from.name, email: null }]);
  return refs.some((r) => r.odooUserId === delegateId && r.onBehalfOf?.odooUserId === from.odooUserId);
}

/** Refuses when the record changed since the card was drawn, redrawing it; true when current. */
async function cardIsCurrent(
  deps: FlowDeps,
  flow: ApprovalFlow,
  c: Case,
  d: Decision,
  job: ApplyDecisionJob,
): Promise<boolean> {
  const doc = await deps.documents.load(c.odooModel, c.odooId, flow.requesterFields);
  if (!doc) {
    await deps.store.setCaseStatus(c.id, 'cancelled');
    metricsOf(deps).count('cases_closed', { flow: c.flowId, outcome: 'cancelled' });
    await deps.audit.append({ type: 'case.closed', caseId: c.id, data: { reason: 'record_missing' } });
    await refresh(deps, c.id, 'missing');
    await refuse(
      deps,
      d,
      job,
      'odoo.record_missing',
      `${c.snapshot.reference} no longer exists in Odoo (or the bot can no longer see it). Nothing was changed.`,
      c.flowId,
    );
    return false;
  }
  const changed =
    doc.snapshot.writeDate !== (d.cardWriteDate ?? c.snapshot.writeDate) || doc.snapshot.state !== c.snapshot.state;
  if (!changed) return true;
  await deps.store.updateCaseSnapshot(c.id, doc.snapshot);
  const still = await (await recordMatches(deps, c.odooModel, c.odooId, [flow.when])).matches(flow.when);
  if (!still) {
    await deps.store.setCaseStatus(c.id, 'cancelled');
    metricsOf(deps).count('cases_closed', { flow: c.flowId, outcome: 'cancelled' });
    await deps.audit.append({
      type: 'case.closed',
      caseId: c.id,
      data: { reason: 'no_longer_matches', state: doc.snapshot.state },
    });
  }
  await refresh(
    deps,
    c.id,
    'stale',
    still ? 'The document changed in Odoo; this card shows the current version.' : undefined,
  );
  const what = d.action === 'approve' ? 'approval' : 'rejection';
  await refuse(
    deps,
    d,
    job,
    'case.stale_card',
    still
      ? `${c.snapshot.reference} changed in Odoo after this card was drawn, so your ${what} was not applied. The card now shows the current version: review it and decide again.`
      : `${c.snapshot.reference} left the approval step in Odoo (now "${doc.snapshot.state ?? 'changed'}"), so nothing was applied.`,
    c.flowId,
  );
  return false;
}

/** Takes the case for the Odoo write-back; someone else may have been faster. */
async function claim(deps: FlowDeps, c: Case, d: Decision, job: ApplyDecisionJob): Promise<Decision | null> {
  const saved = await deps.store.saveCase({ ...c, status: 'deciding', decisionId: d.id });
  if (saved) {
    await cancelTimers(deps, c);
    return markApplying(deps, saved, d);
  }
  const latest = await deps.store.getCase(c.id);
  if (latest?.decisionId === d.id) return null; // a concurrent run of this same decision has it
  if (latest && ACTIVE.has(latest.status))
    throw new AppError('case.conflict', 'transient', `case ${c.id} changed while deciding; trying again`);
  await refuseAsSuperseded(
    deps,
    latest ?? c,
    d,
    job,
    latest?.decisionId ? await deps.store.getDecision(latest.decisionId) : null,
  );
  return null;
}

/**
 * An approval was counted but the case is not finished: note it in chatter,
 * close the decision, and redraw the cards. Safe to run again after a crash.
 */
export async function finishCounted(
  deps: FlowDeps,
  flow: ApprovalFlow,
  c: Case,
  d: Decision,
  job: ApplyDecisionJob,
): Promise<void> {
  const tierIndex = c.tiers.findIndex((t) => t.approvals.some((a) => a.decisionId === d.id));
  const tier = c.tiers[tierIndex];
  const approval = tier?.approvals.find((a) => a.decisionId === d.id);
  if (!tier || !approval) return;
  const step = c.tiers.length > 1 ? `(step "${tier.name}")` : null;
  if (!d.chatterPostedAt) {
    await deps.odoo.postNote(c.odooModel, c.odooId, chatterNote(flow, c, d, { onBehalfOf: approval.onBehalfOf, step }));
    d = await deps.store.updateDecision(d.id, { chatterPostedAt: deps.clock.now() });
  }
  const moved = c.currentTier !== tierIndex;
  const now = currentTier(c);
  const text = moved
    ? `Thanks: your approval completed the "${tier.name}" step of ${c.snapshot.reference}. It now waits for the "${now?.name}" step.`
    : `Thanks: your approval of ${c.snapshot.reference} is counted. It still needs ${missingText(tier)}.`;
  const first = await deps.store.finishDecision(d.id, 'applied', text, {
    type: 'approval.counted',
    caseId: c.id,
    actor: actorKey(d),
    data: {
      decisionId: d.id,
      tier: tier.name,
      odooUserId: approval.odooUserId,
      odooUserName: approval.name,
      onBehalfOf: approval.onBehalfOf,
      approvals: tier.approvals.length,
      minApprovals: tier.minApprovals,
      tierCompleted: moved,
    },
  });
  if (!first) return;
  countDecision(deps, d, 'applied', c.flowId);
  if (moved)
    await deps.audit.append({
      type: 'tier.started',
      caseId: c.id,
      data: { tier: now?.name, approvers: c.approvers.map((a) => a.odooUserId) },
    });
  await refresh(deps, c.id, `counted-${d.id}`);
  const by = `${approval.name}${approval.onBehalfOf ? ` for ${approval.onBehalfOf.name}` : ''}`;
  await threadReply(
    deps,
    c.id,
    moved
      ? `${by} approved the "${tier.name}" step; now waiting for "${now?.name}": ${c.approvers.map((a) => a.name).join(', ')}.`
      : `${by} approved; the "${tier.name}" step still needs ${missingText(tier)}.`,
  ).catch((err: unknown) => deps.log.warn({ caseId: c.id, err }, 'could not reply under the card'));
  await tell(deps, d, job, text);
}
