// The chat answer of the fake model server (fakeModelServer.cjs), derived from the prompt it receives so
// that screenshots and tests show a plausible answer: it cites the best excerpt (the last `File path:a-b`
// header, as the context is laid out best last), quotes up to three of its lines (the ones sharing most
// words with the question) in a block tagged with the language of the file's extension, and cites the
// second-best excerpt through a definition it holds. Deterministic: the same prompt gives the same answer.
//  - a question containing "hostile" gets markdown and raw HTML that try to run code;
//  - a question containing "deleted" also gets a citation of a file that does not exist (must not become a chip).
// usage: chatAnswer([{ role: 'user', content: '...' }]) -> markdown text

/** What a compromised or confused model might answer: markdown and raw HTML that try to run code. */
const HOSTILE_ANSWER = [
  'Here you go. <script>window.__squeezePwned = 1</script>',
  '<img src="x" onerror="window.__squeezePwned = 2">',
  '<a href="javascript:window.__squeezePwned = 3">click</a> and [also](javascript:window.__squeezePwned=4)',
  '<iframe src="https://example.invalid/"></iframe><svg onload="window.__squeezePwned = 5"></svg>',
  '<form action="javascript:void 0"><button formaction="javascript:void 0">go</button></form>',
  '<div onclick="window.__squeezePwned = 6" style="width:10px">x</div>',
].join('\n\n');

/** The citation sent when the question mentions deleted code: a path no test workspace has. */
const MISSING_CITATION = 'legacy/helpers.py:3';

const LANGUAGE_BY_EXTENSION = {
  py: 'python', ts: 'typescript', tsx: 'tsx', js: 'javascript', jsx: 'jsx', mjs: 'javascript', cjs: 'javascript',
  go: 'go', rs: 'rust', java: 'java', kt: 'kotlin', c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', hpp: 'cpp', cs: 'csharp',
  rb: 'ruby', php: 'php', swift: 'swift', sh: 'bash', json: 'json', yaml: 'yaml', yml: 'yaml', md: 'markdown',
};

const STOP_WORDS = new Set(['how', 'what', 'where', 'when', 'which', 'who', 'why', 'doe', 'does', 'did', 'the', 'and', 'for',
  'with', 'this', 'that', 'from', 'into', 'are', 'was', 'were', 'there', 'here', 'please', 'function', 'method',
  'defined', 'define', 'code', 'repository', 'file']);

const DEFINITION = /^\s*(?:export\s+)?(?:default\s+)?(?:pub\s+)?(?:async\s+)?(?:def|function|class|func|fn|interface|struct|trait)\s+([A-Za-z_$][\w$]*)/;

/** Lower-case words of code or prose: identifiers split at `_` and camelCase, a plural `s` dropped. */
function words(text) {
  return text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/)
    .filter(Boolean).map((w) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w));
}

