import { readFile } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { parseBusinessDuration } from '../flows/duration.js';
import {
  type CalendarPolicy,
  DEFAULT_CALENDAR,
  type Policy as FlowPolicy,
  type TierPolicy,
  type TimerSettings,
} from '../flows/policy.js';
import { actionSchema } from './action-schema.js';
import { domainSchema } from './domain-schema.js';
import { exceptionListSchema, toExceptionPolicy } from './exception-schema.js';
import { DOCUMENT_TYPES, type FlowDraft, finishPolicy, type PolicyFile } from './policy-file.js';
import {
  APPROVER_HELP,
  aiSchema,
  approverSchema,
  approverSourceSchema,
  calendarSchema,
  delegationSchema,
  digestsSchema,
  durationSchema,
  flowDigestSchema,
  idSchema,
  riskSchema,
  roleName,
  slackTargetSchema,
  teamsTargetSchema,
  tierSchema,
  timersSchema,
} from './policy-parts.js';

export { domainSchema } from './domain-schema.js';

/**
 * The policy file: which Odoo documents need whom, and where to ask. Parsed
 * with zod at start-up; an error names the YAML path and line, what was
 * expected, and shows an example.
 */
const WITHOUT_PRESET = {
  model: 'the Odoo model, e.g. purchase.order',
  when: 'an Odoo domain of the documents waiting, e.g. [["state", "=", "to approve"]]',
  approve: 'what approving does in Odoo, e.g. { method: button_approve }',
  reject: 'what rejecting does in Odoo, e.g. { method: button_cancel }',
} as const;

const rawFlowSchema = z
  .object({
    id: idSchema,
    /** A document type whose model, when, approve, reject and requesterFields are filled in for the Odoo version found at start. */
    type: z
      .enum(DOCUMENT_TYPES, { message: `must be one of ${DOCUMENT_TYPES.join(', ')} (see docs/policies.md)` })
      .optional(),
    model: z
      .string({ message: 'must be an Odoo model name such as purchase.order' })
      .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, 'must be an Odoo model name such as purchase.order')
      .optional(),
    when: domainSchema.optional(),
    slack: slackTargetSchema.optional(),
    teams: teamsTargetSchema.optional(),
    /** One tier: the short form of `tiers`. */
    approvers: approverSchema.optional(),
    tiers: z.array(tierSchema).min(1).optional(),
    approve: actionSchema.optional(),
    reject: actionSchema.optional(),
    /** Fields naming who asked for the document; they may never approve it. Dotted paths follow many2one fields (`employee_id.user_id`). */
    requesterFields: z
      .array(
        z
          .string()
          .regex(
            /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/,
            'must be a user field such as user_id or employee_id.user_id',
          ),
      )
      .optional(),
    distinctApprovers: z.boolean().default(false),
    timers: timersSchema.optional(),
    infoRequests: z
      .object({ pauseTimers: z.boolean().default(true) })
      .strict()
      .default({ pauseTimers: true }),
    forward: z
      .object({ anyone: z.boolean().default(false) })
      .strict()
      .default({ anyone: false }),
    title: z.string().max(120).optional(),
    digest: flowDigestSchema.optional(),
    risk: riskSchema.optional(),
    ai: aiSchema.optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (!f.slack && !f.teams)
      ctx.addIssue({
        code: 'custom',
        path: ['slack'],
        message: 'is required (or teams): where to post cards, e.g. { channel: C0APPROVALS } or teams: {}',
      });
    if (!f.approvers && !f.tiers)
      ctx.addIssue({ code: 'custom', path: ['approvers'], message: `is required (or give tiers): ${APPROVER_HELP}` });
    if (f.approvers && f.tiers)
      ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'give either approvers (one tier) or tiers, not both' });
    // Without a preset every key must be in the file; with `type:` the check waits for the Odoo version.
    if (!f.type)
      for (const [key, help] of Object.entries(WITHOUT_PRESET))
        if (f[key as keyof typeof WITHOUT_PRESET] === undefined)
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `is required (or give \`type:\` to use a preset): ${help}`,
          });
  });

