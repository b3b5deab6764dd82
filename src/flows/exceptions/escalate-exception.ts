import { tellOdooUser } from '../chats.js';
import { listNames } from '../format.js';
import { metricsOf } from '../metrics-port.js';
import { dedupe } from '../resolve-approvers.js';
import { replyUnderExceptionCards } from './exception-cards.js';
import { type ExceptionDeps, isActive, queueRefresh, saveException } from './exception-support.js';
import type { ExceptionTimerJob } from './jobs.js';
import { resolveOwners } from './open-exception.js';
import type { ExceptionPolicy } from './policy.js';
import { cancelExceptionTimer } from './sla.js';
import type { ExceptionItem, ExceptionPerson } from './types.js';

/**
 * Adds the definition's `escalate.to` people to those who may act, tells
 * them, and says so under the card. `by` is null for an SLA breach.
 */
export async function escalateException(
  deps: ExceptionDeps,
  def: ExceptionPolicy,
  item: ExceptionItem,
  by: ExceptionPerson | null,
): Promise<ExceptionItem> {
  const doc =
    def.escalateTo?.field?.length && item.odooModel && item.odooId !== null
      ? await deps.documents.load(item.odooModel, item.odooId, [], def.escalateTo.field)
      : null;
  const found = def.escalateTo
    ? await resolveOwners(deps, { ...def, owner: def.escalateTo }, doc?.values ?? {}, 'escalate.to')
    : [];
  const added = found
    .filter((p) => ![...item.owners, ...item.escalated].some((x) => x.odooUserId === p.odooUserId))
    .map((p) => ({ ...p, via: `escalation (${p.via ?? 'policy'})` }));
  await cancelExceptionTimer(deps, item);
  const now = deps.clock.now().toISOString();
  const saved = await saveException(deps, {
    ...item,
    escalated: dedupe([...item.escalated, ...added]),
    sla: { ...item.sla, escalated: true, escalatedAt: now },
  });
  metricsOf(deps).count('exceptions_escalated', { definition: item.definitionId, reason: by ? 'manual' : 'sla' });
  await deps.audit.append({
    type: 'exception.escalated',
    caseId: item.id,
    actor: by ? `odoo:${by.odooUserId}` : null,
    data: { reason: by ? 'manual' : 'sla', by: by?.odooUserId ?? null, added: added.map((a) => a.odooUserId) },
  });
  const what = item.reference ? `${item.title} (${item.reference})` : item.title;
  const why = by ? `${by.name} escalated it` : 'its SLA was breached';
  await replyUnderExceptionCards(
    deps,
    item.id,
    added.length
      ? `Escalated (${why}): ${listNames(added.map((a) => a.name))} can now act on ${what} too.`
      : `Escalated (${why}), but escalate.to found nobody new to ask; check the policy's escalate.to for "${def.id}".`,
  );
  for (const a of added)
    await tellOdooUser(
      deps,
      a.email,
      `The exception ${what} was escalated to you (${why}). Please pick it up from its card.`,
    );
  await queueRefresh(deps, item.id, `escalated-${saved.version}`);
  return saved;
}

/** The SLA came due: escalate unless the exception moved on (resolved, snoozed, already escalated, re-timed). */
export async function fireSla(deps: ExceptionDeps, job: ExceptionTimerJob): Promise<void> {
  const item = await deps.exceptions.get(job.exceptionId);
  if (!item || !isActive(item) || item.status === 'snoozed') return;
  if (item.sla.escalated || item.sla.dueAt !== job.dueAt) return;
  const def = deps.policy.exceptions?.find((d) => d.id === item.definitionId);
  if (!def) return;
  await escalateException(deps, def, item, null);
  metricsOf(deps).count('exception_sla_breaches', { definition: def.id });
}
