import { mkdir } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';

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
  const mux = new SessionMultiplexer(db, options.maxConnections ?? 64);
  const port = await mux.listen();
  return {
    connectionString: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    dataDir: options.dataDir,
    async stop() {
      await mux.close();
      await db.close();
    },
  };
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

interface Connection {
  socket: Socket;
  buffer: Buffer;
  started: boolean;
  closed: boolean;
  /** Messages received since the last batch boundary. */
  partial: Buffer[];
  /** This connection's session `search_path`; null means the server default. */
  searchPath: string | null;
  /** The client may have changed its `search_path`: read it back once idle. */
  searchPathDirty: boolean;
  channels: Set<string>;
}

interface Batch {
  conn: Connection;
  messages: Buffer[];
  startup?: boolean;
}

/**
 * Serves one PGlite session to many `pg` connections. pglite-socket's own
 * server queues single protocol messages and only keeps explicit
 * transactions together; it ignores startup parameters and sends a NOTIFY
 * to the notifier instead of the listeners. Here each connection's messages
 * run as one batch up to Sync/Query, and the session stays with that
 * connection until PGlite reports ReadyForQuery idle (transactions, COPY,
 * Flush without Sync). Each connection keeps its own `search_path` (from the
 * startup `options` or its own SET), and NotificationResponses are routed to
 * the connections that issued LISTEN, as a real server does.
 */
class SessionMultiplexer {
  private readonly conns = new Set<Connection>();
  private readonly pending: Batch[] = [];
  private server: Server | undefined;
  private owner: Connection | null = null;
  private appliedPath: string | null = null;
  private draining: Promise<void> | undefined;

  constructor(
    private readonly db: PGlite,
    private readonly maxConnections: number,
  ) {}

