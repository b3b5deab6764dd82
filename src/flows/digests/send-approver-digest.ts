import { platformsOf } from '../chats.js';
import type { FlowDeps } from '../deps.js';
import type { ExceptionItem } from '../exceptions/types.js';
import { formatAmount } from '../format.js';
import type { ChatPlatform } from '../ports.js';
import type { ApproverRef, Case } from '../types.js';
import { DIGEST_LINES } from './build-flow-digest.js';
import { deliverOnce } from './deliver.js';
import { type ApproverDigestJob, digestKey } from './jobs.js';
import { activeExceptions, assignedTo, exceptionAge, exceptionLabel, exceptionSlaState } from './open-exceptions.js';
import type { DigestOutcome } from './post-channel-digest.js';
import { businessAge, businessHoursText, slaBreach, waitingCases, waitsOn } from './waiting-cases.js';

/** Who the DM is for: the name to greet and the email that finds their chat accounts. */
type Addressee = Pick<ApproverRef, 'name' | 'email'>;

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

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function more(total: number, shown: number): string[] {
  return total > shown ? [`…and ${total - shown} more.`] : [];
}

function caseLines(deps: Pick<FlowDeps, 'policy' | 'clock'>, cases: Case[]): string[] {
  const now = deps.clock.now();
  const lines = cases.slice(0, DIGEST_LINES).map((c, i) => {
    const breach = slaBreach(c, now);
    const question = c.status === 'info_requested' ? ' · question open' : '';
    return `${i + 1}. ${c.snapshot.reference} (${c.flowId}) · ${formatAmount(c.snapshot.amount, c.snapshot.currency)} · ${businessHoursText(businessAge(deps, c))}${question}${breach ? ` · past SLA (${breach})` : ''}`;
  });
  return [...lines, ...more(cases.length, lines.length)];
}

function exceptionLines(deps: Pick<FlowDeps, 'policy' | 'clock'>, items: ExceptionItem[]): string[] {
  const titles = new Map((deps.policy.exceptions ?? []).map((d) => [d.id, d.title]));
  const lines = items.slice(0, DIGEST_LINES).map((item, i) => {
    const sla = exceptionSlaState(deps, item).text;
    const label = exceptionLabel(item, titles.get(item.definitionId) ?? null);
    return `${i + 1}. ${label} (${item.definitionId}) · ${businessHoursText(exceptionAge(deps, item))}${sla ? ` · ${sla}` : ''}`;
  });
  return [...lines, ...more(items.length, lines.length)];
}

/**
 * The DM text: the person's approvals, then the exceptions assigned to them,
 * each oldest first with age in business hours and SLA state. Either part is
 * left out when empty.
 */
export function approverDigestText(
  deps: Pick<FlowDeps, 'policy' | 'clock'>,
  name: string,
  cases: Case[],
  chat: ChatPlatform['platform'],
  exceptions: ExceptionItem[] = [],
): string {
  const first = name.split(/\s+/)[0] ?? name;
  const command = (words: string) => (chat === 'slack' ? `\`/odoo ${words}\`` : `\`${words}\``);
  const parts: string[][] = [];
  if (cases.length)
    parts.push([
      `${count(cases.length, 'approval waits', 'approvals wait')} on you, oldest first (age in business hours):`,
      ...caseLines(deps, cases),
      `Open each card to decide, or write ${command('pending')} for the list.`,
    ]);
  if (exceptions.length)
    parts.push([
      `${count(exceptions.length, 'exception is', 'exceptions are')} assigned to you, oldest first (age in business hours):`,
      ...exceptionLines(deps, exceptions),
      `Resolve each on its card, or write ${command('exceptions mine')} for the list.`,
    ]);
  const [head, ...rest] = parts.map((p) => p.join('\n'));
  return [`Good morning, ${first}. ${head ?? 'Nothing waits on you.'}`, ...rest].join('\n\n');
}

/**
 * Sends one person their morning queue as a DM on every platform where their
 * Odoo email has a chat account, once per local day
 * (`digest.dm.<odooUserId>.<date>`): the approvals waiting on them and the
 * exceptions assigned to them. Skipped when they have neither.
 */
export async function sendApproverDigest(deps: FlowDeps, job: ApproverDigestJob): Promise<DigestOutcome> {
  if (!deps.policy.digests?.approverDm) return 'not_configured';
  const key = digestKey.approver(job.odooUserId, job.date);
  if (await deps.store.getCheckpoint(key)) return 'already_sent';
  const { cases, person } = await queueOf(deps, job.odooUserId);
  const exceptions = assignedTo(await activeExceptions(deps), job.odooUserId);
  const addressee: Addressee | null = person ?? exceptions.at(-1)?.assignee ?? null;
  const now = () => deps.clock.now().toISOString();
  if ((cases.length === 0 && exceptions.length === 0) || !addressee) {
    await deps.store.setCheckpoint(key, `empty ${now()}`);
    return 'empty';
  }
  const email = addressee.email;
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
            approverDigestText(deps, addressee.name, cases, chat.platform, exceptions),
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
      'morning digest not sent: no chat account has this person’s Odoo email',
    );
  return delivered ? 'sent' : 'nowhere';
}
