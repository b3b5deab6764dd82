/**
 * Decides a domain on a record already read, or says why it cannot be
 * decided here so the caller asks Odoo instead. A result, not an exception:
 * declining is an expected outcome (hierarchy operators, paths the reader
 * could not load), and the caller logs and counts it.
 */
import { isAppError } from '../errors.js';
import { type DomainRecord, domainPaths } from './domain-fields.js';
import { evaluateDomain } from './evaluate-domain.js';
import type { Domain } from './types.js';

/** Decided on the record, or left to Odoo with the reason (for the debug log). */
export type DomainVerdict = { decided: true; matches: boolean } | { decided: false; reason: string };

/** Operators that need Odoo's record hierarchy (`parent_path`), which a read does not give. */
const HIERARCHY = new Set<string>(['child_of', 'parent_of']);

/**
 * Why the domain cannot be decided on any record read, before reading:
 * a hierarchy operator. Null when it can be tried.
 */
export function staticDecline(domain: Domain): string | null {
  for (const term of domain) {
    if (Array.isArray(term) && HIERARCHY.has(term[1]))
      return `"${term[0]}" uses "${term[1]}", which needs Odoo's record hierarchy`;
  }
  return null;
}

/**
 * True when `search` would leave the record out whatever the domain says:
 * Odoo hides archived records (`active` false) unless the domain names
 * `active` itself. Related records along dotted paths are not filtered.
 */
function hiddenAsArchived(domain: Domain, record: DomainRecord): boolean {
  return record.active === false && !domain.some((t) => Array.isArray(t) && t[0] === 'active');
}

/**
 * Decides `domain` on `record` as Odoo's `search` would on the record's id.
 * `unread` lists dotted paths the reader did not load (with why); a domain
 * using one is declined. So is one the evaluator refuses (`domain.*` errors:
 * a value it cannot convert, a related record it lacks): Odoo then decides,
 * or refuses the domain as it did before the local evaluator existed.
 */
export function decideDomain(
  domain: Domain,
  record: DomainRecord,
  unread: ReadonlyMap<string, string> = new Map(),
): DomainVerdict {
  const hierarchy = staticDecline(domain);
  if (hierarchy) return { decided: false, reason: hierarchy };
  for (const path of domainPaths(domain)) {
    const why = unread.get(path.join('.'));
    if (why) return { decided: false, reason: why };
  }
  try {
    const matches = evaluateDomain(domain, record);
    return { decided: true, matches: matches && !hiddenAsArchived(domain, record) };
  } catch (err) {
    if (isAppError(err) && err.code.startsWith('domain.')) return { decided: false, reason: err.message };
    throw err;
  }
}
