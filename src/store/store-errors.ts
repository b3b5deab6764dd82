import { AppError } from '../errors.js';

/** Error codes of the store, defined once. */
export const storeErrorCodes = {
  unavailable: 'store.unavailable',
  retry: 'store.retry',
  queryFailed: 'store.query_failed',
  caseNotFound: 'store.case_not_found',
  decisionNotFound: 'store.decision_not_found',
  migrationFailed: 'store.migration_failed',
} as const;

const connectionErrnos = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** SQLSTATEs where the server could not serve us right now (class 08, shutdown, too many clients). */
const unavailableStates = new Set(['57P01', '57P02', '57P03', '53300', '53400']);
/** SQLSTATEs where running the same transaction again should succeed. */
const retryStates = new Set(['40001', '40P01']);

function errorFields(err: unknown): { code?: string; message: string } {
  if (err && typeof err === 'object') {
    const code = (err as { code?: unknown }).code;
    const message = (err as { message?: unknown }).message;
    return { code: typeof code === 'string' ? code : undefined, message: typeof message === 'string' ? message : '' };
  }
  return { message: String(err) };
}

function isConnectionError(code: string | undefined, message: string): boolean {
  if (code && (connectionErrnos.has(code) || code.startsWith('08') || unavailableStates.has(code))) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end|not queryable/i.test(
    message,
  );
}

/** Describes where the store connects without the password, for error messages. */
export function describeTarget(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'the configured database';
  }
}

/**
 * Wraps a `pg` error once, at the store boundary: connection trouble becomes
 * a transient `store.unavailable` so jobs retry, everything else keeps its
 * SQLSTATE in `details` for the log.
 */
export function toStoreError(err: unknown, target: string, operation: string): AppError {
  if (err instanceof AppError) return err;
  const { code, message } = errorFields(err);
  if (isConnectionError(code, message)) {
    return new AppError(
      storeErrorCodes.unavailable,
      'transient',
      `The database at ${target} is unavailable (${message || code}) while trying to ${operation}. ` +
        'Check that PostgreSQL is running and that DATABASE_URL is right, or unset DATABASE_URL to use the embedded database; the operation will be retried.',
      { cause: err, details: { sqlState: code, operation } },
    );
  }
  if (code && retryStates.has(code)) {
    return new AppError(
      storeErrorCodes.retry,
      'transient',
      `The database aborted a transaction to ${operation} because of concurrent work (${message}); it will be retried.`,
      { cause: err, details: { sqlState: code, operation } },
    );
  }
  return new AppError(
    storeErrorCodes.queryFailed,
    'internal',
    `A database query failed while trying to ${operation}: ${message}. This is a bug or a schema mismatch; check the log and run the migrations.`,
    { cause: err, details: { sqlState: code, operation } },
  );
}

/** Ids are uuids; anything else cannot name a row, and must not reach SQL as a cast error. */
export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

export function caseNotFound(id: string): AppError {
  return new AppError(
    storeErrorCodes.caseNotFound,
    'not_found',
    `Case ${id} does not exist; it may have been removed.`,
    {
      details: { caseId: id },
    },
  );
}

export function decisionNotFound(id: string): AppError {
  return new AppError(storeErrorCodes.decisionNotFound, 'not_found', `Decision ${id} does not exist.`, {
    details: { decisionId: id },
  });
}
