import { AppError } from '../../errors.js';

export interface ClientCredentialsOptions {
  /** Entra login base URL, e.g. https://login.microsoftonline.com (TEAMS_LOGIN_URL for other clouds or fakes). */
  loginUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
}

/**
 * Fetches the bot's Bot Framework token with the OAuth 2.0 client-credentials
 * grant and caches it until shortly before it expires. We pass this to the
 * Teams SDK as its `token` option instead of letting it use MSAL, because
 * MSAL refuses an http:// authority and so cannot talk to the offline fake;
 * one code path serves both.
 */
export function clientCredentialsToken(options: ClientCredentialsOptions): (scope: string) => Promise<string> {
  const cache = new Map<string, { token: string; until: number }>();
  return async (scope) => {
    const hit = cache.get(scope);
    if (hit && hit.until > Date.now()) return hit.token;
    const url = `${options.loginUrl.replace(/\/+$/, '')}/${encodeURIComponent(options.tenantId)}/oauth2/v2.0/token`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: options.clientId,
          client_secret: options.clientSecret,
          scope,
        }).toString(),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new AppError('teams.login_unreachable', 'transient', `Microsoft Entra login did not answer (${url}).`, {
        cause: err,
      });
    }
    const body = (await res.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      error?: string;
      error_description?: string;
    };
    if (!res.ok || !body.access_token) {
      if (res.status >= 500 || res.status === 429)
        throw new AppError('teams.login_unavailable', 'transient', `Microsoft Entra login answered ${res.status}.`);
      throw new AppError(
        'teams.bad_credentials',
        'internal',
        `Microsoft Entra refused the bot's credentials (${body.error ?? res.status}: ${(body.error_description ?? '').split('\n')[0]}). ` +
          'Check TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID against the Entra app registration of the bot (the secret may have expired).',
      );
    }
    cache.set(scope, { token: body.access_token, until: Date.now() + ((body.expires_in ?? 3600) - 300) * 1000 });
    return body.access_token;
  };
}
