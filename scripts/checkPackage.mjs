// Checks what the VSIX ships. Before packing (`checkSources`): every runtime asset is on disk, the bundles
// are production builds, and they require no package from node_modules except the allowed externals.
// After packing (`checkVsix`): the archive holds those files and nothing it must not (other platforms'
// onnxruntime binaries, source maps, tests, benchmarks, sources). Prints the size and the largest entries.
// usage: node scripts/checkPackage.mjs [dist/squeeze-linux-x64.vsix]   (no argument: the pre-pack check)
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
/** The only bare `require`s the bundles may keep (esbuild.mjs `external`, minus ones no longer used). */
const ALLOWED_EXTERNALS = new Set(['vscode', 'onnxruntime-node']);
const ORT = 'node_modules/onnxruntime-node';
const BUNDLES = ['dist/extension.cjs', 'dist/webview.js'];

/** Files the installed extension loads; grammars follow syntaxes/*.scm (one wasm per query file). */
export function requiredFiles(dir = root) {
  const languages = fs.readdirSync(path.join(dir, 'syntaxes')).filter((f) => f.endsWith('.scm')).map((f) => f.slice(0, -4));
  const workers = fs.existsSync(path.join(dir, 'dist/workers')) ? fs.readdirSync(path.join(dir, 'dist/workers')).filter((f) => f.endsWith('.cjs')) : [];
  const media = fs.readdirSync(path.join(dir, 'media'));
  return [
    'package.json', ...BUNDLES, 'dist/workers/indexWorker.cjs', ...workers.map((w) => `dist/workers/${w}`),
    'dist/node-sqlite3-wasm.wasm', 'dist/workers/node-sqlite3-wasm.wasm',
    'dist/grammars/web-tree-sitter.wasm', ...languages.map((l) => `dist/grammars/tree-sitter-${l}.wasm`),
    ...languages.map((l) => `syntaxes/${l}.scm`), 'syntaxes/nodeTypes.json', ...media.map((m) => `media/${m}`),
    `${ORT}/package.json`, `${ORT}/dist/index.js`, `${ORT}/dist/binding.js`, `${ORT}/dist/backend.js`, `${ORT}/dist/version.js`,
    `${ORT}/bin/napi-v6/linux/x64/onnxruntime_binding.node`, `${ORT}/bin/napi-v6/linux/x64/libonnxruntime.so.1`,
    'node_modules/onnxruntime-common/package.json', 'node_modules/onnxruntime-common/dist/cjs/index.js', 'node_modules/onnxruntime-common/dist/cjs/package.json',
  ].filter((f, i, all) => all.indexOf(f) === i);
}

/** Paths (relative to the extension root) that must never ship. */
const FORBIDDEN = [
  [/\.map$/, 'source map'], [/\.d\.ts$/, 'type declarations'], [/^(src|test|e2e|scripts|docs|out)\//, 'sources, tests or docs'],
  [/^dist\/(test|bench)\//, 'built tests or benchmarks'], [/^dist\/cli\.cjs$/, 'the CLI (not used by the extension)'],
  [/napi-v6\/(?!linux\/x64\/)/, 'an onnxruntime binary of another platform'],
  [/^node_modules\/(?!onnxruntime-node\/|onnxruntime-common\/)/, 'a dependency the bundle does not load at runtime'],
  [/^node_modules\/onnxruntime-node\/(lib|script)\//, 'onnxruntime-node sources or install scripts'],
  [/^\.vscode-e2e\//, 'the e2e VS Code server'],
];

export function bareRequires(file) {
  const text = fs.readFileSync(file, 'utf8');
  const names = new Set();
  for (const m of text.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)) {
    const spec = m[1];
    if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0])) continue;
    names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
  }
  return [...names];
}

export function checkSources(dir = root) {
  const problems = [];
  for (const f of requiredFiles(dir)) if (!fs.existsSync(path.join(dir, f))) problems.push(`missing ${f}`);
  const bundles = [...BUNDLES, ...fs.readdirSync(path.join(dir, 'dist/workers')).filter((f) => f.endsWith('.cjs')).map((f) => `dist/workers/${f}`)];
  for (const b of bundles.filter((f) => fs.existsSync(path.join(dir, f)))) {
    const text = fs.readFileSync(path.join(dir, b), 'utf8');
    if (/\/\/# sourceMappingURL=/.test(text)) problems.push(`${b} is not a production build (it has a source map): run node esbuild.mjs --production`);
    for (const name of bareRequires(path.join(dir, b))) if (!ALLOWED_EXTERNALS.has(name)) problems.push(`${b} requires '${name}' at runtime, which the VSIX does not ship`);
  }
  return problems;
}

/** Entries of a zip archive from its central directory: name, compressed and uncompressed size. */
export function zipEntries(file) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) throw new Error(`${file} is not a zip archive`);
  const count = buf.readUInt16LE(eocd + 10);
  const entries = [];
  for (let p = buf.readUInt32LE(eocd + 16), n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${n}`);
    const nameLen = buf.readUInt16LE(p + 28);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    entries.push({ name, packed: buf.readUInt32LE(p + 20), size: buf.readUInt32LE(p + 24) });
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return entries;
}

export function checkVsix(file, dir = root) {
  const entries = zipEntries(file);
  const shipped = new Set(entries.filter((e) => e.name.startsWith('extension/')).map((e) => e.name.slice('extension/'.length)));
  const problems = requiredFiles(dir).filter((f) => !shipped.has(f)).map((f) => `VSIX lacks ${f}`);
  for (const f of shipped) for (const [re, what] of FORBIDDEN) if (re.test(f)) problems.push(`VSIX ships ${f}: ${what}`);
  return { entries, problems };
}

const mb = (n) => `${(n / 1048576).toFixed(2)} MB`;

export function describeVsix(file, entries, top = 10) {
  const size = fs.statSync(file).size;
  const unpacked = entries.reduce((n, e) => n + e.size, 0);
  const lines = [`${path.relative(root, file)}: ${mb(size)} (${size} bytes), ${entries.length} entries, ${mb(unpacked)} unpacked`, 'largest entries (unpacked / packed):'];
  for (const e of [...entries].sort((a, b) => b.size - a.size).slice(0, top)) lines.push(`  ${mb(e.size).padStart(9)}  ${mb(e.packed).padStart(9)}  ${e.name}`);
  return { size, unpacked, text: lines.join('\n') };
}

function main() {
  const vsix = process.argv[2];
  const problems = vsix ? checkVsix(path.resolve(vsix)).problems : checkSources();
  if (vsix) console.log(describeVsix(path.resolve(vsix), zipEntries(path.resolve(vsix))).text);
  for (const p of problems) console.error(`checkPackage: ${p}`);
  console.log(`checkPackage: ${vsix ? 'VSIX' : 'pre-pack'} check ${problems.length ? `FAILED (${problems.length} problems)` : 'passed'}`);
  process.exit(problems.length ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) main();