export const policySchema = z
  .object({
    calendar: calendarSchema.optional(),
    roles: z.record(roleName, approverSourceSchema(false)).default({}),
    delegations: z.array(delegationSchema).default([]),
    approvals: z
      .array(rawFlowSchema, { message: 'is required: a list of approval flows' })
      .min(1, 'needs at least one flow; see docs/policies.md for an example'),
    /** Billing exceptions as work items (docs/exceptions.md). */
    exceptions: exceptionListSchema(approverSchema, durationSchema, flowDigestSchema),
    /** Who sees every case in `/odoo status`, `pending all` and `sla`, e.g. `{ finance: { role: finance } }`. */
    access: z.object({ finance: approverSchema.optional() }).strict().optional(),
    /** Morning DMs to approvers, e.g. `{ approverDm: { at: "08:00" } }` (docs/policies.md#digests). */
    digests: digestsSchema,
  })
  .strict()
  .superRefine((policy, ctx) => {
    const seen = new Map<string, number>();
    policy.approvals.forEach((flow, i) => {
      const first = seen.get(flow.id);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['approvals', i, 'id'],
          message: `"${flow.id}" is already used by approvals[${first}]; each flow needs its own id`,
        });
      seen.set(flow.id, i);
    });
    // Every role named anywhere must be defined under `roles:`.
    const known = Object.keys(policy.roles);
    const checkRoles = (roles: string[] | undefined, path: PropertyKey[]) => {
      for (const r of roles ?? [])
        if (!known.includes(r))
          ctx.addIssue({
            code: 'custom',
            path,
            message: `role "${r}" is not defined under roles:${known.length ? ` (defined: ${known.join(', ')})` : ''}`,
          });
    };
    policy.exceptions.forEach((e, i) => {
      if (seen.has(e.id))
        ctx.addIssue({
          code: 'custom',
          path: ['exceptions', i, 'id'],
          message: `"${e.id}" is already used by another flow or exception; each needs its own id`,
        });
      seen.set(e.id, i);
      checkRoles(e.owner.role, ['exceptions', i, 'owner', 'role']);
      checkRoles(e.escalate?.to.role, ['exceptions', i, 'escalate', 'to', 'role']);
    });
    checkRoles(policy.access?.finance?.role, ['access', 'finance', 'role']);
    policy.approvals.forEach((flow, i) => {
      checkRoles(flow.approvers?.role, ['approvals', i, 'approvers', 'role']);
      checkRoles(flow.timers?.escalate?.to.role, ['approvals', i, 'timers', 'escalate', 'to', 'role']);
      flow.tiers?.forEach((t, j) => {
        checkRoles(t.approvers.role, ['approvals', i, 'tiers', j, 'approvers', 'role']);
        checkRoles(t.timers?.escalate?.to.role, ['approvals', i, 'tiers', j, 'timers', 'escalate', 'to', 'role']);
      });
    });
  });

type RawPolicy = z.infer<typeof policySchema>;
type RawTimers = z.infer<typeof timersSchema>;

function toTimers(raw: RawTimers | undefined, calendar: CalendarPolicy): TimerSettings | undefined {
  if (!raw) return undefined;
  const d = (t: string) => parseBusinessDuration(t, calendar);
  return {
    ...(raw.remind
      ? { remind: { afterMinutes: d(raw.remind.after), everyMinutes: raw.remind.every ? d(raw.remind.every) : null } }
      : {}),
    ...(raw.escalate ? { escalate: { afterMinutes: d(raw.escalate.after), to: raw.escalate.to } } : {}),
    ...(raw.expire ? { expire: { afterMinutes: d(raw.expire.after), outcome: raw.expire.outcome } } : {}),
  };
}

