// Builds every entry of the project: the extension host bundle, the CLI, worker entries,
// the webview script and the benchmarks. `--production` minifies, `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = path.dirname(new URL(import.meta.url).pathname);
const dist = path.join(root, 'dist');

/** Grammars shipped in dist/grammars: one wasm per supported language (see src/node/chunk/languages.ts). */
const GRAMMARS = ['typescript', 'tsx', 'javascript', 'python', 'java', 'go', 'rust', 'c', 'cpp', 'c_sharp'];

function listEntries(dir, suffix) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs).filter((f) => f.endsWith(suffix)).map((f) => path.join(dir, f));
}

function copyRuntimeAssets() {
  const out = path.join(dist, 'grammars');
  fs.mkdirSync(out, { recursive: true });
  fs.copyFileSync(path.join(root, 'node_modules/web-tree-sitter/web-tree-sitter.wasm'), path.join(out, 'web-tree-sitter.wasm'));
  for (const g of GRAMMARS) {
    const src = path.join(root, 'node_modules/@repomix/tree-sitter-wasms/out', `tree-sitter-${g}.wasm`);
    fs.copyFileSync(src, path.join(out, `tree-sitter-${g}.wasm`));
  }
  // node-sqlite3-wasm loads its wasm from `__dirname`: every bundle folder that can open the store gets a copy.
  for (const dir of [dist, path.join(dist, 'workers'), path.join(dist, 'bench'), path.join(dist, 'test', 'integration')]) {
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.join(root, 'node_modules/node-sqlite3-wasm/dist/node-sqlite3-wasm.wasm'), path.join(dir, 'node-sqlite3-wasm.wasm'));
  }
}

/** Prints errors in the format VS Code's esbuild problem matcher understands. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const IMPORT_META_SHIM = 'const __squeezeImportMetaUrl = require("node:url").pathToFileURL(__filename).href;';

const nodeOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // native / host-provided modules stay outside the bundle
  external: ['vscode', 'onnxruntime-node', '@lancedb/lancedb', 'apache-arrow'],
  outExtension: { '.js': '.cjs' },
  // web-tree-sitter's ES module build calls createRequire(import.meta.url), which is empty in a CommonJS
  // bundle: point it at the bundle's own file URL.
  define: { 'import.meta.url': '__squeezeImportMetaUrl' },
  banner: { js: IMPORT_META_SHIM },
  plugins: watch ? [problemMatcher] : [],
};

const builds = [
  { ...nodeOptions, entryPoints: { extension: 'src/extension.ts' }, outdir: dist },
  { ...nodeOptions, entryPoints: { cli: 'src/cli/main.ts' }, outdir: dist, banner: { js: `#!/usr/bin/env node\n${IMPORT_META_SHIM}` } },
  {
    ...nodeOptions,
    entryPoints: Object.fromEntries(listEntries('src/node/workers', 'Worker.ts').map((f) => [path.basename(f, '.ts'), f])),
    outdir: path.join(dist, 'workers'),
  },
  {
    ...nodeOptions,
    entryPoints: Object.fromEntries(listEntries('test/bench', '.bench.ts').map((f) => [path.basename(f, '.ts'), f])),
    outdir: path.join(dist, 'bench'),
  },
  {
    // The integration suite (mocha TDD) run inside the real extension host by e2e/run-tests.cjs.
    ...nodeOptions,
    entryPoints: Object.fromEntries(
      [...listEntries('test/integration', 'index.ts'), ...listEntries('test/integration', '.test.ts')].map((f) => [path.basename(f, '.ts'), f]),
    ),
    outdir: path.join(dist, 'test', 'integration'),
    external: [...nodeOptions.external, 'mocha'],
  },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: { webview: 'src/webview/main.ts' },
    outdir: dist,
    plugins: watch ? [problemMatcher] : [],
  },
].filter((b) => Object.keys(b.entryPoints).length > 0 && Object.values(b.entryPoints).every((f) => fs.existsSync(path.join(root, f))));

fs.mkdirSync(dist, { recursive: true });
copyRuntimeAssets();
if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
