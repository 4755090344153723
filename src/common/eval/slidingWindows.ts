/**
 * The RepoCoder baseline (Zhang et al., 2023): every file cut into windows of 20 lines with stride 10,
 * ranked by the Jaccard similarity of their identifier sets with the query's (the last lines of the prefix).
 */
import { identifiersOf } from './textMetrics.ts';

export interface CodeWindow {
  readonly path: string;
  /** 1-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
  readonly ids: ReadonlySet<string>;
}

export interface WindowOptions {
  readonly lines?: number;
  readonly stride?: number;
}

export function slidingWindows(path: string, text: string, options: WindowOptions = {}): CodeWindow[] {
  const size = options.lines ?? 20;
  const stride = options.stride ?? 10;
  const lines = text.split('\n');
  const out: CodeWindow[] = [];
  for (let start = 0; start < lines.length; start += stride) {
    const end = Math.min(lines.length, start + size);
    const body = lines.slice(start, end).join('\n');
    if (body.trim().length > 0) out.push({ path, startLine: start + 1, endLine: end, text: body, ids: new Set(identifiersOf(body)) });
    if (end >= lines.length) break;
  }
  return out;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let inter = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}
