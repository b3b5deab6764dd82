import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { CredentialVault } from '../../src/store/credential-vault.js';

const AD = 'odoo-user:42';
const API_KEY = '0123456789abcdef0123456789abcdef01234567';

function aKey(): Buffer {
  return randomBytes(32);
}

function aVault(key = aKey(), previous?: Buffer): CredentialVault {
  return new CredentialVault(key, previous);
}

/** Decodes one base64url part, flips one byte, encodes it again (so only the bytes change, not the format). */
function flipByteInPart(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const part = parts[index]!;
  if (index < 2) {
    // "v1" and the hex key id are text: change one character.
    parts[index] = (part[0] === 'a' ? 'b' : 'a') + part.slice(1);
  } else {
    const bytes = Buffer.from(part, 'base64url');
    bytes[0] = bytes[0]! ^ 0x01;
    parts[index] = bytes.toString('base64url');
  }
  return parts.join('.');
}

function expectUndecryptable(fn: () => unknown, reason?: string): AppError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(AppError);
  const err = caught as AppError;
  expect(err.code).toBe('credentials.undecryptable');
  expect(err.kind).toBe('internal');
  expect(err.message).toContain('/odoo link');
  if (reason) expect(err.details.reason).toBe(reason);
  return err;
}

describe('CredentialVault', () => {
  it('round-trips a secret and produces the versioned format', () => {
    const vault = aVault();
    const sealed = vault.seal(API_KEY, AD);
    const parts = sealed.split('.');
    expect(parts).toHaveLength(5);
    expect(parts[0]).toBe('v1');
    expect(parts[1]).toBe(vault.keyId);
    expect(parts[1]).toMatch(/^[0-9a-f]{8}$/);
    expect(Buffer.from(parts[2]!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(parts[4]!, 'base64url')).toHaveLength(16);
    expect(sealed).not.toContain(API_KEY);
    expect(vault.open(sealed, AD)).toBe(API_KEY);
  });

  it('uses a fresh IV for every seal', () => {
    const vault = aVault();
    const a = vault.seal(API_KEY, AD);
    const b = vault.seal(API_KEY, AD);
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
  });

  it('round-trips any string, including empty and non-ASCII ones', () => {
    const vault = aVault();
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ minLength: 1 }), (secret, ad) => {
        expect(vault.open(vault.seal(secret, ad), ad)).toBe(secret);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    [0, 'version', 'malformed'],
    [1, 'key id', 'unknown_key'],
    [2, 'IV', 'authentication_failed'],
    [3, 'ciphertext', 'authentication_failed'],
    [4, 'tag', 'authentication_failed'],
  ])('refuses a value with a byte flipped in part %i (%s)', (index, _name, reason) => {
    const vault = aVault();
    const sealed = vault.seal(API_KEY, AD);
    const err = expectUndecryptable(() => vault.open(flipByteInPart(sealed, index), AD), reason);
    expect(err.message).not.toContain(sealed.split('.')[3]);
    expect(JSON.stringify(err.details)).not.toContain(sealed.split('.')[3]);
  });

  it('refuses values that are not in the sealed format, whatever they are', () => {
    const vault = aVault();
    const sealed = vault.seal(API_KEY, AD);
    for (const bad of ['', 'v1', API_KEY, `${sealed}.x`, sealed.replace('v1.', 'v2.'), `${sealed}!`]) {
      expectUndecryptable(() => vault.open(bad, AD));
    }
    fc.assert(
      fc.property(fc.string(), (garbage) => {
        expectUndecryptable(() => vault.open(garbage, AD));
      }),
    );
  });

  it('refuses a value sealed for another owner (wrong associated data)', () => {
    const vault = aVault();
    const sealed = vault.seal(API_KEY, 'odoo-user:42');
    expectUndecryptable(() => vault.open(sealed, 'odoo-user:43'), 'authentication_failed');
  });

  it('refuses a value sealed with another key, and says which key it was', () => {
    const sealed = aVault().seal(API_KEY, AD);
    const err = expectUndecryptable(() => aVault().open(sealed, AD), 'unknown_key');
    expect(err.details.keyId).toBe(sealed.split('.')[1]);
    expect(err.message).toContain('CREDENTIALS_KEY_PREVIOUS');
  });

  it('opens values of the previous key while rotating, and seals only with the current key', () => {
    const oldKey = aKey();
    const newKey = aKey();
    const before = aVault(oldKey).seal(API_KEY, AD);
    const rotating = aVault(newKey, oldKey);
    expect(rotating.open(before, AD)).toBe(API_KEY);
    expect(rotating.needsReseal(before)).toBe(true);
    const after = rotating.seal(API_KEY, AD);
    expect(after.split('.')[1]).toBe(rotating.keyId);
    expect(rotating.needsReseal(after)).toBe(false);
    // Once the previous key is dropped, new values still open and old ones do not.
    const rotated = aVault(newKey);
    expect(rotated.open(after, AD)).toBe(API_KEY);
    expectUndecryptable(() => rotated.open(before, AD), 'unknown_key');
  });

  it('keeps the keys out of inspection and JSON', () => {
    const key = aKey();
    const vault = aVault(key);
    for (const shown of [inspect(vault, { showHidden: true, depth: 5 }), JSON.stringify(vault)]) {
      expect(shown).not.toContain(key.toString('hex'));
      expect(shown).not.toContain(key.toString('base64'));
    }
  });
});

