import { startEmbeddedPostgres } from './embedded-postgres.js';
import { describeTarget } from './store-errors.js';

export interface OpenDatabaseOptions {
  /** A real PostgreSQL (DATABASE_URL); when unset the embedded PGlite server is started. */
  databaseUrl?: string;
  /** Directory of the embedded database, or `memory://`; ignored with `databaseUrl`. */
  dataDir: string;
}

export interface OpenedDatabase {
  /** What the store and the queue connect to; for the embedded server a loopback URL valid until `close()`. */
  connectionString: string;
  embedded: boolean;
  /** For the start-up log line; never contains the password. */
  description: string;
  /** Stops the embedded server; nothing to do for an external PostgreSQL. */
  close(): Promise<void>;
}

/**
 * Decides where state lives: DATABASE_URL when given, otherwise an embedded
 * PGlite on `dataDir` served on a loopback socket, so the store and the
 * queue reach either the same way, with `pg`.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  if (options.databaseUrl) {
    return {
      connectionString: options.databaseUrl,
      embedded: false,
      description: `PostgreSQL at ${describeTarget(options.databaseUrl)}`,
      close: async () => {},
    };
  }
  const server = await startEmbeddedPostgres({ dataDir: options.dataDir });
  let stopping: Promise<void> | undefined;
  return {
    connectionString: server.connectionString,
    embedded: true,
    description: `embedded PGlite in ${options.dataDir} (set DATABASE_URL to use PostgreSQL)`,
    close() {
      stopping ??= server.stop();
      return stopping;
    },
  };
}
