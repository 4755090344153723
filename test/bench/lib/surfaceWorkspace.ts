/** A generated workspace for the surface benchmark: `count` small TypeScript and Python modules. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface GeneratedFile {
  readonly file: string;
  readonly languageId: 'typescript' | 'python';
  readonly text: string;
}

function tsModule(i: number): string {
  const lines = [`import { helper${i % 97} } from '../shared/helper${i % 97}';`, '', `export interface Record${i} {`, '  id: number;', '  name: string;', '  total: number;', '}', ''];
  for (let f = 0; f < 3; f++) {
    lines.push(`export function compute${i}_${f}(items: Record${i}[], factor: number): number {`);
    lines.push('  let sum = 0;', '  for (const item of items) {', `    sum += item.total * factor + ${f};`, '  }', `  return helper${i % 97}(sum);`, '}', '');
  }
  return lines.join('\n');
}

function pyModule(i: number): string {
  const lines = [`from shared.helper${i % 97} import helper`, '', `class Record${i}:`, '    def __init__(self, name, total):', '        self.name = name', '        self.total = total', ''];
  for (let f = 0; f < 3; f++) {
    lines.push(`def compute_${i}_${f}(items, factor):`, '    total = 0', '    for item in items:', `        total += item.total * factor + ${f}`, '    return helper(total)', '');
  }
  return lines.join('\n');
}

/** Writes the workspace under a fresh temp dir; files are spread over 100 folders of 100. */
export function generateWorkspace(count: number): { root: string; files: GeneratedFile[] } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'squeeze-surface-'));
  const files: GeneratedFile[] = [];
  for (let i = 0; i < count; i++) {
    const dir = path.join(root, 'src', `pkg${String(Math.floor(i / 100)).padStart(3, '0')}`);
    if (i % 100 === 0) fs.mkdirSync(dir, { recursive: true });
    const py = i % 4 === 3;
    const file = path.join(dir, py ? `module_${i}.py` : `module${i}.ts`);
    const text = py ? pyModule(i) : tsModule(i);
    fs.writeFileSync(file, text);
    files.push({ file, languageId: py ? 'python' : 'typescript', text });
  }
  return { root, files };
}
