import * as vscode from 'vscode';
import { inspect } from 'node:util';
import type { Logger } from '../common/log.ts';

/** Adapts the extension's LogOutputChannel to the Logger every layer writes to. */
export class OutputChannelLogger implements Logger, vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor(name: string) {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  trace(message: string, ...args: unknown[]): void {
    this.channel.trace(format(message, args));
  }
  debug(message: string, ...args: unknown[]): void {
    this.channel.debug(format(message, args));
  }
  info(message: string, ...args: unknown[]): void {
    this.channel.info(format(message, args));
  }
  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(format(message, args));
  }
  error(message: string | Error, ...args: unknown[]): void {
    const text = typeof message === 'string' ? message : (message.stack ?? message.message);
    this.channel.error(format(text, args));
  }
  show(): void {
    this.channel.show(true);
  }
  dispose(): void {
    this.channel.dispose();
  }
}

function format(message: string, args: unknown[]): string {
  if (args.length === 0) return message;
  const rest = args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : typeof a === 'string' ? a : inspect(a, { depth: 4 })));
  return `${message} ${rest.join(' ')}`;
}
