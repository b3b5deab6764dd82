import type { FlowDeps } from './deps.js';
import { platformLabel } from './format.js';
import { policyDelegationsDuring, runningPolicyDelegations } from './policy-delegations.js';
import { notLinkedMessage, resolveActor } from './resolve-actor.js';
import { endOfDayIn } from './start-of-day.js';
import type { ChatActor, Delegation, OdooUser } from './types.js';

/** resolveActor takes the whole FlowDeps; the use case touches store, audit, odoo, chat, clock, policy, directory, log. */
export type DelegateDeps = FlowDeps;

/** Who receives the approvals: a chat user (matched by verified email), or an Odoo login or email as typed. */
export type DelegateTo = { chatUserId: string } | { odooKey: string };

export interface SetDelegationInput {
  actor: ChatActor;
  to: DelegateTo;
  /** Last day of the delegation (inclusive), YYYY-MM-DD in the policy calendar's time zone. */
  until: string;
}

/** A sentence for the person, and whether something changed. */
export interface DelegationAnswer {
  ok: boolean;
  text: string;
  delegation?: Delegation;
}

function actorKey(actor: ChatActor): string {
  return `${actor.platform}:${actor.userId}`;
}

/** "Thu 24 Dec 2026", the last day a delegation ending at `endsAt` (exclusive) runs, in the calendar's zone. */
export function lastDayOf(endsAt: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(new Date(endsAt.getTime() - 1));
}

/** The Odoo user a delegation goes to, or a sentence saying why there is none. */
async function resolveTarget(
  deps: DelegateDeps,
  actor: ChatActor,
  to: DelegateTo,
): Promise<{ ok: true; user: OdooUser; chatUserId: string | null } | { ok: false; text: string }> {
  const platform = platformLabel(actor);
  if ('chatUserId' in to) {
    if (to.chatUserId === actor.userId)
      return { ok: false, text: 'You cannot delegate to yourself. Nothing was changed.' };
    const r = await resolveActor(deps, { platform: actor.platform, userId: to.chatUserId });
    if (r.ok) return { ok: true, user: r.user, chatUserId: to.chatUserId };
    const who = `<@${to.chatUserId}>`;
    return {
      ok: false,
      text:
        r.reason === 'no_email'
          ? `${who} has no email address the bot can see in ${platform}, so they cannot be matched to an Odoo user. Nothing was changed.`
          : `${who} (${r.email}) is not an active internal Odoo user, so they cannot approve for you. Ask your Odoo admin to give them a user with this email, or pick someone else. Nothing was changed.`,
    };
  }
  const users = (await deps.directory.usersByKeys([to.odooKey])).filter((u) => u.active && !u.share);
  if (users.length === 1) return { ok: true, user: users[0] as OdooUser, chatUserId: null };
  return {
    ok: false,
    text:
      users.length === 0
        ? `No active internal Odoo user has the login or email "${to.odooKey}". Mention the person with @ (pick them from the list) or give their Odoo login. Nothing was changed.`
        : `Several Odoo users match "${to.odooKey}"; mention the person with @ instead. Nothing was changed.`,
  };
}

/**
 * The chain of delegations from `start` that comes back to `target`, or
 * null. A delegation that closes such a chain would make a loop.
 */
function loopThrough(delegations: Delegation[], start: number, target: number): Delegation[] | null {
  const seen = new Set<number>([start]);
  let paths: Array<{ at: number; chain: Delegation[] }> = [{ at: start, chain: [] }];
  while (paths.length) {
    const next: typeof paths = [];
    for (const p of paths)
      for (const d of delegations.filter((x) => x.fromOdooUserId === p.at)) {
        if (d.toOdooUserId === target) return [...p.chain, d];
        if (seen.has(d.toOdooUserId)) continue;
        seen.add(d.toOdooUserId);
        next.push({ at: d.toOdooUserId, chain: [...p.chain, d] });
      }
    paths = next;
  }
  return null;
}

