/** The logging interface every layer writes to; the VS Code layer backs it with a LogOutputChannel. */
export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

export type LogLevel = keyof Logger;

/** A logger that drops everything: the default where a caller passes none. */
export const NULL_LOGGER: Logger = {
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** Prefixes every message with `[scope]`, for sub-loggers such as `[scan]` or `[chunk]`. */
export function scopedLogger(parent: Logger, scope: string): Logger {
  const p = `[${scope}] `;
  return {
    trace: (m, ...a) => parent.trace(p + m, ...a),
    debug: (m, ...a) => parent.debug(p + m, ...a),
    info: (m, ...a) => parent.info(p + m, ...a),
    warn: (m, ...a) => parent.warn(p + m, ...a),
    error: (m, ...a) => parent.error(typeof m === 'string' ? p + m : m, ...a),
  };
}

/** Keeps entries in memory; used by tests to assert on what was logged. */
export class MemoryLogger implements Logger {
  readonly entries: { level: LogLevel; message: string }[] = [];
  trace(m: string): void {
    this.entries.push({ level: 'trace', message: m });
  }
  debug(m: string): void {
    this.entries.push({ level: 'debug', message: m });
  }
  info(m: string): void {
    this.entries.push({ level: 'info', message: m });
  }
  warn(m: string): void {
    this.entries.push({ level: 'warn', message: m });
  }
  error(m: string | Error): void {
    this.entries.push({ level: 'error', message: typeof m === 'string' ? m : (m.stack ?? m.message) });
  }
}
