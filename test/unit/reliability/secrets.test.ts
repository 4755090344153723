/**
 * Security (issue 7, item 6): secrets never reach the index or a prompt; citations cannot leave the
 * workspace; endpoint settings are validated. The fake keys are assembled at run time so that no
 * secret-shaped literal is committed (secret scanners would flag this file otherwise).
 *
 * Not testable here: DOMPurify needs a DOM and none (jsdom, happy-dom) is installed, so renderMarkdown
 * cannot run under Node (asserted below); the integration suite does not feed hostile answers either.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { normalizeEndpoint } from '../../../src/common/backend/endpoint.ts';
import { BackendError } from '../../../src/common/backend/backendErrors.ts';
import { findCitations, isSafeRelativePath } from '../../../src/common/protocol/citations.ts';
import { findSecretInText } from '../../../src/common/scan/secretRules.ts';
import { indexRepository } from '../../../src/node/indexer/repositoryIndexer.ts';
import { DEFAULT_CHUNK_TOKENS, builtInEncoder, expectationFor, storeDirFor } from '../../../src/node/indexer/indexSettings.ts';
import { searchRepository } from '../../../src/node/indexer/searchIndex.ts';
import { IndexStore } from '../../../src/node/store/indexStore.ts';
/* eslint-disable no-restricted-imports -- the prompt builders and the markdown renderer are vscode-free (pure) modules; the
   test assembles prompts and chips exactly as the extension does, as test/bench/lib/surfaceCompletion.ts does */
import { buildChatMessages } from '../../../src/vscode/context/chatPrompt.ts';
import { completionPrefix, cursorWindow, retrievalQuery } from '../../../src/vscode/context/completionPrompt.ts';
import { buildRepoContext } from '../../../src/vscode/context/repoContext.ts';
import type { RetrievedChunk } from '../../../src/vscode/services/repoSearch.ts';
import { chipHtml, renderMarkdown } from '../../../src/webview/markdown.ts';
import { tempDirMaker } from './tempDirs.ts';
/* eslint-enable no-restricted-imports */

const mkTemp = tempDirMaker();
const j = (...parts: string[]) => parts.join('');
/** Deterministic filler so each fake secret is unique and has the right alphabet and length. */
const fill = (alphabet: string, n: number, salt: number) => Array.from({ length: n }, (_, i) => alphabet[(i * 7 + salt * 13) % alphabet.length]).join('');
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const B64 = `${ALNUM}/+`;

const SECRETS = {
  awsKeyId: j('AK', 'IA', fill(UPPER, 16, 1)),
  awsSecret: fill(B64, 40, 2),
  awsKeyIdAlone: j('AS', 'IA', fill(UPPER, 16, 3)),
  awsSecretAlone: fill(B64, 40, 4),
  github: j('gh', 'p_', fill(ALNUM, 36, 5)),
  slack: j('xo', 'xb-', fill('0123456789', 12, 6), '-', fill(ALNUM, 24, 7)),
  stripe: j('sk', '_live_', fill(ALNUM, 24, 8)),
  google: j('AI', 'za', fill(`${ALNUM}_-`, 35, 9)),
  npm: j('np', 'm_', fill(ALNUM, 36, 10)),
  openai: j('sk', '-proj-', fill(`${ALNUM}_-`, 48, 11)),
  rsaBody: fill(B64, 64, 12),
  envPassword: fill(ALNUM, 20, 13),
  dbPassword: fill(ALNUM, 18, 14),
  jwtSignature: fill(`${ALNUM}_-`, 43, 15),
  yamlPassword: `${fill(ALNUM, 14, 16)}7`,
  pyPassword: fill(`${ALNUM}!#%`, 16, 17),
} as const;

const JWT = j('ey', 'JhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', '.', 'ey', 'JzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkZha2UifQ', '.', SECRETS.jwtSignature);
const BEGIN = j('-----BEGIN ', 'RSA PRIVATE', ' KEY-----');
const END = j('-----END ', 'RSA PRIVATE', ' KEY-----');

