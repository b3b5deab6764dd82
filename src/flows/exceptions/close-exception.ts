import { isTransient } from '../../errors.js';
import { metricsOf } from '../metrics-port.js';
import { replyUnderExceptionCards } from './exception-cards.js';
import { type ExceptionDeps, queueRefresh, saveException } from './exception-support.js';
import { cancelExceptionTimer } from './sla.js';
import type { ExceptionItem } from './types.js';

/**
 * Auto-closes an exception whose record no longer matches (someone fixed it
 * in Odoo): timers stop, the assignee's activity is marked done, the card
 * says so. Nobody is credited with a resolution.
 */
export async function closeException(
  deps: ExceptionDeps,
  item: ExceptionItem,
  source: 'webhook' | 'poll',
): Promise<void> {
  await cancelExceptionTimer(deps, item);
  const saved = await saveException(deps, { ...item, status: 'auto_closed', snoozedUntil: null });
  metricsOf(deps).count('exceptions_auto_closed', { definition: item.definitionId });
  if (item.activityId !== null) {
    try {
      await deps.odoo.callMethod('mail.activity', 'action_feedback', [item.activityId], {
        feedback: 'Closed by odoo-chatops: the record no longer matches the exception.',
      });
    } catch (err) {
      // Already done or deleted by someone in Odoo: nothing left to close.
      if (isTransient(err)) throw err;
      deps.log.info({ exceptionId: item.id, err }, 'the activity of an auto-closed exception was already gone');
    }
  }
  await deps.audit.append({
    type: 'exception.auto_closed',
    caseId: item.id,
    data: { reason: 'no_longer_matches', source, odooModel: item.odooModel, odooId: item.odooId },
  });
  deps.log.info({ exceptionId: item.id, odooModel: item.odooModel, odooId: item.odooId }, 'exception auto-closed');
  await replyUnderExceptionCards(
    deps,
    item.id,
    `${item.reference ?? item.title} no longer matches the exception in Odoo; closed automatically.`,
  );
  await queueRefresh(deps, saved.id, `closed-${saved.version}`);
}
