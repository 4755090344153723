/**
 * Use sites (DESIGN "Symbols": +0.09 / +0.15 on top of BM25 there): for the names the current file
 * declares (read from the prefix and suffix, never from the held-out file), one short line per use in
 * other files. Names declared nearest the cursor come first; a few uses per name.
 */
import type { CorpusFile } from './evalCorpus.ts';
import type { EvalTask } from './evalTask.ts';
import type { ContextPiece } from './packing.ts';

export interface UseLine {
  readonly path: string;
  /** 1-based. */
  readonly line: number;
  readonly text: string;
}

/** identifier → lines that use it (files in order; at most `perName` lines kept per identifier). */
export type UseIndex = ReadonlyMap<string, readonly UseLine[]>;

const WORD = /[A-Za-z_$][\w$]*/g;
const DECLARATION = /(?:\b(?:def|function|class|interface|enum|type)\s+([A-Za-z_$][\w$]*))|^\s*(?:(?:public|private|protected|static|final|async|readonly|override|abstract|synchronized)\s+)+(?:[\w$<>[\],.?]+\s+)?([A-Za-z_$][\w$]*)\s*[(<]/gm;

export function buildUseIndex(files: readonly CorpusFile[], perName = 12): UseIndex {
  const out = new Map<string, UseLine[]>();
  for (const f of files) {
    f.text.split('\n').forEach((raw, i) => {
      const text = raw.trim();
      if (text.length < 4 || text.length > 160) return;
      for (const m of new Set(text.match(WORD) ?? [])) {
        const list = out.get(m) ?? [];
        if (list.length >= perName) continue;
        list.push({ path: f.path, line: i + 1, text });
        out.set(m, list);
      }
    });
  }
  return out;
}

/** Names declared in the prefix and suffix, nearest the cursor first. */
export function declaredNames(task: Pick<EvalTask, 'prefix' | 'suffix'>): string[] {
  const before = [...task.prefix.matchAll(DECLARATION)].map((m) => m[1] ?? m[2] ?? '').reverse();
  const after = [...task.suffix.matchAll(DECLARATION)].map((m) => m[1] ?? m[2] ?? '');
  const out: string[] = [];
  for (const n of [...before, ...after]) if (n.length > 2 && !out.includes(n)) out.push(n);
  return out;
}

/** Use lines from other files, `perName` per declared name, as pieces of one line each, grouped per file. */
export function usePieces(index: UseIndex, task: Pick<EvalTask, 'prefix' | 'suffix' | 'file'>, perName = 2): ContextPiece[] {
  const groups = new Map<string, UseLine[]>();
  const seen = new Set<string>();
  for (const name of declaredNames(task)) {
    const uses = (index.get(name) ?? []).filter((u) => u.path !== task.file && !u.text.match(/^(import|from)\b/)).slice(0, perName);
    for (const u of uses) {
      const key = `${u.path}:${u.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      groups.set(u.path, [...(groups.get(u.path) ?? []), u]);
    }
  }
  return [...groups].map(([path, uses]) => ({
    path, startLine: uses[0]?.line ?? 1, endLine: uses[uses.length - 1]?.line ?? 1, text: uses.map((u) => u.text).join('\n'), label: 'uses',
  }));
}
