import fs from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../../common/log.ts';
import type { BackendKind, Config } from '../config.ts';

/** "Select Model Folder" / "Select Encoder Folder": pick a local export folder, check its layout, save it. */
export async function selectModelFolder(config: Config, role: 'decoder' | 'encoder', folder?: unknown): Promise<string | undefined> {
  const dir = typeof folder === 'string' ? folder : await pickFolder(role);
  if (!dir) return undefined;
  const problem = await checkModelFolder(dir);
  if (problem) {
    void vscode.window.showErrorMessage(`Squeeze: ${dir} is not a model folder: ${problem}`);
    return undefined;
  }
  if (role === 'decoder') {
    await config.update('models.decoderPath', dir);
    if (config.backendKind !== 'onnx') await config.update('backend.kind', 'onnx');
  } else {
    await config.update('models.encoderPath', dir);
  }
  vscode.window.setStatusBarMessage(`Squeeze: ${role} model set to ${path.basename(dir)}`, 4000);
  return dir;
}

async function pickFolder(role: string): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true, canSelectFiles: false, canSelectMany: false,
    title: `Select the ${role} model folder (config.json, tokenizer.json, onnx/model*.onnx)`, openLabel: 'Use this folder',
  });
  return picked?.[0]?.fsPath;
}

/** Undefined when the folder has the export layout; otherwise what is missing. */
export async function checkModelFolder(dir: string): Promise<string | undefined> {
  const missing: string[] = [];
  for (const f of ['config.json', 'tokenizer.json']) {
    if (!(await fs.stat(path.join(dir, f)).then((s) => s.isFile(), () => false))) missing.push(f);
  }
  const onnx = await fs.readdir(path.join(dir, 'onnx')).catch(() => [] as string[]);
  if (!onnx.some((f) => f.endsWith('.onnx'))) missing.push('onnx/*.onnx');
  return missing.length ? `missing ${missing.join(', ')}` : undefined;
}

const BACKEND_ITEMS: readonly (vscode.QuickPickItem & { kind2: BackendKind })[] = [
  { kind2: 'http', label: 'OpenAI-compatible server', description: 'Ollama, llama.cpp server, vLLM, LM Studio' },
  { kind2: 'onnx', label: 'Local ONNX model folder', description: 'runs in the editor with onnxruntime' },
  { kind2: 'none', label: 'None', description: 'no completions or answers' },
];

/** "Switch Backend": pick the kind; for a server ask for its endpoint and model, for ONNX for the folder. */
export async function switchBackend(config: Config, log: Logger): Promise<void> {
  const pick = await vscode.window.showQuickPick(BACKEND_ITEMS.map((i) => ({ ...i, picked: i.kind2 === config.backendKind })), { title: 'Squeeze: model backend' });
  if (!pick) return;
  if (pick.kind2 === 'http') {
    const endpoint = await vscode.window.showInputBox({ title: 'Server endpoint', value: config.get('backend.endpoint'), prompt: 'OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1 for Ollama', ignoreFocusOut: true });
    if (endpoint === undefined) return;
    const model = await vscode.window.showInputBox({ title: 'Model name (empty: the server default)', value: config.get('backend.model'), ignoreFocusOut: true });
    if (model === undefined) return;
    await config.update('backend.endpoint', endpoint.trim());
    await config.update('backend.model', model.trim());
  }
  if (pick.kind2 === 'onnx' && !config.get('models.decoderPath')) {
    if (!(await selectModelFolder(config, 'decoder'))) return;
  }
  await config.update('backend.kind', pick.kind2);
  log.info(`backend switched to ${pick.kind2}`);
}
