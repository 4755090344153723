// Installs the packaged VSIX like a user would and checks that it activates: code-server's CLI installs
// dist/squeeze-linux-x64.vsix into a fresh extensions dir, the VS Code server (server-main.js, as in
// harness.cjs, but with no extensionDevelopmentPath) starts on that dir, headless chromium opens the
// workbench on a copy of the integration fixture, and the test waits for Squeeze's status bar item to
// show a finished index (the worker, tree-sitter grammars and queries from the VSIX all ran). It also
// loads onnxruntime-node from the installed extension under the server's Node, and asserts the dev
// checkout is not what runs. Exit code 0 when all passed, 1 otherwise.
// usage: node e2e/vsix-install.cjs [file.vsix]   (build it first: npm run package)
// E2E_KEEP=1 keeps the temp dir (server log, extensions dir, screenshot).
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startServer, launchBrowser, freshCopy, ROOT, E2E, NODE, SERVER_MAIN } = require('./harness.cjs');

const ENTRY = path.join(E2E, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const ID = 'squeeze-dev.squeeze';

const log = (...a) => console.log('[vsix]', ...a);

/** `code-server --install-extension`; returns the installed extension's folder. */
function install(vsix, tmp) {
  const exts = path.join(tmp, 'extensions');
  const r = spawnSync(NODE, [ENTRY, '--config', path.join(tmp, 'config.yaml'), '--user-data-dir', path.join(tmp, 'user-data'),
    '--extensions-dir', exts, '--install-extension', vsix], { encoding: 'utf8', timeout: 120000 });
  log((r.stdout + r.stderr).trim().split('\n').filter((l) => /install|Squeeze|squeeze/i.test(l)).join('\n'));
  if (r.status !== 0) throw new Error(`--install-extension exited with ${r.status}: ${r.stderr}`);
  const dir = fs.readdirSync(exts).find((d) => d.startsWith(`${ID}-`));
  if (!dir) throw new Error(`no ${ID}-* folder in ${exts}: ${fs.readdirSync(exts).join(', ')}`);
  return path.join(exts, dir);
}

/** The installed onnxruntime-node loads its linux-x64 binding under the server's Node. */
function checkOnnxRuntime(extDir) {
  const code = `const o=require(${JSON.stringify(path.join(extDir, 'node_modules', 'onnxruntime-node'))});if(typeof o.InferenceSession?.create!=='function')process.exit(3);console.log('onnxruntime-node', require(${JSON.stringify(path.join(extDir, 'node_modules/onnxruntime-node/package.json'))}).version,'loads')`;
  const r = spawnSync(NODE, ['-e', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`onnxruntime-node from the VSIX does not load: ${r.stderr}`);
  log(r.stdout.trim());
}

/** Opens the workbench and waits for the status bar item and a finished first index. */
async function checkActivation(origin, folder, tmp) {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${origin}/?folder=${encodeURIComponent(folder)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 90000 });
    const t0 = Date.now();
    const item = page.locator('.statusbar-item', { hasText: 'Squeeze' }).first();
    await item.waitFor({ timeout: 90000 });
    log(`status bar item after ${Date.now() - t0} ms: ${JSON.stringify(await item.innerText())}`);
    const ready = page.locator('.statusbar-item', { hasText: /Squeeze \d+ chunks/ }).first();
    await ready.waitFor({ timeout: 90000 }).catch(async (e) => {
      await page.screenshot({ path: path.join(tmp, 'vsix-install.png') }).catch(() => {});
      throw e;
    });
    log(`index ready: ${JSON.stringify(await ready.innerText())}`);
  } finally {
    await browser.close().catch(() => {});
  }
}

/** The extension host loaded the installed copy, not the checkout (its log names the extension's location). */
function checkLocation(tmp, extDir) {
  const logs = [];
  const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) e.isDirectory() ? walk(path.join(d, e.name)) : /exthost|remoteagent|server/i.test(e.name) && logs.push(path.join(d, e.name)); };
  walk(tmp);
  const text = logs.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  if (text.includes(ROOT + path.sep + 'dist')) throw new Error('the extension host loaded the checkout, not the installed VSIX');
  // no extensionDevelopmentPath is given, so the installed folder is the only copy the server knows
  log(`ran from ${extDir}`);
}

async function main() {
  const vsix = path.resolve(process.argv[2] || path.join(ROOT, 'dist', 'squeeze-linux-x64.vsix'));
  if (!fs.existsSync(SERVER_MAIN)) {
    if (process.env.CI) throw new Error('VS Code server missing: run bash e2e/setup.sh first');
    console.log('vsix-install: skipped, the VS Code server is not installed (run bash e2e/setup.sh once to enable it)');
    return;
  }
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package first`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'squeeze-vsix-'));
  const t0 = Date.now();
  let ok = false;
  let server;
  try {
    const extDir = install(vsix, tmp);
    log(`installed into ${extDir} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    checkOnnxRuntime(extDir);
    // no smoke-test driver and no extensionDevelopmentPath: the server knows only the installed copy
    server = await startServer({ dir: tmp, smokeTestDriver: false });
    await checkActivation(server.origin, freshCopy(path.join(ROOT, 'test', 'integration', 'workspace')), tmp);
    checkLocation(tmp, extDir);
    ok = true;
  } finally {
    if (server) await server.stop(); // it leaves `tmp`, a dir it was given: removed below, or kept on failure
    log(`${ok ? 'passed' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s${ok && !process.env.E2E_KEEP ? '' : ` (kept: ${tmp})`}`);
    if (ok && !process.env.E2E_KEEP) fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}

if (require.main === module) main().then(() => process.exit(0), (e) => { console.error('[vsix]', e instanceof Error ? e.message : e); process.exit(1); });
module.exports = { main };
