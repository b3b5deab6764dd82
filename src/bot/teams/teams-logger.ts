import type { ILogger, LogLevel } from '@microsoft/teams.common';
import type { Logger } from '../../flows/ports.js';

/** The Teams SDK's logger interface on our pino logger. The SDK logs freely at info; we keep it at debug. */
export function teamsLogger(log: Logger, name = 'teams'): ILogger {
  const out = (level: 'debug' | 'warn' | 'error', msg: unknown[]) => {
    const err = msg.find((m) => m instanceof Error);
    const text = msg
      .filter((m) => !(m instanceof Error))
      .map((m) => (typeof m === 'string' ? m : safe(m)))
      .join(' ');
    log[level]({ platform: 'teams', sdk: name, ...(err ? { err } : {}) }, text);
  };
  const logger: ILogger = {
    debug: (...m) => out('debug', m),
    info: (...m) => out('debug', m),
    trace: (...m) => out('debug', m),
    warn: (...m) => out('warn', m),
    error: (...m) => out('error', m),
    log: (level: LogLevel, ...m) => out(level === 'error' ? 'error' : level === 'warn' ? 'warn' : 'debug', m),
    child: (child: string) => teamsLogger(log, `${name}/${child}`),
  };
  return logger;
}

function safe(v: unknown): string {
  try {
    return JSON.stringify(v)?.slice(0, 500) ?? String(v);
  } catch {
    return String(v);
  }
}
