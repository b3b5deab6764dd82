import type { CardFact } from '../card.js';
import { jobId } from '../jobs.js';
import { metricsOf } from '../metrics-port.js';
import { resolveSource, withDelegates } from '../resolve-approvers.js';
import type { ApproverRef, FieldValue } from '../types.js';
import type { ExceptionDeps } from './exception-support.js';
import { explainOdooException } from './explain-exception.js';
import { EXCEPTION_JOBS, EXCEPTION_QUEUES, type ExceptionCardsJob } from './jobs.js';
import type { ExceptionPolicy } from './policy.js';
import type { NewException } from './ports.js';
import { scheduleExceptionTimer, slaDueAt } from './sla.js';
import type { ExceptionItem, ExceptionSeverity } from './types.js';

/** The owners of a definition: its approver source and their delegates. */
export async function resolveOwners(
  deps: ExceptionDeps,
  def: ExceptionPolicy,
  values: Record<string, FieldValue>,
  key: 'owner' | 'escalate.to' = 'owner',
): Promise<ApproverRef[]> {
  const selfId = await deps.odoo.authenticate();
  const owners = await resolveSource(deps, def.owner, { requesterId: null, values, selfId });
  if (owners.length === 0)
    deps.log.warn(
      { definitionId: def.id },
      `exception "${def.id}": ${key} found no active internal Odoo user, so nobody ${key === 'owner' ? 'can act on it' : 'is added on escalation'}. Fix ${key} in the policy file.`,
    );
  return withDelegates(deps, owners);
}

/** Stores the exception (unless it exists), audits it, and queues its cards and SLA timer. */
async function store(
  deps: ExceptionDeps,
  input: NewException,
  origin: string,
): Promise<{ created: boolean; item: ExceptionItem }> {
  const result = await deps.exceptions.open(input);
  if (!result.created) return result;
  const item = result.item;
  metricsOf(deps).count('exceptions_opened', { definition: item.definitionId });
  await deps.audit.append({
    type: 'exception.opened',
    caseId: item.id,
    data: {
      definitionId: item.definitionId,
      type: item.type,
      severity: item.severity,
      source: origin,
      key: item.key,
      odooModel: item.odooModel,
      odooId: item.odooId,
      owners: item.owners.map((o) => o.odooUserId),
      slaDueAt: item.sla.dueAt,
    },
  });
  deps.log.info({ exceptionId: item.id, odooModel: item.odooModel, odooId: item.odooId }, 'exception opened');
  await deps.queue.enqueue<ExceptionCardsJob>(
    EXCEPTION_QUEUES.work,
    EXCEPTION_JOBS.postCards,
    { exceptionId: item.id },
    { jobId: jobId('exc-post', item.id) },
  );
  await scheduleExceptionTimer(deps, item);
  return result;
}

function base(deps: ExceptionDeps, def: ExceptionPolicy) {
  return {
    definitionId: def.id,
    escalated: [],
    assignee: null,
    activityId: null,
    sla: {
      dueAt: slaDueAt(deps, def.slaMinutes, deps.clock.now()),
      remainingMinutes: null,
      escalated: false,
      escalatedAt: null,
    },
    snoozedUntil: null,
    resolution: null,
  };
}

/** Opens an exception for an Odoo record that matches the definition. Null when the record is gone. */
export async function openOdooException(
  deps: ExceptionDeps,
  def: ExceptionPolicy,
  model: string,
  id: number,
  source: 'webhook' | 'poll',
): Promise<ExceptionItem | null> {
  const doc = await deps.documents.load(model, id, [], def.owner.field ?? []);
  if (!doc) return null;
  const today = deps.clock.now().toISOString().slice(0, 10);
  const { facts, details } = await explainOdooException(deps.odoo, def, model, id, doc.snapshot, today);
  const owners = await resolveOwners(deps, def, doc.values);
  const { item } = await store(
    deps,
    {
      ...base(deps, def),
      source: 'odoo',
      key: null,
      type: def.type,
      severity: def.severity,
      title: def.title,
      odooModel: model,
      odooId: id,
      reference: doc.snapshot.reference,
      url: doc.snapshot.url ?? deps.odoo.recordUrl(model, id),
      writeDate: doc.snapshot.writeDate,
      facts,
      details,
      owners,
    },
    source,
  );
  return item;
}

/** An event from a billing engine, meter or middleware (`POST /events`), validated by the HTTP adapter. */
export interface ExternalEvent {
  key: string;
  type: string;
  severity?: ExceptionSeverity | undefined;
  title: string;
  facts: Record<string, string | number | boolean | null>;
  odoo?: { model: string; id: number } | undefined;
}

export type ExternalOutcome =
  | { kind: 'created' | 'exists'; item: ExceptionItem }
  | { kind: 'no_definition'; known: string[] };

/** Opens (once per key) the exception for an external event, under the definition with its type. */
export async function openExternalException(deps: ExceptionDeps, event: ExternalEvent): Promise<ExternalOutcome> {
  const defs = (deps.policy.exceptions ?? []).filter((d) => d.external);
  const def = defs.find((d) => d.external?.type === event.type);
  if (!def) return { kind: 'no_definition', known: defs.map((d) => d.external!.type) };
  const existing = await deps.exceptions.findByKey(event.key);
  if (existing) return { kind: 'exists', item: existing };
  const doc = event.odoo ? await deps.documents.load(event.odoo.model, event.odoo.id, [], def.owner.field ?? []) : null;
  const facts: CardFact[] = Object.entries(event.facts).map(([label, v]) => ({
    label,
    value: v === null ? '—' : String(v),
  }));
  const owners = await resolveOwners(deps, def, doc?.values ?? {});
  const result = await store(
    deps,
    {
      ...base(deps, def),
      source: 'external',
      key: event.key,
      type: event.type,
      severity: event.severity ?? def.severity,
      title: event.title,
      odooModel: event.odoo?.model ?? null,
      odooId: event.odoo?.id ?? null,
      reference: doc?.snapshot.reference ?? null,
      url: event.odoo ? (doc?.snapshot.url ?? deps.odoo.recordUrl(event.odoo.model, event.odoo.id)) : null,
      writeDate: doc?.snapshot.writeDate ?? null,
      facts,
      details: [],
      owners,
    },
    'external',
  );
  return { kind: result.created ? 'created' : 'exists', item: result.item };
}