describe('CredentialVault.fromEnv', () => {
  const key = aKey();

  it('accepts the same key as base64, base64url or hex, with surrounding whitespace', () => {
    const sealed = new CredentialVault(key).seal(API_KEY, AD);
    for (const text of [
      key.toString('base64'),
      `${key.toString('base64url')}=`,
      key.toString('base64url'),
      key.toString('hex'),
      key.toString('hex').toUpperCase(),
      `  ${key.toString('base64')}\n`,
    ]) {
      expect(CredentialVault.fromEnv(text).open(sealed, AD)).toBe(API_KEY);
    }
  });

  it('takes an optional previous key for rotation, ignoring an empty one', () => {
    const old = aKey();
    const sealed = new CredentialVault(old).seal(API_KEY, AD);
    expect(CredentialVault.fromEnv(key.toString('base64'), old.toString('hex')).open(sealed, AD)).toBe(API_KEY);
    expect(CredentialVault.fromEnv(key.toString('base64'), '').previousKeyId).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['a password', 'correct horse battery staple'],
    ['16 bytes of base64', randomBytes(16).toString('base64')],
    ['48 bytes of base64', randomBytes(48).toString('base64')],
    ['63 hex digits', randomBytes(32).toString('hex').slice(1)],
    ['non-hex in 64 characters', 'g'.repeat(64)],
  ])('rejects %s, naming CREDENTIALS_KEY and how to generate one', (_name, value) => {
    const attempt = () => CredentialVault.fromEnv(value);
    expect(attempt).toThrow(AppError);
    try {
      attempt();
    } catch (err) {
      const e = err as AppError;
      expect(e.code).toBe('config.bad_credentials_key');
      expect(e.kind).toBe('user');
      expect(e.message).toContain('CREDENTIALS_KEY');
      expect(e.message).toContain('openssl rand -base64 32');
      if (value.length > 3) expect(e.message).not.toContain(value);
    }
  });

  it('names CREDENTIALS_KEY_PREVIOUS when that one is wrong', () => {
    expect(() => CredentialVault.fromEnv(key.toString('base64'), 'nope')).toThrow(/CREDENTIALS_KEY_PREVIOUS/);
  });

  it('rejects raw keys of the wrong size', () => {
    expect(() => new CredentialVault(randomBytes(16))).toThrow(
      expect.objectContaining({ code: 'config.bad_credentials_key' }),
    );
  });
});
