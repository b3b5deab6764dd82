import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { CredentialVault } from '../../src/store/credential-vault.js';
import { migrate } from '../../src/store/migrate.js';
import { type CredentialStore, PgCredentialStore } from '../../src/store/pg-credential-store.js';
import { type TestDatabaseHandle, testDatabases } from '../support/databases.js';

/** An Odoo-shaped API key: 20 random bytes as 40 hex digits. */
function anApiKey(): string {
  return randomBytes(20).toString('hex');
}

let nextUserId = 100;
function aUserId(): number {
  return nextUserId++;
}

describe.each(testDatabases)('PgCredentialStore on $name', (database) => {
  let handle: TestDatabaseHandle;
  let pool: pg.Pool;
  let key: Buffer;
  let store: CredentialStore;
  let table: string;

  beforeAll(async () => {
    handle = await database.connect();
    pool = new pg.Pool({ connectionString: handle.connectionString, max: 3 });
    await migrate(pool, { schema: handle.schema });
    key = randomBytes(32);
    store = new PgCredentialStore(pool, new CredentialVault(key), { schema: handle.schema });
    table = `"${handle.schema}".user_credentials`;
  });

  afterAll(async () => {
    await pool?.end();
    await handle?.close();
  });

  async function rawRow(odooUserId: number): Promise<Record<string, unknown> | undefined> {
    const r = await pool.query(`SELECT * FROM ${table} WHERE odoo_user_id = $1`, [odooUserId]);
    return r.rows[0];
  }

  it('saves, reads back, and reports presence', async () => {
    const id = aUserId();
    const apiKey = anApiKey();
    expect(await store.has(id)).toBe(false);
    expect(await store.get(id)).toBeNull();
    await store.save(id, 'marc@example.com', apiKey);
    expect(await store.has(id)).toBe(true);
    expect(await store.get(id)).toEqual({ login: 'marc@example.com', apiKey });
  });

  it('never stores the plaintext key in any column', async () => {
    const id = aUserId();
    const apiKey = anApiKey();
    await store.save(id, 'marc@example.com', apiKey);
    const r = await pool.query<{ row: string }>(
      `SELECT row_to_json(t)::text AS row FROM ${table} t WHERE odoo_user_id = $1`,
      [id],
    );
    expect(r.rows[0]!.row).not.toContain(apiKey);
    expect(r.rows[0]!.row).toContain('marc@example.com');
    expect(String((await rawRow(id))!.sealed)).toMatch(/^v1\.[0-9a-f]{8}\./);
  });

  it('overwrites an earlier key and clears its usage and error', async () => {
    const id = aUserId();
    await store.save(id, 'old@example.com', anApiKey());
    await store.markUsed(id);
    await store.markFailed(id, 'Odoo said: Invalid apikey');
    const created = (await rawRow(id))!.created_at as Date;
    const apiKey = anApiKey();
    await store.save(id, 'new@example.com', apiKey);
    expect(await store.get(id)).toEqual({ login: 'new@example.com', apiKey });
    const row = (await rawRow(id))!;
    expect(row.created_at).toEqual(created);
    expect(row.last_used_at).toBeNull();
    expect(row.last_error).toBeNull();
  });

  it('removes a key, saying whether there was one', async () => {
    const id = aUserId();
    await store.save(id, 'marc@example.com', anApiKey());
    expect(await store.remove(id)).toBe(true);
    expect(await store.has(id)).toBe(false);
    expect(await store.get(id)).toBeNull();
    expect(await store.remove(id)).toBe(false);
  });

  it('records use and failure, keeping the error short; a use clears the error', async () => {
    const id = aUserId();
    await store.save(id, 'marc@example.com', anApiKey());
    expect((await rawRow(id))!.last_used_at).toBeNull();
    await store.markFailed(id, `Invalid apikey ${'x'.repeat(2000)}`);
    let row = (await rawRow(id))!;
    expect(String(row.last_error)).toMatch(/^Invalid apikey/);
    expect(String(row.last_error).length).toBeLessThanOrEqual(500);
    await store.markUsed(id);
    row = (await rawRow(id))!;
    expect(row.last_used_at).toBeInstanceOf(Date);
    expect(row.last_error).toBeNull();
    // Marking an unknown user is a no-op, not an error.
    await store.markUsed(aUserId());
    await store.markFailed(aUserId(), 'nobody');
  });

  it('refuses a row copied onto another user, without quoting the sealed value', async () => {
    const victim = aUserId();
    const attacker = aUserId();
    await store.save(victim, 'victim@example.com', anApiKey());
    await store.save(attacker, 'attacker@example.com', anApiKey());
    const sealed = String((await rawRow(victim))!.sealed);
    await pool.query(`UPDATE ${table} SET sealed = $2 WHERE odoo_user_id = $1`, [attacker, sealed]);
    const err = await store.get(attacker).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'credentials.undecryptable', kind: 'internal' });
    const shown = `${(err as AppError).message} ${JSON.stringify((err as AppError).details)}`;
    expect(shown).not.toContain(sealed);
    expect(shown).not.toContain(sealed.split('.')[3]!);
  });

  it('cannot read keys sealed under a different CREDENTIALS_KEY', async () => {
    const id = aUserId();
    await store.save(id, 'marc@example.com', anApiKey());
    const other = new PgCredentialStore(pool, new CredentialVault(randomBytes(32)), { schema: handle.schema });
    await expect(other.get(id)).rejects.toMatchObject({
      code: 'credentials.undecryptable',
      details: { reason: 'unknown_key' },
    });
  });

  it('re-encrypts a key of the previous CREDENTIALS_KEY with the current one when it is read', async () => {
    const id = aUserId();
    const apiKey = anApiKey();
    await store.save(id, 'marc@example.com', apiKey);
    const before = String((await rawRow(id))!.sealed);
    const newKey = randomBytes(32);
    const rotating = new PgCredentialStore(pool, new CredentialVault(newKey, key), { schema: handle.schema });
    expect(await rotating.get(id)).toEqual({ login: 'marc@example.com', apiKey });
    const after = String((await rawRow(id))!.sealed);
    expect(after).not.toBe(before);
    expect(after.split('.')[1]).toBe(new CredentialVault(newKey).keyId);
    // The old key is no longer needed for this row.
    const rotated = new PgCredentialStore(pool, new CredentialVault(newKey), { schema: handle.schema });
    expect(await rotated.get(id)).toEqual({ login: 'marc@example.com', apiKey });
  });

  it('rejects an empty key or login and a bad user id before touching the database', async () => {
    await expect(store.save(aUserId(), 'marc@example.com', '  ')).rejects.toMatchObject({
      code: 'credentials.bad_input',
      kind: 'user',
    });
    await expect(store.save(aUserId(), '', anApiKey())).rejects.toMatchObject({ code: 'credentials.bad_input' });
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 31]) {
      await expect(store.get(bad)).rejects.toMatchObject({ code: 'credentials.bad_input' });
    }
  });
});

describe('PgCredentialStore on an unreachable database', () => {
  let pool: pg.Pool | undefined;
  afterEach(async () => {
    await pool?.end();
  });

  it('fails with transient store.unavailable and never shows the key', async () => {
    pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/test', connectionTimeoutMillis: 2000 });
    const store = new PgCredentialStore(pool, new CredentialVault(randomBytes(32)));
    const apiKey = anApiKey();
    const err = (await store.save(1, 'marc@example.com', apiKey).catch((e: unknown) => e)) as AppError;
    expect(err).toMatchObject({ code: 'store.unavailable', kind: 'transient' });
    expect(err.message).not.toContain(apiKey);
    expect(err.message).not.toMatch(/v1\.[0-9a-f]{8}\./);
  });
});
