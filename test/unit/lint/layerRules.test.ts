// The layer rules of STYLE.md are enforced by eslint.config.mjs; this test proves that `npm run lint`
// fails when pure or Node code reaches for the vscode API or a layer above it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImportErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  assert.ok(result, 'eslint returned no result');
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const CASES: { file: string; code: string; rejected: boolean }[] = [
  { file: 'src/common/bad.ts', code: "import * as vscode from 'vscode';\nexport const x = vscode;\n", rejected: true },
  { file: 'src/common/bad.ts', code: "import fs from 'node:fs';\nexport const x = fs;\n", rejected: true },
  { file: 'src/common/bad.ts', code: "import path from 'path';\nexport const x = path;\n", rejected: true },
  { file: 'src/common/bad.ts', code: "import { x } from '../node/anything.ts';\nexport const y = x;\n", rejected: true },
  { file: 'src/node/bad.ts', code: "import * as vscode from 'vscode';\nexport const x = vscode;\n", rejected: true },
  { file: 'src/node/bad.ts', code: "import { x } from '../vscode/config.ts';\nexport const y = x;\n", rejected: true },
  { file: 'src/cli/bad.ts', code: "import * as vscode from 'vscode';\nexport const x = vscode;\n", rejected: true },
  { file: 'src/webview/bad.ts', code: "import fs from 'node:fs';\nexport const x = fs;\n", rejected: true },
  { file: 'src/node/good.ts', code: "import fs from 'node:fs';\nexport const x = fs;\n", rejected: false },
  { file: 'src/vscode/good.ts', code: "import * as vscode from 'vscode';\nexport const x = vscode;\n", rejected: false },
  { file: 'src/extension.ts', code: "import * as vscode from 'vscode';\nexport const x = vscode;\n", rejected: false },
];

for (const c of CASES) {
  test(`${c.file}: ${c.code.split('\n')[0]} is ${c.rejected ? 'rejected' : 'allowed'}`, async () => {
    const errors = await restrictedImportErrors(c.file, c.code);
    assert.equal(errors.length > 0, c.rejected, errors.join('; '));
  });
}