/** Turns the validated file into flow drafts: tiers always, durations in working minutes; presets come later. */
export function toPolicyFile(raw: RawPolicy): PolicyFile {
  const calendar: CalendarPolicy = raw.calendar ?? DEFAULT_CALENDAR;
  return {
    calendar,
    roles: raw.roles,
    delegations: raw.delegations,
    ...(raw.access ? { access: raw.access } : {}),
    ...(raw.digests ? { digests: raw.digests } : {}),
    exceptions: raw.exceptions.map((e) => toExceptionPolicy(e, calendar)),
    approvals: raw.approvals.map((f): FlowDraft => {
      const tiers: TierPolicy[] = f.tiers
        ? f.tiers.map((t) => ({ ...t, timers: toTimers(t.timers, calendar) }))
        : [{ name: 'Approval', approvers: f.approvers!, minApprovals: 1, required: [] }];
      const { approvers: _single, tiers: _tiers, timers, ...rest } = f;
      return { ...rest, tiers, timers: toTimers(timers, calendar) };
    }),
  };
}

export const POLICY_EXAMPLE = `approvals:
  - id: purchase-orders
    model: purchase.order
    when: [["state", "=", "to approve"]]
    slack: { channel: C0APPROVALS }
    approvers: { odooGroup: purchase.group_purchase_manager }
    approve: { method: button_approve }
    reject: { method: button_cancel }`;

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  );
}

/** Finds the line of a YAML path so the message can point at it. */
function lineOf(
  doc: ReturnType<typeof parseDocument>,
  counter: LineCounter,
  path: ReadonlyArray<PropertyKey>,
): number | null {
  let node: unknown = doc.contents;
  let last: unknown = node;
  for (const key of path) {
    if (isMap(node)) node = node.get(key as string, true);
    else if (isSeq(node)) node = node.get(key as number, true);
    else break;
    if (node) last = node;
  }
  const range = (last as { range?: [number, number, number] } | undefined)?.range;
  return range ? counter.linePos(range[0]).line : null;
}

/**
 * Parses and validates the file. Flows with `type:` may still lack keys the
 * preset fills for the Odoo version (`applyPresets` in src/odoo/presets.ts).
 */
export function parsePolicyFile(text: string, fileName = 'policy.yaml'): PolicyFile {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true, logLevel: 'error' });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new AppError('config.policy_yaml', 'user', `${fileName} is not valid YAML: ${e.message}`);
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (err) {
    // Aliases are resolved here: an unknown one, or too many (a "billion laughs" file).
    throw new AppError('config.policy_yaml', 'user', `${fileName} is not valid YAML: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const result = policySchema.safeParse(data);
  if (result.success) return toPolicyFile(result.data);
  const lines = result.error.issues.map((issue) => {
    const line = lineOf(doc, counter, issue.path);
    return `  ${formatPath(issue.path) || '(top level)'}${line ? ` (line ${line})` : ''}: ${issue.message}`;
  });
  throw new AppError(
    'config.policy_invalid',
    'user',
    `${fileName} has ${lines.length === 1 ? 'a problem' : `${lines.length} problems`}:\n${lines.join('\n')}\nA working example:\n${POLICY_EXAMPLE}`,
  );
}

/**
 * A complete policy without presets: every flow gives model, when, approve
 * and reject itself. With `type:` flows, use `parsePolicyFile` and
 * `applyPresets` once the Odoo version is known.
 */
export function parsePolicy(text: string, fileName = 'policy.yaml'): FlowPolicy {
  return finishPolicy(parsePolicyFile(text, fileName), fileName);
}

/** Reads the policy file; `startService` applies presets once it knows the Odoo version. */
export async function loadPolicy(path: string): Promise<PolicyFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new AppError(
      'config.policy_missing',
      'user',
      `Cannot read the policy file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}). Create it or set POLICY_FILE to its path. A minimal one:\n${POLICY_EXAMPLE}`,
      { cause: err },
    );
  }
  return parsePolicyFile(text, path);
}

export type { DocumentType, FlowDraft, PolicyFile } from './policy-file.js';