/** The excerpts of a chat prompt in prompt order: `File path:start-end (symbol)` then a fenced body. */
function parseExcerpts(text) {
  const lines = text.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const header = /^File (.+?):(\d+)-(\d+)(?: \((.*)\))?$/.exec(lines[i]);
    const open = header && /^(`{3}|~{4})(.*)$/.exec(lines[i + 1] ?? '');
    const close = open ? lines.indexOf(open[1], i + 2) : -1;
    if (close < 0) continue;
    const [, path, start, end, symbol] = header;
    out.push({ path, start: Number(start), end: Number(end), symbol: symbol ?? '', fenceLanguage: open[2].trim(), lines: lines.slice(i + 2, close) });
    i = close;
  }
  return out;
}

function indentOf(line) {
  return line.length - line.trimStart().length;
}

/** Up to three lines of the excerpt, from the one sharing most words with the question (definitions win ties). */
function quotedSpan(excerpt, terms) {
  let first = -1;
  let best = -1;
  excerpt.lines.forEach((line, i) => {
    if (!line.trim()) return;
    const shared = new Set(words(line).filter((w) => terms.has(w))).size;
    const score = 2 * shared + (DEFINITION.test(line) ? 1 : 0);
    if (score > best) [first, best] = [i, score];
  });
  if (first < 0) return undefined;
  const span = [excerpt.lines[first]];
  for (let i = first + 1; i < excerpt.lines.length && span.length < 3; i++) {
    const line = excerpt.lines[i];
    if (!line.trim() || indentOf(line) < indentOf(span[0])) break;
    span.push(line);
  }
  const cut = Math.min(...span.map(indentOf));
  return { first, lines: span.map((l) => l.slice(cut)) };
}

/**
 * The file line of body line `index`, or undefined where it cannot be known. Context thinning folds runs
 * of blank lines (and may drop low-value lines), so a thinned body is counted from the excerpt's first line
 * up to its first blank line and from its last line after its last blank line.
 */
function lineOf(excerpt, index) {
  const { lines, start, end } = excerpt;
  if (lines.length === end - start + 1) return start + index;
  const blank = lines.flatMap((l, i) => (l.trim() ? [] : [i]));
  if (blank.length === 0 || index < blank[0]) return start + index;
  return index > blank[blank.length - 1] ? end - (lines.length - 1 - index) : undefined;
}

/** `path:line`, or the excerpt's `path:start-end` where the line is not known. */
function cite(excerpt, index) {
  const line = lineOf(excerpt, index);
  return `\`${excerpt.path}:${line ?? `${excerpt.start}-${excerpt.end}`}\``;
}

function languageOf(excerpt) {
  const ext = /\.([A-Za-z0-9]+)$/.exec(excerpt.path);
  return (ext && LANGUAGE_BY_EXTENSION[ext[1].toLowerCase()]) || excerpt.fenceLanguage;
}

function definitionsOf(excerpt) {
  return excerpt.lines.flatMap((line, index) => {
    const m = DEFINITION.exec(line);
    return m ? [{ name: m[1], index }] : [];
  });
}

function hasWord(line, name) {
  return line.split(/[^\w$]+/).includes(name);
}

/** One sentence citing the second-best excerpt through the definition the best one relies on, if any. */
function relatedSentence(best, quoted, other) {
  const defs = definitionsOf(other);
  const called = defs.find((d) => quoted.some((l) => hasWord(l, d.name) && l.includes(`${d.name}(`)));
  if (called) return `It calls \`${called.name}\`, defined in ${cite(other, called.index)}.`;
  const used = defs.find((d) => best.lines.some((l) => hasWord(l, d.name)));
  if (used) return `\`${best.path}\` also uses \`${used.name}\`, defined in ${cite(other, used.index)}.`;
  const name = defs[0]?.name ?? other.symbol.split(' > ').pop();
  return name ? `A related definition is \`${name}\` in ${cite(other, defs[0]?.index ?? 0)}.` : `A related excerpt is ${cite(other, 0)}.`;
}

function questionOf(text) {
  const at = text.lastIndexOf('Question:');
  return at < 0 ? text : text.slice(at + 'Question:'.length);
}

function groundedAnswer(text) {
  const excerpts = parseExcerpts(text);
  const best = excerpts.at(-1);
  if (!best) return 'I could not find this in the repository excerpts.';
  const question = questionOf(text);
  const terms = new Set(words(question).filter((w) => w.length >= 3 && !STOP_WORDS.has(w)));
  const span = quotedSpan(best, terms);
  const index = span ? span.first : 0;
  const name = (span && DEFINITION.exec(best.lines[span.first])?.[1]) || best.symbol.split(' > ').pop();
  const where = cite(best, index);
  const out = [name ? `Going by the excerpts, this is \`${name}\` in ${where}:` : `Going by the excerpts, the answer is in ${where}:`];
  const fence = span && span.lines.some((l) => l.includes('```')) ? '~~~~' : '```';
  if (span) out.push('', `${fence}${languageOf(best)}`, ...span.lines, fence);
  const other = excerpts.at(-2);
  if (other) out.push('', relatedSentence(best, span ? span.lines : [], other));
  if (/\bdeleted\b/i.test(question)) out.push('', `No excerpt shows deleted code; an older copy may have lived in \`${MISSING_CITATION}\`, which is not in this workspace.`);
  return out.join('\n');
}

function chatAnswer(messages) {
  const last = [...messages].reverse().find((m) => m.role === 'user');
  const text = (last && last.content) || '';
  return /hostile/i.test(text) ? HOSTILE_ANSWER : groundedAnswer(text);
}

module.exports = { chatAnswer, MISSING_CITATION };
