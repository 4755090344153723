/**
 * Generation metrics of the eval (issue 9, item 3): for a task and a retriever's packed context, the FIM
 * prompt the editor would send (`completionPrefix`: context, file header, the text before the cursor;
 * the text after the target line as the suffix), greedy decoding of the first line, and its exact match
 * and edit similarity with the ground truth.
 */
import { completionPrefix } from '../assemble/completionPrefix.ts';
import type { TextBackend } from '../backend/backendTypes.ts';
import type { CancellationToken } from '../cancellation.ts';
import type { EvalTask } from './evalTask.ts';
import { editSimilarity, exactMatch } from './textMetrics.ts';

export interface GenerationOptions {
  /** Characters of the prefix kept before the cursor, cut at a line start (default 4000, as the editor). */
  readonly prefixChars?: number;
  /** Characters after the cursor, cut at a line end (default 1500, as the editor). */
  readonly suffixChars?: number;
  /** Default 48: one line. */
  readonly maxTokens?: number;
}

export interface FimPrompt {
  readonly prefix: string;
  readonly suffix: string;
}

/** The prompt of `task` with `context` (the packed pieces, best last). */
export function fimPrompt(task: EvalTask, context: string, o: GenerationOptions = {}): FimPrompt {
  const maxBefore = o.prefixChars ?? 4000;
  let before = task.prefix;
  if (before.length > maxBefore) {
    const cut = before.length - maxBefore;
    const nl = before.indexOf('\n', cut);
    before = before.slice(nl >= 0 ? nl + 1 : cut);
  }
  const maxAfter = o.suffixChars ?? 1500;
  // The middle is the rest of the target line; the task's suffix starts after its newline.
  let after = `\n${task.suffix}`;
  if (after.length > maxAfter) {
    const nl = after.lastIndexOf('\n', maxAfter);
    after = after.slice(0, nl > 0 ? nl : maxAfter);
  }
  return { prefix: completionPrefix(context, task.file, task.language, before), suffix: after };
}

/** The first line of a generated text. */
export function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl >= 0 ? text.slice(0, nl) : text;
}

/** Greedy first line from `backend` (stops at the newline). */
export async function generateFirstLine(backend: TextBackend, prompt: FimPrompt, o: GenerationOptions, token?: CancellationToken): Promise<string> {
  const r = await backend.complete({
    kind: 'fim', prefix: prompt.prefix, suffix: prompt.suffix,
    options: { maxTokens: o.maxTokens ?? 48, temperature: 0, stop: ['\n'] },
  }, token);
  return firstLine(r.text);
}

export interface GenerationScore {
  readonly generated: string;
  readonly exactMatch: boolean;
  readonly editSimilarity: number;
}

export function scoreGeneration(task: Pick<EvalTask, 'groundtruth'>, generated: string): GenerationScore {
  const line = firstLine(generated).trim();
  return { generated: line, exactMatch: exactMatch(line, task.groundtruth), editSimilarity: editSimilarity(line, task.groundtruth.trim()) };
}
