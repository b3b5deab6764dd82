import type { FlowDeps } from '../flows/deps.js';
import { EXCEPTION_JOBS, EXCEPTION_QUEUES } from '../flows/exceptions/jobs.js';

/**
 * Queues the poll of every Odoo exception definition now rather than at the
 * next scheduled one: the sandbox's new records (a variance bill, an
 * overdue invoice, a failed payment) reach the bot the way they do in
 * production without webhooks, through the poller.
 */
export async function pollExceptionsNow(deps: FlowDeps): Promise<void> {
  for (const e of deps.policy.exceptions ?? [])
    if (e.odoo) await deps.queue.enqueue(EXCEPTION_QUEUES.work, EXCEPTION_JOBS.poll, { definitionId: e.id });
}
