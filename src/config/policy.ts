import { readFile } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { validateCalendar } from '../flows/business-hours.js';
import { FACT_NAMES } from '../flows/context-ports.js';
import { parseBusinessDuration, validateDuration } from '../flows/duration.js';
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

export { domainSchema } from './domain-schema.js';

/**
 * The policy file: which Odoo documents need whom, and where to ask. Parsed
 * with zod at start-up; an error names the YAML path and line, what was
 * expected, and shows an example.
 */
const slackTargetSchema = z.object(
  {
    channel: z
      .string({ message: 'is required: the Slack channel id to post cards in, e.g. C0APPROVALS' })
      .regex(
        /^[CG][A-Z0-9]{2,}$/,
        'must be a Slack channel id such as C0APPROVALS (right-click the channel → Copy link; the id is the last part)',
      ),
    /** Also DM each approver with a Slack account. */
    dmApprovers: z.boolean().default(true),
  },
  { message: 'is required: where to post cards, e.g. { channel: C0APPROVALS }' },
);

const teamsTargetSchema = z
  .object({
    /** A Teams conversation id (19:…@thread.tacv2); optional: an admin can link one with `link channel <flow>` in Teams. */
    channel: z.string().trim().min(3, 'must be a Teams conversation id such as 19:abc…@thread.tacv2').optional(),
    dmApprovers: z.boolean().default(true),
  })
  .strict();

const oneOrMany = <T extends z.ZodTypeAny>(item: T) =>
  z.union([item, z.array(item).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]) as Array<z.infer<T>>);

const groupXmlId = z
  .string({ message: 'must be an Odoo group XML id such as purchase.group_purchase_manager' })
  .regex(/^[a-z0-9_]+\.[a-zA-Z0-9_]+$/, 'must be an Odoo group XML id such as purchase.group_purchase_manager');
const userKey = z
  .string({ message: 'must be an Odoo login or email, e.g. mia@acme.com' })
  .trim()
  .min(1, 'must be an Odoo login or email, e.g. mia@acme.com');
const fieldName = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'must be a field name such as user_id');
const roleName = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be a role name from `roles:`, e.g. finance-managers');

const APPROVER_HELP =
  'who may decide: any of odooGroup, users, field, manager, departmentManager, role, e.g. { odooGroup: purchase.group_purchase_manager } or { manager: { levels: 2 } }';

function approverSourceSchema(allowRoles: boolean) {
  return z
    .object(
      {
        odooGroup: oneOrMany(groupXmlId).optional(),
        users: oneOrMany(userKey).optional(),
        field: oneOrMany(fieldName).optional(),
        manager: z
          .union([z.literal(true), z.object({ levels: z.number().int().min(1).max(5, 'at most 5 levels') }).strict()])
          .transform((v) => (v === true ? { levels: 1 } : v))
          .optional(),
        departmentManager: z.boolean().optional(),
        role: oneOrMany(roleName).optional(),
      },
      { message: `is required: ${APPROVER_HELP}` },
    )
    .strict()
    .refine((v) => Object.values(v).some((x) => x !== undefined && x !== false), {
      message: `names nobody: give ${APPROVER_HELP}`,
    })
    .refine((v) => allowRoles || v.role === undefined, {
      message: 'a role is defined from groups, users, fields or managers, not from other roles',
    });
}
export const approverSchema = approverSourceSchema(true);

