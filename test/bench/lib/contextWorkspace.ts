/**
 * The context benchmark's workspace: `count` files (default 10,000), seeded and deterministic.
 *
 * - Languages, by share of files: TypeScript 28%, Python 20%, JavaScript 10%, Go 8%, Java 8%, Rust 5%, C++ 5%,
 *   C# 4%, C 3%, Markdown 5%, JSON 2%, YAML 2% (a polyglot monorepo).
 * - Sizes: code files have log-normal line counts (median 60, σ 0.9, clamped to 8–2,500 lines: most files are
 *   small, a few are thousands of lines); docs 10–200 lines; config files 5–60 lines.
 * - Layout: 100 packages × {src, lib, test} × a few sub-folders; file names from the module's topic words.
 * - Content (codeTemplates.ts): imports of up to 5 sibling modules of the package, classes with methods and free
 *   functions over a shared domain vocabulary; 8% of code files are near-copies of an earlier file of the same
 *   language with its topic word renamed (copy-paste modules, which completions reuse most).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRng, type Rng } from '../../../src/common/random.ts';
import { renderModule, WORDS, type CodeLanguage } from './codeTemplates.ts';

export interface WorkspaceFile {
  /** Relative to the root, with '/'. */
  readonly rel: string;
  readonly languageId: string;
  readonly text: string;
}

export interface ContextWorkspace {
  readonly root: string;
  readonly files: readonly WorkspaceFile[];
  readonly bytes: number;
  /** True when an existing generated workspace was reused. */
  readonly reused: boolean;
}

type Kind = CodeLanguage | 'markdown' | 'json' | 'yaml';

const MIX: readonly [Kind, number][] = [
  ['typescript', 0.28], ['python', 0.2], ['javascript', 0.1], ['go', 0.08], ['java', 0.08], ['rust', 0.05], ['cpp', 0.05],
  ['csharp', 0.04], ['c', 0.03], ['markdown', 0.05], ['json', 0.02], ['yaml', 0.02],
];
const EXT: Record<Kind, string> = {
  typescript: '.ts', python: '.py', javascript: '.js', go: '.go', java: '.java', rust: '.rs', cpp: '.cpp', csharp: '.cs', c: '.c', markdown: '.md', json: '.json', yaml: '.yaml',
};
const SNAKE = new Set<Kind>(['python', 'rust', 'cpp', 'c', 'go']);

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

function kindOf(rng: Rng): Kind {
  let u = rng();
  for (const [k, share] of MIX) if ((u -= share) < 0) return k;
  return 'typescript';
}

/** Log-normal line count (Box–Muller), clamped. */
function codeLines(rng: Rng): number {
  const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return Math.max(8, Math.min(2500, Math.round(60 * Math.exp(0.9 * z))));
}

function fileName(kind: Kind, topic: string, word: string, i: number): string {
  if (kind === 'java' || kind === 'csharp') return `${topic[0]!.toUpperCase()}${topic.slice(1)}${word[0]!.toUpperCase()}${word.slice(1)}${i}`;
  return SNAKE.has(kind) || kind === 'markdown' || kind === 'yaml' ? `${topic}_${word}_${i}` : `${topic}${word[0]!.toUpperCase()}${word.slice(1)}${i}`;
}

function docText(rng: Rng, topic: string): string {
  const lines = [`# The ${topic} package`, ''];
  const n = 10 + Math.floor(rng() * 190);
  while (lines.length < n) lines.push(`The ${topic} ${pick(rng, WORDS)} keeps the ${pick(rng, WORDS)} in sync with the ${pick(rng, WORDS)}; see \`${pick(rng, WORDS)}\`.`, '');
  return `${lines.join('\n')}\n`;
}

function configText(kind: 'json' | 'yaml', rng: Rng, topic: string): string {
  const n = 5 + Math.floor(rng() * 55);
  const keys = Array.from({ length: n }, (_, i) => [`${topic}_${pick(rng, WORDS)}_${i}`, Math.floor(rng() * 1000)] as const);
  if (kind === 'json') return `{\n${keys.map(([k, v]) => `  "${k}": ${v}`).join(',\n')}\n}\n`;
  return `${keys.map(([k, v]) => `${k}: ${v}`).join('\n')}\n`;
}

interface Generated {
  readonly kind: Kind;
  readonly rel: string;
  readonly text: string;
}

/** The i-th file: its kind, place and text (earlier files of the package can be imported or copied). */
function generateFile(i: number, rng: Rng, earlier: readonly Generated[]): Generated {
  const kind = kindOf(rng);
  const pkg = `pkg${String(i % 100).padStart(2, '0')}`;
  const topic = pick(rng, WORDS);
  const dir = `packages/${pkg}/${pick(rng, ['src', 'src', 'lib', 'test'])}/${pick(rng, WORDS.slice(0, 12))}`;
  const base = fileName(kind, topic, pick(rng, WORDS), i);
  const rel = `${dir}/${base}${EXT[kind]}`;
  if (kind === 'markdown') return { kind, rel, text: docText(rng, topic) };
  if (kind === 'json' || kind === 'yaml') return { kind, rel, text: configText(kind, rng, topic) };
  const same = earlier.filter((f) => f.kind === kind && f.rel.startsWith(`packages/${pkg}/`));
  if (same.length > 0 && rng() < 0.08) {
    const src = pick(rng, same);
    const from = src.text.match(/^\S+ (\w+) module/)?.[1] ?? topic;
    return { kind, rel, text: src.text.split(from).join(topic) };
  }
  const imports = same.slice(-5).filter(() => rng() < 0.6).map((f) => path.posix.basename(f.rel, EXT[kind]));
  return { kind, rel, text: renderModule({ language: kind, topic, imports, targetLines: codeLines(rng) }, rng) };
}

const MARKER = '.context-bench.json';

/** Generates the workspace under `dir` (or a fresh temp dir); an existing one with the same parameters is reused. */
export function generateContextWorkspace(count: number, seed: number, dir?: string): ContextWorkspace {
  const root = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'squeeze-context-'));
  const params = JSON.stringify({ count, seed, version: 1 });
  const marker = path.join(root, MARKER);
  const reused = fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === params;
  const rng = createRng(seed);
  const files: Generated[] = [];
  for (let i = 0; i < count; i++) files.push(generateFile(i, rng, files.slice(-400)));
  if (!reused) {
    fs.rmSync(root, { recursive: true, force: true });
    for (const f of files) {
      fs.mkdirSync(path.join(root, path.dirname(f.rel)), { recursive: true });
      fs.writeFileSync(path.join(root, f.rel), f.text);
    }
    fs.writeFileSync(marker, params);
  }
  const out = files.map((f) => ({ rel: f.rel, languageId: f.kind, text: f.text }));
  return { root, files: out, bytes: out.reduce((n, f) => n + Buffer.byteLength(f.text), 0), reused };
}
