import * as vscode from 'vscode';
import type { Logger } from '../../common/log.ts';
import type { CatalogEntry } from '../../common/models/modelCatalog.ts';
import type { Config } from '../config.ts';

/**
 * "Download Model": pick a recommended model from the catalog, download it with progress (resumable,
 * checksummed, cancellable) into the shared models folder, then point the settings at it.
 */
export async function downloadModel(config: Config, log: Logger, name?: unknown): Promise<string | undefined> {
  const entry = await pickEntry(name);
  if (!entry) return undefined;
  const [{ formatBytes }, { pullModel }, { defaultModelsDir }] = await Promise.all([
    import('../../common/models/modelCatalog.ts'),
    import('../../node/models/modelDownloader.ts'),
    import('../../node/models/modelStore.ts'),
  ]);
  const title = `Squeeze: downloading ${entry.name}`;
  const result = await vscode.window
    .withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      let shown = 0;
      return pullModel(entry, {
        modelsDir: defaultModelsDir(), token, logger: log,
        onProgress: (p) => {
          const pct = p.approxTotal > 0 ? Math.min(100, Math.floor((100 * p.bytes) / p.approxTotal)) : 0;
          progress.report({ message: `${p.file} (${formatBytes(p.bytes)} of about ${formatBytes(p.approxTotal)})`, increment: Math.max(0, pct - shown) });
          shown = Math.max(shown, pct);
        },
      });
    })
    .then(undefined, (e: unknown) => {
      void vscode.window.showErrorMessage(`Squeeze: download of ${entry.name} stopped: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    });
  if (!result) return undefined;
  await config.update(entry.role === 'decoder' ? 'models.decoderPath' : 'models.encoderPath', result.dir);
  if (entry.role === 'decoder') await config.update('backend.kind', 'onnx');
  void vscode.window.showInformationMessage(`Squeeze: ${entry.name} is ready in ${result.dir}.`);
  return result.dir;
}

async function pickEntry(name: unknown): Promise<CatalogEntry | undefined> {
  const { MODEL_CATALOG, formatBytes } = await import('../../common/models/modelCatalog.ts');
  if (typeof name === 'string') return MODEL_CATALOG.find((e) => e.name === name);
  const items = MODEL_CATALOG.map((e) => ({ label: e.name, description: `${e.role}, about ${formatBytes(e.approxBytes)}`, detail: e.notes, entry: e }));
  return (await vscode.window.showQuickPick(items, { title: 'Squeeze: download a model', matchOnDetail: true }))?.entry;
}
