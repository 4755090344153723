import * as vscode from 'vscode';
import type { SqueezeApi } from './vscode/api.ts';
import { OutputChannelLogger } from './vscode/log.ts';

/**
 * Activation stays small: a logger, then the services, loaded by dynamic import. A failure is logged and
 * shown with "Show Logs" and "Retry"; a retry starts again from a clean slate.
 */
export async function activate(context: vscode.ExtensionContext): Promise<SqueezeApi | undefined> {
  const log = new OutputChannelLogger('Squeeze');
  context.subscriptions.push(log);
  return start(context, log);
}

async function start(context: vscode.ExtensionContext, log: OutputChannelLogger): Promise<SqueezeApi | undefined> {
  const owned: vscode.Disposable[] = [];
  const started = Date.now();
  try {
    const { startSqueeze } = await import('./vscode/squeezeExtension.ts');
    const api = await startSqueeze(context, log, owned);
    context.subscriptions.push(...owned);
    log.info(`Squeeze ${String(context.extension.packageJSON.version)} activated in ${Date.now() - started} ms`);
    return api;
  } catch (e) {
    for (const d of owned.reverse()) d.dispose();
    log.error('activation failed', e);
    void vscode.window.showErrorMessage(`Squeeze failed to start: ${e instanceof Error ? e.message : String(e)}`, 'Show Logs', 'Retry').then((pick) => {
      if (pick === 'Show Logs') log.show();
      if (pick === 'Retry') void start(context, log);
    });
    return undefined;
  }
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
