// Entry of the mocha suite run inside the real VS Code extension host (extensionTestsPath).
// Bundled by esbuild to dist/test/integration/index.cjs; the test files next to it are added in order.
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { SCRATCH_DIR } from './util/testEnv.ts';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, forbidOnly: process.env.CI === 'true' });
  // The multi-root suite runs alone in a second workbench opened on a .code-workspace (see scripts/runIntegration.mjs).
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  const grep = process.env.SQUEEZE_TEST_GREP;
  if (multiRoot) mocha.grep(/multi-root/);
  else mocha.grep(new RegExp(`^(?!.*multi-root)${grep ? `(?=.*(?:${grep}))` : ''}`));
  for (const f of fs.readdirSync(__dirname).filter((n) => n.endsWith('.test.cjs')).sort()) mocha.addFile(path.join(__dirname, f));
  try {
    await new Promise<void>((resolve, reject) => {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
    });
  } finally {
    fs.rmSync(SCRATCH_DIR, { recursive: true, force: true });
  }
}
