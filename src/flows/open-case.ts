import type { FlowDeps } from './deps.js';
import { type CardsJob, type IngestRecordJob, JOBS, jobId, QUEUES } from './jobs.js';
import type { ApprovalFlow } from './policy.js';

/** Reads the record, resolves who may approve, stores the case and queues its cards. */
export async function openCase(deps: FlowDeps, flow: ApprovalFlow, event: IngestRecordJob): Promise<void> {
  const doc = await deps.documents.load(event.model, event.id, flow.requesterFields);
  if (!doc) return;
  const members = await deps.odoo.groupMembers(flow.approvers.odooGroup);
  // The bot's own Odoo user writes the decision; it is never asked to make one.
  const self = await deps.odoo.authenticate();
  const approvers = members
    .filter((u) => u.active && !u.share && u.id !== self)
    .map((u) => ({ odooUserId: u.id, name: u.name, email: u.email }));
  if (approvers.length === 0) {
    // Still open the case so it shows in status queries, but say loudly why nobody is asked.
    deps.log.warn(
      { flowId: flow.id, odooModel: event.model, odooId: event.id },
      `nobody can approve: the Odoo group ${flow.approvers.odooGroup} has no active internal user. Add users to it in Odoo (Settings → Users & Companies → Groups).`,
    );
  }
  const { created, case: c } = await deps.store.openCase({
    flowId: flow.id,
    odooModel: event.model,
    odooId: event.id,
    snapshot: doc.snapshot,
    requesterIds: doc.requesterIds,
    approvers,
  });
  if (!created) return;
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
      writeDate: doc.snapshot.writeDate,
      approvers: approvers.map((a) => a.odooUserId),
      requesters: doc.requesterIds,
      source: event.source,
    },
  });
  deps.log.info({ caseId: c.id, flowId: flow.id, odooModel: event.model, odooId: event.id }, 'case opened');
  await deps.queue.enqueue<CardsJob>(QUEUES.notify, JOBS.postCards, { caseId: c.id }, { jobId: jobId('post', c.id) });
}
