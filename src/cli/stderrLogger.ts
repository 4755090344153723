import type { Logger, LogLevel } from '../common/log.ts';
import type { CliOutput } from './cliCommand.ts';

const RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

/**
 * Log lines on stderr: warnings and errors by default, everything down to `debug` with --verbose.
 * `beforeWrite` lets a progress bar clear its line first.
 */
export function stderrLogger(out: CliOutput, options: { verbose: boolean; beforeWrite?: () => void }): Logger {
  const min = options.verbose ? RANK.debug : RANK.warn;
  const write = (level: LogLevel, message: string | Error) => {
    if (RANK[level] < min) return;
    options.beforeWrite?.();
    const text = typeof message === 'string' ? message : options.verbose && message.stack ? message.stack : message.message;
    out.write(`${level === 'info' || level === 'debug' ? '' : `${level}: `}${text}\n`);
  };
  return {
    trace: (m) => write('trace', m),
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
  };
}
