// Builds the extension and runs it in a real VS Code (the offline launcher in e2e/): first the mocha
// suite in the extension host (test/integration), then the UI smoke run that drives the workbench and
// saves screenshots. Both talk to a local fake OpenAI-compatible server.
// usage: node scripts/runIntegration.mjs [--tests-only | --smoke-only] [--no-build] [--grep <regexp>] [--update-screenshots]
// Screenshots go to out/screenshots/; with --update-screenshots (or UPDATE_SCREENSHOTS=1) to docs/screenshots/.
// The vscode-free helper tests (test/integration/helpers.test.ts) run first under plain Node, always.
// Without .vscode-e2e/ (installed by `bash e2e/setup.sh`) it then fails when CI=true, else explains and exits 0.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const argv = process.argv.slice(2);
const args = new Set(argv);
const grep = argv.includes('--grep') ? argv[argv.indexOf('--grep') + 1] : undefined;
const serverMain = path.join(root, '.vscode-e2e/code-server/node_modules/code-server/lib/vscode/out/server-main.js');
const ci = process.env.CI === 'true' || process.env.CI === '1';

if (!args.has('--smoke-only')) {
  const mocha = path.join(root, 'node_modules/mocha/bin/mocha.js');
  const h = spawnSync(process.execPath, ['--import', 'tsx', mocha, '--ui', 'tdd', '--reporter', 'dot', 'test/integration/helpers.test.ts'], { cwd: root, stdio: 'inherit' });
  if (h.status !== 0) process.exit(h.status ?? 1);
}

if (!fs.existsSync(serverMain)) {
  const how = 'The real-VS-Code tests need VS Code server, Node 24 and chromium in .vscode-e2e/: run `bash e2e/setup.sh` (about 3 minutes, once).';
  if (ci) {
    console.error(`runIntegration: .vscode-e2e is missing. ${how}`);
    process.exit(1);
  }
  console.log(`runIntegration: skipped. ${how}`);
  process.exit(0);
}

if (!args.has('--no-build')) {
  const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

const { startFakeModelServer } = require('../e2e/fakeModelServer.cjs');
const { runTests } = require('../e2e/run-tests.cjs');
const { runUiSmoke } = require('../e2e/ui-smoke.cjs');
const workspace = path.join(root, 'test/integration/workspace');
const model = await startFakeModelServer();
const timings = [];
let failed = false;
try {
  if (!args.has('--smoke-only')) {
    const t0 = Date.now();
    const code = await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'dist/test/integration/index.cjs'),
      workspace,
      // the server inherits this process's environment (SQUEEZE_SOAK_REQUESTS of `npm run soak` included)
      env: { SQUEEZE_TEST_MODEL_URL: model.url, ...(grep ? { SQUEEZE_TEST_GREP: grep } : {}) },
    });
    timings.push(`integration suite: ${((Date.now() - t0) / 1000).toFixed(1)} s, exit ${code}`);
    failed ||= code !== 0;
    if (!grep || /multi/.test(grep)) {
      const t1 = Date.now();
      const multi = await runTests({
        extensionDevelopmentPath: root,
        extensionTestsPath: path.join(root, 'dist/test/integration/index.cjs'),
        workspace: path.join(root, 'test/integration/multiroot/multi.code-workspace'),
        env: { SQUEEZE_TEST_MODEL_URL: model.url },
      });
      timings.push(`multi-root suite: ${((Date.now() - t1) / 1000).toFixed(1)} s, exit ${multi}`);
      failed ||= multi !== 0;
    }
  }
  if (!args.has('--tests-only') && !failed) {
    const t0 = Date.now();
    const update = args.has('--update-screenshots') || process.env.UPDATE_SCREENSHOTS === '1';
    const outDir = path.join(root, update ? 'docs/screenshots' : 'out/screenshots');
    const ok = await runUiSmoke({ extensionDevelopmentPath: root, workspace, outDir, modelUrl: model.url });
    console.log(`runIntegration: screenshots in ${path.relative(root, outDir)}/`);
    timings.push(`UI smoke: ${((Date.now() - t0) / 1000).toFixed(1)} s, ${ok ? 'passed' : 'FAILED'}`);
    failed ||= !ok;
  }
} finally {
  await model.close();
}
for (const t of timings) console.log(`runIntegration: ${t}`);
process.exit(failed ? 1 : 0);
