import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { auditHash, genesisHash } from '../../src/audit/audit-hash.js';
import { canonicalJson } from '../../src/audit/canonical-json.js';
import { exportAudit } from '../../src/audit/export-audit.js';
import { PgAuditLog } from '../../src/audit/pg-audit-log.js';
import type { AuditEntry, AuditEntryInput } from '../../src/flows/types.js';
import { migrate } from '../../src/store/migrate.js';
import { testDatabases } from '../support/databases.js';

function anEntry(overrides: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return {
    type: 'decision.applied',
    caseId: '6f1c1f0e-7a52-4d55-9a59-0c3f2d7c1a10',
    actor: 'slack:U123',
    data: { action: 'approve', amount: 1250.5, note: 'ok, "fine"\nnext line — café ✓' },
    ...overrides,
  };
}

/** Minimal RFC 4180 reader for the round trip. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe.each(testDatabases)('PgAuditLog on $name', (database) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function freshLog(pageSize?: number) {
    const handle = await database.connect();
    const pool = new pg.Pool({ connectionString: handle.connectionString, max: 10 });
    cleanups.push(
      () => handle.close(),
      () => pool.end(),
    );
    await migrate(pool, { schema: handle.schema });
    const table = `"${handle.schema}".audit_log`;
    return { log: new PgAuditLog(pool, { schema: handle.schema, pageSize }), pool, table };
  }

  async function all(log: PgAuditLog, options?: { caseId?: string; fromSeq?: number }): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for await (const entry of log.entries(options)) out.push(entry);
    return out;
  }

  it('chains entries from the genesis hash with the documented formula', async () => {
    const { log } = await freshLog(2);
    expect(await log.verify()).toEqual({ ok: true, count: 0, head: genesisHash });
    const first = await log.append(anEntry());
    expect(first).toMatchObject({ seq: 1, prevHash: '0'.repeat(64), caseId: anEntry().caseId });
    const body = `{"actor":"slack:U123","at":"${first.at.toISOString()}","caseId":"${first.caseId}","data":${canonicalJson(first.data)},"seq":1,"type":"decision.applied"}`;
    expect(first.hash).toBe(
      createHash('sha256')
        .update(`${'0'.repeat(64)}\n${body}`)
        .digest('hex'),
    );
    for (let i = 0; i < 4; i++) await log.append(anEntry({ caseId: null, actor: null, data: { i } }));
    const entries = await all(log);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0]).toEqual(first);
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
    expect(await log.verify()).toEqual({ ok: true, count: 5, head: entries[4]!.hash });
    expect((await all(log, { fromSeq: 4 })).map((e) => e.seq)).toEqual([4, 5]);
    expect((await all(log, { caseId: first.caseId! })).map((e) => e.seq)).toEqual([1]);
  });

  it('keeps one unbroken chain under 20 concurrent appends', async () => {
    const { log } = await freshLog();
    await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(anEntry({ data: { i } }))));
    expect((await all(log)).map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await log.verify()).toMatchObject({ ok: true, count: 20 });
  });

  it('detects an entry whose data was changed in the table', async () => {
    const { log, pool, table } = await freshLog(2);
    for (let i = 0; i < 5; i++) await log.append(anEntry({ data: { i } }));
    await pool.query(`UPDATE ${table} SET data = '{"i": 99}' WHERE seq = 3`);
    const result = await log.verify();
    expect(result).toMatchObject({ ok: false, brokenAt: 3, count: 2 });
    expect(result.ok === false && result.reason).toMatch(/hash mismatch/);
  });

  it('detects a rewritten link and a deleted entry', async () => {
    const { log, pool, table } = await freshLog(2);
    for (let i = 0; i < 5; i++) await log.append(anEntry({ data: { i } }));
    await pool.query(`UPDATE ${table} SET prev_hash = $1 WHERE seq = 5`, ['f'.repeat(64)]);
    expect(await log.verify()).toMatchObject({ ok: false, brokenAt: 5, reason: expect.stringMatching(/prev_hash/) });
    await pool.query(`DELETE FROM ${table} WHERE seq = 2`);
    const result = await log.verify();
    expect(result).toMatchObject({ ok: false, brokenAt: 2, count: 1 });
    expect(result.ok === false && result.reason).toMatch(/gap in seq/);
  });

  it('exports JSON Lines and CSV that round-trip and re-verify', async () => {
    const { log } = await freshLog(2);
    await log.append(anEntry());
    await log.append(anEntry({ caseId: null, actor: null, data: {} }));
    await log.append(anEntry({ type: 'case.opened', data: { nested: { list: [1, 'two, "three"'] } } }));
    const entries = await all(log);

    const collect = async (format: 'jsonl' | 'csv') => {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      const count = await exportAudit(log, format, out);
      return { count, text: Buffer.concat(chunks).toString('utf8') };
    };

    const jsonl = await collect('jsonl');
    expect(jsonl.count).toBe(3);
    const fromJsonl = jsonl.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line))
      .map((e) => ({ ...e, at: new Date(e.at) }));
    expect(fromJsonl).toEqual(entries);

    const csv = await collect('csv');
    expect(csv.count).toBe(3);
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toEqual(['seq', 'at', 'type', 'case_id', 'actor', 'data', 'prev_hash', 'hash']);
    const fromCsv = rows.map(([seq, at, type, caseId, actor, data, prevHash, hash]) => ({
      seq: Number(seq),
      at: new Date(at!),
      type: type!,
      caseId: caseId || null,
      actor: actor || null,
      data: JSON.parse(data!) as Record<string, unknown>,
      prevHash: prevHash!,
      hash: hash!,
    }));
    expect(fromCsv).toEqual(entries);
    // An auditor can recompute the chain from the export alone.
    let prev = genesisHash;
    for (const e of fromCsv) {
      expect(auditHash(prev, e)).toBe(e.hash);
      prev = e.hash;
    }
  });
});
