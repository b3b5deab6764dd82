import { describe, expect, it } from 'vitest';
import { loadEnv, slackConfig, teamsConfig } from '../../src/config/env.js';

const base = {
  ODOO_URL: 'https://mycompany.odoo.com',
  ODOO_DB: 'mycompany',
  ODOO_USERNAME: 'bot',
  ODOO_API_KEY: 'key',
  ODOO_WEBHOOK_TOKEN: '0123456789abcdef0123456789abcdef',
};
const teams = {
  TEAMS_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
  TEAMS_CLIENT_SECRET: 'secret',
  TEAMS_TENANT_ID: '66666666-7777-4888-9999-000000000000',
};
const message = (source: Record<string, string>) => {
  try {
    loadEnv(source);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
};

describe('platform configuration', () => {
  it('runs with Teams alone', () => {
    const env = loadEnv({ ...base, ...teams });
    expect(slackConfig(env)).toBeNull();
    expect(teamsConfig(env)).toEqual({
      clientId: teams.TEAMS_CLIENT_ID,
      clientSecret: 'secret',
      tenantId: teams.TEAMS_TENANT_ID,
    });
  });

  it('names the missing Teams variables when only some are set', () => {
    const m = message({ ...base, TEAMS_CLIENT_ID: teams.TEAMS_CLIENT_ID });
    expect(m).toMatch(/TEAMS_CLIENT_SECRET is required: a client secret/);
    expect(m).toMatch(/TEAMS_TENANT_ID is required/);
  });

  it('asks for at least one platform', () => {
    expect(message(base)).toMatch(/configures no chat platform/);
  });

  it('refuses TEAMS_ALLOW_UNAUTHENTICATED in production', () => {
    expect(loadEnv({ ...base, ...teams, TEAMS_ALLOW_UNAUTHENTICATED: 'true' }).TEAMS_ALLOW_UNAUTHENTICATED).toBe(true);
    expect(message({ ...base, ...teams, TEAMS_ALLOW_UNAUTHENTICATED: 'true', NODE_ENV: 'production' })).toMatch(
      /TEAMS_ALLOW_UNAUTHENTICATED is refused when NODE_ENV=production/,
    );
  });

  it('checks the TEAMS ids are GUIDs', () => {
    expect(message({ ...base, ...teams, TEAMS_TENANT_ID: 'contoso.onmicrosoft.com' })).toMatch(
      /TEAMS_TENANT_ID must be the Directory \(tenant\) ID/,
    );
  });
});
