// UI end-to-end run of Squeeze through the real workbench, driven like a person: status bar, ghost text
// accepted with Tab, "Ask About This Repository" from the command palette, the answer streamed into the
// chat view with citation chips and the Context section, a chip opening its file. Screenshots of each
// go to <outDir> (out/screenshots/, or docs/screenshots/ with `node scripts/runIntegration.mjs --update-screenshots`).
// usage (standalone): node e2e/ui-smoke.cjs <extensionDevelopmentPath> <workspaceFixture> <outDir>
const fs = require('fs');
const os = require('os');
const path = require('path');
const { startServer, workbenchUrl, launchBrowser, freshCopy } = require('./harness.cjs');
const { startFakeModelServer } = require('./fakeModelServer.cjs');

async function palette(page, text, rowText = text) {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(text);
  await page.waitForSelector(`.quick-input-list .monaco-list-row:has-text("${rowText}")`, { timeout: 15000 });
  await page.keyboard.press('Enter');
}

async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(name);
  await page.waitForSelector(`.quick-input-list .monaco-list-row:has-text("${name}")`);
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: name }).waitFor();
}

async function statusBar(page, log, outDir) {
  const item = page.locator('.statusbar-item', { hasText: 'Squeeze' }).first();
  await item.waitFor({ timeout: 60000 });
  await page.locator('.statusbar-item', { hasText: /Squeeze \d+ chunks/ }).first().waitFor({ timeout: 60000 });
  log('status bar:', JSON.stringify(await item.innerText()));
  await item.hover();
  await page.locator('.monaco-hover', { hasText: 'Index: ready' }).first().waitFor({ timeout: 10000 });
  const vp = page.viewportSize();
  await page.screenshot({ path: path.join(outDir, 'status-bar.png'), clip: { x: vp.width - 700, y: vp.height - 320, width: 700, height: 320 } });
  await page.mouse.move(vp.width / 2, vp.height / 3);
}

async function ghostText(page, log, outDir, ws) {
  await openFile(page, 'cart.py');
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('    ');
  // the ghost text is split into token spans: match the line that holds it
  const ghost = page.locator('.monaco-editor .view-line:has([class*="ghost-text"])', { hasText: 'return sum(line_total(item) for item in items)' });
  await ghost.first().waitFor({ timeout: 30000 });
  log('ghost text visible:', JSON.stringify((await ghost.first().innerText()).trim()));
  await page.screenshot({ path: path.join(outDir, 'ghost-text.png') });
  await page.keyboard.press('Tab');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+S');
  const file = path.join(ws, 'src', 'cart.py');
  const want = '    return sum(line_total(item) for item in items)';
  for (let end = Date.now() + 10000; !fs.readFileSync(file, 'utf8').includes(want) && Date.now() < end; ) await page.waitForTimeout(200);
  const last = fs.readFileSync(file, 'utf8').trimEnd().split('\n').pop();
  if (last !== want) throw new Error(`unexpected last line after Tab: ${JSON.stringify(last)}`);
  log('accepted with Tab and saved:', JSON.stringify(last));
}

async function askAndChat(page, log, outDir) {
  await palette(page, 'Squeeze: Ask About This Repository');
  // wait for the command's own input box (its title), not the palette that is still closing
  const box = page.locator('.quick-input-widget', { hasText: 'Ask about this repository' });
  await box.waitFor({ state: 'visible', timeout: 15000 });
  // type into the box's own input: visible is not yet focused, and keystrokes sent early land in the editor
  const input = box.locator('input').first();
  await input.fill('How is the cart total computed?');
  await input.press('Enter');
  log('question sent');
  const wv = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  const turn = wv.locator('article.turn').last();
  await turn.waitFor({ timeout: 60000 });
  log('chat view shows the turn');
  await turn.locator('.sources button.cite').first().waitFor({ timeout: 60000 });
  await turn.locator('.codeblock .copy').first().waitFor();
  log('answer rendered:', JSON.stringify((await turn.locator('.markdown').innerText()).slice(0, 120)));
  await turn.locator('details.context summary').click();
  await turn.locator('details.context tr.item').first().waitFor();
  log('context rows:', await turn.locator('details.context tr.item').count());
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(outDir, 'chat-view.png') });
  const chip = turn.locator('.sources button.cite').first();
  const cited = (await chip.innerText()).split(':')[0];
  await chip.click();
  await page.locator('.tab.active', { hasText: path.basename(cited) }).waitFor({ timeout: 15000 });
  log('citation chip opened', cited);
}

async function runUiSmoke({ extensionDevelopmentPath, workspace, outDir, modelUrl }) {
  const T0 = Date.now();
  const log = (...a) => console.log(`[smoke ${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a);
  fs.mkdirSync(outDir, { recursive: true });
  const ownModel = modelUrl ? undefined : await startFakeModelServer();
  const settings = { 'squeeze.backend.kind': 'http', 'squeeze.backend.endpoint': modelUrl ?? ownModel.url, 'workbench.colorTheme': 'Default Dark Modern', 'workbench.secondarySideBar.defaultVisibility': 'hidden' };
  const server = await startServer({ settings });
  const browser = await launchBrowser();
  let page;
  let ok = false;
  try {
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    const ws = freshCopy(workspace, 'shop');
    await page.goto(workbenchUrl(server, { folder: ws, devPath: extensionDevelopmentPath }));
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    log('workbench loaded');
    await statusBar(page, log, outDir);
    await ghostText(page, log, outDir, ws);
    await askAndChat(page, log, outDir);
    log('UI SMOKE PASSED');
    ok = true;
  } catch (e) {
    const shot = path.join(os.tmpdir(), `squeeze-smoke-failure-${Date.now()}.png`);
    console.error('UI SMOKE FAILED:', e.message.split('\n')[0], `(screenshot: ${shot}, server log: ${server.logFile})`);
    if (page) await page.screenshot({ path: shot }).catch(() => {});
  } finally {
    await browser.close().catch(() => {});
    await server.stop({ keep: !ok });
    if (ownModel) await ownModel.close();
  }
  return ok;
}

if (require.main === module) {
  const [dev, ws, out] = process.argv.slice(2).map((p) => path.resolve(p));
  runUiSmoke({ extensionDevelopmentPath: dev, workspace: ws, outDir: out }).then((ok) => process.exit(ok ? 0 : 1), (e) => { console.error(e); process.exit(2); });
}
module.exports = { runUiSmoke };