const durationSchema = z
  .string({ message: 'must be a business-hours duration such as 30m, 4h, 1h30m, 2d or 1w' })
  .trim()
  .superRefine((v, ctx) => {
    const problem = validateDuration(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const timersSchema = z
  .object({
    remind: z.object({ after: durationSchema, every: durationSchema.optional() }).strict().optional(),
    escalate: z.object({ after: durationSchema, to: approverSchema }).strict().optional(),
    expire: z
      .object({
        after: durationSchema,
        outcome: z.enum(['close', 'reject'], { message: 'must be close or reject (never approve)' }).default('close'),
      })
      .strict()
      .optional(),
  })
  .strict();

const tierSchema = z
  .object({
    name: z.string().trim().min(1).max(60),
    when: domainSchema.optional(),
    minAmount: z.number().nonnegative().optional(),
    maxAmount: z.number().nonnegative().optional(),
    approvers: approverSchema,
    minApprovals: z.number().int().min(1).max(20).default(1),
    required: z.array(userKey).default([]),
    timers: timersSchema.optional(),
  })
  .strict();

const idSchema = z
  .string({ message: 'is required: a short name for this flow, e.g. purchase-orders' })
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes, e.g. purchase-orders');

const calendarSchema = z
  .object({
    timeZone: z.string().refine(
      (tz) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      },
      { message: 'must be an IANA time zone such as Europe/Brussels or America/New_York' },
    ),
    workingDays: z
      .array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']))
      .min(1)
      .default(['mon', 'tue', 'wed', 'thu', 'fri']),
    hours: z
      .array(
        z
          .object({
            start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM, e.g. 09:00'),
            end: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM, e.g. 17:30'),
          })
          .strict()
          .refine((h) => h.end > h.start, { message: 'end must be after start on the same day' }),
      )
      .min(1)
      .default([{ start: '09:00', end: '17:00' }]),
    holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')).default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    const problem = validateCalendar(c);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const delegationSchema = z
  .object({
    from: userKey,
    to: userKey,
    start: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
      .optional(),
    until: z
      .string({ message: 'is required: the last day of the delegation, YYYY-MM-DD' })
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'),
  })
  .strict()
  .refine((d) => d.from.toLowerCase() !== d.to.toLowerCase(), { message: 'cannot delegate to oneself' });

const clockTime = z
  .string({ message: 'must be a time of day HH:MM, e.g. "08:30" (quote it in YAML)' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day HH:MM, e.g. "08:30" (quote it in YAML)');

/** `digest:` on a flow: a daily list of what waits and what is past its SLA (docs/policies.md#digests). */
const flowDigestSchema = z
  .object(
    {
      at: clockTime,
      channel: z
        .string()
        .regex(/^[CG][A-Z0-9]{2,}$/, 'must be a Slack channel id such as C0APPROVALS')
        .optional(),
      teamsChannel: z.string().trim().min(3, 'must be a Teams conversation id such as 19:abc…@thread.tacv2').optional(),
    },
    { message: 'must say when to post, e.g. { at: "08:30", channel: C0APPROVALS }' },
  )
  .strict();

/** `digests:` at the top level: a morning DM to each approver with their queue. */
const digestsSchema = z
  .object({ approverDm: z.object({ at: clockTime }).strict().optional() })
  .strict()
  .optional();

const percent = z.number({ message: 'must be a percentage such as 15' }).min(0, 'must be 0 or more');

/** `risk:` on a flow: limits of its risk flags (docs/policies.md, "Summaries and risk flags"). */
const riskSchema = z
  .object({
    priceIncreasePct: percent.optional(),
    maxDiscountPct: percent.max(100, 'must be at most 100').optional(),
    minMarginPct: z.number({ message: 'must be a percentage such as 10' }).max(100, 'must be at most 100').optional(),
    amountFactor: z.number({ message: 'must be a number such as 3' }).gt(1, 'must be more than 1, e.g. 3').optional(),
    splitWindowDays: z
      .number({ message: 'must be a number of days such as 7' })
      .int('must be whole days')
      .min(1, 'must be at least 1')
      .max(90, 'must be at most 90')
      .optional(),
  })
  .strict();

/** `ai:` on a flow: whether the AI drafts its summaries, and which facts it may see. */
const aiSchema = z
  .object({
    enabled: z.boolean().default(true),
    facts: z.array(z.enum(FACT_NAMES, { message: `must be a fact name: one of ${FACT_NAMES.join(', ')}` })).optional(),
  })
  .strict();

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
