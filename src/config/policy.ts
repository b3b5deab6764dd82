import { readFile } from 'node:fs/promises';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { checkDomainArity } from '../flows/domain.js';
import type { Policy as FlowPolicy } from '../flows/policy.js';
import type { Domain } from '../flows/types.js';

/**
 * The policy file: which Odoo documents need whom, and where to ask. Parsed
 * with zod at start-up; an error names the YAML path and line, what was
 * expected, and shows an example.
 */
const OPERATORS = [
  '=',
  '!=',
  '>',
  '>=',
  '<',
  '<=',
  'in',
  'not in',
  'like',
  'ilike',
  'not like',
  'not ilike',
  '=like',
  '=ilike',
  'child_of',
  'parent_of',
] as const;

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const leafSchema = z.tuple([
  z.string().min(1, 'field name must not be empty'),
  z.enum(OPERATORS, { message: `operator must be one of ${OPERATORS.join(', ')}` }),
  z.union([scalar, z.array(z.union([z.string(), z.number(), z.boolean()]))]),
]);
const termSchema = z.union([z.enum(['&', '|', '!']), leafSchema], {
  message: `each domain term is "&", "|", "!" or a [field, operator, value] triple with operator one of ${OPERATORS.join(', ')}, e.g. ["state", "=", "to approve"]`,
});

export const domainSchema = z
  .array(termSchema, { message: 'must be an Odoo domain, e.g. [["state", "=", "to approve"]]' })
  .superRefine((domain, ctx) => {
    const problem = checkDomainArity(domain as Domain);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((d) => d as Domain);

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

const approversSchema = z
  .object(
    {
      odooGroup: z
        .string({ message: 'is required: an Odoo group XML id such as purchase.group_purchase_manager' })
        .regex(/^[a-z0-9_]+\.[a-zA-Z0-9_]+$/, 'must be an Odoo group XML id such as purchase.group_purchase_manager'),
    },
    { message: 'is required: who may decide, e.g. { odooGroup: purchase.group_purchase_manager }' },
  )
  .strict();

const methodSchema = z.object(
  {
    method: z
      .string({ message: 'is required: the Odoo method to call, e.g. button_approve' })
      .regex(/^[a-z][a-z0-9_]*$/, 'must be a public Odoo method name such as button_approve (no leading underscore)'),
    /** Keyword arguments passed to the method. */
    kwargs: z.record(z.string(), z.unknown()).optional(),
    /**
     * What the record must look like afterwards for the call to count as done.
     * Defaults to "no longer matches the flow's `when`", because Odoo methods
     * such as `button_approve` return normally while doing nothing.
     */
    expect: domainSchema.optional(),
  },
  { message: 'is required: the Odoo method to call, e.g. { method: button_approve }' },
);

const idSchema = z
  .string({ message: 'is required: a short name for this flow, e.g. purchase-orders' })
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes, e.g. purchase-orders');

export const approvalFlowSchema = z
  .object({
    id: idSchema,
    model: z
      .string({ message: 'is required: the Odoo model, e.g. purchase.order' })
      .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/, 'must be an Odoo model name such as purchase.order'),
    when: domainSchema,
    slack: slackTargetSchema,
    approvers: approversSchema,
    approve: methodSchema,
    reject: methodSchema,
    /** Fields naming who asked for the document; they may never approve it. */
    requesterFields: z.array(z.string().min(1)).default(['user_id', 'create_uid']),
    title: z.string().max(120).optional(),
  })
  .strict();

export const policySchema = z
  .object({
    approvals: z
      .array(approvalFlowSchema, { message: 'is required: a list of approval flows' })
      .min(1, 'needs at least one flow; see docs/policies.md for an example'),
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
  });

export type ApprovalFlow = z.infer<typeof approvalFlowSchema>;
export type Policy = z.infer<typeof policySchema>;
// The parsed policy must be exactly what the flow engine expects.
type Assignable<T extends FlowPolicy> = T;
export type PolicyMatchesFlows = Assignable<Policy>;

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

export function parsePolicy(text: string, fileName = 'policy.yaml'): Policy {
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
  if (result.success) return result.data;
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

export async function loadPolicy(path: string): Promise<Policy> {
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
  return parsePolicy(text, path);
}
