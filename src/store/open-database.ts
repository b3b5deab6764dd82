import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../errors.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { describeTarget } from './store-errors.js';

export interface OpenDatabaseOptions {
  /** A real PostgreSQL (DATABASE_URL); when unset the embedded PGlite server is used. */
  databaseUrl?: string | undefined;
  /** Directory of the embedded database, or `memory://`; ignored with `databaseUrl`. */
  dataDir: string;
}

export interface OpenedDatabase {
  /** What the store and the queue connect to; for the embedded server a loopback URL valid until `close()`. */
  connectionString: string;
  embedded: boolean;
  /** For the start-up log line; never contains the password. */
  description: string;
  /** Stops the embedded server this process started; nothing to do otherwise. */
  close(): Promise<void>;
}

interface LockFile {
  pid: number;
  connectionString: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Decides where state lives: DATABASE_URL when given, otherwise the embedded
 * PGlite in `dataDir`, served on a loopback socket so the store and the
 * queue reach either the same way, with `pg`. PGlite files must only ever be
 * opened by one process: the first records its loopback address in a lock
 * file, and later ones (`audit verify` beside a running service) connect
 * through it instead of opening the files a second time.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  if (options.databaseUrl)
    return {
      connectionString: options.databaseUrl,
      embedded: false,
      description: `PostgreSQL at ${describeTarget(options.databaseUrl)}`,
      close: async () => {},
    };
  const inMemory = options.dataDir.startsWith('memory://');
  const lockPath = join(options.dataDir, '.chatops-lock.json');
  if (!inMemory) {
    try {
      const lock = JSON.parse(await readFile(lockPath, 'utf8')) as LockFile;
      if (lock.pid !== process.pid && alive(lock.pid))
        return {
          connectionString: lock.connectionString,
          embedded: true,
          description: `embedded PGlite in ${options.dataDir}, served by the running process ${lock.pid}`,
          close: async () => {},
        };
    } catch {
      // No lock, or a stale one: this process opens the database.
    }
    await mkdir(options.dataDir, { recursive: true });
  }
  let server: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  try {
    server = await startEmbeddedPostgres({ dataDir: options.dataDir });
  } catch (err) {
    throw new AppError(
      'store.embedded_failed',
      'internal',
      `Could not open the embedded database in ${options.dataDir}: ${err instanceof Error ? err.message : String(err)}. Check that DATA_DIR is writable, or set DATABASE_URL to use a PostgreSQL server.`,
      { cause: err },
    );
  }
  if (!inMemory)
    await writeFile(
      lockPath,
      JSON.stringify({ pid: process.pid, connectionString: server.connectionString } satisfies LockFile),
    );
  let stopping: Promise<void> | undefined;
  return {
    connectionString: server.connectionString,
    embedded: true,
    description: `embedded PGlite in ${options.dataDir} (set DATABASE_URL to use PostgreSQL)`,
    close() {
      stopping ??= (async () => {
        await server.stop();
        if (!inMemory) await rm(lockPath, { force: true });
      })();
      return stopping;
    },
  };
}
