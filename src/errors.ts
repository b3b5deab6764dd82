/**
 * One error type for the whole service. Branch on `kind` or `code`, never on
 * the message: `kind` tells jobs whether to retry and chat adapters what the
 * person sees; `code` is a dotted, lower-case identifier defined once.
 */
export type ErrorKind = 'user' | 'forbidden' | 'not_found' | 'conflict' | 'transient' | 'internal';

export interface AppErrorOptions {
  cause?: unknown;
  /** Extra structured fields safe to log (never secrets). */
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly details: Record<string, unknown>;

  constructor(code: string, kind: ErrorKind, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.kind = kind;
    this.details = options.details ?? {};
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** True when retrying the same operation later may succeed. */
export function isTransient(err: unknown): boolean {
  return isAppError(err) && err.kind === 'transient';
}

/** Wraps a foreign error once, at a boundary, keeping AppErrors as they are. */
export function toAppError(err: unknown, code = 'internal.unexpected'): AppError {
  if (isAppError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new AppError(code, 'internal', message, { cause: err });
}
