import { businessMinutesBetween } from '../business-hours.js';
import { formatAmount, listNames } from '../format.js';
import { currentTier } from '../tiers.js';
import type { Case } from '../types.js';
import { businessDuration } from './describe-time.js';
import type { QueryAnswer, QueryDeps } from './query-deps.js';
import type { Viewer } from './viewer.js';

/** Cases per page of `/odoo pending`. */
export const PENDING_PAGE_SIZE = 10;

export type PendingScope = 'mine' | 'team' | 'all';

export interface PendingQuery {
  scope: PendingScope;
  flowId: string | null;
  /** Cases to skip (the "Show more" action carries it). */
  offset: number;
}

const SCOPE_WORDS: Record<PendingScope, string> = {
  mine: 'waiting on you',
  team: 'requested by your team',
  all: 'waiting in all flows',
};

/**
 * `/odoo pending [mine|team|all] [flow]`: waiting cases, oldest first, one
 * page at a time. `all` is for people `access.finance` names; `team` is
 * cases whose requester reports to the viewer (manager chain, up to 3 levels).
 */
export async function pendingFor(deps: QueryDeps, viewer: Viewer, q: PendingQuery): Promise<QueryAnswer> {
  if (q.scope === 'all' && !viewer.finance) {
    return {
      text: '`pending all` is only for the finance people the approval policy names (`access.finance`); use `pending mine` or `pending team`, or ask your Odoo admin to add you.',
    };
  }
  const waiting = await deps.queries.waitingCases({ flowId: q.flowId ?? undefined });
  const matching: Case[] = [];
  for (const c of waiting) {
    if (q.scope === 'mine' ? viewer.waitsOn(c) : q.scope === 'team' ? await viewer.manages(c) : true) matching.push(c);
  }
  const where = q.flowId ? ` in ${q.flowId}` : '';
  if (matching.length === 0) {
    return {
      text:
        q.scope === 'mine'
          ? `Nothing is waiting on you${where}.`
          : q.scope === 'team'
            ? `Nothing requested by your team is waiting${where}.`
            : `Nothing is waiting${where}.`,
    };
  }
  const offset = Math.min(Math.max(0, q.offset), Math.max(0, matching.length - 1));
  const page = matching.slice(offset, offset + PENDING_PAGE_SIZE);
  const now = deps.clock.now();
  const lines = page.map((c, i) => {
    const tier = currentTier(c);
    const age = businessDuration(businessMinutesBetween(deps.policy.calendar, c.createdAt, now), deps.policy.calendar);
    const step = c.tiers.length > 1 && tier ? ` · step "${tier.name}"` : '';
    const who =
      q.scope === 'mine'
        ? ''
        : ` · waiting on ${listNames(
            c.approvers.map((a) => a.name),
            3,
          )}`;
    const question = c.status === 'info_requested' ? ' · question open' : '';
    return `${offset + i + 1}. *${c.snapshot.reference}* · ${formatAmount(c.snapshot.amount, c.snapshot.currency)} · ${age} old${step}${who}${question}`;
  });
  const end = offset + page.length;
  const head = `${matching.length} case${matching.length === 1 ? '' : 's'} ${SCOPE_WORDS[q.scope]}${where}, oldest first (age in business time)${matching.length > PENDING_PAGE_SIZE ? `; ${offset + 1}–${end}` : ''}:`;
  return {
    text: [head, ...lines].join('\n'),
    ...(end < matching.length ? { more: { offset: end, remaining: matching.length - end } } : {}),
  };
}
