import type { ExceptionsView } from '../../flows/queries/exceptions-query.js';
import type { PendingScope } from '../../flows/queries/pending-query.js';
import type { SlaPeriod } from '../../flows/queries/sla-query.js';
import { usageOf } from './help.js';
import { shown } from './quote-word.js';

/** The read-only commands of issue #5. */
export type QueryCommand =
  | { kind: 'status'; reference: string }
  | { kind: 'pending'; scope: PendingScope; flowId: string | null; offset: number }
  | { kind: 'sla'; period: SlaPeriod; flowId: string | null }
  | { kind: 'exceptions'; view: ExceptionsView; type: string | null; offset?: number | undefined }
  | { kind: 'whoami' };

type Parsed = QueryCommand | { kind: 'error'; message: string; usage: string };

/** Longest reference looked up; Odoo names and vendor references are far shorter. */
const MAX_REFERENCE = 80;
/** A flow id as the policy file allows it. */
const FLOW_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const SCOPES: readonly PendingScope[] = ['mine', 'team', 'all'];
const PERIODS: readonly SlaPeriod[] = ['7d', '30d', 'quarter'];

export function parseStatus(args: string[], command: string): Parsed {
  const reference = args.join(' ').trim();
  const usage = usageOf('status', command);
  if (!reference) return { kind: 'error', message: 'Say which document, e.g. `status P00042`.', usage };
  if (reference.length > MAX_REFERENCE)
    return { kind: 'error', message: `A reference is at most ${MAX_REFERENCE} characters; give the Odoo name.`, usage };
  return { kind: 'status', reference };
}

/** `[scope] [flow]` in either order: the scope word, and anything else as a flow id. */
function scopeAndFlow<T extends string>(
  args: string[],
  words: readonly T[],
  what: string,
  usage: string,
  looksLikeWord: (w: string) => boolean,
): { word: T | null; flowId: string | null } | { kind: 'error'; message: string; usage: string } {
  let word: T | null = null;
  let flowId: string | null = null;
  for (const raw of args) {
    const a = raw.toLowerCase();
    const known = words.find((w) => w === a);
    if (known) {
      if (word) return { kind: 'error', message: `Give one ${what}, not "${word}" and "${known}".`, usage };
      word = known;
    } else if (looksLikeWord(a)) {
      return { kind: 'error', message: `"${shown(raw)}" is not a ${what}; use ${words.join(', ')}.`, usage };
    } else if (FLOW_ID.test(a) && !flowId) {
      flowId = a;
    } else {
      return {
        kind: 'error',
        message: flowId
          ? `Unexpected "${shown(raw)}" after the flow "${flowId}".`
          : `"${shown(raw)}" is neither a ${what} nor a flow id (lower-case letters, digits and dashes).`,
        usage,
      };
    }
  }
  return { word, flowId };
}

export function parsePending(args: string[], command: string): Parsed {
  const r = scopeAndFlow(args, SCOPES, 'scope', usageOf('pending', command), (w) =>
    ['me', 'my', 'everyone', 'reports'].includes(w),
  );
  if ('kind' in r) return r;
  return { kind: 'pending', scope: r.word ?? 'mine', flowId: r.flowId, offset: 0 };
}

export function parseSla(args: string[], command: string): Parsed {
  const r = scopeAndFlow(args, PERIODS, 'period', usageOf('sla', command), (w) => /^\d+[a-z]*$/.test(w));
  if ('kind' in r) return r;
  return { kind: 'sla', period: r.word ?? '30d', flowId: r.flowId };
}

const VIEWS: readonly ExceptionsView[] = ['open', 'aging', 'mine'];

export function parseExceptions(args: string[], command: string): Parsed {
  const r = scopeAndFlow(args, VIEWS, 'view', usageOf('exceptions', command), (w) => ['all', 'my', 'age'].includes(w));
  if ('kind' in r) return r;
  return { kind: 'exceptions', view: r.word ?? 'open', type: r.flowId };
}

export function parseWhoami(args: string[], command: string): Parsed {
  return args.length === 0
    ? { kind: 'whoami' }
    : { kind: 'error', message: '`whoami` takes nothing after it.', usage: usageOf('whoami', command) };
}

/** The questions whose answer the asker may share in the conversation where they asked. */
export type ShareableQuery = Extract<QueryCommand, { kind: 'status' | 'pending' | 'sla' | 'exceptions' }>;

export function isShareable(q: { kind: string }): q is ShareableQuery {
  return q.kind === 'status' || q.kind === 'pending' || q.kind === 'sla' || q.kind === 'exceptions';
}

/**
 * The command text that asks a query again (without its page), for the
 * "Show more" and "Share" buttons: parsing it gives the same query back.
 */
export function queryText(q: ShareableQuery): string {
  const flow = (id: string | null) => (id ? ` ${id}` : '');
  switch (q.kind) {
    case 'status':
      return `status ${q.reference}`;
    case 'pending':
      return `pending ${q.scope}${flow(q.flowId)}`;
    case 'sla':
      return `sla ${q.period}${flow(q.flowId)}`;
    case 'exceptions':
      return `exceptions ${q.view}${flow(q.type)}`;
  }
}

/** The same query from `offset` on (a case offset for `pending`, an exception offset for `exceptions`). */
export function atOffset(q: ShareableQuery, offset: number): ShareableQuery {
  return q.kind === 'pending' || q.kind === 'exceptions' ? { ...q, offset } : q;
}
