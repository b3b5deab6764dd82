import { AppError } from '../errors.js';

/** The schema every table of the store lives in, unless tests pick their own. */
export const defaultSchema = 'chatops';

/**
 * Checks a schema name and returns it double-quoted for SQL. Schema names are
 * interpolated (identifiers cannot be bound parameters), so only plain
 * lower-case identifiers are accepted.
 */
export function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new AppError(
      'store.bad_schema',
      'internal',
      `The store schema name "${schema}" is not a plain lower-case SQL identifier; use letters, digits and underscores only.`,
    );
  }
  return `"${schema}"`;
}
