import { isTransient } from '../../errors.js';
import { escapeHtml } from '../format.js';
import { metricsOf } from '../metrics-port.js';
import { chatterTarget } from './chatter-target.js';
import { replyUnderExceptionCards } from './exception-cards.js';
import { type ExceptionDeps, queueRefresh, saveException } from './exception-support.js';
import type { ExceptionPolicy } from './policy.js';
import { cancelExceptionTimer } from './sla.js';
import type { ExceptionItem, ExceptionPerson } from './types.js';

/**
 * Resolves with the person's note: the configured write first (if Odoo
 * refuses it, nothing else happens), then the activity marked done with the
 * note as feedback, then a chatter note naming the person.
 */
export async function resolveException(
  deps: ExceptionDeps,
  def: ExceptionPolicy | null,
  item: ExceptionItem,
  by: ExceptionPerson,
  note: string,
): Promise<ExceptionItem> {
  const write = def?.resolveWrite ?? null;
  let writeDate = item.writeDate;
  if (item.odooModel && item.odooId !== null) {
    const model = item.odooModel;
    const id = item.odooId;
    if (write) await deps.odoo.callMethod(model, 'write', [id], { vals: write });
    if (item.activityId !== null) {
      try {
        await deps.odoo.callMethod('mail.activity', 'action_feedback', [item.activityId], { feedback: note });
      } catch (err) {
        if (isTransient(err)) throw err;
        deps.log.info({ exceptionId: item.id, err }, 'the exception activity was already done or deleted in Odoo');
      }
    }
    // A record without a chatter (payment.transaction) gets the note on a related record (its invoice).
    const target = await chatterTarget(deps, model, id);
    if (target)
      await deps.odoo.postNote(
        target.model,
        target.id,
        `<p>Exception "${escapeHtml(item.title)}"${target.via ? ` (${escapeHtml(model)} #${id})` : ''} resolved by ${escapeHtml(by.name)} from chat (odoo-chatops):</p><p>${escapeHtml(note)}</p>`,
      );
    // Our own write changed write_date: remember it so the poller does not reopen what was just resolved.
    writeDate = (await deps.documents.load(model, id, []))?.snapshot.writeDate ?? writeDate;
  }
  await cancelExceptionTimer(deps, item);
  const saved = await saveException(deps, {
    ...item,
    status: 'resolved',
    snoozedUntil: null,
    writeDate,
    resolution: { by, note, at: deps.clock.now().toISOString(), write },
  });
  metricsOf(deps).count('exceptions_resolved', { definition: item.definitionId });
  await deps.audit.append({
    type: 'exception.resolved',
    caseId: item.id,
    actor: `odoo:${by.odooUserId}`,
    data: { by: by.odooUserId, note, write, activityId: item.activityId },
  });
  await replyUnderExceptionCards(deps, item.id, `Resolved by ${by.name}: ${note}`);
  await queueRefresh(deps, item.id, `resolved-${saved.version}`);
  return saved;
}
