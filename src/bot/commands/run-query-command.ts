import type { FlowDeps } from '../../flows/deps.js';
import { platformLabel } from '../../flows/format.js';
import { exceptionsReport } from '../../flows/queries/exceptions-query.js';
import { pendingFor } from '../../flows/queries/pending-query.js';
import type { QueryAnswer, QueryDeps } from '../../flows/queries/query-deps.js';
import { slaReport } from '../../flows/queries/sla-query.js';
import { statusOf } from '../../flows/queries/status-query.js';
import { type Viewer, viewerFor } from '../../flows/queries/viewer.js';
import { whoami } from '../../flows/queries/whoami-query.js';
import { notLinkedMessage, resolveActor } from '../../flows/resolve-actor.js';
import type { ChatActor } from '../../flows/types.js';
import { usageOf } from './help.js';
import { type QueryCommand, queryText } from './parse-query-command.js';

/**
 * A private answer. `more` carries the command text and offset of the next
 * page; `share` is set when the answer may be shared where it was asked
 * (a real answer to `status`, `pending`, `exceptions` or `sla`), with the
 * command text and offset that give this same page again.
 */
export interface QueryReply {
  text: string;
  more?: { query: string; offset: number } | undefined;
  share?: { query: string; offset: number } | undefined;
}

export const QUERIES_OFF_TEXT =
  'Status questions are not available on this bot (it runs without its query store). Look the document up in Odoo, or ask your admin to upgrade odoo-chatops.';

/**
 * Runs `status`, `pending`, `exceptions`, `sla` or `whoami` for a chat user:
 * resolves the person to their Odoo user (by verified email), then answers
 * only from what they may see.
 */
export async function runQueryCommand(
  flow: FlowDeps,
  actor: ChatActor,
  parsed: QueryCommand,
  command: string,
): Promise<QueryReply> {
  const queries = flow.queries;
  if (!queries) return { text: QUERIES_OFF_TEXT };
  const deps = { ...flow, queries };
  const flowId = 'flowId' in parsed ? parsed.flowId : null;
  if (
    parsed.kind === 'exceptions' &&
    parsed.type &&
    !(flow.policy.exceptions ?? []).some((e) => e.id === parsed.type)
  ) {
    const known = (flow.policy.exceptions ?? []).map((e) => e.id).join(', ') || 'none';
    return {
      text: `There is no exception type "${parsed.type}" in the policy (types: ${known}).\n${usageOf('exceptions', command)}`,
    };
  }
  if (flowId && !flow.policy.approvals.some((f) => f.id === flowId)) {
    const known = flow.policy.approvals.map((f) => f.id).join(', ');
    const topic = parsed.kind === 'sla' ? 'sla' : 'pending';
    return {
      text: `There is no flow "${flowId}" in the approval policy (flows: ${known}).\n${usageOf(topic, command)}`,
    };
  }
  const me = await resolveActor(flow, actor);
  if (!me.ok) return { text: notLinkedMessage(me, platformLabel(actor)).replace(' Nothing was changed.', '') };
  const viewer = await viewerFor(deps, me.user);
  if (parsed.kind === 'whoami') return { text: (await whoami(deps, viewer)).text };
  const query = queryText(parsed);
  const offset = parsed.kind === 'pending' || parsed.kind === 'exceptions' ? (parsed.offset ?? 0) : 0;
  const answer = await answerOf(deps, viewer, parsed);
  return {
    text: answer.text,
    ...(answer.more ? { more: { query, offset: answer.more.offset } } : {}),
    share: { query, offset },
  };
}

function answerOf(
  deps: QueryDeps,
  viewer: Viewer,
  parsed: Exclude<QueryCommand, { kind: 'whoami' }>,
): Promise<QueryAnswer> {
  switch (parsed.kind) {
    case 'status':
      return statusOf(deps, viewer, parsed.reference);
    case 'pending':
      return pendingFor(deps, viewer, parsed);
    case 'sla':
      return slaReport(deps, viewer, parsed);
    case 'exceptions':
      return exceptionsReport(deps, viewer, parsed.view, parsed.type, { offset: parsed.offset ?? 0 });
  }
}
