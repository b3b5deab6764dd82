/**
 * Odoo generates 20 random bytes as 40 hex digits (`API_KEY_SIZE` in
 * `res_users_apikeys`). The bounds are loose on purpose so a future format
 * still passes; they only catch a password, a half paste or a whole page.
 */
export const API_KEY_LENGTH = { min: 20, max: 200 } as const;

/**
 * Reads a pasted Odoo API key from a chat form. Surrounding whitespace (a
 * pasted newline) is dropped; nothing here proves the key works, so check it
 * against Odoo before saving. The error never repeats what was typed.
 */
export function readApiKey(raw: unknown): { apiKey: string } | { error: string } {
  const apiKey = typeof raw === 'string' ? raw.trim() : '';
  if (apiKey === '')
    return { error: 'Paste the API key you created in Odoo (My Profile → Account Security → New API Key).' };
  if (/\s/.test(apiKey))
    return { error: 'An Odoo API key has no spaces or line breaks; copy it again from Odoo and paste only the key.' };
  if (apiKey.length < API_KEY_LENGTH.min)
    return {
      error: 'That is too short for an Odoo API key (they are 40 characters). Use a new API key, not your password.',
    };
  if (apiKey.length > API_KEY_LENGTH.max)
    return { error: 'That is too long for an Odoo API key (they are 40 characters); paste only the key.' };
  return { apiKey };
}
