import type { Logger } from '../../src/flows/ports.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogRecord {
  level: LogLevel;
  fields: Record<string, unknown>;
  msg: string | undefined;
}

/** A `Logger` that keeps what was logged (with child bindings merged in) for assertions. */
export class RecordingLogger implements Logger {
  constructor(
    readonly records: LogRecord[] = [],
    private readonly bindings: Record<string, unknown> = {},
  ) {}

  debug(obj: object, msg?: string): void {
    this.push('debug', obj, msg);
  }
  info(obj: object, msg?: string): void {
    this.push('info', obj, msg);
  }
  warn(obj: object, msg?: string): void {
    this.push('warn', obj, msg);
  }
  error(obj: object, msg?: string): void {
    this.push('error', obj, msg);
  }

  child(bindings: Record<string, unknown>): Logger {
    return new RecordingLogger(this.records, { ...this.bindings, ...bindings });
  }

  at(level: LogLevel): LogRecord[] {
    return this.records.filter((r) => r.level === level);
  }

  private push(level: LogLevel, obj: object, msg: string | undefined): void {
    this.records.push({ level, fields: { ...this.bindings, ...obj }, msg });
  }
}
