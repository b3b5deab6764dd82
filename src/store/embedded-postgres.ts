import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * PostgreSQL in WebAssembly, on disk, served on a loopback socket so the
 * store and BullMQ's PostgreSQL backend talk to it with the ordinary `pg`
 * driver, exactly as they talk to a real server. One code path for both.
 */
export interface EmbeddedPostgres {
  /** `postgres://` URL of the loopback socket. */
  connectionString: string;
  dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Directory for the database files, or `memory://` for a throw-away database. */
  dataDir: string;
  /** Concurrent connections the multiplexer accepts (BullMQ keeps a pool and a LISTEN client). */
  maxConnections?: number;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  if (!options.dataDir.startsWith('memory://')) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: 0,
    maxConnections: options.maxConnections ?? 64,
  });
  await server.start();
  const [, port] = server.getServerConn().split(':');
  return {
    connectionString: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    dataDir: options.dataDir,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
