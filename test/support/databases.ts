import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/store/embedded-postgres.js';

/** A database for one test file: where it is, the schema to use, and how to clean up. */
export interface TestDatabaseHandle {
  connectionString: string;
  /** A schema nobody else uses; pass it to PgStore / PgAuditLog. */
  schema: string;
  /** Drops the schema (PostgreSQL) or stops the server (PGlite). */
  close(): Promise<void>;
}

export interface TestDatabase {
  name: 'postgres' | 'pglite';
  connect(): Promise<TestDatabaseHandle>;
}

/** The local PostgreSQL the test machine runs; TEST_DATABASE_URL overrides. */
export const testPostgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema on the shared PostgreSQL, dropped again by `close()`. */
export const postgresDatabase: TestDatabase = {
  name: 'postgres',
  async connect() {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    return {
      connectionString: testPostgresUrl,
      schema,
      async close() {
        const client = new pg.Client({ connectionString: testPostgresUrl });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await client.end();
        }
      },
    };
  },
};

/** A throw-away in-memory PGlite behind the embedded socket server. */
export const pgliteDatabase: TestDatabase = {
  name: 'pglite',
  async connect() {
    const server = await startEmbeddedPostgres({ dataDir: 'memory://' });
    return { connectionString: server.connectionString, schema: 'chatops', close: () => server.stop() };
  },
};

/** Both backends, for `describe.each(testDatabases)` contract suites. */
export const testDatabases: TestDatabase[] = [postgresDatabase, pgliteDatabase];
