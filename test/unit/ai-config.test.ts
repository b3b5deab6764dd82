import { describe, expect, it } from 'vitest';
import { aiConfig, loadEnv } from '../../src/config/env.js';

const BASE = {
  ODOO_URL: 'https://odoo.example.com',
  ODOO_DB: 'acme',
  ODOO_USERNAME: 'bot',
  ODOO_API_KEY: 'key',
  ODOO_WEBHOOK_TOKEN: 'a'.repeat(24),
  SLACK_BOT_TOKEN: 'xoxb-1',
  SLACK_SIGNING_SECRET: 'secret',
};

describe('AI settings', () => {
  it('are off unless AI_BASE_URL and AI_MODEL are both set', () => {
    expect(aiConfig(loadEnv(BASE))).toBeNull();
    expect(aiConfig(loadEnv({ ...BASE, AI_BASE_URL: 'http://localhost:11434/v1' }))).toBeNull();
    expect(aiConfig(loadEnv({ ...BASE, AI_BASE_URL: 'http://localhost:11434/v1', AI_MODEL: 'llama3.1' }))).toEqual({
      baseUrl: 'http://localhost:11434/v1',
      model: 'llama3.1',
      timeoutMs: 8000,
    });
  });

  it('name the variable when a value is wrong', () => {
    expect(() => loadEnv({ ...BASE, AI_BASE_URL: 'localhost' })).toThrow(/AI_BASE_URL must be an http\(s\) URL/);
    expect(() => loadEnv({ ...BASE, AI_TIMEOUT_MS: '10' })).toThrow(/AI_TIMEOUT_MS must be at least 500 ms/);
  });
});
