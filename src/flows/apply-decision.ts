import { type AppError, isAppError, isTransient } from '../errors.js';
import type { FlowDeps } from './deps.js';
import { findFlow } from './find-flow.js';
import { escapeHtml, modelLabel, platformLabel } from './format.js';
import { type ApplyDecisionJob, type CardsJob, JOBS, jobId, QUEUES } from './jobs.js';
import type { ApprovalFlow } from './policy.js';
import { notLinkedMessage, resolveActor } from './resolve-actor.js';
import type { Case, Decision } from './types.js';

/** After a job's own retries are spent, how long before the next round while Odoo is down. */
export const OUTAGE_RETRY_DELAY_MS = 5 * 60 * 1000;

const FINAL = new Set(['applied', 'refused', 'superseded', 'failed']);

interface Attempt {
  attempt: number;
  maxAttempts: number;
}

function actorKey(d: Decision): string {
  return `${d.actor.platform}:${d.actor.userId}`;
}

async function refresh(deps: FlowDeps, caseId: string, tag: string, notice?: string): Promise<void> {
  await deps.queue.enqueue<CardsJob>(
    QUEUES.notify,
    JOBS.refreshCards,
    { caseId, notice: notice ?? null },
    { jobId: jobId('refresh', caseId, tag, deps.clock.now().getTime()) },
  );
}

async function tell(deps: FlowDeps, d: Decision, job: ApplyDecisionJob, text: string): Promise<void> {
  try {
    await deps.chat.tellUser(d.actor, text, job.context);
  } catch (err) {
    // The outcome is already stored and on the card; a lost private note is not worth a retry.
    deps.log.warn({ caseId: d.caseId, actor: actorKey(d), err }, 'could not tell the person privately');
  }
}

async function refuse(deps: FlowDeps, d: Decision, job: ApplyDecisionJob, code: string, text: string): Promise<void> {
  const first = await deps.store.finishDecision(d.id, 'refused', text, {
    type: 'decision.refused',
    caseId: d.caseId,
    actor: actorKey(d),
    data: { decisionId: d.id, action: d.action, code, odooUserId: d.odooUserId },
  });
  if (first) await tell(deps, d, job, text);
}

function alreadyDecided(c: Case, winner: Decision | null): string {
  if (!winner) return 'This case is no longer open; nothing was changed.';
  const who = winner.odooUserName ?? winner.actor.displayName ?? 'someone';
  const what = winner.action === 'approve' ? 'approved' : 'rejected';
  const state = c.status === 'deciding' ? `is being ${what}` : `was already ${what}`;
  return `${c.snapshot.reference} ${state} by ${who}; your click changed nothing.`;
}

/** Did the Odoo call take effect? Checked on the record, because some methods return normally and do nothing. */
async function outcomeReached(
  deps: FlowDeps,
  flow: ApprovalFlow,
  c: Case,
  action: Decision['action'],
): Promise<boolean> {
  const method = action === 'approve' ? flow.approve : flow.reject;
  if (method.expect) {
    const ids = await deps.documents.matchingIds(c.odooModel, method.expect, [c.odooId]);
    return ids.length === 1;
  }
  const ids = await deps.documents.matchingIds(c.odooModel, flow.when, [c.odooId]);
  return ids.length === 0;
}

function chatterNote(flow: ApprovalFlow, c: Case, d: Decision): string {
  const verb = d.action === 'approve' ? 'Approved' : 'Rejected';
  const who = escapeHtml(d.odooUserName ?? d.actor.displayName ?? d.actor.userId);
  const reason = d.reason ? `<br/>Reason: ${escapeHtml(d.reason)}` : '';
  return `<p>${verb} by <b>${who}</b> in ${platformLabel(d.actor)} (odoo-chatops, flow ${escapeHtml(flow.id)}, ${escapeHtml(modelLabel(c.odooModel))} ${escapeHtml(c.snapshot.reference)}).${reason}</p>`;
}

