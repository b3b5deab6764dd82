import { createSign, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/**
 * An RS256 signing key the fakes own: it signs the tokens the fake login
 * hands out and the tokens the fake Bot Connector sends to our bot, and is
 * published as a JWKS so `jwks-rsa` (inside the Teams SDK) can check them.
 */
export class FakeSigningKey {
  readonly kid = `fake-${randomUUID().slice(0, 8)}`;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor() {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  /** A compact JWS; `exp` and `nbf` default to now − 5 min … now + 1 h. */
  sign(claims: Record<string, unknown>, options: { kid?: string } = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: options.kid ?? this.kid, x5t: options.kid ?? this.kid };
    const payload = { nbf: now - 300, iat: now - 300, exp: now + 3600, ...claims };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    const signature = createSign('RSA-SHA256').update(input).sign(this.privateKey);
    return `${input}.${b64url(signature)}`;
  }

  /** The public key as a JWKS, with the `endorsements` the Bot Framework publishes. */
  jwks(): { keys: Array<Record<string, unknown>> } {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return {
      keys: [{ ...jwk, kid: this.kid, x5t: this.kid, use: 'sig', alg: 'RS256', endorsements: ['msteams'] }],
    };
  }
}