/** A small repository with secrets in every usual place, next to ordinary code that must be indexed. */
function secretRepo(): string {
  const files: Record<string, string> = {
    '.env': `DATABASE_PASSWORD=${SECRETS.envPassword}\nOPENAI_API_KEY=${SECRETS.openai}\n`,
    '.env.local': `STRIPE_KEY=${SECRETS.stripe}\n`,
    'deploy/id_rsa': `${BEGIN}\n${SECRETS.rsaBody}\n${END}\n`,
    'deploy/server.pem': `${BEGIN}\n${SECRETS.rsaBody}\n${END}\n`,
    'src/aws.ts': `export const awsConfig = {\n  accessKeyId: '${SECRETS.awsKeyId}',\n  secretAccessKey: '${SECRETS.awsSecret}',\n};\n`,
    'src/awsSecretOnly.ts': `// rotated 2024\nexport const aws_secret_access_key = '${SECRETS.awsSecretAlone}';\n`,
    'src/session.ts': `export function sessionKey(): string {\n  return '${SECRETS.awsKeyIdAlone}';\n}\n`,
    'src/keyInCode.ts': `export const signingKey = \`\n${BEGIN}\n${SECRETS.rsaBody}\n${END}\n\`;\n`,
    'src/openai.ts': `export const client = new OpenAI({ apiKey: '${SECRETS.openai}' });\n`,
    'src/jwt.ts': `export const demoToken = '${JWT}';\n`,
    'config/app.json': JSON.stringify({ name: 'shop', github: { token: SECRETS.github }, slack: SECRETS.slack }, null, 2),
    'config/maps.json': JSON.stringify({ maps: { apiKey: SECRETS.google } }, null, 2),
    'config/db.json': JSON.stringify({ url: `postgres://shop:${SECRETS.dbPassword}@db.internal:5432/shop` }, null, 2),
    'config/credentials.json': JSON.stringify({ npm: SECRETS.npm }),
    'config/database.yml': `production:\n  adapter: postgresql\n  host: db.internal\n  password: ${SECRETS.yamlPassword}\n`,
    'app/settings.py': `DEBUG = False\nDB_PASSWORD = "${SECRETS.pyPassword}"\n`,
    'src/cart.ts': 'export function addToCart(cart: string[], item: string): string[] {\n  return [...cart, item];\n}\n',
    'src/tokens.ts': 'export function readToken(config: { token: string }): string {\n  return config.token;\n}\n',
    'README.md': '# Shop\n\nConfigure the AWS secret access key, the GitHub token and the database password in .env.\n',
  };
  const root = mkTemp('squeeze-secrets-');
  for (const [p, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), text);
  }
  return root;
}

/** Every fake secret, plus distinctive pieces of it (a prompt must not hold a fragment either). */
const NEEDLES = [...Object.values(SECRETS), ...Object.values(SECRETS).map((s) => s.slice(-16)), JWT, 'PRIVATE KEY'];

function assertNoSecret(where: string, text: string): void {
  for (const n of NEEDLES) assert.ok(!text.includes(n), `${where} contains a secret (${n.slice(0, 6)}…)`);
}

const toRetrieved = (c: { path: string; language: string; startLine: number; endLine: number; text: string; symbolPath: readonly string[] }, score: number): RetrievedChunk => ({
  path: c.path, language: c.language, startLine: c.startLine, endLine: c.endLine, text: c.text, score, symbolPath: c.symbolPath, signatures: [],
});

