import { businessMinutesBetween } from '../business-hours.js';
import { formatAmount, listNames, modelLabel } from '../format.js';
import { missingText, tierDeciders } from '../tiers.js';
import type { AuditEntry, Case, CaseTier } from '../types.js';
import { businessDuration, localTime } from './describe-time.js';
import type { QueryAnswer, QueryDeps } from './query-deps.js';
import { MAX_SUGGESTIONS, rankReferences } from './suggest-references.js';
import type { Viewer } from './viewer.js';

/**
 * How many recent cases are searched for near misses. Only suggestions come
 * from this pool; whether a reference has cases is looked up in full.
 */
const SUGGESTION_POOL = 5000;
/** Audit events shown under a case. */
const LAST_EVENTS = 5;
/** Cases of one reference read per query while looking through its history. */
const REFERENCE_PAGE = 50;
/** Earlier cases of the same reference listed under the one described; the rest are counted. */
const EARLIER_SHOWN = 3;

const STATUS_WORDS: Record<Case['status'], string> = {
  open: 'waiting for approval',
  info_requested: 'waiting for an answer to a question',
  deciding: 'being decided right now',
  approved: 'approved',
  rejected: 'rejected',
  cancelled: 'closed without a decision (cancelled or changed in Odoo)',
  expired: 'expired: nobody decided in time',
  failed: 'failed: Odoo refused the decision',
};

/**
 * `/odoo status <reference>`: where a document is, for someone who may see
 * it: the newest case of the reference described, its earlier ones (a
 * document re-submitted) listed in short and counted. A reference the viewer
 * may not see answers exactly like an unknown one.
 */
