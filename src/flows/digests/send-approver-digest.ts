import { platformsOf } from '../chats.js';
import type { FlowDeps } from '../deps.js';
import { formatAmount } from '../format.js';
import type { ChatPlatform } from '../ports.js';
import type { ApproverRef, Case } from '../types.js';
import { DIGEST_LINES } from './build-flow-digest.js';
import { deliverOnce } from './deliver.js';
import { type ApproverDigestJob, digestKey } from './jobs.js';
import type { DigestOutcome } from './send-flow-digest.js';
import { businessAge, businessHoursText, slaBreach, waitingCases, waitsOn } from './waiting-cases.js';

/** The cases waiting on one person, oldest first, and how they appear on them (the latest case's copy). */
export async function queueOf(
  deps: Pick<FlowDeps, 'store'>,
  odooUserId: number,
): Promise<{ cases: Case[]; person: ApproverRef | null }> {
  const cases: Case[] = [];
  let person: ApproverRef | null = null;
  for (const c of await waitingCases(deps)) {
    const ref = waitsOn(c).find((a) => a.odooUserId === odooUserId);
    if (!ref) continue;
    cases.push(c);
    person = ref;
  }
  return { cases, person };
}

/** The DM text: the person's queue, oldest first, with age in business hours and SLA state. */
export function approverDigestText(
  deps: Pick<FlowDeps, 'policy' | 'clock'>,
  name: string,
  cases: Case[],
  chat: ChatPlatform['platform'],
): string {
  const now = deps.clock.now();
  const lines = cases.slice(0, DIGEST_LINES).map((c, i) => {
    const breach = slaBreach(c, now);
    const question = c.status === 'info_requested' ? ' · question open' : '';
    return `${i + 1}. ${c.snapshot.reference} (${c.flowId}) · ${formatAmount(c.snapshot.amount, c.snapshot.currency)} · ${businessHoursText(businessAge(deps, c))}${question}${breach ? ` · past SLA (${breach})` : ''}`;
  });
  if (cases.length > lines.length) lines.push(`…and ${cases.length - lines.length} more.`);
  const first = name.split(/\s+/)[0] ?? name;
  const count = `${cases.length} ${cases.length === 1 ? 'approval waits' : 'approvals wait'}`;
  const command = chat === 'slack' ? '`/odoo pending`' : '`pending`';
  return [
    `Good morning, ${first}. ${count} on you, oldest first (age in business hours):`,
    ...lines,
    `Open each card to decide, or write ${command} for the list.`,
  ].join('\n');
}

/**
 * Sends one approver their morning queue as a DM on every platform where
 * their Odoo email has a chat account, once per local day
 * (`digest.dm.<odooUserId>.<date>`). Skipped when nothing waits on them.
 */
export async function sendApproverDigest(deps: FlowDeps, job: ApproverDigestJob): Promise<DigestOutcome> {
  if (!deps.policy.digests?.approverDm) return 'not_configured';
  const key = digestKey.approver(job.odooUserId, job.date);
  if (await deps.store.getCheckpoint(key)) return 'already_sent';
  const { cases, person } = await queueOf(deps, job.odooUserId);
  const now = () => deps.clock.now().toISOString();
  if (cases.length === 0 || !person) {
    await deps.store.setCheckpoint(key, `empty ${now()}`);
    return 'empty';
  }
  const email = person.email;
  const delivered = email
    ? await deliverOnce(
        deps,
        platformsOf(deps),
        (chat) => digestKey.approverPlatform(job.odooUserId, job.date, chat.platform),
        async (chat) => {
          const userId = await chat.findUserByEmail(email);
          if (!userId) return false;
          await chat.tellUser(
            { platform: chat.platform, userId },
            approverDigestText(deps, person.name, cases, chat.platform),
          );
          return true;
        },
        `the morning digest of Odoo user ${job.odooUserId}`,
      )
    : 0;
  await deps.store.setCheckpoint(key, `${delivered ? 'sent' : 'nowhere'} ${now()}`);
  if (!delivered)
    deps.log.info(
      { actor: `odoo:${job.odooUserId}` },
      'morning digest not sent: no chat account has this approver’s Odoo email',
    );
  return delivered ? 'sent' : 'nowhere';
}
