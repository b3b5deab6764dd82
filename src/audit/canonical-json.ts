/**
 * Deterministic JSON: object keys sorted by UTF-16 code units, no whitespace,
 * strings and numbers exactly as `JSON.stringify` writes them. Values that
 * JSON cannot hold are treated as `JSON.stringify` treats them (undefined
 * properties dropped, `undefined` in arrays and non-finite numbers become
 * `null`, `toJSON` honoured), so a value and its JSON round trip through
 * PostgreSQL `jsonb` encode identically — which is what the audit hash needs.
 */
export function canonicalJson(value: unknown): string {
  const encoded = encode(value);
  return encoded === undefined ? 'null' : encoded;
}

function encode(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (
    value !== undefined &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    return encode((value as { toJSON: () => unknown }).toJSON());
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonicalJson: BigInt has no JSON form; convert it to a string or number first');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      break;
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => encode(item) ?? 'null').join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const item = encode(record[key]);
    if (item !== undefined) parts.push(`${JSON.stringify(key)}:${item}`);
  }
  return `{${parts.join(',')}}`;
}
