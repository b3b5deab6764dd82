import { AppError } from '../../errors.js';
import type { FlowDeps } from '../deps.js';
import { jobId } from '../jobs.js';
import { EXCEPTION_JOBS, EXCEPTION_QUEUES, type ExceptionCardsJob } from './jobs.js';
import type { ExceptionPolicy } from './policy.js';
import type { ExceptionStore } from './ports.js';
import type { ExceptionItem } from './types.js';

/** Flow dependencies with the exception store, which exceptions cannot run without. */
export type ExceptionDeps = FlowDeps & { exceptions: ExceptionStore };

/** The deps as `ExceptionDeps`, or an internal error naming the wiring mistake. */
export function exceptionDeps(deps: FlowDeps): ExceptionDeps {
  if (!deps.exceptions)
    throw new AppError(
      'exception.not_configured',
      'internal',
      'An exception job ran without an exception store; main.ts must pass `exceptions` to the flow deps.',
    );
  return deps as ExceptionDeps;
}

export function exceptionDefinitions(deps: Pick<FlowDeps, 'policy'>): ExceptionPolicy[] {
  return deps.policy.exceptions ?? [];
}

/** The definition by id, or null when the policy no longer has it (removed since the exception opened). */
export function findDefinition(deps: Pick<FlowDeps, 'policy'>, id: string): ExceptionPolicy | null {
  return exceptionDefinitions(deps).find((d) => d.id === id) ?? null;
}

/** Saves with the optimistic version; a conflict retries the whole job. */
export async function saveException(deps: ExceptionDeps, item: ExceptionItem): Promise<ExceptionItem> {
  const saved = await deps.exceptions.save(item);
  if (!saved)
    throw new AppError(
      'exception.conflict',
      'transient',
      `exception ${item.id} changed while it was being updated; trying again`,
    );
  return saved;
}

/** Queues a redraw of every posted card of the exception; `tag` makes repeated redraws distinct. */
export async function queueRefresh(
  deps: ExceptionDeps,
  exceptionId: string,
  tag: string,
  notice?: string,
): Promise<void> {
  await deps.queue.enqueue<ExceptionCardsJob>(
    EXCEPTION_QUEUES.work,
    EXCEPTION_JOBS.refreshCards,
    { exceptionId, ...(notice ? { notice } : {}) },
    { jobId: jobId('exc-refresh', exceptionId, tag) },
  );
}

/** Everyone who may act on the exception: its owners and the people escalation added. */
export function mayAct(item: ExceptionItem, odooUserId: number): boolean {
  return [...item.owners, ...item.escalated].some((p) => p.odooUserId === odooUserId);
}

export function isActive(item: ExceptionItem): boolean {
  return item.status === 'open' || item.status === 'assigned' || item.status === 'snoozed';
}
