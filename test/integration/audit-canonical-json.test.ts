import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/audit/canonical-json.js';

function shuffleKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, seed));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  const order = keys.map((k, i) => [k, (i * 7919 + seed) % (keys.length + 3)] as const).sort((a, b) => a[1] - b[1]);
  return Object.fromEntries(order.map(([k]) => [k, shuffleKeys((value as Record<string, unknown>)[k], seed)]));
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('does not depend on key insertion order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(1000), (value, seed) => {
        expect(canonicalJson(shuffleKeys(value, seed))).toBe(canonicalJson(value));
      }),
    );
  });

  it('encodes the same value as its JSON round trip, so jsonb storage does not change the hash', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const encoded = canonicalJson(value);
        expect(JSON.parse(encoded)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(encoded);
      }),
    );
  });

  it('keeps unicode as JSON.stringify does and sorts keys by UTF-16 code units', () => {
    expect(canonicalJson({ é: 'café ✓ 😀', e: '\u0000\n"\\', Z: 1 })).toBe(
      '{"Z":1,"e":"\\u0000\\n\\"\\\\","é":"café ✓ 😀"}',
    );
    expect(canonicalJson({ '😀': 1, '\uffff': 2 })).toBe('{"😀":1,"\uffff":2}');
    expect(canonicalJson('\ud800')).toBe('"\\ud800"');
  });

  it('writes numbers as JSON.stringify does', () => {
    expect(canonicalJson([1, 1.5, -0, 1e21, 1e-7, 0.1 + 0.2, 2 ** 53 + 2, -123.456e-10])).toBe(
      '[1,1.5,0,1e+21,1e-7,0.30000000000000004,9007199254740994,-1.23456e-8]',
    );
    expect(canonicalJson([Number.NaN, Number.POSITIVE_INFINITY])).toBe('[null,null]');
  });

  it('treats undefined, functions and toJSON like JSON.stringify and refuses BigInt', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, () => 1], c: new Date('2026-11-20T09:00:00Z') })).toBe(
      '{"b":[null,null],"c":"2026-11-20T09:00:00.000Z"}',
    );
    expect(canonicalJson(undefined)).toBe('null');
    expect(() => canonicalJson({ n: 1n })).toThrow(/BigInt/);
  });
});
