import { z } from 'zod';
import type { FlowMethod } from '../flows/policy.js';
import { domainSchema } from './domain-schema.js';

/**
 * What `approve:` and `reject:` do in Odoo: exactly one of `method` (call a
 * public method on the document), `wizard` (create a wizard linked to the
 * document and call its method; expense refusal with a reason) or `note`
 * (change nothing in Odoo but the chatter note, optionally with a to-do
 * activity; vendor bills and sale orders have no rejection state).
 */
const methodName = z
  .string({ message: 'must be a public Odoo method name such as button_approve' })
  .regex(/^[a-z][a-z0-9_]*$/, 'must be a public Odoo method name such as button_approve (no leading underscore)');
const modelName = z
  .string({ message: 'must be an Odoo model name such as hr.expense.refuse.wizard' })
  .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, 'must be an Odoo model name such as hr.expense.refuse.wizard');
const fieldName = z
  .string({ message: 'must be a field name such as sheet_ids' })
  .regex(/^[a-z_][a-z0-9_]*$/, 'must be a field name such as sheet_ids');

const wizardSchema = z
  .object(
    {
      model: modelName,
      method: methodName,
      /** Values of the new wizard record; `{{reason}}` becomes the person's reason. */
      values: z.record(z.string(), z.unknown()).default({}),
      /** The wizard's many2many field that points at the document (`sheet_ids`, `expense_ids`). */
      link: fieldName,
    },
    {
      message:
        'must describe the wizard, e.g. { model: hr.expense.refuse.wizard, method: action_refuse, values: { reason: "{{reason}}" }, link: sheet_ids }',
    },
  )
  .strict();

const activitySchema = z
  .object({
    /** `requester` (the document's requester), or a res.users field of the document such as `invoice_user_id`. */
    to: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/, 'must be "requester" or a user field of the document, e.g. invoice_user_id')
      .default('requester'),
    summary: z.string().trim().min(1).max(120).default('Rejected in chat: please review'),
    /** Deadline in calendar days from the decision (0: today). */
    days: z.number().int().min(0).max(365).default(1),
  })
  .strict();

const ACTION_HELP =
  'give exactly one of method, wizard or note, e.g. { method: button_approve }, { wizard: { model: hr.expense.refuse.wizard, method: action_refuse, values: { reason: "{{reason}}" }, link: sheet_ids } } or { note: true, activity: { to: requester } }';

export const actionSchema = z
  .object(
    {
      method: methodName.optional(),
      /** Keyword arguments of `method`; `{{reason}}` becomes the person's reason. */
      kwargs: z.record(z.string(), z.unknown()).optional(),
      wizard: wizardSchema.optional(),
      note: z.literal(true, { message: 'must be true (or leave note out)' }).optional(),
      activity: activitySchema.optional(),
      /** Run with the deciding person's own linked Odoo API key (`/odoo link`). */
      asApprover: z.boolean().optional(),
      /**
       * What the record must look like afterwards for the call to count as done.
       * Defaults to "no longer matches the flow's `when`", because Odoo methods
       * such as `button_approve` return normally while doing nothing.
       */
      expect: domainSchema.optional(),
    },
    { message: `is required: ${ACTION_HELP}` },
  )
  .strict()
  .superRefine((a, ctx) => {
    const kinds = (['method', 'wizard', 'note'] as const).filter((k) => a[k] !== undefined);
    if (kinds.length === 0) ctx.addIssue({ code: 'custom', message: `says nothing to do: ${ACTION_HELP}` });
    if (kinds.length > 1)
      ctx.addIssue({
        code: 'custom',
        message: `gives ${kinds.join(' and ')}; ${ACTION_HELP}`,
      });
    if (a.kwargs && a.method === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['kwargs'],
        message: 'go with method (wizard values go under wizard.values)',
      });
    if (a.activity && a.note === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['activity'],
        message: 'goes with note: true (a to-do activity scheduled instead of a state change)',
      });
    if (a.expect && a.note)
      ctx.addIssue({
        code: 'custom',
        path: ['expect'],
        message: 'cannot go with note: a note changes nothing in Odoo, so there is nothing to expect',
      });
  })
  .transform((a): FlowMethod => {
    const out: FlowMethod = {};
    for (const [k, v] of Object.entries(a)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
    return out;
  });
