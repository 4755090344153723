// Shared helpers of the integration suite: the extension's API, settings, waiting.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SqueezeApi } from '../../../src/vscode/api.ts';

export const EXTENSION_ID = 'squeeze-dev.squeeze';

export async function squeeze(): Promise<SqueezeApi> {
  const ext = vscode.extensions.getExtension<SqueezeApi | undefined>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  const api = await ext.activate();
  assert.ok(api, 'activate() returned no API: activation failed (see the Squeeze log)');
  return api;
}

/** The fake OpenAI-compatible server started by scripts/runIntegration.mjs (e2e/fakeModelServer.cjs). */
export function modelUrl(): string {
  const url = process.env.SQUEEZE_TEST_MODEL_URL;
  assert.ok(url, 'SQUEEZE_TEST_MODEL_URL is not set: run the suite with `node scripts/runIntegration.mjs`');
  return url;
}

export async function setting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('squeeze').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Points the extension at the fake model server. */
export async function useFakeModel(): Promise<void> {
  await setting('backend.endpoint', modelUrl());
  await setting('backend.kind', 'http');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the fixture workspace open');
  return folder.uri;
}

/** Closes every editor without a save prompt (dialogs are not answered in smoke-test mode). */
export async function closeAllEditors(): Promise<void> {
  for (let i = 0; i < 20 && vscode.window.tabGroups.all.some((g) => g.tabs.length > 0); i++) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    if (!vscode.window.activeTextEditor) await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }
}

/** Scratch files of this run; removed by index.ts when the suite ends. */
export const SCRATCH_DIR = path.join(os.tmpdir(), `squeeze-it-${process.pid}`);

/**
 * Opens a new plain-text file (outside the workspace, so no language server starts) with `content`
 * and puts the cursor at line/character. A file, not an untitled document: untitled names are reused
 * after a close, and the extension host can hand back the closed document for the reused name.
 */
export async function editorWith(content: string, line: number, character: number): Promise<vscode.TextEditor> {
  fs.mkdirSync(SCRATCH_DIR, { recursive: true });
  const file = path.join(SCRATCH_DIR, `scratch-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.txt`);
  fs.writeFileSync(file, content);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const editor = await vscode.window.showTextDocument(doc);
  editor.selection = new vscode.Selection(line, character, line, character);
  return editor;
}

/** Triggers the inline suggestion at the cursor and accepts it, until the text changes. */
export async function triggerAndCommit(doc: vscode.TextDocument, attempts = 30): Promise<string> {
  const before = doc.getText();
  for (let i = 0; i < attempts && doc.getText() === before; i++) {
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await sleep(250);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
  }
  return doc.getText();
}