/** Checks the person may decide and the card is current, then claims the case. */
async function preCheck(
  deps: FlowDeps,
  flow: ApprovalFlow,
  c: Case,
  d: Decision,
  job: ApplyDecisionJob,
): Promise<Decision | null> {
  if (c.status === 'deciding' && c.decisionId === d.id) {
    // An earlier run claimed the case for this decision and stopped before marking it applying.
    return markApplying(deps, c, d);
  }
  if (c.status !== 'open') {
    const winner = c.decisionId ? await deps.store.getDecision(c.decisionId) : null;
    await refuseAsSuperseded(deps, c, d, job, winner);
    return null;
  }
  const platform = platformLabel(d.actor);
  const who = await resolveActor(deps, d.actor);
  if (!who.ok) {
    await refuse(deps, d, job, 'identity.not_linked', notLinkedMessage(who, platform));
    return null;
  }
  d = await deps.store.updateDecision(d.id, { odooUserId: who.user.id, odooUserName: who.user.name });
  const members = await deps.odoo.groupMembers(flow.approvers.odooGroup);
  if (!members.some((m) => m.id === who.user.id)) {
    await refuse(
      deps,
      d,
      job,
      'policy.not_approver',
      `You (${who.user.name} in Odoo) are not an approver for ${c.snapshot.reference}: approvers are members of the Odoo group ${flow.approvers.odooGroup}. Nothing was changed.`,
    );
    return null;
  }
  if (c.requesterIds.includes(who.user.id)) {
    await refuse(
      deps,
      d,
      job,
      'policy.segregation_of_duties',
      `You requested ${c.snapshot.reference}, so you cannot ${d.action} it yourself (segregation of duties). Another approver has to decide. Nothing was changed.`,
    );
    return null;
  }
  const doc = await deps.documents.load(c.odooModel, c.odooId, flow.requesterFields);
  if (!doc) {
    await deps.store.setCaseStatus(c.id, 'cancelled');
    await refresh(deps, c.id, 'missing');
    await refuse(
      deps,
      d,
      job,
      'odoo.record_missing',
      `${c.snapshot.reference} no longer exists in Odoo (or the bot can no longer see it). Nothing was changed.`,
    );
    return null;
  }
  const changed =
    doc.snapshot.writeDate !== (d.cardWriteDate ?? c.snapshot.writeDate) || doc.snapshot.state !== c.snapshot.state;
  if (changed) {
    await deps.store.updateCaseSnapshot(c.id, doc.snapshot);
    const still = await deps.documents.matchingIds(c.odooModel, flow.when, [c.odooId]);
    if (still.length === 0) await deps.store.setCaseStatus(c.id, 'cancelled');
    await refresh(
      deps,
      c.id,
      'stale',
      still.length ? 'The document changed in Odoo; this card shows the current version.' : undefined,
    );
    await refuse(
      deps,
      d,
      job,
      'case.stale_card',
      still.length
        ? `${c.snapshot.reference} changed in Odoo after this card was drawn, so your ${d.action === 'approve' ? 'approval' : 'rejection'} was not applied. The card now shows the current version: review it and decide again.`
        : `${c.snapshot.reference} left the approval step in Odoo (now "${doc.snapshot.state ?? 'changed'}"), so nothing was applied.`,
    );
    return null;
  }
  if (!(await deps.store.claimCase(c.id, d.id))) {
    const latest = await deps.store.getCase(c.id);
    if (latest?.decisionId === d.id) {
      // Another run of this same decision claimed it a moment ago and is applying it.
      deps.log.debug({ caseId: c.id, actor: actorKey(d) }, 'decision already claimed by a concurrent run');
      return null;
    }
    const winner = latest?.decisionId ? await deps.store.getDecision(latest.decisionId) : null;
    await refuseAsSuperseded(deps, latest ?? c, d, job, winner);
    return null;
  }
  return markApplying(deps, c, d);
}

