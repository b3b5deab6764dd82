import { z } from 'zod';
import { checkDomainArity, DOMAIN_OPERATORS } from '../flows/domain.js';
import type { Domain } from '../flows/types.js';

/** Odoo domains as the policy file writes them; the same shape is sent to Odoo and evaluated locally. */
const OPERATORS = DOMAIN_OPERATORS;

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
