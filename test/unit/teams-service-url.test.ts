import { App } from '@microsoft/teams.apps';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BotConnectorClients } from '../../src/bot/teams/bot-connector-clients.js';
import { checkServiceUrl } from '../../src/bot/teams/service-url.js';
import { RecordingLogger } from '../fakes/recording-logger.js';

const FALLBACK = 'https://smba.trafficmanager.net/teams';

describe('checkServiceUrl', () => {
  it.each([
    ['https://smba.trafficmanager.net/emea/', 'https://smba.trafficmanager.net/emea'],
    ['https://smba.trafficmanager.net/amer', 'https://smba.trafficmanager.net/amer'],
    ['https://SMBA.infra.gcc.teams.microsoft.com/teams//', 'https://smba.infra.gcc.teams.microsoft.com/teams'],
    ['http://127.0.0.1:3978/teams/', 'http://127.0.0.1:3978/teams'],
    ['http://localhost:3978/amer/', 'http://localhost:3978/amer'],
    ['http://[::1]:3978/', 'http://[::1]:3978'],
  ])('accepts %s as %s', (raw, normalised) => {
    expect(checkServiceUrl(raw)).toBe(normalised);
  });

  it.each([
    ['plain http off loopback', 'http://smba.trafficmanager.net/emea/'],
    ['http to a name that only starts like loopback', 'http://127.0.0.1.evil.example/'],
    ['another scheme', 'ftp://smba.trafficmanager.net/emea/'],
    ['javascript', 'javascript:alert(1)'],
    ['credentials', 'https://user:pass@smba.trafficmanager.net/emea/'],
    ['a query', 'https://smba.trafficmanager.net/emea/?x=1'],
    ['a fragment', 'https://smba.trafficmanager.net/emea/#x'],
    ['not a URL', 'smba.trafficmanager.net/emea'],
    ['empty', ''],
    ['not a string', 42],
  ])('refuses %s', (_, raw) => {
    expect(checkServiceUrl(raw)).toBeNull();
  });

  it('accepts only https, or http on loopback, and returns no trailing slash, query, fragment or credentials', () => {
    const scheme = fc.constantFrom('https', 'http', 'HTTP', 'ftp', 'javascript', 'file');
    const host = fc.oneof(
      fc.constantFrom(
        'localhost',
        '127.0.0.1',
        '[::1]',
        '127.0.0.1.evil.example',
        'localhost.evil',
        'smba.trafficmanager.net',
      ),
      fc.ipV4(),
      fc.stringMatching(/^[a-z0-9.-]{1,24}$/),
    );
    const rest = fc.constantFrom('', '/', '/emea/', ':3978/amer', '/teams?x=1', '/teams#x', '//v3//');
    const creds = fc.constantFrom('', 'user@', 'user:pass@');
    fc.assert(
      fc.property(scheme, creds, host, rest, (sc, cr, h, r) => {
        const raw = `${sc}://${cr}${h}${r}`;
        const checked = checkServiceUrl(raw);
        if (checked === null) return;
        const url = new URL(checked);
        expect(
          url.protocol === 'https:' ||
            ['localhost', '[::1]'].includes(url.hostname) ||
            /^127(\.\d+){3}$/.test(url.hostname),
        ).toBe(true);
        expect(checked.endsWith('/')).toBe(false);
        expect(checked).not.toMatch(/[?#@]/);
        expect(cr).toBe('');
      }),
    );
  });
});

describe('BotConnectorClients', () => {
  const app = () => new App({ clientId: 'bot', tenantId: 'tenant', token: () => 'token', serviceUrl: `${FALLBACK}/` });

  it('uses the SDK client of TEAMS_SERVICE_URL when no service URL is known', () => {
    const a = app();
    const clients = new BotConnectorClients(a);
    expect(clients.for(undefined)).toBe(a.api);
    expect(clients.for('')).toBe(a.api);
    expect(clients.for(`${FALLBACK}/`)).toBe(a.api);
  });

  it('builds one client per regional service URL, sharing the app token-bearing http client', () => {
    const a = app();
    const clients = new BotConnectorClients(a);
    const emea = clients.for('https://smba.trafficmanager.net/emea/');
    expect(emea).not.toBe(a.api);
    expect(emea.serviceUrl).toBe('https://smba.trafficmanager.net/emea');
    expect(emea.conversations.serviceUrl).toBe('https://smba.trafficmanager.net/emea');
    expect(clients.for('https://smba.trafficmanager.net/emea')).toBe(emea);
    expect(clients.for('https://smba.trafficmanager.net/amer/').serviceUrl).toBe(
      'https://smba.trafficmanager.net/amer',
    );
    expect(emea.http.token).toBe(a.api.http.token);
  });

  it('refuses a bad service URL with one warning and falls back', () => {
    const a = app();
    const log = new RecordingLogger();
    const clients = new BotConnectorClients(a, log);
    expect(clients.for('http://evil.example/teams/')).toBe(a.api);
    expect(clients.for('http://evil.example/teams/')).toBe(a.api);
    const warnings = log.at('warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toMatch(/not https.*TEAMS_SERVICE_URL/);
  });
});