test('a repository full of fake keys: no secret in the index files, in any chunk, or in assembled chat and completion prompts', async () => {
  const root = secretRepo();
  const indexDir = `${root}-index`;
  const summary = await indexRepository(root, { indexDir });
  assert.ok(summary.files >= 3, 'ordinary code is indexed');

  // 1. The store on disk, byte for byte (the SQLite database: chunks, vectors, header, free pages).
  const storeDir = storeDirFor(root, indexDir);
  assert.deepEqual(fs.readdirSync(storeDir), ['index.sqlite']);
  for (const name of fs.readdirSync(storeDir)) assertNoSecret(`index file ${name}`, fs.readFileSync(path.join(storeDir, name), 'latin1'));
  const store = await IndexStore.open(storeDir, expectationFor(builtInEncoder(), DEFAULT_CHUNK_TOKENS));
  const loaded = await store.load();
  store.close();
  const indexed = new Set(loaded.manifest.files.filter((f) => !f.skip).map((f) => f.path));
  assert.deepEqual([...indexed].sort(), ['README.md', 'src/cart.ts', 'src/tokens.ts']);

  // 2. Prompts built over search hits for queries that aim at the secrets, and over every stored chunk.
  const queries = ['aws secret access key', 'github token slack', 'database password postgres url', 'private key signing', 'openai api key client', 'jwt demo token', 'session key'];
  const everything = loaded.chunks.map((c) => toRetrieved(c, 0.5));
  const contexts: string[] = [];
  for (const q of queries) {
    const hits = (await searchRepository(root, q, { indexDir, k: 20 })).map((h) => toRetrieved(h.chunk, h.score));
    for (const style of ['markdown', 'comment'] as const) {
      contexts.push(buildRepoContext([...hits, ...everything], { surface: style === 'markdown' ? 'chat' : 'completion', query: q, budgetChars: 1_000_000, style }).text);
    }
  }
  assert.ok(contexts.some((c) => c.includes('addToCart')), 'the prompts do hold repository code');
  for (const [i, context] of contexts.entries()) {
    const chat = buildChatMessages([{ question: 'where are the keys?', answer: 'See src/tokens.ts:1' }], context, queries[Math.floor(i / 2)] as string);
    assertNoSecret(`chat prompt ${i}`, chat.map((m) => m.content).join('\n'));
    const doc = 'import { readToken } from "./tokens";\n\nexport const value = readToken(\n';
    const win = cursorWindow(doc, doc.length, 2000, 500);
    assert.ok(retrievalQuery(win.prefix, win.suffix).length > 0);
    assertNoSecret(`completion prompt ${i}`, completionPrefix(context, 'src/use.ts', 'typescript', win.prefix));
  }
});

test('the secret patterns added for this suite match real shapes and leave placeholders and ordinary code alone', () => {
  const caught = [
    `aws_secret_access_key = ${SECRETS.awsSecretAlone}`, `"SecretAccessKey": "${SECRETS.awsSecret}"`, `const k = '${SECRETS.openai}'`,
    j('sk', '-ant-', fill(ALNUM, 40, 17)), JWT, `mongodb+srv://admin:${SECRETS.dbPassword}@cluster0.example.net/db`,
  ];
  for (const text of caught) assert.ok(findSecretInText(text) !== undefined, text.slice(0, 12));
  const clean = [
    'postgres://user:${PASSWORD}@db:5432/app', 'https://user:<password>@host/x', 'https://user:***@host', 'http://localhost:8080/v1',
    'const task-list = 1', 'sk-short', 'the secret access key goes in .env', 'eyJ.eyJ.x', 'git@github.com:org/repo.git',
  ];
  for (const text of clean) assert.equal(findSecretInText(text), undefined, text);
});