async function markApplying(deps: FlowDeps, c: Case, d: Decision): Promise<Decision> {
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

async function refuseAsSuperseded(
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
  if (first) await tell(deps, d, job, text);
}

/** Odoo refused the write for good: tell the card and the person, and reopen the case. */
async function failInOdoo(
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
  await deps.store.setCaseStatus(c.id, 'open');
  await refresh(deps, c.id, 'failed', text);
  await tell(deps, d, job, text);
}

const OUTAGE_NOTE = 'Odoo is not answering; the decision is kept and will be applied when Odoo is back.';

/** Puts "waiting for Odoo" on the card, best effort: the retry matters more than the note. */
async function showWaitingForOdoo(deps: FlowDeps, c: Case, d: Decision): Promise<void> {
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

/**
 * The decision worker. Every step is guarded by stored state so a retried,
 * duplicated or restarted job never applies a decision twice.
 */
export async function applyDecision(deps: FlowDeps, job: ApplyDecisionJob, run: Attempt): Promise<void> {
  let d = await deps.store.getDecision(job.decisionId);
  if (!d || FINAL.has(d.status)) return;
  const c = await deps.store.getCase(d.caseId);
  if (!c) {
    await refuse(deps, d, job, 'case.not_found', 'This approval case no longer exists; nothing was changed.');
    return;
  }
  const flow = findFlow(deps.policy, c.flowId);
  const log = deps.log.child({ caseId: c.id, odooModel: c.odooModel, odooId: c.odooId, actor: actorKey(d) });

  try {
    if (d.status === 'queued') {
      const claimed = await preCheck(deps, flow, c, d, job);
      if (!claimed) return;
      d = claimed;
    } else if (c.decisionId !== d.id) {
      await refuseAsSuperseded(deps, c, d, job, c.decisionId ? await deps.store.getDecision(c.decisionId) : null);
      return;
    }

    if (!d.appliedAt) {
      if (!(await outcomeReached(deps, flow, c, d.action))) {
        const method = d.action === 'approve' ? flow.approve : flow.reject;
        try {
          await deps.odoo.callMethod(c.odooModel, method.method, [c.odooId], method.kwargs);
        } catch (err) {
          if (isTransient(err)) throw err;
          const e = isAppError(err) ? err : null;
          await failInOdoo(
            deps,
            c,
            d,
            job,
            e,
            `Odoo refused to ${d.action} ${c.snapshot.reference}: ${e?.message ?? String(err)}`,
          );
          return;
        }
        if (!(await outcomeReached(deps, flow, c, d.action))) {
          await failInOdoo(
            deps,
            c,
            d,
            job,
            null,
            `Odoo accepted ${method.method} on ${c.snapshot.reference} but the document did not change. The bot's Odoo user probably lacks the rights for this step (for purchase orders: the Purchase / Administrator group). Nothing was approved.`,
          );
          return;
        }
      }
      d = await deps.store.updateDecision(d.id, { appliedAt: deps.clock.now(), outcome: null });
      log.info({}, `decision written to Odoo (${d.action})`);
    }

    if (!d.chatterPostedAt) {
      await deps.odoo.postNote(c.odooModel, c.odooId, chatterNote(flow, c, d));
      d = await deps.store.updateDecision(d.id, { chatterPostedAt: deps.clock.now() });
    }

    const doc = await deps.documents.load(c.odooModel, c.odooId, flow.requesterFields);
    if (doc) await deps.store.updateCaseSnapshot(c.id, doc.snapshot);
    await deps.store.setCaseStatus(c.id, d.action === 'approve' ? 'approved' : 'rejected');
    await deps.store.finishDecision(d.id, 'applied', null, {
      type: 'decision.applied',
      caseId: c.id,
      actor: actorKey(d),
      data: {
        decisionId: d.id,
        action: d.action,
        method: (d.action === 'approve' ? flow.approve : flow.reject).method,
        odooUserId: d.odooUserId,
        odooUserName: d.odooUserName,
        reason: d.reason,
        platform: d.actor.platform,
        state: doc?.snapshot.state ?? null,
      },
    });
    await refresh(deps, c.id, 'decided');
  } catch (err) {
    if (!isTransient(err)) throw err;
    if (run.attempt === 1) await showWaitingForOdoo(deps, c, d);
    if (run.attempt < run.maxAttempts) throw err;
    // This job's retries are spent but Odoo may come back in an hour: keep the
    // decision alive in a fresh job rather than dropping it.
    const generation = (job.generation ?? 0) + 1;
    log.warn({ err, generation }, 'Odoo still unavailable; decision re-queued');
    // Touching the decision tells the reconciler a job still owns it.
    await deps.store.updateDecision(d.id, { outcome: OUTAGE_NOTE });
    await deps.queue.enqueue<ApplyDecisionJob>(
      QUEUES.decisions,
      JOBS.applyDecision,
      { ...job, generation },
      {
        jobId: jobId('decide', d.id, 'g', generation),
        delayMs: OUTAGE_RETRY_DELAY_MS,
      },
    );
  }
}
