import type { FlowDeps } from './deps.js';
import { type CardsJob, type IngestRecordJob, JOBS, jobId, QUEUES } from './jobs.js';
import { metricsOf } from './metrics-port.js';
import type { ApprovalFlow, ApproverSource } from './policy.js';
import { type RecordMatches, recordMatches } from './record-matches.js';
import { dedupe, describeSource, resolveSource, type SourceContext, withDelegates } from './resolve-approvers.js';
import { deadlines, scheduleTimers, timerSettings } from './timers.js';
import type { ApproverRef, CaseTier } from './types.js';

/** Fields the flow's `field:` approver sources read from the document. */
function sourceFields(flow: ApprovalFlow): string[] {
  const sources: ApproverSource[] = flow.tiers.flatMap((t) => [
    t.approvers,
    ...(t.timers?.escalate ? [t.timers.escalate.to] : []),
  ]);
  if (flow.timers?.escalate) sources.push(flow.timers.escalate.to);
  return [...new Set(sources.flatMap((s) => s.field ?? []))];
}

/** Everyone who may decide a tier: its sources, its required people, and their delegates. */
export async function resolveTier(
  deps: FlowDeps,
  source: ApproverSource,
  requiredKeys: string[],
  ctx: SourceContext,
): Promise<{ approvers: ApproverRef[]; required: ApproverRef[] }> {
  const direct = await resolveSource(deps, source, ctx);
  const required = (await deps.directory.usersByKeys(requiredKeys)).map(
    (u): ApproverRef => ({ odooUserId: u.id, name: u.name, email: u.email, tz: u.tz, via: 'required by the policy' }),
  );
  const approvers = await withDelegates(deps, dedupe([...direct, ...required]));
  return { approvers, required };
}

/**
 * Reads the record, picks the tiers that apply, resolves who may approve,
 * stores the case and queues its cards. `matches` holds the tier conditions
 * already decided on the record (ingestRecord reads them with the flow's
 * `when`); without it they are decided here, on one read for all tiers.
 */
export async function openCase(
  deps: FlowDeps,
  flow: ApprovalFlow,
  event: IngestRecordJob,
  matches?: RecordMatches,
): Promise<void> {
  const doc = await deps.documents.load(event.model, event.id, flow.requesterFields, sourceFields(flow));
  if (!doc) return;
  const log = deps.log.child({ flowId: flow.id, odooModel: event.model, odooId: event.id });
  const selfId = await deps.odoo.authenticate();
  const ctx: SourceContext = { requesterId: doc.requesterIds[0] ?? null, values: doc.values, selfId };
  const now = deps.clock.now();

  const conditions = flow.tiers.flatMap((t) => (t.when ? [t.when] : []));
  const tierMatches =
    matches ?? (conditions.length > 0 ? await recordMatches(deps, event.model, event.id, conditions) : null);
  const tiers: CaseTier[] = [];
  for (const t of flow.tiers) {
    if (t.when && !(await tierMatches?.matches(t.when))) continue;
    const amount = doc.companyAmount;
    if (t.minAmount !== undefined && (amount === null || amount < t.minAmount)) continue;
    if (t.maxAmount !== undefined && amount !== null && amount > t.maxAmount) continue;
    const { approvers, required } = await resolveTier(deps, t.approvers, t.required, ctx);
    if (approvers.length === 0)
      log.warn(
        { tier: t.name },
        `nobody can approve tier "${t.name}": ${describeSource(t.approvers)} found no active internal Odoo user. Fix the policy file, or add users to the Odoo group (Settings → Users & Companies → Groups).`,
      );
    tiers.push({
      index: tiers.length,
      name: t.name,
      approvers,
      minApprovals: t.minApprovals,
      required,
      approvals: [],
      escalated: [],
      startedAt: tiers.length === 0 ? now.toISOString() : null,
    });
  }
  if (tiers.length === 0) {
    log.warn(
      {},
      'the document matches the flow but none of its tiers applies; no case was opened (nothing is approved automatically)',
    );
    return;
  }
  const first = tiers[0]!;
  const { created, case: c } = await deps.store.openCase({
    flowId: flow.id,
    odooModel: event.model,
    odooId: event.id,
    snapshot: doc.snapshot,
    requesterIds: doc.requesterIds,
    approvers: first.approvers,
    tiers,
    timers: deadlines(deps.policy, timerSettings(flow, first.name), now, now),
  });
  if (!created) return;
  metricsOf(deps).count('cases_opened', { flow: flow.id });
  await deps.audit.append({
    type: 'case.opened',
    caseId: c.id,
    data: {
      flowId: flow.id,
      odooModel: event.model,
      odooId: event.id,
      reference: doc.snapshot.reference,
      amount: doc.snapshot.amount,
      currency: doc.snapshot.currency,
      companyAmount: doc.companyAmount,
      writeDate: doc.snapshot.writeDate,
      tiers: tiers.map((t) => ({
        name: t.name,
        approvers: t.approvers.map((a) => a.odooUserId),
        minApprovals: t.minApprovals,
      })),
      approvers: first.approvers.map((a) => a.odooUserId),
      requesters: doc.requesterIds,
      source: event.source,
    },
  });
  log.info({ caseId: c.id, tiers: tiers.length }, 'case opened');
  await deps.queue.enqueue<CardsJob>(QUEUES.notify, JOBS.postCards, { caseId: c.id }, { jobId: jobId('post', c.id) });
  await scheduleTimers(deps, c);
}
