import type { Database } from './database.js';
import { defaultSchema, quoteSchema } from './schema-name.js';

/** Statuses of a case nobody has closed yet (the `cases_one_active` index covers them). */
const OPEN_CASE = ['open', 'info_requested', 'deciding'];
/** Statuses of an exception someone still has to act on (the `exceptions_definition_status` index). */
const OPEN_EXCEPTION = ['open', 'assigned', 'snoozed'];

/** `COUNT … GROUP BY` over open cases and exceptions, for the gauges on `/metrics`. */
export class PgOpenWork {
  private readonly cases: string;
  private readonly exceptions: string;

  constructor(
    private readonly db: Database,
    options: { schema?: string } = {},
  ) {
    const s = quoteSchema(options.schema ?? defaultSchema);
    this.cases = `${s}.cases`;
    this.exceptions = `${s}.exceptions`;
  }

  async openCasesByFlow(): Promise<Array<{ key: string; count: number }>> {
    const r = await this.db.query<{ key: string; count: string }>(
      'count open cases by flow',
      `SELECT flow_id AS key, count(*) AS count FROM ${this.cases} WHERE status = ANY($1::text[]) GROUP BY flow_id`,
      [OPEN_CASE],
    );
    return r.rows.map((row) => ({ key: row.key, count: Number(row.count) }));
  }

  async openExceptionsByDefinition(): Promise<Array<{ key: string; count: number }>> {
    const r = await this.db.query<{ key: string; count: string }>(
      'count open exceptions by definition',
      `SELECT definition_id AS key, count(*) AS count FROM ${this.exceptions} WHERE status = ANY($1::text[])
       GROUP BY definition_id`,
      [OPEN_EXCEPTION],
    );
    return r.rows.map((row) => ({ key: row.key, count: Number(row.count) }));
  }
}
