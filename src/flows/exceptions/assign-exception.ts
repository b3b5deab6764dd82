import { isTransient } from '../../errors.js';
import { chatterTarget } from './chatter-target.js';
import { replyUnderExceptionCards } from './exception-cards.js';
import { type ExceptionDeps, queueRefresh, saveException } from './exception-support.js';
import type { ExceptionItem, ExceptionPerson } from './types.js';

/** The SLA deadline as an activity due date (YYYY-MM-DD), or today. */
function deadline(item: ExceptionItem, now: Date): string {
  return (item.sla.dueAt ?? now.toISOString()).slice(0, 10);
}

/**
 * Gives the exception to `to`: reassigns the exception's Odoo activity when
 * it has one still open, otherwise schedules a new one on the record.
 * External exceptions without a record only change hands in the bot.
 */
export async function assignException(
  deps: ExceptionDeps,
  item: ExceptionItem,
  to: ExceptionPerson,
): Promise<ExceptionItem> {
  let activityId = item.activityId;
  if (item.odooModel && item.odooId !== null) {
    let reassigned = false;
    if (activityId !== null) {
      try {
        await deps.odoo.callMethod('mail.activity', 'write', [activityId], { vals: { user_id: to.odooUserId } });
        reassigned = true;
      } catch (err) {
        // Done or deleted in Odoo meanwhile: schedule a fresh one.
        if (isTransient(err)) throw err;
        deps.log.info({ exceptionId: item.id, err }, 'the exception activity is gone; scheduling a new one');
      }
    }
    // A record without a chatter (payment.transaction) gets its to-do on a related record (its invoice).
    const target = reassigned ? null : await chatterTarget(deps, item.odooModel, item.odooId);
    if (target)
      activityId = await deps.odoo.scheduleActivity(target.model, target.id, {
        userId: to.odooUserId,
        summary: `Resolve exception: ${item.title}`.slice(0, 120),
        note: `<p>Assigned from chat by odoo-chatops (exception ${item.definitionId}${target.via ? `, ${item.odooModel} #${item.odooId}` : ''}).</p>`,
        deadline: deadline(item, deps.clock.now()),
      });
  }
  const saved = await saveException(deps, {
    ...item,
    status: item.status === 'snoozed' ? 'snoozed' : 'assigned',
    statusBeforeSnooze: item.status === 'snoozed' ? 'assigned' : item.statusBeforeSnooze,
    assignee: to,
    activityId,
  });
  await deps.audit.append({
    type: 'exception.assigned',
    caseId: item.id,
    actor: `odoo:${to.odooUserId}`,
    data: { to: to.odooUserId, from: item.assignee?.odooUserId ?? null, activityId },
  });
  await replyUnderExceptionCards(deps, item.id, `${to.name} took this exception.`);
  await queueRefresh(deps, item.id, `assigned-${saved.version}`);
  return saved;
}
