import type { Domain, DomainLeaf, DomainTerm, FieldValue, OdooRecord } from '../../src/flows/types.js';

/** The comparable value of a field: a many2one's id, Odoo's `false` for empty. */
function plain(value: FieldValue | undefined): string | number | boolean | null {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return value.id;
  return value;
}

function leaf(record: OdooRecord, [field, op, value]: DomainLeaf): boolean {
  const actual = plain(record[field]);
  const expected = value === null ? false : value;
  switch (op) {
    case '=':
      return actual === expected;
    // No hierarchy in the fake: a record is its own parent and child, as in the fake Odoo server.
    case 'child_of':
    case 'parent_of':
      return Array.isArray(expected) ? expected.some((v) => v === actual) : actual === expected;
    case '!=':
      return actual !== expected;
    case 'in':
    case 'not in': {
      if (!Array.isArray(expected)) throw new Error(`domain leaf ${field} ${op} needs a list`);
      const found = expected.some((v) => v === actual);
      return op === 'in' ? found : !found;
    }
    default:
      throw new Error(
        `the fake Odoo evaluates only =, !=, in, not in, child_of and parent_of; got "${op}" on ${field}`,
      );
  }
}

/**
 * A small evaluator for prefix domains with `&`, `|`, `!` and flat
 * `=`/`!=`/`in`/`not in` leaves (and `child_of`/`parent_of` without a
 * hierarchy); enough for flow `when` clauses in tests.
 */
export function matchDomain(record: OdooRecord, domain: Domain): boolean {
  const stack: boolean[] = [];
  for (let i = domain.length - 1; i >= 0; i--) {
    const term = domain[i] as DomainTerm;
    if (term === '!') stack.push(!stack.pop());
    else if (term === '&' || term === '|') {
      const a = stack.pop() ?? true;
      const b = stack.pop() ?? true;
      stack.push(term === '&' ? a && b : a || b);
    } else stack.push(leaf(record, term));
  }
  return stack.every(Boolean);
}