test('free-form passwords: literals assigned in code and bare values in config lines are caught; types, lookups, placeholders, labels and comparisons are not', () => {
  const pw = [SECRETS.yamlPassword, SECRETS.pyPassword, `${fill(ALNUM, 9, 18)}3`];
  const caught = pw.flatMap((p) => [
    `DB_PASSWORD=${p}`, `  password: ${p}`, `spring.datasource.password = ${p}`, `const dbPassword = "${p}";`,
    `{ "password": "${p}" }`, `adminPwd: '${p}'`, `conn = connect(user="app", passwd="${p}")`, `PASSPHRASE = \`${p}\``,
  ]);
  for (const text of caught) assert.equal(findSecretInText(text)?.startsWith('password'), true, text);
  const clean = [
    'password: string', 'password?: string;', 'password = None', 'password = getpass()', 'password: self.pwd', 'password=${DB_PASSWORD}',
    'placeholder="Enter password"', 'const PASSWORD_FIELD = "password"', 'if (password == "abcdefgh")', "password: ''",
    'resetPasswordUrl = "/api/reset"', 'password = os.environ["DB_PASSWORD"]', 'password: process.env.DB_PASSWORD', 'label: "Password:"',
    'password: "{{ vault_pw }}"', 'password: "***"', 'password: "<your password>"', 'passwordPolicy: minLength8',
    'password => check(password)', "PWD: '/home/dev/project'", '"@acme/rule-password": "^10.2.2"', 'password: changeme123',
  ];
  for (const text of clean) assert.equal(findSecretInText(text), undefined, text);
  for (const text of clean) assert.equal(findSecretInText(text), undefined, text);
});

test('citations cannot name a file outside the workspace: traversal, absolute, drive, URL and backslash paths are refused', () => {
  const hostile = [
    '../../etc/passwd.txt:1', '/etc/passwd.txt:1', 'src/../../../etc/hosts.txt:2', 'C:\\Windows\\win.ini:1',
    'C:/Windows/win.ini:1', 'file:///etc/passwd.txt:1', '..\\..\\boot.ini:1', 'a/./b.ts:1', 'a//b.ts:3', './x.ts:1',
  ];
  for (const text of hostile) {
    for (const c of findCitations(`see ${text} for details`)) {
      assert.ok(isSafeRelativePath(c.path), `${text} produced ${c.path}`);
      assert.ok(!c.path.split('/').includes('..') && !c.path.startsWith('/') && !/^[A-Za-z]:/.test(c.path), `${text} produced ${c.path}`);
    }
  }
  for (const p of ['../x.ts', '/abs.ts', 'a/../../b.ts', 'C:/x.ts', 'c:x.ts', 'a\\b.ts', '', '.', 'a/./b.ts', 'a//b.ts', 'x'.repeat(401)]) {
    assert.equal(isSafeRelativePath(p), false, p);
  }
  assert.deepEqual(findCitations('open src/app.ts:12-14 and lib/util.py:3').map((c) => [c.path, c.line, c.endLine]), [['src/app.ts', 12, 14], ['lib/util.py', 3, undefined]]);
});

test('chat markdown: citation chips escape hostile paths; the DOMPurify step cannot run under Node (no DOM)', () => {
  const chip = chipHtml({ path: 'x"><img src=x onerror=alert(1)>.ts', line: 1 });
  assert.ok(!chip.includes('<img') && !chip.includes('"><'), chip);
  // Without a DOM, DOMPurify exposes no sanitize(): renderMarkdown throws instead of returning unsanitised HTML.
  assert.throws(() => renderMarkdown('<img src=x onerror="alert(1)">[a](javascript:alert(1))<script>alert(1)</script>'), TypeError);
});

test('endpoint settings: non-http(s) schemes and credentials in any form are rejected without echoing the secret', () => {
  const password = fill(ALNUM, 12, 16);
  const bad = [
    'javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'ws://127.0.0.1:8080/v1', 'wss://h/v1', 'file:///etc/passwd',
    'gopher://h:70/', `http://:${password}@127.0.0.1:8080/v1`, 'HTTP://user@127.0.0.1:8080', `https://u:${password}@h.example/v1`,
    'http://127.0.0.1:8080/v1#frag', ' \n ',
  ];
  for (const raw of bad) {
    assert.throws(() => normalizeEndpoint(raw), (e: unknown) => e instanceof BackendError && e.code === 'INVALID_ENDPOINT' && !e.message.includes(password), raw);
  }
  assert.equal(normalizeEndpoint('HTTP://LocalHost:8080'), 'http://localhost:8080/v1');
});
