import type pg from 'pg';
import { toStoreError } from './store-errors.js';

/**
 * A `pg` pool used the one way that is safe on both backends: every unit of
 * more than one statement runs in BEGIN … COMMIT on one client, nothing
 * relies on session state (no SET outside a transaction, no temp tables, no
 * named prepared statements), and `pg` errors are wrapped once, here.
 *
 * The embedded server serves every connection from ONE PGlite session and
 * keeps the session with a connection only while its transaction is open,
 * so these rules are what make concurrent callers safe there.
 */
export class Database {
  constructor(
    readonly pool: pg.Pool,
    /** host:port/db for error messages, never the password. */
    readonly target: string,
  ) {}

  /**
   * Runs `fn` in one transaction on one client. Never touch the pool from
   * inside `fn`: on the embedded server that waits for this very transaction.
   */
  async transaction<T>(operation: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw toStoreError(err, this.target, operation);
    }
    let broken: unknown;
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackErr) {
        broken = rollbackErr;
      }
      throw toStoreError(err, this.target, operation);
    } finally {
      // A client whose ROLLBACK failed is in an unknown state: destroy it.
      client.release(broken instanceof Error ? broken : broken === undefined ? undefined : true);
    }
  }

  /** One statement; autocommit is its own transaction. */
  async query<R extends pg.QueryResultRow>(
    operation: string,
    text: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(text, values);
    } catch (err) {
      throw toStoreError(err, this.target, operation);
    }
  }
}
