/**
 * Whether one Odoo record matches some domains, decided on the record as
 * read: one read for all of them (a flow's `when` and its tiers'), and a
 * `search` on the record's id only for a domain the local evaluator
 * declines. The poller still sends domains to Odoo; the property test in
 * test/integration/domain-agreement.test.ts keeps both sides in agreement.
 */
import { AppError, isAppError } from '../errors.js';
import { type DomainVerdict, decideDomain, staticDecline } from './decide-domain.js';
import type { FlowDeps } from './deps.js';
import type { Domain } from './types.js';

/** The answers for one record. Asking Odoo, when needed, happens on first use of a domain. */
export interface RecordMatches {
  /** Whether the record matches `domain`, one of the domains given to `recordMatches`. */
  matches(domain: Domain): Promise<boolean>;
  /** How many domains were decided on the record read (`local`) and how many asked of Odoo (`odoo`) so far. */
  readonly counts: { local: number; odoo: number };
}

type Deps = Pick<FlowDeps, 'documents' | 'log'>;

const keyOf = (domain: Domain) => JSON.stringify(domain);

/**
 * Reads the record once for every domain that may be decided locally, and
 * decides them; a declined domain (`child_of`, an x2many or non-stored
 * path, a value the evaluator cannot convert) is asked of Odoo when first
 * used, logged at debug with the reason. A record that does not exist
 * matches nothing; one the bot may not read is left to Odoo entirely.
 */
export async function recordMatches(deps: Deps, model: string, id: number, domains: Domain[]): Promise<RecordMatches> {
  const log = deps.log.child({ odooModel: model, odooId: id });
  const wanted = new Map(domains.map((d) => [keyOf(d), d]));
  const verdicts = new Map<string, DomainVerdict>();
  const local = [...wanted].filter(([key, d]) => {
    const why = staticDecline(d);
    if (why) verdicts.set(key, { decided: false, reason: why });
    return !why;
  });
  if (local.length > 0) {
    for (const [key, verdict] of await readAndDecide(deps, model, id, local)) verdicts.set(key, verdict);
  }

  const counts = { local: 0, odoo: 0 };
  const answers = new Map<string, Promise<boolean>>();
  const answer = async (key: string, domain: Domain): Promise<boolean> => {
    const verdict = verdicts.get(key);
    if (verdict?.decided) {
      counts.local += 1;
      return verdict.matches;
    }
    counts.odoo += 1;
    log.debug(
      { domain, reason: verdict?.reason ?? 'not decided' },
      `domain asked of Odoo: ${verdict?.reason ?? 'not decided'}`,
    );
    return (await deps.documents.matchingIds(model, domain, [id])).includes(id);
  };
  return {
    counts,
    matches(domain) {
      const key = keyOf(domain);
      if (!wanted.has(key))
        throw new AppError(
          'internal.domain_not_read',
          'internal',
          `recordMatches: ${key} was not among the domains read for ${model} ${id}; pass it to recordMatches first.`,
        );
      let found = answers.get(key);
      if (!found) {
        found = answer(key, domain);
        answers.set(key, found);
      }
      return found;
    },
  };
}

/** One read for all the domains, then a verdict each; a record the bot may not read leaves them all to Odoo. */
async function readAndDecide(
  deps: Deps,
  model: string,
  id: number,
  domains: Array<[string, Domain]>,
): Promise<Array<[string, DomainVerdict]>> {
  let read: Awaited<ReturnType<Deps['documents']['readForDomains']>>;
  try {
    read = await deps.documents.readForDomains(
      model,
      [id],
      domains.map(([, d]) => d),
    );
  } catch (err) {
    if (!isAppError(err) || err.kind !== 'forbidden') throw err;
    const reason = `the record could not be read (${err.code})`;
    return domains.map(([key]) => [key, { decided: false, reason }]);
  }
  const record = read.records.get(id);
  // `search` on the id of a record that does not exist finds nothing, whatever the domain.
  if (!record) return domains.map(([key]) => [key, { decided: true, matches: false }]);
  return domains.map(([key, d]) => [key, decideDomain(d, record, read.unread)]);
}
