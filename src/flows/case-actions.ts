import { AppError } from '../errors.js';
import { addBusinessMinutes, businessMinutesBetween } from './business-hours.js';
import { ACTION_IDS, type CardModel } from './card.js';
import { chatFor, platformsOf, tellOdooUser } from './chats.js';
import { refresh, threadReply } from './decision-support.js';
import type { FlowDeps } from './deps.js';
import { escapeHtml, platformLabel } from './format.js';
import { type CardsJob, type CaseActionJob, JOBS, jobId, QUEUES } from './jobs.js';
import type { ApprovalFlow } from './policy.js';
import { notLinkedMessage, resolveActor } from './resolve-actor.js';
import { dedupe } from './resolve-approvers.js';
import { currentTier, eligibility } from './tiers.js';
import { cancelTimers, scheduleTimers } from './timers.js';
import type { Case, InfoRequest, OdooUser } from './types.js';

const ACTIVE = new Set(['open', 'info_requested']);

async function say(deps: FlowDeps, job: CaseActionJob, text: string): Promise<void> {
  try {
    await chatFor(deps, job.actor.platform).tellUser(job.actor, text, job.context);
  } catch (err) {
    deps.log.warn({ caseId: job.caseId, err }, 'could not answer privately');
  }
}

async function save(deps: FlowDeps, c: Case): Promise<Case> {
  const saved = await deps.store.saveCase(c);
  if (!saved) throw new AppError('case.conflict', 'transient', `case ${c.id} changed meanwhile; trying again`);
  return saved;
}

interface Loaded {
  c: Case;
  flow: ApprovalFlow;
  who: OdooUser;
}

/** The case is active, and the person maps to an Odoo user; otherwise they are told why not. */
async function load(deps: FlowDeps, job: CaseActionJob): Promise<Loaded | null> {
  const c = await deps.store.getCase(job.caseId);
  const flow = c && deps.policy.approvals.find((f) => f.id === c.flowId);
  if (!c || !flow || !ACTIVE.has(c.status)) {
    await say(deps, job, 'This case is no longer open; nothing was changed.');
    return null;
  }
  const who = await resolveActor(deps, job.actor);
  if (!who.ok) {
    await say(deps, job, notLinkedMessage(who, platformLabel(job.actor)));
    return null;
  }
  return { c, flow, who: who.user };
}

/** Posts a card privately to an Odoo user on every platform where they have an account; how many got it. */
async function postToOdooUser(deps: FlowDeps, odooUserId: number, card: CardModel): Promise<number> {
  const email = await emailOf(deps, odooUserId);
  if (!email) return 0;
  let posted = 0;
  for (const chat of platformsOf(deps)) {
    const userId = await chat.findUserByEmail(email);
    if (!userId) continue;
    await chat.postCard({ kind: 'user', userId }, card);
    posted++;
  }
  return posted;
}

async function emailOf(deps: FlowDeps, odooUserId: number): Promise<string | null> {
  const [u] = await deps.directory.users([odooUserId]);
  return u?.email ?? null;
}

function questionCard(c: Case, q: InfoRequest): CardModel {
  return {
    caseId: c.id,
    title: `Question about ${c.snapshot.reference}`,
    text: `${q.askedBy.name} asks about ${c.snapshot.reference}: ${q.question}`,
    facts: [{ label: 'Asked by', value: q.askedBy.name }],
    summary: q.question,
    status: { tone: 'warning', text: 'The approval waits for your answer.' },
    actions: [
      { id: ACTION_IDS.answerQuestion, label: 'Answer', style: 'primary', value: JSON.stringify({ c: c.id, q: q.id }) },
    ],
    ...(c.snapshot.url ? { link: { label: 'Open in Odoo', url: c.snapshot.url } } : {}),
  };
}

/**
 * An approver asks the requester a question. The case waits in
 * `info_requested`; its timers pause when the policy says so.
 */
