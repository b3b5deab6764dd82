/**
 * A schema change, kept as a TypeScript constant so it ships inside `dist`.
 * `sql` receives the quoted schema name; versions only ever grow and an
 * applied migration is never edited, only followed by a new one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: (quotedSchema: string) => string;
}
