/**
 * Prompt assembly. Fills priority bands in order within the token budget — instructions (and the question
 * and recent turns) > current-file window around the cursor > open/recent files > retrieved chunks
 * (compressed) > repo map — then lays them out so that the higher a band's priority, the nearer it sits
 * to the cursor or question: retrieved chunks in ascending score, best last. Code prompts use the model's
 * FIM markers when it has them. Every segment is counted on its own (segments are tokenized separately).
 */
import { estimateTokens } from '../chunk/estimateTokens.ts';
import { compressContext } from '../compress/compress.ts';
import type { CompressResult, LineRange } from '../compress/compressTypes.ts';
import type { AssembleRequest, AssembleResult, Segment } from './assembleTypes.ts';
import { chatWindow, codeWindow, historyBand, openFilesBand, type CursorBand, type Ledger } from './bands.ts';
import { commentPiece, DEFAULT_INSTRUCTIONS, markdownPiece, questionText } from './templates.ts';
import { fitLines } from './windowFit.ts';

function fixedBand(req: AssembleRequest, ledger: Ledger): { head: Segment[]; question: Segment[] } {
  const head: Segment[] = [];
  const instructions = req.instructions ?? DEFAULT_INSTRUCTIONS[req.mode];
  if (instructions !== '') {
    const text = req.mode === 'completion' ? instructions : `${instructions.trim()}\n`;
    const fitted = fitLines(text, ledger.remaining, ledger.count, false);
    ledger.remaining -= fitted.tokens;
    if (fitted.text) head.push({ kind: 'instructions', text: fitted.text });
  }
  const question: Segment[] = [];
  if (req.mode !== 'completion' && req.question) {
    const fitted = fitLines(questionText(req.mode, req.question), ledger.remaining, ledger.count, true);
    ledger.remaining -= fitted.tokens;
    if (fitted.text) question.push({ kind: 'question', text: fitted.text });
  }
  return { head, question };
}

function cursorBand(req: AssembleRequest, ledger: Ledger): CursorBand {
  const cursor = req.cursor;
  if (!cursor) return { segments: [], cut: { before: 0, after: 0 } };
  const cap = Math.floor(req.budget * (req.windowShare ?? 0.5));
  return req.mode === 'completion' ? codeWindow(cursor, ledger, cap, req.fim !== undefined) : chatWindow(cursor, ledger, cap);
}

function retrievedBand(req: AssembleRequest, ledger: Ledger, exclude: readonly LineRange[]): CompressResult {
  const result = compressContext(req.candidates ?? [], {
    budget: Math.max(0, ledger.remaining), countTokens: ledger.count, exclude,
    formatPiece: req.mode === 'completion' ? commentPiece : markdownPiece,
  });
  ledger.remaining -= result.usedTokens;
  return result;
}

function repoMapBand(req: AssembleRequest, ledger: Ledger): Segment[] {
  if (!req.repoMap || ledger.remaining <= 0) return [];
  const fitted = fitLines(req.repoMap.endsWith('\n') ? req.repoMap : `${req.repoMap}\n`, ledger.remaining, ledger.count, false);
  ledger.remaining -= fitted.tokens;
  return fitted.text ? [{ kind: 'repo-map', text: fitted.text }] : [];
}

interface Bands {
  readonly head: Segment[];
  readonly history: Segment[];
  readonly repoMap: Segment[];
  readonly chunks: Segment[];
  readonly open: Segment[];
  readonly cursor: Segment[];
  readonly question: Segment[];
}

function layout(req: AssembleRequest, b: Bands): Segment[] {
  const context = [...b.repoMap, ...b.chunks, ...b.open];
  if (req.mode !== 'completion') return [...b.head, ...b.history, ...context, ...b.cursor, ...b.question];
  const prefix = [...b.head, ...context, ...b.cursor.filter((s) => s.kind === 'current-file')];
  if (!req.fim) return prefix;
  const suffix = b.cursor.filter((s) => s.kind === 'current-suffix' && s.text !== '');
  const marker = (text: string): Segment => ({ kind: 'marker', text });
  const [first, ...rest] = prefix;
  const lead = req.fim.prefixLead ?? '';
  const led = first && lead ? [{ ...first, text: lead + first.text }, ...rest] : prefix;
  return [marker(req.fim.prefix), ...led, marker(req.fim.suffix), ...suffix, marker(req.fim.middle)];
}

export function segmentTokens(s: Segment, count: (text: string) => number): number {
  return s.kind === 'marker' ? 1 : count(s.text);
}

export function assemblePrompt(req: AssembleRequest): AssembleResult {
  const count = req.countTokens ?? estimateTokens;
  const budget = Math.max(0, Math.floor(req.budget));
  const ledger: Ledger = { count, remaining: budget - (req.mode === 'completion' && req.fim ? 3 + (req.fim.prefixLead ? 1 : 0) : 0) };
  const { head, question } = fixedBand(req, ledger);
  const history = req.mode === 'chat' ? historyBand(req.history ?? [], ledger, Math.floor(budget / 4)) : [];
  const cursor = cursorBand(req, ledger);
  const open = openFilesBand(req.openFiles ?? [], ledger, Math.floor(budget * (req.openShare ?? 0.15)), req.mode);
  const inPrompt: LineRange[] = [...(cursor.range ? [cursor.range] : []), ...open.decisions.filter((d) => d.kept)];
  const retrieved = retrievedBand(req, ledger, inPrompt);
  const chunks: Segment[] = [...retrieved.pieces].reverse().map((p) => ({
    kind: 'chunk', text: p.text, score: p.score, source: { path: p.source.path, startLine: p.source.startLine, endLine: p.source.endLine },
  }));
  const repoMap = repoMapBand(req, ledger);
  const segments = layout(req, { head, history, repoMap, chunks, open: open.segments, cursor: cursor.segments, question });
  const tokens = segments.map((s) => segmentTokens(s, count));
  const fitted = enforceBudget(segments, tokens, budget);
  return {
    segments: fitted.segments, segmentTokens: fitted.tokens, usedTokens: fitted.tokens.reduce((a, t) => a + t, 0), budget,
    decisions: retrieved.decisions, openFiles: open.decisions, windowCut: cursor.cut,
  };
}

const DROP_ORDER: readonly Segment['kind'][] = ['repo-map', 'chunk', 'open-file', 'history'];

/** Safety net for tokenizers that are not additive: drop the lowest-priority segments until the prompt fits. */
function enforceBudget(segments: readonly Segment[], tokens: readonly number[], budget: number): { segments: Segment[]; tokens: number[] } {
  const s = [...segments];
  const t = [...tokens];
  let total = t.reduce((a, x) => a + x, 0);
  for (const kind of DROP_ORDER) {
    while (total > budget) {
      const i = s.findIndex((x) => x.kind === kind);
      if (i < 0) break;
      total -= t[i]!;
      s.splice(i, 1);
      t.splice(i, 1);
    }
  }
  return { segments: s, tokens: t };
}