/** Why a delegation to `toName` is refused: the chain that would loop, and who can break it. */
function loopRefusal(loop: Delegation[], toName: string, now: Date, tz: string): string {
  const names = loop.map((d) => d.fromName).join(' → ');
  const fromPolicy = loop.filter((d) => d.source === 'policy');
  if (!fromPolicy.length) {
    const chain = loop.length === 1 ? `${toName} already delegates to you` : `${names} → you already`;
    return `${chain}, so this would make a loop where nobody approves. Ask ${toName} to end theirs first (\`delegate off\`). Nothing was changed.`;
  }
  const when = (d: Delegation) =>
    d.startsAt > now
      ? `from ${lastDayOf(new Date(d.startsAt.getTime() + 1), tz)} until the end of ${lastDayOf(d.endsAt, tz)}`
      : `until the end of ${lastDayOf(d.endsAt, tz)}`;
  const target = (d: Delegation) => (d === loop[loop.length - 1] ? 'you' : d.toName);
  const standing = fromPolicy.map((d) => `${d.fromName} → ${target(d)} ${when(d)}`).join('; ');
  const chain = loop.length === 1 ? `${toName} delegates to you` : `${names} → you`;
  return `${chain} (the policy file has ${standing}), so this would make a loop where nobody approves. A delegation from the policy file cannot be turned off from chat: pick someone else, or ask whoever maintains the policy file (usually your Odoo admin) to change it. Nothing was changed.`;
}

/**
 * `/odoo delegate @person until <date>`: the person receives the caller's
 * approval cards until the end of that day in the policy calendar's time
 * zone. Replaces the caller's earlier chat delegation; refuses delegating to
 * oneself, to someone without an Odoo user, and anything that would loop.
 */
export async function setDelegation(deps: DelegateDeps, input: SetDelegationInput): Promise<DelegationAnswer> {
  const { actor } = input;
  const me = await resolveActor(deps, actor);
  if (!me.ok) return { ok: false, text: notLinkedMessage(me, platformLabel(actor)) };
  const target = await resolveTarget(deps, actor, input.to);
  if (!target.ok) return target;
  const to = target.user;
  if (to.id === me.user.id) {
    return { ok: false, text: 'That is your own Odoo user; you cannot delegate to yourself. Nothing was changed.' };
  }
  const now = deps.clock.now();
  const tz = deps.policy.calendar.timeZone;
  const endsAt = endOfDayIn(input.until, tz);
  if (endsAt <= now) {
    return {
      ok: false,
      text: `${input.until} has already ended in ${tz}; give a later last day. Nothing was changed.`,
    };
  }
  const running = await deps.store.listDelegations({ activeAt: now });
  // The policy file's standing delegations count too, also those starting before this one ends.
  const loop = loopThrough([...running, ...(await policyDelegationsDuring(deps, now, endsAt))], to.id, me.user.id);
  if (loop) return { ok: false, text: loopRefusal(loop, to.name, now, tz) };
  const replaced = running.filter((d) => d.source === 'chat' && d.fromOdooUserId === me.user.id);
  if (replaced.length) await deps.store.endDelegations(me.user.id, now);
  const delegation = await deps.store.addDelegation({
    fromOdooUserId: me.user.id,
    fromName: me.user.name,
    toOdooUserId: to.id,
    toName: to.name,
    startsAt: now,
    endsAt,
    source: 'chat',
    createdBy: actorKey(actor),
  });
  await deps.audit.append({
    type: 'delegation.created',
    actor: actorKey(actor),
    data: {
      delegationId: delegation.id,
      from: { odooUserId: me.user.id, name: me.user.name },
      to: { odooUserId: to.id, name: to.name },
      startsAt: now.toISOString(),
      endsAt: endsAt.toISOString(),
      replaced: replaced.map((d) => d.id),
    },
  });
  const day = lastDayOf(endsAt, tz);
  if (target.chatUserId) {
    const note = `${me.user.name} asked you to approve for them until ${day} (${tz}). Their approval requests will come to you too.`;
    await deps.chat
      .tellUser({ platform: actor.platform, userId: target.chatUserId }, note)
      .catch((err: unknown) => deps.log.warn({ err, actor: actorKey(actor) }, 'could not tell the delegate'));
  }
  const instead = replaced.length
    ? ` This replaces your delegation to ${replaced.map((d) => d.toName).join(', ')}.`
    : '';
  return {
    ok: true,
    delegation,
    text: `${to.name} can approve for you until the end of ${day} (${tz}). New approval requests that would come to you go to them as well, and the audit log and Odoo name both of you.${instead} End it early with \`/odoo delegate off\`.`,
  };
}

