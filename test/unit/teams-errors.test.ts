import { describe, expect, it } from 'vitest';
import { mapTeamsError } from '../../src/bot/teams/map-teams-error.js';
import { AppError } from '../../src/errors.js';

const httpError = (status: number) =>
  Object.assign(new Error(`Request failed with status code ${status}`), {
    isAxiosError: true,
    response: { status },
  });

describe('mapTeamsError', () => {
  it.each([
    [401, 'teams.unauthorized', 'internal'],
    [403, 'teams.unauthorized', 'internal'],
    [404, 'teams.conversation_gone', 'internal'],
    [429, 'teams.rate_limited', 'transient'],
    [500, 'teams.unavailable', 'transient'],
    [502, 'teams.unavailable', 'transient'],
    [400, 'teams.unexpected', 'internal'],
  ])('maps HTTP %i to %s (%s)', (status, code, kind) => {
    const e = mapTeamsError(httpError(status), 'post a card');
    expect(e).toBeInstanceOf(AppError);
    expect([e.code, e.kind]).toEqual([code, kind]);
  });

  it('tells the operator which variables to check on 401', () => {
    expect(mapTeamsError(httpError(401), 'post a card').message).toMatch(
      /TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID/,
    );
  });

  it('treats a network failure as transient and a programming error as internal', () => {
    expect(mapTeamsError(Object.assign(new Error('ECONNREFUSED'), { isAxiosError: true }), 'x').kind).toBe('transient');
    expect(mapTeamsError(new TypeError('boom'), 'x').kind).toBe('internal');
  });

  it('keeps AppErrors as they are', () => {
    const e = new AppError('teams.bad_credentials', 'internal', 'no');
    expect(mapTeamsError(e, 'x')).toBe(e);
  });
});