export async function statusOf(deps: QueryDeps, viewer: Viewer, reference: string): Promise<QueryAnswer> {
  const [newest, ...earlier] = await visibleHistory(deps, viewer, reference);
  if (newest) return { text: await describeCase(deps, viewer, newest, earlier) };
  const pool = await deps.queries.recentReferences(SUGGESTION_POOL);
  const byRef = new Map<string, string[]>();
  for (const r of pool) byRef.set(r.reference, [...(byRef.get(r.reference) ?? []), r.caseId]);
  const suggestions: string[] = [];
  for (const ref of rankReferences(reference, [...byRef.keys()])) {
    if (suggestions.length >= MAX_SUGGESTIONS) break;
    for (const id of byRef.get(ref) ?? []) {
      const c = await deps.store.getCase(id);
      if (c && (await viewer.canSee(c))) {
        suggestions.push(ref);
        break;
      }
    }
  }
  const shown = reference.length > 40 ? `${reference.slice(0, 40)}…` : reference;
  return {
    text: suggestions.length
      ? `No approval case found for "${shown}". Did you mean ${suggestions.map((s) => `\`${s}\``).join(', ')}?`
      : `No approval case found for "${shown}" among the documents you may see. Check the reference (as Odoo shows it, e.g. P00042).`,
  };
}

const isActive = (c: Case) => c.status === 'open' || c.status === 'info_requested' || c.status === 'deciding';

/**
 * Every case of the reference the viewer may see, newest first, read a page
 * at a time (a document re-submitted many times has many). Of cases opened
 * at the same instant an active one comes first: it is the latest of its record.
 */
async function visibleHistory(deps: QueryDeps, viewer: Viewer, reference: string): Promise<Case[]> {
  const seen = new Set<string>();
  const visible: Case[] = [];
  for (let offset = 0; ; offset += REFERENCE_PAGE) {
    const page = await deps.queries.casesByReference(reference, REFERENCE_PAGE, offset);
    // A case opened while we page shifts the rest by one: skip the repeat.
    for (const c of page) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      if (await viewer.canSee(c)) visible.push(c);
    }
    if (page.length < REFERENCE_PAGE) break;
  }
  return visible.sort(
    (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || Number(isActive(b)) - Number(isActive(a)),
  );
}

/** The earlier cases of the same reference, newest first: a few listed, the rest counted. */
function earlierLines(deps: QueryDeps, earlier: Case[]): string[] {
  if (earlier.length === 0) return [];
  const tz = deps.policy.calendar.timeZone;
  const n = earlier.length;
  const lines = [
    `Earlier ${n === 1 ? 'case' : `${n} cases`} for this reference (the newest is shown above):`,
    ...earlier
      .slice(0, EARLIER_SHOWN)
      .map((c) => `• opened ${localTime(c.createdAt, tz)} · ${STATUS_WORDS[c.status]} (flow ${c.flowId})`),
  ];
  if (n > EARLIER_SHOWN) lines.push(`…and ${n - EARLIER_SHOWN} more earlier.`);
  return lines;
}

function tierLine(deps: QueryDeps, c: Case, tier: CaseTier, now: Date): string {
  const tz = deps.policy.calendar.timeZone;
  const approved = tier.approvals.map(
    (a) => `${a.name}${a.onBehalfOf ? ` for ${a.onBehalfOf.name}` : ''} (${localTime(a.at, tz)})`,
  );
  const head = `${tier.index + 1}. *${tier.name}*`;
  const done = approved.length ? ` approved by ${approved.join(', ')}` : '';
  const isCurrent = tier.index === c.currentTier && (c.status === 'open' || c.status === 'info_requested');
  if (!isCurrent) {
    if (tier.startedAt === null && !approved.length) return `${head}: not started yet`;
    return `${head}:${done || ' no approvals'}`;
  }
  const approvedIds = new Set(tier.approvals.flatMap((a) => [a.odooUserId, a.onBehalfOf?.odooUserId ?? -1]));
  const waiting = [...c.approvers, ...tierDeciders(tier)].filter(
    (a, i, all) => !approvedIds.has(a.odooUserId) && all.findIndex((b) => b.odooUserId === a.odooUserId) === i,
  );
  const since = tier.startedAt ? new Date(tier.startedAt) : c.createdAt;
  const waited = businessDuration(businessMinutesBetween(deps.policy.calendar, since, now), deps.policy.calendar);
  const who = listNames(
    waiting.map((a) => a.name),
    6,
  );
  return `${head}:${done ? `${done};` : ''} waiting on ${who} for ${waited} of business time (needs ${missingText(tier) || 'nothing more'})`;
}

function eventLine(e: AuditEntry, tz: string): string {
  const who = typeof e.data.odooUserName === 'string' ? ` by ${e.data.odooUserName}` : '';
  const tier = typeof e.data.tier === 'string' ? ` (${e.data.tier})` : '';
  return `• ${localTime(e.at, tz)} ${e.type}${tier}${who}`;
}

async function describeCase(deps: QueryDeps, viewer: Viewer, c: Case, earlier: Case[]): Promise<string> {
  const now = deps.clock.now();
  const tz = deps.policy.calendar.timeZone;
  const s = c.snapshot;
  const lines = [
    `*${s.reference}* — ${modelLabel(c.odooModel)}${s.partner ? ` from ${s.partner}` : ''}, ${formatAmount(s.amount, s.currency)} (flow ${c.flowId})`,
    `Odoo state: ${s.state ?? 'unknown'} · case: ${STATUS_WORDS[c.status]}`,
  ];
  if (c.tiers.length) lines.push('Approval steps:', ...c.tiers.map((t) => tierLine(deps, c, t, now)));
  const waiting = c.status === 'open' || c.status === 'info_requested';
  if (waiting) {
    const next = [
      c.timers.remindAt ? `reminder ${localTime(c.timers.remindAt, tz)}` : null,
      c.timers.escalateAt ? `escalation ${localTime(c.timers.escalateAt, tz)}` : null,
      c.timers.expireAt ? `expiry ${localTime(c.timers.expireAt, tz)}` : null,
    ].filter(Boolean);
    if (c.timers.pausedAt) lines.push(`Timers paused since ${localTime(c.timers.pausedAt, tz)} (a question is open).`);
    else lines.push(next.length ? `Next: ${next.join(', ')} (${tz})` : 'No reminder, escalation or expiry is set.');
    const open = c.infoRequests.filter((q) => q.answer === null);
    if (open.length) {
      const q = open[0]!.question;
      const more = open.length > 1 ? ` (and ${open.length - 1} more open question${open.length > 2 ? 's' : ''})` : '';
      lines.push(`Open question from ${open[0]!.askedBy.name}: "${q.length > 200 ? `${q.slice(0, 200)}…` : q}"${more}`);
    }
  } else if (c.closedAt) {
    lines.push(`Closed ${localTime(c.closedAt, tz)} (${tz}).`);
  }
  if (waiting && viewer.waitsOn(c)) lines.push('_It is waiting on you: decide from the card the bot sent you._');
  const events = await deps.queries.lastCaseEvents(c.id, LAST_EVENTS);
  if (events.length)
    lines.push(
      `Last ${events.length === 1 ? 'event' : `${events.length} events`}:`,
      ...events.map((e) => eventLine(e, tz)),
    );
  if (s.url) lines.push(`Open in Odoo: ${s.url}`);
  else lines.push(`Open in Odoo: ${deps.odoo.recordUrl(c.odooModel, c.odooId)}`);
  lines.push(...earlierLines(deps, earlier));
  return lines.join('\n');
}
