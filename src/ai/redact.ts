/**
 * Masks personal and payment data before anything leaves for an AI provider.
 * Order matters: IBANs and card numbers first, so the phone rule does not
 * eat their digits.
 */
const RULES: Array<{ mask: string; re: RegExp }> = [
  { mask: '[iban]', re: /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b/g },
  { mask: '[card]', re: /\b\d(?:[ -]?\d){12,18}\b/g },
  { mask: '[email]', re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g },
  // International (+49 30 1234567), North American ((555) 123-4567, 555.123.4567), national with a 0 prefix (030 1234567).
  { mask: '[phone]', re: /\+\d[\d ().-]{6,}\d/g },
  { mask: '[phone]', re: /\(?\b\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b/g },
  // Not after a letter, digit, `/` or `-`: Odoo's sequence numbers (BILL/2026/00007) are references, not phones.
  { mask: '[phone]', re: /(?<![\w/-])0\d{1,4}[ /-]?\d{3,}(?:[ -]\d{2,})?\b/g },
];

export function redactText(s: string): string {
  let out = s;
  for (const r of RULES) out = out.replace(r.re, r.mask);
  return out;
}

/** Masks every string inside a JSON-like value; numbers, booleans and null pass unchanged. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)])) as T;
  return value;
}
