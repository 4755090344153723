/**
 * Markdown to safe HTML for the chat view: `marked` renders, DOMPurify sanitises. `path:line` citations
 * (plain or in backticks) become chip buttons; once the host has validated the answer's citations, only
 * those stay clickable.
 */
import DOMPurify from 'dompurify';
import { Marked, type TokenizerAndRendererExtension } from 'marked';
import { formatCitation, isSafeRelativePath, type Citation } from '../common/protocol/citations.ts';

const CITE_AT = /^((?:[\w@.-]+\/)*[\w@.-]+\.[A-Za-z0-9]+):(\d{1,7})(?:-(\d{1,7}))?(?![\w/])/;
const CITE_START = /(?:[\w@.-]+\/)*[\w@.-]+\.[A-Za-z0-9]+:\d/;

/** Validated citations of the turn being rendered (`undefined` while it streams: every chip is live). */
let allowed: ReadonlySet<string> | undefined;

function parseCitation(text: string): Citation | undefined {
  const m = CITE_AT.exec(text);
  if (!m || m[0].length !== text.length) return undefined;
  const path = m[1] ?? '';
  if (!isSafeRelativePath(path)) return undefined;
  return { path, line: Number(m[2]), ...(m[3] ? { endLine: Number(m[3]) } : {}) };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function chipHtml(c: Citation): string {
  const label = escapeHtml(formatCitation(c));
  if (allowed && !allowed.has(`${c.path}:${c.line}`)) return `<code class="cite-unresolved" title="not a file of this workspace">${label}</code>`;
  const end = c.endLine !== undefined ? ` data-end="${c.endLine}"` : '';
  return `<button type="button" class="cite" data-path="${escapeHtml(c.path)}" data-line="${c.line}"${end} title="Open ${label}">${label}</button>`;
}

const citation: TokenizerAndRendererExtension = {
  name: 'citation',
  level: 'inline',
  start: (src: string) => CITE_START.exec(src)?.index,
  tokenizer(src: string) {
    const m = CITE_AT.exec(src);
    if (!m || !isSafeRelativePath(m[1] ?? '')) return undefined;
    return { type: 'citation', raw: m[0], path: m[1], line: Number(m[2]), endLine: m[3] ? Number(m[3]) : undefined };
  },
  renderer(token) {
    const t = token as unknown as { path: string; line: number; endLine?: number };
    return chipHtml({ path: t.path, line: t.line, ...(t.endLine !== undefined ? { endLine: t.endLine } : {}) });
  },
};

const marked = new Marked({
  gfm: true,
  breaks: false,
  extensions: [citation],
  renderer: {
    codespan({ text }) {
      const c = parseCitation(text);
      return c ? chipHtml(c) : false;
    },
  },
});

export function renderMarkdown(text: string, validated?: readonly Citation[]): string {
  allowed = validated ? new Set(validated.map((c) => `${c.path}:${c.line}`)) : undefined;
  try {
    const html = marked.parse(text, { async: false });
    return DOMPurify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'input', 'textarea', 'select', 'iframe'], FORBID_ATTR: ['style'] });
  } finally {
    allowed = undefined;
  }
}
