import { AppError, isAppError } from '../errors.js';
import type { Clock, Logger, OdooGateway, UserOdooAccess } from '../flows/ports.js';
import type { CredentialStore, OdooCredential } from '../store/pg-credential-store.js';

/** A gateway logged in as one person; `close` frees its sockets when the cache drops it. */
export type PersonalGateway = OdooGateway & { close?: () => void };

export interface CredentialUserOdooAccessOptions {
  credentials: CredentialStore;
  /** Builds a gateway with the person's login and key (an XmlRpcOdooGateway in production). */
  connect: (credential: OdooCredential) => PersonalGateway;
  /** How long a checked gateway is reused; short, so a revoked or re-linked key takes effect soon. Default 5 min. */
  ttlMs?: number;
  clock?: Clock;
  logger?: Logger;
}

export const userOdooAccessErrorCodes = {
  keyRejected: 'identity.user_key_rejected',
} as const;

const CLOSE_DELAY_MS = 30_000;

interface Entry {
  login: string;
  apiKey: string;
  gateway: PersonalGateway;
  until: number;
}

/**
 * Per-person Odoo access from the encrypted credential store (`/odoo link`).
 * A gateway is logged in once, reused briefly, and rebuilt when the person
 * links a different key. Odoo's verdict on the key is written back to the
 * store (`markUsed` / `markFailed`) so `/odoo link` can show it.
 */
export class CredentialUserOdooAccess implements UserOdooAccess {
  private readonly cache = new Map<number, Entry>();
  private readonly ttlMs: number;
  private readonly clock: Clock;

  constructor(private readonly options: CredentialUserOdooAccessOptions) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.clock = options.clock ?? { now: () => new Date() };
  }

  async gatewayFor(odooUserId: number): Promise<OdooGateway | null> {
    const credential = await this.options.credentials.get(odooUserId);
    const cached = this.cache.get(odooUserId);
    if (!credential) {
      this.drop(odooUserId);
      return null;
    }
    const now = this.clock.now().getTime();
    if (cached && cached.login === credential.login && cached.apiKey === credential.apiKey && cached.until > now)
      return cached.gateway;
    this.drop(odooUserId);
    const gateway = this.options.connect(credential);
    let uid: number;
    try {
      uid = await gateway.authenticate();
    } catch (err) {
      if (isAppError(err) && err.code === 'odoo.access_denied') {
        gateway.close?.();
        await this.options.credentials.markFailed(odooUserId, 'Odoo rejected the key (expired or revoked)');
        throw new AppError(
          userOdooAccessErrorCodes.keyRejected,
          'forbidden',
          'Odoo rejected your linked API key: it may have expired or been revoked. Run /odoo link again with a new key from Odoo (your avatar → My Profile → Account Security → New API Key), then click again. Nothing was changed.',
          { cause: err, details: { odooUserId } },
        );
      }
      gateway.close?.();
      throw err;
    }
    if (uid !== odooUserId) {
      gateway.close?.();
      await this.options.credentials.markFailed(odooUserId, `the key logs in as Odoo user ${uid}, not ${odooUserId}`);
      throw new AppError(
        userOdooAccessErrorCodes.keyRejected,
        'forbidden',
        'The Odoo API key linked to your account belongs to another Odoo user, so the bot will not act with it. Run /odoo link again with a key of your own. Nothing was changed.',
        { details: { odooUserId, keyUid: uid } },
      );
    }
    await this.options.credentials.markUsed(odooUserId);
    this.cache.set(odooUserId, { ...credential, gateway, until: now + this.ttlMs });
    return gateway;
  }

  /** Closes every cached gateway; call on shutdown. */
  close(): void {
    for (const id of [...this.cache.keys()]) this.drop(id);
  }

  private drop(odooUserId: number): void {
    const entry = this.cache.get(odooUserId);
    if (!entry) return;
    this.cache.delete(odooUserId);
    // A call may still be running on it: close its sockets a little later.
    const timer = setTimeout(() => {
      try {
        entry.gateway.close?.();
      } catch (err) {
        this.options.logger?.warn({ err }, 'could not close a per-user Odoo gateway');
      }
    }, CLOSE_DELAY_MS);
    timer.unref();
  }
}