export async function askQuestion(deps: FlowDeps, job: CaseActionJob): Promise<void> {
  const loaded = await load(deps, job);
  if (!loaded) return;
  const { c, flow, who } = loaded;
  if (!eligibility(c, who.id, false).ok && !c.approvers.some((a) => a.odooUserId === who.id)) {
    await say(deps, job, `Only the approvers of ${c.snapshot.reference} can ask questions about it. Nothing was sent.`);
    return;
  }
  const requester = c.requesterIds[0];
  if (!requester) {
    await say(
      deps,
      job,
      `${c.snapshot.reference} names no requester the bot could ask. Ask in Odoo's chatter instead.`,
    );
    return;
  }
  const now = deps.clock.now();
  const q: InfoRequest = {
    id: globalThis.crypto.randomUUID(),
    askedBy: { odooUserId: who.id, name: who.name },
    question: job.text,
    askedAt: now.toISOString(),
    answer: null,
    answeredBy: null,
    answeredAt: null,
  };
  const pause = flow.infoRequests.pauseTimers && !c.timers.pausedAt;
  const saved = await save(deps, {
    ...c,
    status: 'info_requested',
    infoRequests: [...c.infoRequests, q],
    timers: pause ? { ...c.timers, pausedAt: now.toISOString() } : c.timers,
  });
  if (pause) await cancelTimers(deps, c);
  await deps.audit.append({
    type: 'info.requested',
    caseId: c.id,
    actor: `${job.actor.platform}:${job.actor.userId}`,
    data: { requestId: q.id, askedBy: who.id, question: q.question, timersPaused: pause },
  });
  await deps.odoo.postNote(
    c.odooModel,
    c.odooId,
    `<p>Question from <b>${escapeHtml(who.name)}</b> (${platformLabel(job.actor)}, odoo-chatops): ${escapeHtml(q.question)}</p>`,
  );
  const chatUser = (await postToOdooUser(deps, requester, questionCard(saved, q))) > 0;
  await threadReply(
    deps,
    c.id,
    `${who.name} asked the requester: "${q.question}"${chatUser ? '' : ' (the requester has no chat account with their Odoo email; they will see it in Odoo)'}`,
  );
  await refresh(deps, c.id, `asked-${q.id}`);
  await say(
    deps,
    job,
    chatUser
      ? 'Your question was sent to the requester. The card shows their answer when it comes.'
      : "The requester has no chat account the bot can reach; your question is in the document's chatter in Odoo.",
  );
}

/** The requester answers. Timers resume with the time they had left. */
export async function answerQuestion(deps: FlowDeps, job: CaseActionJob): Promise<void> {
  const loaded = await load(deps, job);
  if (!loaded) return;
  const { c, who } = loaded;
  const q = c.infoRequests.find((x) => x.id === job.requestId);
  if (!q || q.answer) {
    await say(deps, job, q ? 'This question was already answered.' : 'This question no longer exists.');
    return;
  }
  if (!c.requesterIds.includes(who.id)) {
    await say(deps, job, `Only the requester of ${c.snapshot.reference} can answer this question.`);
    return;
  }
  const now = deps.clock.now();
  const infoRequests = c.infoRequests.map((x) =>
    x.id === q.id ? { ...x, answer: job.text, answeredBy: who.name, answeredAt: now.toISOString() } : x,
  );
  const stillOpen = infoRequests.some((x) => !x.answer);
  let timers = c.timers;
  if (!stillOpen && c.timers.pausedAt) {
    // Deadlines move by the working time spent waiting for the answer.
    const paused = businessMinutesBetween(deps.policy.calendar, new Date(c.timers.pausedAt), now);
    const shift = (iso: string | null) =>
      iso ? addBusinessMinutes(deps.policy.calendar, new Date(iso), paused).toISOString() : null;
    timers = {
      ...c.timers,
      pausedAt: null,
      remindAt: shift(c.timers.remindAt),
      escalateAt: shift(c.timers.escalateAt),
      expireAt: shift(c.timers.expireAt),
    };
  }
  const saved = await save(deps, { ...c, status: stillOpen ? 'info_requested' : 'open', infoRequests, timers });
  await scheduleTimers(deps, saved);
  await deps.audit.append({
    type: 'info.answered',
    caseId: c.id,
    actor: `${job.actor.platform}:${job.actor.userId}`,
    data: { requestId: q.id, answeredBy: who.id, answer: job.text },
  });
  await deps.odoo.postNote(
    c.odooModel,
    c.odooId,
    `<p>Answer from <b>${escapeHtml(who.name)}</b> to ${escapeHtml(q.askedBy.name)}'s question "${escapeHtml(q.question)}": ${escapeHtml(job.text)}</p>`,
  );
  await threadReply(deps, c.id, `${who.name} answered ${q.askedBy.name}: "${job.text}"`);
  await tellOdooUser(
    deps,
    await emailOf(deps, q.askedBy.odooUserId),
    `${who.name} answered your question about ${c.snapshot.reference}: "${job.text}"`,
  );
  await refresh(deps, c.id, `answered-${q.id}`);
  await say(deps, job, 'Thanks, your answer was passed on and noted in Odoo.');
}