  listen(): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  }

  async close(): Promise<void> {
    for (const conn of this.conns) conn.socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.draining;
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    if (this.conns.size >= this.maxConnections) {
      socket.end(
        errorResponse('53300', `too many connections to the embedded database (at most ${this.maxConnections})`),
      );
      return;
    }
    const conn: Connection = {
      socket,
      buffer: Buffer.alloc(0),
      started: false,
      closed: false,
      partial: [],
      searchPath: null,
      searchPathDirty: false,
      channels: new Set(),
    };
    this.conns.add(conn);
    socket.on('data', (chunk) => this.receive(conn, chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.drop(conn));
  }

  private receive(conn: Connection, chunk: Buffer): void {
    conn.buffer = Buffer.concat([conn.buffer, chunk]);
    while (!conn.closed) {
      if (!conn.started) {
        if (conn.buffer.length < 8) return;
        const length = conn.buffer.readInt32BE(0);
        const code = conn.buffer.readInt32BE(4);
        if (conn.buffer.length < length) return;
        const message = conn.buffer.subarray(0, length);
        conn.buffer = conn.buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) conn.socket.write('N');
        else if (code === CANCEL_REQUEST) conn.socket.destroy();
        else if (code === PROTOCOL_3) {
          conn.started = true;
          conn.searchPath = startupSearchPath(message);
          this.submit({ conn, messages: [Buffer.from(message)], startup: true });
        } else conn.socket.destroy();
        continue;
      }
      if (conn.buffer.length < 5) return;
      const length = 1 + conn.buffer.readInt32BE(1);
      if (conn.buffer.length < length) return;
      const message = Buffer.from(conn.buffer.subarray(0, length));
      conn.buffer = conn.buffer.subarray(length);
      const type = String.fromCharCode(message[0] ?? 0);
      if (type === 'X') {
        conn.socket.end();
        return;
      }
      if (type === 'Q' || type === 'P') this.inspectSql(conn, sqlText(message));
      conn.partial.push(message);
      // Sync, Query, Flush, CopyDone, CopyFail end what the client waits on.
      if ('SQHcf'.includes(type)) {
        this.submit({ conn, messages: conn.partial });
        conn.partial = [];
      }
    }
  }

  private inspectSql(conn: Connection, sql: string): void {
    const code = sql.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
    if (/search_path/i.test(code)) conn.searchPathDirty = true;
    for (const match of code.matchAll(/\b(UNLISTEN|LISTEN)\s+("(?:[^"]|"")+"|[A-Za-z_][\w$]*|\*)/gi)) {
      const channel = normaliseIdentifier(match[2] ?? '');
      if (match[1]?.toUpperCase() === 'LISTEN') conn.channels.add(channel);
      else if (channel === '*') conn.channels.clear();
      else conn.channels.delete(channel);
    }
  }

  private submit(batch: Batch): void {
    this.pending.push(batch);
    this.kick();
  }

  private kick(): void {
    if (this.draining || this.nextIndex() < 0) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      this.kick();
    });
  }

  private nextIndex(): number {
    return this.owner ? this.pending.findIndex((b) => b.conn === this.owner) : this.pending.length > 0 ? 0 : -1;
  }

  private async drain(): Promise<void> {
    for (let index = this.nextIndex(); index >= 0; index = this.nextIndex()) {
      const [batch] = this.pending.splice(index, 1);
      if (batch && !batch.conn.closed) await this.run(batch);
    }
  }

  private async run({ conn, messages, startup }: Batch): Promise<void> {
    try {
      const output = await this.db.runExclusive(async () => {
        if (!startup && this.owner === null && conn.searchPath !== this.appliedPath) {
          await this.exec(`SET search_path TO ${conn.searchPath ?? 'DEFAULT'}`);
          this.appliedPath = conn.searchPath;
        }
        const chunks: Buffer[] = [];
        for (const message of messages) {
          await this.db.execProtocolRawStream(new Uint8Array(message), {
            onRawData: (data) => chunks.push(Buffer.from(data)),
          });
        }
        const out = Buffer.concat(chunks);
        const status = lastReadyStatus(out);
        // No ReadyForQuery yet (COPY, Flush) or a transaction open: keep the session.
        this.owner = status === 'I' ? null : conn;
        if (this.owner === null && conn.searchPathDirty) {
          conn.searchPathDirty = false;
          conn.searchPath = await this.currentSearchPath();
          this.appliedPath = conn.searchPath;
        }
        return out;
      });
      conn.socket.write(this.routeNotifications(conn, output));
    } catch {
      conn.socket.destroy();
    }
  }

  /** Strips NotificationResponses from `out` and sends each to its listeners. */
  private routeNotifications(conn: Connection, out: Buffer): Buffer {
    const kept: Buffer[] = [];
    const own: Buffer[] = [];
    for (let at = 0; at + 5 <= out.length; ) {
      const end = at + 1 + out.readInt32BE(at + 1);
      const message = out.subarray(at, end);
      if (message[0] === 0x41) {
        const channel = message.subarray(9, message.indexOf(0, 9)).toString('utf8');
        for (const listener of this.conns) {
          if (!listener.channels.has(channel) || listener.closed) continue;
          if (listener === conn) own.push(message);
          else listener.socket.write(message);
        }
      } else kept.push(message);
      at = end;
    }
    return Buffer.concat([...kept, ...own]);
  }

  private async exec(sql: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    await this.db.execProtocolRawStream(new Uint8Array(queryMessage(sql)), {
      onRawData: (data) => chunks.push(Buffer.from(data)),
    });
    return Buffer.concat(chunks);
  }

  private async currentSearchPath(): Promise<string> {
    const out = await this.exec("SELECT current_setting('search_path')");
    for (let at = 0; at + 5 <= out.length; at += 1 + out.readInt32BE(at + 1)) {
      if (out[at] === 0x44) return out.subarray(at + 11, at + 11 + out.readInt32BE(at + 7)).toString('utf8');
    }
    return 'public';
  }

  private drop(conn: Connection): void {
    if (conn.closed) return;
    conn.closed = true;
    this.conns.delete(conn);
    for (let i = this.pending.length - 1; i >= 0; i--) if (this.pending[i]?.conn === conn) this.pending.splice(i, 1);
    if (this.owner !== conn) return;
    // The client went away inside a transaction: roll it back so others can go on.
    void this.db
      .runExclusive(() => this.exec('ROLLBACK'))
      .catch(() => {})
      .finally(() => {
        if (this.owner === conn) this.owner = null;
        this.kick();
      });
  }
}

function startupSearchPath(message: Buffer): string | null {
  const fields = message.subarray(8).toString('utf8').split('\0');
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] !== 'options') continue;
    const match = /(?:-c\s*|--)search_path=((?:\\ |\S)+)/.exec(fields[i + 1] ?? '');
    if (match?.[1]) return match[1].replace(/\\ /g, ' ');
  }
  return null;
}

function sqlText(message: Buffer): string {
  const body = message.subarray(5);
  if (message[0] === 0x51) return body.toString('utf8');
  const nameEnd = body.indexOf(0);
  return body.subarray(nameEnd + 1, body.indexOf(0, nameEnd + 1)).toString('utf8');
}

function normaliseIdentifier(identifier: string): string {
  return identifier.startsWith('"') ? identifier.slice(1, -1).replace(/""/g, '"') : identifier.toLowerCase();
}

/** Status byte of the last ReadyForQuery ('I', 'T' or 'E'), or null when there was none. */
function lastReadyStatus(out: Buffer): string | null {
  let status: string | null = null;
  for (let at = 0; at + 5 <= out.length; at += 1 + out.readInt32BE(at + 1)) {
    if (out[at] === 0x5a) status = String.fromCharCode(out[at + 5] ?? 0);
  }
  return status;
}

function queryMessage(sql: string): Buffer {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('Q', 0);
  header.writeInt32BE(4 + text.length, 1);
  return Buffer.concat([header, text]);
}

function errorResponse(code: string, message: string): Buffer {
  const body = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('E', 0);
  header.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([header, body]);
}
