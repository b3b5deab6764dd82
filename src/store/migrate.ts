import type pg from 'pg';
import { AppError } from '../errors.js';
import type { Logger } from '../flows/ports.js';
import { Database } from './database.js';
import { migrations as allMigrations, type Migration } from './migrations/index.js';
import { defaultSchema, quoteSchema } from './schema-name.js';
import { describeTarget, storeErrorCodes } from './store-errors.js';

export interface MigrateOptions {
  /** Schema for every table; tests use a throw-away one. */
  schema?: string;
  logger?: Logger;
  /** For tests of the runner itself; defaults to every shipped migration. */
  migrations?: readonly Migration[];
}

export interface MigrateResult {
  applied: number[];
  version: number;
}

/**
 * Brings the schema up to date. Several processes may start together: the
 * whole run is one transaction holding an advisory lock, so one applies the
 * migrations and the others then find nothing left to do.
 */
export async function migrate(db: Database | pg.Pool, options: MigrateOptions = {}): Promise<MigrateResult> {
  const database = db instanceof Database ? db : new Database(db, describeTarget(db.options.connectionString ?? ''));
  const schema = options.schema ?? defaultSchema;
  const s = quoteSchema(schema);
  const list = [...(options.migrations ?? allMigrations)].sort((a, b) => a.version - b.version);
  const result = await database.transaction('apply database migrations', async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`odoo-chatops.migrate.${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.chatops_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = await client.query<{ version: number }>(`SELECT version FROM ${s}.chatops_migrations`);
    const doneVersions = new Set(done.rows.map((r) => r.version));
    const known = new Set(list.map((m) => m.version));
    const newest = Math.max(0, ...doneVersions);
    if (newest > Math.max(0, ...known)) {
      throw new AppError(
        storeErrorCodes.migrationFailed,
        'internal',
        `The database schema "${schema}" is at version ${newest}, newer than this release knows (${Math.max(0, ...known)}). ` +
          'Run the newer release of odoo-chatops, or restore a backup taken before the upgrade.',
      );
    }
    const applied: number[] = [];
    for (const migration of list) {
      if (doneVersions.has(migration.version)) continue;
      try {
        await client.query(migration.sql(s));
      } catch (err) {
        throw new AppError(
          storeErrorCodes.migrationFailed,
          'internal',
          `Database migration ${migration.version} (${migration.name}) failed in schema "${schema}": ${(err as Error).message}. ` +
            'Nothing was changed; fix the cause (permissions, a hand-made table in the way) and start again.',
          { cause: err },
        );
      }
      await client.query(`INSERT INTO ${s}.chatops_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    return { applied, version: Math.max(newest, ...applied) };
  });
  if (result.applied.length > 0) {
    options.logger?.info({ schema, applied: result.applied }, 'database migrations applied');
  }
  return result;
}
