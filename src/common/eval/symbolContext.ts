/**
 * Definitions of the names near the cursor, as signatures (DESIGN "Symbols": fuse, do not replace).
 * First the receiver's type when it resolves cheaply (`client.` → `client: Client`, `client = new Client`,
 * `Client client`, `self.client = Client(...)` → the members of class `Client`), then the names of the
 * last lines of the prefix, nearest first; at most two definitions per name (hub files lose), none from
 * the target file (leakage rule). Signatures are grouped per file, one piece per file.
 */
import type { EvalTask } from './evalTask.ts';
import { cursorLinePrefix } from './evalTask.ts';
import { isTypeKind, memberKey, type DefinitionEntry, type DefinitionTable } from './definitionTable.ts';
import type { ContextPiece } from './packing.ts';
import { identifiersOf } from './textMetrics.ts';

export interface SymbolContextOptions {
  /** Lines of the prefix whose names are looked up (default 8). */
  readonly nearLines?: number;
  /** Definitions kept per name (default 2). */
  readonly perName?: number;
  /** Members listed per type (default 40). */
  readonly maxMembers?: number;
}

const RECEIVER = /([A-Za-z_$][\w$]*)\s*\.\s*[\w$]*$/;

function escapeRe(s: string): string {
  return s.replace(/[$]/g, '\\$');
}

/** The type of `name` from the prefix's last declaration or construction of it, or `name` itself when capitalised. */
export function resolveReceiverType(prefix: string, name: string): string | undefined {
  const n = escapeRe(name);
  const patterns = [
    new RegExp(`\\b${n}\\s*[?!]?:\\s*([A-Z][\\w$]*)`, 'g'),
    new RegExp(`\\b${n}\\s*=\\s*(?:new\\s+|await\\s+)?([A-Z][\\w$]*)`, 'g'),
    new RegExp(`\\b([A-Z][\\w$]*)(?:<[^>\\n]*>)?\\s+${n}\\b`, 'g'),
  ];
  let best: { at: number; type: string } | undefined;
  for (const re of patterns) {
    for (const m of prefix.matchAll(re)) {
      if (m[1] && (!best || m.index >= best.at)) best = { at: m.index, type: m[1] };
    }
  }
  if (best) return best.type;
  return /^[A-Z]/.test(name) ? name : undefined;
}

/** Names to look up, in priority order: receiver type first, then nearby names from the cursor back. */
export function namesNearCursor(task: Pick<EvalTask, 'prefix'>, nearLines = 8): string[] {
  const out: string[] = [];
  const receiver = RECEIVER.exec(cursorLinePrefix(task))?.[1];
  const type = receiver ? resolveReceiverType(task.prefix, receiver) : undefined;
  if (type) out.push(type);
  const lines = task.prefix.split('\n').slice(-nearLines).reverse();
  for (const line of lines) for (const id of identifiersOf(line).reverse()) if (!out.includes(id)) out.push(id);
  return out;
}

function entriesFor(table: DefinitionTable, name: string, excludePath: string, o: Required<SymbolContextOptions>): DefinitionEntry[] {
  const defs = (table.byName.get(name) ?? []).filter((d) => d.path !== excludePath).slice(0, o.perName);
  const out: DefinitionEntry[] = [];
  for (const d of defs) {
    out.push(d);
    if (isTypeKind(d.kind)) out.push(...(table.members.get(memberKey(d.path, d.name)) ?? []).slice(0, o.maxMembers));
  }
  return out;
}

/** Signature pieces for `task`, one per file, in the order their first entry was found. */
export function symbolPieces(table: DefinitionTable, task: Pick<EvalTask, 'prefix' | 'file'>, options: SymbolContextOptions = {}): ContextPiece[] {
  const o: Required<SymbolContextOptions> = { nearLines: options.nearLines ?? 8, perName: options.perName ?? 2, maxMembers: options.maxMembers ?? 40 };
  const groups = new Map<string, DefinitionEntry[]>();
  const seen = new Set<string>();
  for (const name of namesNearCursor(task, o.nearLines)) {
    for (const e of entriesFor(table, name, task.file, o)) {
      const key = `${e.path}:${e.line}:${e.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const list = groups.get(e.path) ?? [];
      list.push(e);
      groups.set(e.path, list);
    }
  }
  return [...groups].map(([path, entries]) => {
    const sorted = [...entries].sort((a, b) => a.line - b.line);
    const lines = sorted.map((e) => e.signature);
    return { path, startLine: sorted[0]?.line ?? 1, endLine: sorted[sorted.length - 1]?.line ?? 1, text: lines.join('\n'), label: 'signatures' };
  });
}
