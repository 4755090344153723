/**
 * `path:line` citations in model answers. Pure and shared: the webview turns them into chips, the
 * extension validates and opens them. A citation is only ever a workspace-relative path.
 */
export interface Citation {
  readonly path: string;
  /** 1-based. */
  readonly line: number;
  readonly endLine?: number;
}

export interface CitationMatch extends Citation {
  /** Offsets of the whole `path:line[-end]` text in the searched string. */
  readonly start: number;
  readonly end: number;
}

// A path with at least one `.ext` or `/`, then `:line` and an optional `-end` (or `:col`, ignored).
const CITATION = /(?<![\w./@-])((?:[\w@.-]+\/)*[\w@.-]+\.[A-Za-z0-9]+):(\d{1,7})(?:-(\d{1,7})|:\d{1,5})?(?![\w/])/g;

/** True for a relative, normalised path that cannot leave its root. */
export function isSafeRelativePath(p: string): boolean {
  if (p.length === 0 || p.length > 400 || p.startsWith('/') || p.includes('\\') || p.includes(':')) return false;
  return p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

/** Every well-formed citation in `text`, in order; unsafe paths are left out. */
export function findCitations(text: string): CitationMatch[] {
  const out: CitationMatch[] = [];
  for (const m of text.matchAll(CITATION)) {
    const path = m[1] ?? '';
    const line = Number(m[2]);
    const end = m[3] !== undefined ? Number(m[3]) : undefined;
    if (!isSafeRelativePath(path) || line < 1) continue;
    const start = m.index;
    out.push({ path, line, ...(end !== undefined && end >= line ? { endLine: end } : {}), start, end: start + m[0].length });
  }
  return out;
}

/** Distinct citations (by path and line), first occurrence first. */
export function uniqueCitations(list: readonly Citation[]): Citation[] {
  const seen = new Set<string>();
  const out: Citation[] = [];
  for (const c of list) {
    const key = `${c.path}:${c.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: c.path, line: c.line, ...(c.endLine !== undefined ? { endLine: c.endLine } : {}) });
  }
  return out;
}

export function formatCitation(c: Citation): string {
  return c.endLine !== undefined && c.endLine !== c.line ? `${c.path}:${c.line}-${c.endLine}` : `${c.path}:${c.line}`;
}
