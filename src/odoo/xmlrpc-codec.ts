/**
 * Typed access to the `xmlrpc` package's serializer and deserializer. We use
 * them with our own `node:http` requests instead of `xmlrpc.createClient`,
 * because that client has no timeout, no way to see the HTTP status before
 * parsing, and no keep-alive agent option in its types.
 */
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';

const require = createRequire(import.meta.url);

interface Serializer {
  serializeMethodCall(method: string, params: unknown[]): string;
  serializeMethodResponse(value: unknown): string;
  serializeFault(fault: { faultCode: number | string; faultString: string }): string;
}

type DeserializerCtor = new (
  encoding?: string,
) => {
  deserializeMethodResponse(stream: Readable, cb: (err: Error | null | undefined, value?: unknown) => void): void;
  deserializeMethodCall(
    stream: Readable,
    cb: (err: Error | null | undefined, methodName?: string, params?: unknown[]) => void,
  ): void;
};

const serializer = require('xmlrpc/lib/serializer') as Serializer;
const Deserializer = require('xmlrpc/lib/deserializer') as DeserializerCtor;

/** An XML-RPC fault as it came over the wire. */
export interface XmlRpcFault {
  faultCode: number | string;
  faultString: string;
}

export function isXmlRpcFault(value: unknown): value is XmlRpcFault {
  return (
    typeof value === 'object' &&
    value !== null &&
    'faultCode' in value &&
    (typeof value.faultCode === 'number' || typeof value.faultCode === 'string')
  );
}

export const xmlRpcCodec = {
  encodeCall: (method: string, params: unknown[]): string => serializer.serializeMethodCall(method, params),
  encodeResponse: (value: unknown): string => serializer.serializeMethodResponse(value),
  encodeFault: (fault: XmlRpcFault): string => serializer.serializeFault(fault),

  /** Resolves with the value; rejects with an Error carrying `faultCode`/`faultString` for a fault. */
  decodeResponse(stream: Readable): Promise<unknown> {
    return new Promise((resolve, reject) => {
      new Deserializer().deserializeMethodResponse(stream, (err, value) => (err ? reject(err) : resolve(value)));
    });
  },

  decodeCall(stream: Readable): Promise<{ method: string; params: unknown[] }> {
    return new Promise((resolve, reject) => {
      new Deserializer().deserializeMethodCall(stream, (err, method, params) =>
        err ? reject(err) : resolve({ method: method ?? '', params: params ?? [] }),
      );
    });
  },
};
