import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { isNoneMarshalFault, mapOdooFault } from '../../src/odoo/map-odoo-fault.js';
import { XmlRpcTransportError } from '../../src/odoo/xmlrpc-transport.js';

const ctx = { url: 'https://erp.example.com', db: 'prod', call: 'purchase.order.button_approve' };
const fault = (faultCode: number | string, faultString = '') =>
  Object.assign(new Error('XML-RPC fault'), { faultCode, faultString });
const traceback = (last: string) =>
  `Traceback (most recent call last):\n  File "x.py", line 1, in f\n    g()\n${last}\n`;

describe('mapOdooFault', () => {
  it.each([
    [fault(3, 'Access Denied'), 'odoo.access_denied', 'forbidden'],
    [fault(4, 'You are not allowed to modify this document'), 'odoo.access_error', 'forbidden'],
    [fault(2, 'Some order lines are missing a product'), 'odoo.user_error', 'user'],
    [
      fault(2, 'Record does not exist or has been deleted.\n(Record: purchase.order(9,), User: 2)'),
      'odoo.missing',
      'not_found',
    ],
    [
      fault(1, traceback('psycopg2.errors.SerializationFailure: could not serialize access due to concurrent update')),
      'odoo.server_error',
      'transient',
    ],
    [
      fault(1, traceback('psycopg2.OperationalError: server closed the connection unexpectedly')),
      'odoo.server_error',
      'transient',
    ],
    [
      fault(1, traceback('psycopg2.OperationalError: FATAL:  database "prd" does not exist')),
      'odoo.unknown_database',
      'internal',
    ],
    [fault(1, traceback('KeyError: 42')), 'odoo.fault', 'internal'],
    // legacy /xmlrpc/ string codes
    [fault('warning -- MissingError\n\nRecord does not exist or has been deleted.'), 'odoo.missing', 'not_found'],
    [fault('warning -- AccessError\n\nNo access'), 'odoo.access_error', 'forbidden'],
    [fault('warning -- UserError\n\nNope'), 'odoo.user_error', 'user'],
    [fault('AccessDenied'), 'odoo.access_denied', 'forbidden'],
    [fault('division by zero', traceback('ZeroDivisionError: division by zero')), 'odoo.fault', 'internal'],
    [new XmlRpcTransportError('network', 'ECONNRESET: socket hang up'), 'odoo.unreachable', 'transient'],
    [new XmlRpcTransportError('timeout', 'no answer'), 'odoo.unreachable', 'transient'],
    [new XmlRpcTransportError('http_status', 'HTTP 503', { statusCode: 503 }), 'odoo.unreachable', 'transient'],
    [new XmlRpcTransportError('bad_response', 'not XML-RPC', { statusCode: 200 }), 'odoo.unreachable', 'transient'],
    [new XmlRpcTransportError('http_status', 'HTTP 404', { statusCode: 404 }), 'odoo.bad_endpoint', 'internal'],
    [new TypeError('boom'), 'odoo.fault', 'internal'],
  ])('%#: maps to %s (%s)', (err, code, kind) => {
    const mapped = mapOdooFault(err, ctx);
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped).toMatchObject({ code, kind });
    expect(mapped.cause).toBe(err);
  });

  it('keeps the last traceback line in the message and the whole traceback in details', () => {
    const tb = traceback('ValueError: Invalid field "x"');
    const mapped = mapOdooFault(fault(1, tb), ctx);
    expect(mapped.message).toBe('Odoo failed on purchase.order.button_approve: ValueError: Invalid field "x"');
    expect(mapped.details.traceback).toBe(tb);
  });

  it('tells the operator what to check', () => {
    expect(mapOdooFault(fault(3, 'Access Denied'), ctx).message).toMatch(
      /ODOO_USERNAME, ODOO_API_KEY and ODOO_DB \("prod"\)/,
    );
    expect(mapOdooFault(new XmlRpcTransportError('network', 'ECONNREFUSED: connect'), ctx).message).toMatch(
      /Could not reach Odoo at https:\/\/erp.example.com .*ODOO_URL/,
    );
  });

  it('recognises the None-marshal fault only as Fault 1', () => {
    const none = traceback('TypeError: cannot marshal None unless allow_none is enabled');
    expect(isNoneMarshalFault(fault(1, none))).toBe(true);
    expect(isNoneMarshalFault(fault(2, none))).toBe(false);
    expect(isNoneMarshalFault(new Error('cannot marshal None'))).toBe(false);
  });
});
