import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';

/** Error codes of the vault, defined once. */
export const credentialVaultErrorCodes = {
  badKey: 'config.bad_credentials_key',
  undecryptable: 'credentials.undecryptable',
} as const;

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const GENERATE = 'Generate one with `openssl rand -base64 32`';

/** Where an unreadable secret failed; safe to log, never contains the secret or the sealed value. */
export type UndecryptableReason = 'malformed' | 'unknown_key' | 'authentication_failed';

/** First 8 hex digits of sha256(key): names a key in sealed values so a rotated key is recognised, not guessed. */
function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Parses a 32-byte key as written in the environment: base64 (44 characters,
 * `+/` or `-_`) or hex (64 characters). The message names the variable and
 * the fix, and never echoes the value.
 */
function parseKey(value: string, variable: string): Buffer {
  const v = value.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(v)) key = Buffer.from(v, 'hex');
  else if (/^[A-Za-z0-9+/]{43}=$/.test(v)) key = Buffer.from(v, 'base64');
  else if (/^[A-Za-z0-9_-]{43}=?$/.test(v)) key = Buffer.from(v, 'base64url');
  if (key?.length !== KEY_BYTES) {
    throw new AppError(
      credentialVaultErrorCodes.badKey,
      'user',
      `${variable} must be a 32-byte key written as base64 (44 characters) or hex (64 characters); ` +
        `the value given has ${v.length} characters and is neither. ${GENERATE}, set it as ${variable} and start again. ` +
        'Keep the key secret and stable: changing it makes every linked Odoo API key unreadable ' +
        '(to rotate, put the old key in CREDENTIALS_KEY_PREVIOUS).',
    );
  }
  return key;
}

function undecryptable(reason: UndecryptableReason, associatedData: string, keyId?: string): AppError {
  const why: Record<UndecryptableReason, string> = {
    malformed: 'it is not a value this service sealed (damaged or edited in the database)',
    unknown_key:
      'it was sealed with a key that is neither CREDENTIALS_KEY nor CREDENTIALS_KEY_PREVIOUS (the key was changed or lost)',
    authentication_failed:
      'it failed its integrity check (edited in the database, copied from another user, or sealed with a different key that has the same id)',
  };
  return new AppError(
    credentialVaultErrorCodes.undecryptable,
    'internal',
    `A stored credential for ${associatedData} cannot be decrypted: ${why[reason]}. ` +
      'If CREDENTIALS_KEY was changed, set the old value as CREDENTIALS_KEY_PREVIOUS and restart; ' +
      'otherwise the person must link their Odoo account again with `/odoo link`.',
    { details: { reason, associatedData, ...(keyId ? { keyId } : {}) } },
  );
}

/**
 * Seals short secrets (per-user Odoo API keys) with AES-256-GCM so a copy of
 * the database alone reveals nothing. The associated data binds each sealed
 * value to its owner: a row copied onto another user fails to open. A
 * previous key may be given while rotating; values are opened with either and
 * always sealed with the current one.
 *
 * Sealed format: `v1.<keyId>.<iv>.<ciphertext>.<tag>`, parts in base64url.
 */
export class CredentialVault {
  readonly #current: Buffer;
  readonly #previous: Buffer | undefined;
  /** Id of the key new values are sealed with. */
  readonly keyId: string;
  /** Id of the previous key, while rotating. */
  readonly previousKeyId: string | undefined;

  constructor(key: Uint8Array, previousKey?: Uint8Array) {
    for (const [k, name] of [
      [key, 'current'],
      [previousKey, 'previous'],
    ] as const) {
      if (k !== undefined && k.length !== KEY_BYTES) {
        throw new AppError(
          credentialVaultErrorCodes.badKey,
          'user',
          `The ${name} credentials key has ${k.length} bytes; AES-256-GCM needs exactly 32. ${GENERATE}.`,
        );
      }
    }
    this.#current = Buffer.from(key);
    this.keyId = keyIdOf(this.#current);
    const previous = previousKey === undefined ? undefined : Buffer.from(previousKey);
    // The same key twice is harmless; treat it as no rotation.
    this.#previous = previous && keyIdOf(previous) !== this.keyId ? previous : undefined;
    this.previousKeyId = this.#previous ? keyIdOf(this.#previous) : undefined;
  }

  /**
   * Builds the vault from CREDENTIALS_KEY (and CREDENTIALS_KEY_PREVIOUS while
   * rotating), each base64 (44 characters) or hex (64 characters).
   */
  static fromEnv(current: string, previous?: string): CredentialVault {
    const key = parseKey(current, 'CREDENTIALS_KEY');
    const old =
      previous === undefined || previous.trim() === '' ? undefined : parseKey(previous, 'CREDENTIALS_KEY_PREVIOUS');
    return new CredentialVault(key, old);
  }

  /** Encrypts `plaintext` for `associatedData` (e.g. `odoo-user:42`) with the current key and a fresh random IV. */
  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad(this.keyId, associatedData));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, this.keyId, b64(iv), b64(ciphertext), b64(tag)].join('.');
  }

  /**
   * Decrypts a value sealed for `associatedData`. Throws
   * `credentials.undecryptable` (kind `internal`) when it was tampered with,
   * sealed for someone else, or sealed with a key this vault does not hold.
   */
  open(sealed: string, associatedData: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) throw undecryptable('malformed', associatedData);
    const [, keyId, ivPart, ctPart, tagPart] = parts as [string, string, string, string, string];
    const key = keyId === this.keyId ? this.#current : keyId === this.previousKeyId ? this.#previous : undefined;
    if (!key) throw undecryptable(/^[0-9a-f]{8}$/.test(keyId) ? 'unknown_key' : 'malformed', associatedData, keyId);
    const iv = unb64(ivPart);
    const ciphertext = unb64(ctPart);
    const tag = unb64(tagPart);
    if (!iv || iv.length !== IV_BYTES || !ciphertext || !tag || tag.length !== TAG_BYTES) {
      throw undecryptable('malformed', associatedData, keyId);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad(keyId, associatedData));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw undecryptable('authentication_failed', associatedData, keyId);
    }
  }

  /** True when `sealed` was sealed with another key than the current one, so it should be sealed again. */
  needsReseal(sealed: string): boolean {
    return sealed.split('.')[1] !== this.keyId;
  }

  /** Keys never appear in logs or JSON. */
  toJSON(): { keyId: string; previousKeyId?: string } {
    return { keyId: this.keyId, ...(this.previousKeyId ? { previousKeyId: this.previousKeyId } : {}) };
  }
}

/** The header is authenticated too, so a value cannot be relabelled to another version or key. */
function aad(keyId: string, associatedData: string): Buffer {
  return Buffer.from(`${VERSION}.${keyId}.${associatedData}`, 'utf8');
}

function b64(buf: Buffer): string {
  return buf.toString('base64url');
}

/** Strict base64url decoding: Node ignores stray characters, which would hide tampering. */
function unb64(part: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return undefined;
  const buf = Buffer.from(part, 'base64url');
  return buf.toString('base64url') === part ? buf : undefined;
}