/** `/odoo delegate off`: ends the caller's running chat delegations now. */
export async function endDelegation(deps: DelegateDeps, actor: ChatActor): Promise<DelegationAnswer> {
  const me = await resolveActor(deps, actor);
  if (!me.ok) return { ok: false, text: notLinkedMessage(me, platformLabel(actor)) };
  const now = deps.clock.now();
  const running = (await deps.store.listDelegations({ activeAt: now, fromOdooUserId: me.user.id })).filter(
    (d) => d.source === 'chat',
  );
  const fromPolicy = (await runningPolicyDelegations(deps, now)).filter((d) => d.fromOdooUserId === me.user.id);
  const policyNote = fromPolicy.length
    ? ` Your delegation to ${fromPolicy.map((d) => d.toName).join(', ')} comes from the policy file, so it cannot be turned off from chat; ask whoever maintains the policy file (usually your Odoo admin) to change it.`
    : '';
  if (running.length === 0)
    return {
      ok: true,
      text: fromPolicy.length
        ? `You have no delegation from chat running; nothing to end.${policyNote}`
        : 'You have no delegation running; nothing to end.',
    };
  const ended = await deps.store.endDelegations(me.user.id, now);
  await deps.audit.append({
    type: 'delegation.ended',
    actor: actorKey(actor),
    data: {
      from: { odooUserId: me.user.id, name: me.user.name },
      delegationIds: running.map((d) => d.id),
      count: ended,
      endedAt: now.toISOString(),
    },
  });
  const names = running.map((d) => d.toName).join(', ');
  return {
    ok: true,
    text: `Your delegation to ${names} has ended. Approval requests already sent to them stay with them; new ones come only to you.${policyNote}`,
  };
}

/** Running delegations from the store (chat) and from the policy file, chat ones first. */
export async function runningDelegations(
  deps: Pick<FlowDeps, 'store' | 'directory' | 'policy'>,
  at: Date,
): Promise<Delegation[]> {
  return [...(await deps.store.listDelegations({ activeAt: at })), ...(await runningPolicyDelegations(deps, at))];
}

/** " (from the policy file; …)" after a delegation chat cannot end, else nothing. */
export function policyMark(d: Delegation): string {
  return d.source === 'policy' ? ' (from the policy file; it cannot be turned off from chat)' : '';
}

/**
 * `/odoo delegate`: running delegations from and to the caller, with their
 * last day: those set in chat and the policy file's standing ones, marked.
 */
export async function listDelegations(deps: DelegateDeps, actor: ChatActor): Promise<DelegationAnswer> {
  const me = await resolveActor(deps, actor);
  if (!me.ok) return { ok: false, text: notLinkedMessage(me, platformLabel(actor)) };
  const tz = deps.policy.calendar.timeZone;
  const running = await runningDelegations(deps, deps.clock.now());
  const line = (name: string, d: Delegation) => `• ${name} until the end of ${lastDayOf(d.endsAt, tz)}${policyMark(d)}`;
  const from = running.filter((d) => d.fromOdooUserId === me.user.id);
  const to = running.filter((d) => d.toOdooUserId === me.user.id);
  if (!from.length && !to.length) {
    return {
      ok: true,
      text: 'You have no delegations. Let someone approve for you with `/odoo delegate @person until YYYY-MM-DD`.',
    };
  }
  const mine = from.map((d) => line(d.toName, d));
  const forMe = to.map((d) => line(d.fromName, d));
  const endable = from.some((d) => d.source === 'chat');
  const fixed = [...from, ...to].some((d) => d.source === 'policy');
  const parts = [
    mine.length ? `*You delegate to:*\n${mine.join('\n')}` : 'You delegate to nobody.',
    forMe.length ? `*You approve for:*\n${forMe.join('\n')}` : 'Nobody delegates to you.',
    `Dates are in ${tz}.${endable ? ' End yours with `/odoo delegate off`.' : ''}${
      fixed
        ? ' Delegations from the policy file change only when whoever maintains it (usually your Odoo admin) edits it.'
        : ''
    }`,
  ];
  return { ok: true, text: parts.join('\n') };
}
