import type { Domain, DomainOperator, DomainTerm } from './types.js';

/** Every operator of an Odoo domain leaf that the policy file accepts, defined once. */
export const DOMAIN_OPERATORS = [
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
] as const satisfies readonly DomainOperator[];

const ARITY: Record<'&' | '|' | '!', number> = { '&': 2, '|': 2, '!': 1 };

/**
 * Checks that a prefix-notation domain is well formed, the way Odoo reads
 * it: the terms at top level are joined by an implicit `&`, and each operator
 * needs its operands. Returns a sentence for the person, or null.
 */
export function checkDomainArity(domain: Domain): string | null {
  // Walk right to left counting complete expressions on a stack.
  let stack = 0;
  for (let i = domain.length - 1; i >= 0; i--) {
    const term = domain[i] as DomainTerm;
    if (typeof term === 'string') {
      const need = ARITY[term];
      if (stack < need)
        return `operator "${term}" at position ${i} needs ${need} condition${need > 1 ? 's' : ''} after it, e.g. ["|", ["state", "=", "draft"], ["state", "=", "sent"]]`;
      stack = stack - need + 1;
    } else {
      stack += 1;
    }
  }
  return null;
}

/** Joins domains with Odoo's implicit `&`. */
export function andDomains(...domains: Domain[]): Domain {
  return domains.flat();
}
