import { z } from 'zod';
import { validateCalendar } from '../flows/business-hours.js';
import { FACT_NAMES } from '../flows/context-ports.js';
import { validateDuration } from '../flows/duration.js';
import { domainSchema } from './domain-schema.js';

/**
 * The building blocks of the policy file's schema: chat targets, approver
 * sources, durations and timers, tiers, the calendar, delegations, digests,
 * risk limits and AI settings. `policy.ts` assembles them into the file.
 */

export const slackTargetSchema = z.object(
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

export const teamsTargetSchema = z
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
export const roleName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be a role name from `roles:`, e.g. finance-managers');

export const APPROVER_HELP =
  'who may decide: any of odooGroup, users, field, manager, departmentManager, role, e.g. { odooGroup: purchase.group_purchase_manager } or { manager: { levels: 2 } }';

export function approverSourceSchema(allowRoles: boolean) {
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

export const durationSchema = z
  .string({ message: 'must be a business-hours duration such as 30m, 4h, 1h30m, 2d or 1w' })
  .trim()
  .superRefine((v, ctx) => {
    const problem = validateDuration(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const timersSchema = z
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

export const tierSchema = z
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

export const idSchema = z
  .string({ message: 'is required: a short name for this flow, e.g. purchase-orders' })
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes, e.g. purchase-orders');

export const calendarSchema = z
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

export const delegationSchema = z
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
export const flowDigestSchema = z
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
export const digestsSchema = z
  .object({ approverDm: z.object({ at: clockTime }).strict().optional() })
  .strict()
  .optional();

const percent = z.number({ message: 'must be a percentage such as 15' }).min(0, 'must be 0 or more');

/** `risk:` on a flow: limits of its risk flags (docs/policies.md, "Summaries and risk flags"). */
export const riskSchema = z
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
export const aiSchema = z
  .object({
    enabled: z.boolean().default(true),
    facts: z.array(z.enum(FACT_NAMES, { message: `must be a fact name: one of ${FACT_NAMES.join(', ')}` })).optional(),
  })
  .strict();
