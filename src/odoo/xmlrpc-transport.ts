import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { isXmlRpcFault, xmlRpcCodec } from './xmlrpc-codec.js';

/** Why an XML-RPC call got no usable answer (faults are not this: they are answers). */
export type TransportFailure = 'timeout' | 'network' | 'http_status' | 'bad_response';

export class XmlRpcTransportError extends Error {
  readonly reason: TransportFailure;
  readonly statusCode: number | undefined;
  /** The first bytes of a non-XML-RPC body (an HTML error page, usually). */
  readonly bodySnippet: string | undefined;

  constructor(
    reason: TransportFailure,
    message: string,
    options: { statusCode?: number; bodySnippet?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'XmlRpcTransportError';
    this.reason = reason;
    this.statusCode = options.statusCode;
    this.bodySnippet = options.bodySnippet;
  }
}

const MAX_SNIPPET = 300;

/** One finished XML-RPC call, as `/metrics` counts it. */
export interface XmlRpcCallRecord {
  /** The Odoo method (`read`, `button_approve`, ...), or the `common` service's (`version`, `authenticate`). */
  method: string;
  /** `ok`, `fault` (Odoo answered with an error), or why there was no answer. */
  result: 'ok' | 'fault' | TransportFailure;
  seconds: number;
}

const callObservers = new Set<(call: XmlRpcCallRecord) => void>();

/**
 * Tells `observer` about every XML-RPC call of this process, whichever
 * gateway made it (the service account's, per-person ones, key checks).
 * Returns the function that stops it.
 */
export function observeXmlRpcCalls(observer: (call: XmlRpcCallRecord) => void): () => void {
  callObservers.add(observer);
  return () => {
    callObservers.delete(observer);
  };
}

function recordCall(method: string, params: unknown[], started: number, result: XmlRpcCallRecord['result']): void {
  if (callObservers.size === 0) return;
  const call: XmlRpcCallRecord = {
    // `execute_kw(db, uid, key, model, method, ...)`: the Odoo method is the fifth parameter.
    method: method === 'execute_kw' && typeof params[4] === 'string' ? params[4] : method,
    result,
    seconds: (performance.now() - started) / 1000,
  };
  for (const observe of callObservers) {
    try {
      observe(call);
    } catch {
      // Counting must never change a call's outcome.
    }
  }
}

function failureResult(outcome: unknown): XmlRpcCallRecord['result'] {
  if (outcome instanceof XmlRpcTransportError) return outcome.reason;
  // A method that returned None: Odoo committed, then could not marshal the None (see isNoneMarshalFault).
  if (
    isXmlRpcFault(outcome) &&
    Number(outcome.faultCode) === 1 &&
    /cannot marshal None/.test(outcome.faultString ?? '')
  )
    return 'ok';
  return 'fault';
}

/**
 * One XML-RPC call over a keep-alive agent with a deadline covering the whole
 * exchange. Resolves with the decoded value; rejects with the decoder's fault
 * error (it carries `faultCode`/`faultString`) or an `XmlRpcTransportError`.
 */
export function postXmlRpc(
  endpoint: URL,
  method: string,
  params: unknown[],
  options: { agent: http.Agent; timeoutMs: number },
): Promise<unknown> {
  const started = performance.now();
  return exchange(endpoint, method, params, options).then(
    (value) => {
      recordCall(method, params, started, 'ok');
      return value;
    },
    (err: unknown) => {
      recordCall(method, params, started, failureResult(err));
      throw err;
    },
  );
}

function exchange(
  endpoint: URL,
  method: string,
  params: unknown[],
  options: { agent: http.Agent; timeoutMs: number },
): Promise<unknown> {
  const body = xmlRpcCodec.encodeCall(method, params);
  const transport = endpoint.protocol === 'https:' ? https : http;
  return new Promise<Buffer>((resolve, reject) => {
    const req = transport.request(endpoint, {
      method: 'POST',
      agent: options.agent,
      headers: {
        'Content-Type': 'text/xml',
        Accept: 'text/xml',
        'Content-Length': Buffer.byteLength(body, 'utf8'),
        'User-Agent': 'odoo-chatops',
      },
    });
    // The first outcome wins; the deadline rejects even when the body has started arriving.
    const fail = (err: unknown) => {
      clearTimeout(timer);
      reject(wrapNetworkError(err));
      req.destroy();
    };
    const timer = setTimeout(
      () => fail(new XmlRpcTransportError('timeout', `Odoo did not answer ${method} within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', fail);
      res.on('close', () => {
        if (!res.complete) fail(new XmlRpcTransportError('network', `Odoo closed the connection during ${method}`));
      });
      res.on('end', () => {
        clearTimeout(timer);
        const buffer = Buffer.concat(chunks);
        const status = res.statusCode ?? 0;
        // Faults may come with a non-200 status on newer servers: parse any XML-RPC body.
        const looksXml = /<methodResponse/i.test(buffer.subarray(0, 512).toString('utf8'));
        if (status !== 200 && !looksXml) {
          reject(
            new XmlRpcTransportError('http_status', `Odoo answered HTTP ${status} to ${method}`, {
              statusCode: status,
              bodySnippet: snippet(buffer),
            }),
          );
          return;
        }
        resolve(buffer);
      });
    });
    req.on('error', fail);
    req.end(body, 'utf8');
  }).then((buffer) =>
    xmlRpcCodec.decodeResponse(Readable.from([buffer], { objectMode: false })).catch((err: unknown) => {
      if (err instanceof Error && 'faultCode' in err) throw err;
      throw new XmlRpcTransportError('bad_response', `Odoo's answer to ${method} is not XML-RPC`, {
        statusCode: 200,
        bodySnippet: snippet(buffer),
        cause: err,
      });
    }),
  );
}

function wrapNetworkError(err: unknown): XmlRpcTransportError {
  if (err instanceof XmlRpcTransportError) return err;
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'unknown';
  const message = err instanceof Error ? err.message : String(err);
  return new XmlRpcTransportError('network', `${code}: ${message}`, { cause: err });
}

function snippet(buffer: Buffer): string {
  return buffer.subarray(0, MAX_SNIPPET).toString('utf8').replace(/\s+/g, ' ').trim();
}
