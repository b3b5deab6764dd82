/**
 * The one place where Odoo's answers that are not results become AppErrors.
 * Integer fault codes come from `/xmlrpc/2` (`xmlrpc_handle_exception_int`);
 * string codes from the legacy `/xmlrpc` route are handled too.
 */
import { AppError } from '../errors.js';
import { isXmlRpcFault, type XmlRpcFault } from './xmlrpc-codec.js';
import { XmlRpcTransportError } from './xmlrpc-transport.js';

export interface OdooCallContext {
  /** Server root URL, for operator messages. */
  url: string;
  db: string;
  /** `common.authenticate`, `purchase.order.button_approve`, ... */
  call: string;
}

const NONE_MARSHAL = /cannot marshal None/;
const TRANSIENT_DB =
  /OperationalError|SerializationFailure|could not serialize|deadlock detected|LockNotAvailable|could not obtain lock|TransactionRollbackError|PoolError|connection pool is full/i;
const UNKNOWN_DB = /database "([^"]+)" does not exist/;
const MISSING = /does not exist or has been deleted|has been deleted/i;

/**
 * True for the fault Odoo sends when a method returned `None`: the
 * transaction has committed by then, so the call succeeded.
 */
export function isNoneMarshalFault(err: unknown): boolean {
  return isXmlRpcFault(err) && Number(err.faultCode) === 1 && NONE_MARSHAL.test(err.faultString ?? '');
}

export function mapOdooFault(err: unknown, ctx: OdooCallContext): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof XmlRpcTransportError) return mapTransport(err, ctx);
  if (isXmlRpcFault(err)) {
    return typeof err.faultCode === 'string' ? mapLegacyFault(err, ctx) : mapIntFault(err, ctx);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new AppError('odoo.fault', 'internal', `Calling Odoo ${ctx.call} failed unexpectedly: ${message}`, {
    cause: err,
    details: { call: ctx.call },
  });
}

function mapIntFault(fault: XmlRpcFault, ctx: OdooCallContext): AppError {
  const text = fault.faultString ?? '';
  switch (fault.faultCode) {
    case 3:
      return accessDenied(fault, ctx);
    case 4:
      return new AppError('odoo.access_error', 'forbidden', text, { cause: fault, details: { call: ctx.call } });
    case 2:
      if (MISSING.test(text)) {
        return new AppError('odoo.missing', 'not_found', text, { cause: fault, details: { call: ctx.call } });
      }
      return new AppError('odoo.user_error', 'user', text, { cause: fault, details: { call: ctx.call } });
    default:
      return mapServerFault(fault, text, ctx);
  }
}

/** `/xmlrpc/` (no `/2`): the code is `"warning -- <Class>\n\n<message>"` or `"AccessDenied"`. */
function mapLegacyFault(fault: XmlRpcFault, ctx: OdooCallContext): AppError {
  const code = String(fault.faultCode);
  if (code.trim() === 'AccessDenied') return accessDenied(fault, ctx);
  const warning = /^warning -- (\w+)\s*\n*([\s\S]*)$/.exec(code);
  if (warning) {
    const [, kind, message = ''] = warning;
    const text = message.trim() || code;
    const details = { call: ctx.call };
    if (kind === 'MissingError') return new AppError('odoo.missing', 'not_found', text, { cause: fault, details });
    if (kind === 'AccessError') return new AppError('odoo.access_error', 'forbidden', text, { cause: fault, details });
    return new AppError('odoo.user_error', 'user', text, { cause: fault, details });
  }
  return mapServerFault(fault, `${code}\n${fault.faultString ?? ''}`, ctx);
}

/** Fault 1: anything Odoo did not expect, with the Python traceback as text. */
function mapServerFault(fault: XmlRpcFault, traceback: string, ctx: OdooCallContext): AppError {
  const last = lastLine(traceback);
  const details = { call: ctx.call, traceback };
  const unknownDb = UNKNOWN_DB.exec(traceback);
  if (unknownDb) {
    return new AppError(
      'odoo.unknown_database',
      'internal',
      `Odoo at ${ctx.url} has no database named "${unknownDb[1]}". Set ODOO_DB to the database name shown on Odoo's database selector.`,
      { cause: fault, details },
    );
  }
  if (TRANSIENT_DB.test(traceback)) {
    return new AppError(
      'odoo.server_error',
      'transient',
      `Odoo hit a temporary database conflict during ${ctx.call} (${last}); it will be retried.`,
      { cause: fault, details },
    );
  }
  return new AppError('odoo.fault', 'internal', `Odoo failed on ${ctx.call}: ${last}`, { cause: fault, details });
}

function mapTransport(err: XmlRpcTransportError, ctx: OdooCallContext): AppError {
  const details = { call: ctx.call, reason: err.reason, statusCode: err.statusCode, body: err.bodySnippet };
  const status = err.statusCode ?? 0;
  if (err.reason === 'http_status' && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new AppError(
      'odoo.bad_endpoint',
      'internal',
      `Odoo at ${ctx.url} answered HTTP ${status} on its XML-RPC endpoint. Check that ODOO_URL is the server's root URL ` +
        `(no /web or /odoo path) and that this Odoo still offers XML-RPC (deprecated in 19, to be removed later).`,
      { cause: err, details },
    );
  }
  return new AppError(
    'odoo.unreachable',
    'transient',
    `Could not reach Odoo at ${ctx.url} for ${ctx.call} (${err.message}). Check that Odoo is running and ODOO_URL is right; the call will be retried.`,
    { cause: err, details },
  );
}

function accessDenied(fault: XmlRpcFault, ctx: OdooCallContext): AppError {
  return new AppError(
    'odoo.access_denied',
    'forbidden',
    `Odoo at ${ctx.url} refused the service account's credentials (Access Denied). ` +
      `Check ODOO_USERNAME, ODOO_API_KEY and ODOO_DB ("${ctx.db}"); an API key may have expired or been revoked.`,
    { cause: fault, details: { call: ctx.call } },
  );
}

function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.at(-1) ?? 'no details';
}
