import { isAppError, isTransient } from '../../errors.js';
import { chatFor } from '../chats.js';
import { notLinkedMessage, resolveActor } from '../resolve-actor.js';
import { assignException } from './assign-exception.js';
import { escalateException } from './escalate-exception.js';
import { type ExceptionDeps, findDefinition, isActive, mayAct } from './exception-support.js';
import type { ExceptionActJob } from './jobs.js';
import { resolveException } from './resolve-exception.js';
import { checkSnoozeDate, snoozeException } from './snooze-exception.js';
import type { ExceptionItem, ExceptionPerson } from './types.js';

/** Resolution notes shorter than this are refused: the note is the audit trail. */
export const MIN_NOTE_LENGTH = 3;

const STATUS_WORDS: Record<ExceptionItem['status'], string> = {
  open: 'open',
  assigned: 'assigned',
  snoozed: 'snoozed',
  resolved: 'already resolved',
  auto_closed: 'already closed (the record no longer matches)',
};

export type ActOutcome = { ok: true; item: ExceptionItem } | { ok: false; reason: string };

/**
 * A person's click on an exception card, checked like an approval: the chat
 * user must map (by verified email) to an Odoo user who owns the exception
 * or was added by escalation. Answers the person privately either way.
 */
export async function actOnException(deps: ExceptionDeps, job: ExceptionActJob): Promise<ActOutcome> {
  const outcome = await decide(deps, job);
  const tell = (text: string) => chatFor(deps, job.actor.platform).tellUser(job.actor, text, job.context);
  await tell(outcome.ok ? confirmation(job, outcome.item) : outcome.reason);
  return outcome;
}

function confirmation(job: ExceptionActJob, item: ExceptionItem): string {
  const what = item.reference ? `${item.title} (${item.reference})` : item.title;
  switch (job.action) {
    case 'assign':
      return `${what} is assigned to you; the to-do is in your Odoo activities.`;
    case 'resolve':
      return `${what} is resolved; your note is in the Odoo chatter.`;
    case 'snooze':
      return `${what} is snoozed until ${job.until}; it comes back then.`;
    case 'escalate':
      return `${what} was escalated.`;
  }
}

async function decide(deps: ExceptionDeps, job: ExceptionActJob): Promise<ActOutcome> {
  const refuse = (reason: string): ActOutcome => ({ ok: false, reason });
  const item = await deps.exceptions.get(job.exceptionId);
  if (!item) return refuse('This exception no longer exists in the bot; nothing was changed.');
  const def = findDefinition(deps, item.definitionId);
  if (!isActive(item)) return refuse(`This exception is ${STATUS_WORDS[item.status]}; nothing was changed.`);
  if (!def?.actions.includes(job.action))
    return refuse(`"${job.action}" is not offered for this exception by the policy; nothing was changed.`);
  const who = await resolveActor(deps, job.actor);
  if (!who.ok) return refuse(notLinkedMessage(who, job.actor.platform === 'slack' ? 'Slack' : 'Teams'));
  if (!mayAct(item, who.user.id))
    return refuse(
      `Only the owners of this exception${item.escalated.length ? ' and the people it was escalated to' : ''} may act on it, and your Odoo user (${who.user.name}) is not one of them. Nothing was changed.`,
    );
  const by: ExceptionPerson = { odooUserId: who.user.id, name: who.user.name, email: who.user.email };
  const log = deps.log.child({ exceptionId: item.id, actor: `odoo:${by.odooUserId}` });
  try {
    switch (job.action) {
      case 'assign':
        if (item.assignee?.odooUserId === by.odooUserId && item.status === 'assigned')
          return refuse('This exception is already assigned to you; nothing was changed.');
        return { ok: true, item: await assignException(deps, item, by) };
      case 'resolve': {
        const note = job.note?.trim() ?? '';
        if (note.length < MIN_NOTE_LENGTH)
          return refuse('A resolution needs a note saying what was done (a few words). Nothing was changed.');
        return { ok: true, item: await resolveException(deps, def, item, by, note) };
      }
      case 'snooze': {
        const problem = checkSnoozeDate(deps, job.until);
        if (problem) return refuse(problem);
        return { ok: true, item: await snoozeException(deps, item, by, job.until!) };
      }
      case 'escalate':
        if (!def.escalateTo) return refuse('The policy names nobody to escalate this exception to (escalate.to).');
        return { ok: true, item: await escalateException(deps, def, item, by) };
    }
  } catch (err) {
    // Odoo refused (a UserError on the write, no access): say so; outages are retried by the queue.
    if (isTransient(err) || !isAppError(err) || err.kind === 'internal') throw err;
    log.warn({ err }, `Odoo refused the exception ${job.action}`);
    return refuse(`Odoo refused this: ${err.message} Nothing was marked in the bot; fix it in Odoo or ask an admin.`);
  }
}
