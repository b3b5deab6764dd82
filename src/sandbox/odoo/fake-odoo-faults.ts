/**
 * Faults as `/xmlrpc/2` sends them (`xmlrpc_handle_exception_int`): 2 for
 * UserError (MissingError, ValidationError...), 3 for AccessDenied, 4 for
 * AccessError, 1 with a Python traceback for anything else.
 */
export class FakeFault extends Error {
  readonly faultCode: number;
  readonly faultString: string;

  constructor(faultCode: number, faultString: string) {
    super(faultString);
    this.name = 'FakeFault';
    this.faultCode = faultCode;
    this.faultString = faultString;
  }
}

const FRAMES = [
  ['odoo/addons/base/controllers/rpc.py', 160, 'xmlrpc_2', 'response = self._xmlrpc(service)'],
  ['odoo/addons/base/controllers/rpc.py', 139, '_xmlrpc', 'result = dispatch_rpc(service, method, params)'],
  ['odoo/http.py', 368, 'dispatch_rpc', 'return dispatch(method, params)'],
  ['odoo/service/model.py', 39, 'dispatch', 'res = execute_kw(db, uid, *params[3:])'],
  ['odoo/service/model.py', 61, 'execute_kw', 'return execute(db, uid, obj, method, *args, **kw or {})'],
] as const;

/** A Python traceback like Odoo's, ending with `exceptionLine` (`TypeError: ...`). */
export function pythonTraceback(exceptionLine: string): string {
  const frames = FRAMES.map(
    ([file, line, fn, code]) => `  File "/usr/lib/python3/dist-packages/${file}", line ${line}, in ${fn}\n    ${code}`,
  );
  return ['Traceback (most recent call last):', ...frames, exceptionLine, ''].join('\n');
}

/** Python's repr of a tuple of ids: `(7,)` or `(7, 8)`. */
export function pyTuple(ids: readonly number[]): string {
  return ids.length === 1 ? `(${ids[0]},)` : `(${ids.join(', ')})`;
}

export const fakeFaults = {
  accessDenied: () => new FakeFault(3, 'Access Denied'),
  accessError: (message: string) => new FakeFault(4, message),
  userError: (message: string) => new FakeFault(2, message),
  missing: (model: string, ids: readonly number[], uid: number) =>
    new FakeFault(2, `Record does not exist or has been deleted.\n(Record: ${model}${pyTuple(ids)}, User: ${uid})`),
  server: (exceptionLine: string) => new FakeFault(1, pythonTraceback(exceptionLine)),
  /** What Odoo sends after committing a method that returned `None`. */
  noneMarshal: () => new FakeFault(1, pythonTraceback('TypeError: cannot marshal None unless allow_none is enabled')),
  serializationFailure: () =>
    new FakeFault(
      1,
      pythonTraceback('psycopg2.errors.SerializationFailure: could not serialize access due to concurrent update'),
    ),
  unknownDatabase: (db: string) =>
    new FakeFault(
      1,
      pythonTraceback(
        `psycopg2.OperationalError: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  database "${db}" does not exist`,
      ),
    ),
  invalidField: (model: string, field: string) =>
    new FakeFault(1, pythonTraceback(`ValueError: Invalid field '${field}' on model '${model}'`)),
  valueError: (message: string) => new FakeFault(1, pythonTraceback(`ValueError: ${message}`)),
};
