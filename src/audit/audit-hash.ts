import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** prev_hash of the first entry. */
export const genesisHash = '0'.repeat(64);

export interface HashedFields {
  seq: number;
  at: Date;
  type: string;
  caseId: string | null;
  actor: string | null;
  data: Record<string, unknown>;
}

/**
 * `sha256(prevHash + "\n" + canonical({seq, at, type, caseId, actor, data}))`
 * in hex, with `at` as an ISO-8601 UTC string with milliseconds. An auditor
 * can recompute it from an export with any language's SHA-256 and sorted-key JSON.
 */
export function auditHash(prevHash: string, fields: HashedFields): string {
  const body = canonicalJson({
    seq: fields.seq,
    at: fields.at.toISOString(),
    type: fields.type,
    caseId: fields.caseId,
    actor: fields.actor,
    data: fields.data,
  });
  return createHash('sha256').update(`${prevHash}\n${body}`, 'utf8').digest('hex');
}
