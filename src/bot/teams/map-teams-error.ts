import { AppError, isAppError } from '../../errors.js';

/** The HTTP status of an error from the Teams SDK's client (axios), if it has one. */
export function statusOf(err: unknown): number | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as { response?: { status?: unknown }; status?: unknown };
  const s = e.response?.status ?? e.status;
  return typeof s === 'number' ? s : null;
}

/** Wraps Bot Connector errors once, here, into our error kinds. */
export function mapTeamsError(err: unknown, operation: string): AppError {
  if (isAppError(err)) return err;
  const status = statusOf(err);
  const details = { operation, status };
  if (status === 401 || status === 403)
    return new AppError(
      'teams.unauthorized',
      'internal',
      `Microsoft Teams refused to ${operation} (HTTP ${status}): the bot's token was not accepted. ` +
        'Check TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID match the Azure Bot registration, and that the app is installed where it posts.',
      { cause: err, details },
    );
  if (status === 429)
    return new AppError('teams.rate_limited', 'transient', `Microsoft Teams rate-limited ${operation}; retrying.`, {
      cause: err,
      details,
    });
  if (status === 404)
    return new AppError(
      'teams.conversation_gone',
      'internal',
      `Microsoft Teams could not ${operation}: the conversation or message no longer exists (deleted, or the app was removed). ` +
        'Install the app again in that team or chat, or link another channel with `link channel <flow>`.',
      { cause: err, details },
    );
  if (status === 413)
    return new AppError(
      'teams.too_large',
      'internal',
      `Microsoft Teams refused to ${operation}: the message is too large.`,
      { cause: err, details },
    );
  if (status !== null && (status >= 500 || status === 412))
    return new AppError(
      'teams.unavailable',
      'transient',
      `Microsoft Teams failed to ${operation} (HTTP ${status}); retrying.`,
      {
        cause: err,
        details,
      },
    );
  if (status === null && (err as { isAxiosError?: boolean } | null)?.isAxiosError)
    return new AppError(
      'teams.unreachable',
      'transient',
      `Microsoft Teams did not answer while trying to ${operation}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err, details },
    );
  return new AppError('teams.unexpected', 'internal', `Microsoft Teams refused to ${operation} (HTTP ${status}).`, {
    cause: err,
    details,
  });
}
