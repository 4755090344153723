/**
 * A minimal `vscode` module for the surface benchmark: just what the inline completion provider and
 * `LastRequestStore` touch (Position, Range, InlineCompletionItem, the trigger kinds, a token source, an
 * event emitter, `workspace.asRelativePath`), plus a TextDocument over a string. Importing this module
 * installs it as `require('vscode')`, so it must be imported before any module that imports `vscode`
 * (the bench runs as the CommonJS bundle dist/bench/surface.bench.cjs, where `vscode` is external).
 */
import Module from 'node:module';
import path from 'node:path';
import { CancellationTokenSource } from '../../../src/common/cancellation.ts';

export class Position {
  readonly line: number;
  readonly character: number;
  constructor(line: number, character: number) {
    this.line = line;
    this.character = character;
  }
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(start: Position, end: Position) {
    this.start = start;
    this.end = end;
  }
}

export class InlineCompletionItem {
  readonly insertText: string;
  readonly range: Range | undefined;
  constructor(insertText: string, range?: Range) {
    this.insertText = insertText;
    this.range = range;
  }
}

export class EventEmitter<T> {
  private readonly listeners = new Set<(e: T) => void>();
  readonly event = (l: (e: T) => void): { dispose(): void } => {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  };
  fire(e: T): void {
    for (const l of this.listeners) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

/** A read-only document over `text` with VS Code's offset and line semantics (LF line ends). */
export class StringDocument {
  readonly fileName: string;
  readonly languageId: string;
  readonly uri: { readonly fsPath: string; readonly scheme: 'file' };
  private readonly text: string;
  private readonly starts: number[] = [0];

  constructor(fileName: string, languageId: string, text: string) {
    this.fileName = fileName;
    this.languageId = languageId;
    this.uri = { fsPath: fileName, scheme: 'file' };
    this.text = text;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineAt(line: number): { readonly text: string } {
    const start = this.starts[line] ?? this.text.length;
    const next = this.starts[line + 1];
    return { text: this.text.slice(start, next === undefined ? this.text.length : next - 1) };
  }

  offsetAt(p: Position): number {
    const start = this.starts[Math.min(p.line, this.starts.length - 1)] ?? 0;
    return Math.min(start + p.character, this.text.length);
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return new Position(lo, o - (this.starts[lo] ?? 0));
  }

  getText(r?: Range): string {
    return r ? this.text.slice(this.offsetAt(r.start), this.offsetAt(r.end)) : this.text;
  }
}

/** The single workspace folder `asRelativePath` resolves against. */
export const benchWorkspace: { root: string } = { root: process.cwd() };

const vscodeStub = {
  Position, Range, InlineCompletionItem, EventEmitter, CancellationTokenSource,
  InlineCompletionTriggerKind: { Invoke: 0, Automatic: 1 },
  workspace: {
    get workspaceFolders() {
      return [{ name: path.basename(benchWorkspace.root), index: 0, uri: { fsPath: benchWorkspace.root } }];
    },
    asRelativePath: (uri: { fsPath: string }) => path.relative(benchWorkspace.root, uri.fsPath).split(path.sep).join('/'),
  },
};

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const mod = Module as unknown as { _load: Loader };
const load = mod._load;
mod._load = (request, parent, isMain) => (request === 'vscode' ? vscodeStub : load(request, parent, isMain));