/**
 * An approver hands the case to someone else: another eligible person, or,
 * when the policy allows, anyone with a stated reason. The original approvers
 * keep their right to decide and stay on the card.
 */
export async function forwardCase(deps: FlowDeps, job: CaseActionJob): Promise<void> {
  const loaded = await load(deps, job);
  if (!loaded) return;
  const { c, flow, who } = loaded;
  const tier = currentTier(c);
  if (!tier || !eligibility(c, who.id, false).ok) {
    await say(
      deps,
      job,
      `Only an approver of ${c.snapshot.reference} who has not yet approved this step can forward it. Nothing was changed.`,
    );
    return;
  }
  const email = job.toChatUserId ? await chatFor(deps, job.actor.platform).userEmail(job.toChatUserId) : null;
  const target = email ? await deps.odoo.findUserByEmail(email) : null;
  if (!target) {
    await say(
      deps,
      job,
      'The person you picked is not linked to an active Odoo user (by email), so the case cannot go to them. Nothing was changed.',
    );
    return;
  }
  if (c.requesterIds.includes(target.id)) {
    await say(
      deps,
      job,
      `${target.name} requested ${c.snapshot.reference} and cannot approve it (segregation of duties). Nothing was changed.`,
    );
    return;
  }
  const eligibleAlready = c.approvers.some((a) => a.odooUserId === target.id);
  if (!eligibleAlready && !flow.forward.anyone) {
    await say(
      deps,
      job,
      `${target.name} is not an approver of this step, and this flow only lets you forward to its approvers (${c.approvers.map((a) => a.name).join(', ')}). Nothing was changed.`,
    );
    return;
  }
  if (!eligibleAlready && job.text.trim().length < 3) {
    await say(deps, job, 'Forwarding to someone outside the approvers needs a reason. Nothing was changed.');
    return;
  }
  const added = {
    odooUserId: target.id,
    name: target.name,
    email: target.email,
    tz: target.tz,
    via: `forwarded by ${who.name}`,
  };
  const tiers = c.tiers.map((t, i) =>
    i === c.currentTier && !eligibleAlready ? { ...t, escalated: dedupe([...t.escalated, added]) } : t,
  );
  await save(deps, { ...c, tiers, approvers: eligibleAlready ? c.approvers : dedupe([...c.approvers, added]) });
  await deps.audit.append({
    type: 'case.forwarded',
    caseId: c.id,
    actor: `${job.actor.platform}:${job.actor.userId}`,
    data: { from: who.id, to: target.id, reason: job.text, wasApprover: eligibleAlready },
  });
  await deps.odoo.postNote(
    c.odooModel,
    c.odooId,
    `<p>Forwarded by <b>${escapeHtml(who.name)}</b> to <b>${escapeHtml(target.name)}</b> (odoo-chatops)${job.text ? `: ${escapeHtml(job.text)}` : ''}</p>`,
  );
  await deps.queue.enqueue<CardsJob>(
    QUEUES.notify,
    JOBS.postCards,
    { caseId: c.id },
    { jobId: jobId('post', c.id, 'fwd', target.id, deps.clock.now().getTime()) },
  );
  if (eligibleAlready)
    await tellOdooUser(
      deps,
      target.email,
      `${who.name} forwarded ${c.snapshot.reference} to you${job.text ? `: "${job.text}"` : ''}. Please approve or reject it from the card.`,
    );
  await threadReply(
    deps,
    c.id,
    `${who.name} forwarded ${c.snapshot.reference} to ${target.name}${job.text ? `: "${job.text}"` : ''}.`,
  );
  await refresh(deps, c.id, `forwarded-${target.id}`);
  await say(deps, job, `${c.snapshot.reference} was forwarded to ${target.name}; you can still decide it yourself.`);
}
