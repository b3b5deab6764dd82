import { z } from 'zod';
import { parseBusinessDuration } from '../flows/duration.js';
import type { ExceptionPolicy } from '../flows/exceptions/policy.js';
import {
  DEFAULT_OVERDUE_DAYS,
  EXCEPTION_PRESET_NAMES,
  EXCEPTION_PRESETS,
  type ExceptionPreset,
  OVERDUE_DATE_FIELD,
} from '../flows/exceptions/presets.js';
import { EXCEPTION_ACTIONS, EXCEPTION_SEVERITIES } from '../flows/exceptions/types.js';
import type { ApproverSource, CalendarPolicy, FlowDigest } from '../flows/policy.js';
import { domainSchema } from './domain-schema.js';

const EXTERNAL_TYPE = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/**
 * `exceptions:` in the policy file. Built as a function of the approver and
 * duration schemas so policy.ts (which owns them) and this file do not
 * import each other at load time.
 */
export function exceptionListSchema<
  A extends z.ZodType<ApproverSource>,
  D extends z.ZodType<string>,
  G extends z.ZodType<FlowDigest>,
>(approver: A, duration: D, digest: G) {
  const item = z
    .object({
      id: z
        .string({ message: 'is required: a short name for this exception, e.g. bill-variances' })
        .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes, e.g. bill-variances'),
      /** A built-in Odoo exception: its model and domain are filled in (see docs/exceptions.md). */
      type: z
        .enum(EXCEPTION_PRESET_NAMES as [ExceptionPreset, ...ExceptionPreset[]], {
          message: `must be one of ${EXCEPTION_PRESET_NAMES.join(', ')} (or give model and when, or external)`,
        })
        .optional(),
      /** overdue-invoice: how many days past the due date. */
      days: z.number().int().min(0).max(3650).optional(),
      model: z
        .string()
        .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, 'must be an Odoo model name such as account.move')
        .optional(),
      when: domainSchema.optional(),
      external: z
        .object({
          type: z.string().regex(EXTERNAL_TYPE, 'must be a lower-case event type such as usage-sync-failed'),
        })
        .strict()
        .optional(),
      title: z.string().trim().min(1).max(120).optional(),
      owner: approver,
      slack: z
        .object({
          channel: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'must be a Slack channel id such as C0EXCEPTIONS'),
        })
        .strict()
        .optional(),
      teams: z
        .object({ channel: z.string().trim().min(3).optional() })
        .strict()
        .optional(),
      sla: duration.optional(),
      severity: z.enum(EXCEPTION_SEVERITIES, { message: 'must be low, medium, high or critical' }).default('medium'),
      actions: z
        .array(z.enum(EXCEPTION_ACTIONS, { message: `each action is one of ${EXCEPTION_ACTIONS.join(', ')}` }))
        .min(1)
        .default([...EXCEPTION_ACTIONS]),
      resolve: z
        .object({ write: z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/), z.unknown()).optional() })
        .strict()
        .optional(),
      escalate: z.object({ to: approver }).strict().optional(),
      /** A daily list of the open exceptions, as a flow's `digest:` (docs/exceptions.md#digests). */
      digest: digest.optional(),
    })
    .strict()
    .superRefine((e, ctx) => {
      const sources = [e.type, (e.model ?? e.when) ? 'model' : undefined, e.external].filter((x) => x !== undefined);
      if (sources.length !== 1)
        ctx.addIssue({
          code: 'custom',
          path: ['type'],
          message:
            'give exactly one of: type (a built-in: bill-variance, overdue-invoice, failed-payment), model + when (an Odoo domain), or external: { type } (events posted to /events)',
        });
      if (!e.type && (e.model === undefined) !== (e.when === undefined))
        ctx.addIssue({
          code: 'custom',
          path: ['when'],
          message: 'model and when go together, e.g. model: account.move, when: [["state", "=", "posted"]]',
        });
      if (e.days !== undefined && e.type !== 'overdue-invoice')
        ctx.addIssue({ code: 'custom', path: ['days'], message: 'days applies only to type: overdue-invoice' });
      if (!e.slack && !e.teams)
        ctx.addIssue({
          code: 'custom',
          path: ['slack'],
          message: 'is required (or teams): where to post the cards, e.g. { channel: C0EXCEPTIONS }',
        });
      if (e.resolve?.write && e.external && !e.model)
        ctx.addIssue({
          code: 'custom',
          path: ['resolve', 'write'],
          message: 'external exceptions have no fixed Odoo model to write to',
        });
    });
  return z.array(item).default([]);
}

type RawException = z.infer<ReturnType<typeof exceptionListSchema>>[number];

/** Expands presets and parses durations in the calendar's working hours. */
export function toExceptionPolicy(raw: RawException, calendar: CalendarPolicy): ExceptionPolicy {
  const preset = raw.type ? EXCEPTION_PRESETS[raw.type] : null;
  const odoo = preset
    ? {
        model: preset.model,
        when: [...preset.when],
        ...(raw.type === 'overdue-invoice'
          ? { olderThan: { field: OVERDUE_DATE_FIELD, days: raw.days ?? DEFAULT_OVERDUE_DAYS } }
          : {}),
      }
    : raw.model && raw.when
      ? { model: raw.model, when: raw.when }
      : undefined;
  return {
    id: raw.id,
    type: raw.type ?? raw.external?.type ?? 'odoo',
    title: raw.title ?? preset?.title ?? (raw.external ? `External exception: ${raw.external.type}` : raw.id),
    ...(odoo ? { odoo } : {}),
    ...(raw.external ? { external: raw.external } : {}),
    owner: raw.owner,
    ...(raw.slack ? { slack: raw.slack } : {}),
    ...(raw.teams ? { teams: raw.teams } : {}),
    ...(raw.sla ? { slaMinutes: parseBusinessDuration(raw.sla, calendar) } : {}),
    severity: raw.severity,
    actions: raw.actions,
    ...(raw.resolve?.write ? { resolveWrite: raw.resolve.write } : {}),
    ...(raw.escalate ? { escalateTo: raw.escalate.to } : {}),
    ...(raw.digest ? { digest: raw.digest } : {}),
  };
}
