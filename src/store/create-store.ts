import { PgAuditLog } from '../audit/pg-audit-log.js';
import type { Logger } from '../flows/ports.js';
import { openDatabase } from './open-database.js';
import { PgStore } from './pg-store.js';

export interface CreateStoreOptions {
  /** A real PostgreSQL; when unset the embedded PGlite server is started on `dataDir`. */
  databaseUrl?: string;
  /** Directory of the embedded database (or `memory://`); ignored with `databaseUrl`. */
  dataDir: string;
  poolSize?: number;
  logger?: Logger;
  /** Schema of the store's tables (default `chatops`). */
  schema?: string;
}

export interface CreatedStore {
  store: PgStore;
  audit: PgAuditLog;
  /**
   * Where the database listens, so the queue can connect to the same one.
   * For the embedded server it is a loopback URL valid until `close()`.
   */
  connectionString: string;
  embedded: boolean;
  /** Closes the pool, then stops the embedded server if this call started one. */
  close(): Promise<void>;
}

/** Opens the store (migrated) and its audit log on DATABASE_URL, or on an embedded PGlite when there is none. */
export async function createStore(options: CreateStoreOptions): Promise<CreatedStore> {
  const database = await openDatabase({ databaseUrl: options.databaseUrl, dataDir: options.dataDir });
  let store: PgStore;
  try {
    store = await PgStore.connect(database.connectionString, {
      poolSize: options.poolSize,
      logger: options.logger,
      schema: options.schema,
    });
  } catch (err) {
    await database.close().catch(() => undefined);
    throw err;
  }
  const audit = new PgAuditLog(store.pool, { schema: store.schema });
  let closing: Promise<void> | undefined;
  return {
    store,
    audit,
    connectionString: database.connectionString,
    embedded: database.embedded,
    close() {
      closing ??= (async () => {
        try {
          await store.close();
        } finally {
          await database.close();
        }
      })();
      return closing;
    },
  };
}
