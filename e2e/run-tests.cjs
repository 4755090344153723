// Drop-in for @vscode/test-electron's runTests(): runs extensionTestsPath inside the real VS Code
// (Node) extension host of the VS Code server; headless chromium only hosts the workbench.
// usage: node e2e/run-tests.cjs <extensionDevelopmentPath> <extensionTestsPath> [workspaceFixture]
// VERBOSE=1 prints the workbench noise too; E2E_KEEP=1 keeps the temp dirs (server and extension host logs).
const path = require('path');
const { startServer, workbenchUrl, launchBrowser, freshCopy } = require('./harness.cjs');
const util = require('util');
// workbench chatter that offline runs always produce (gallery lookups fail: no internet)
const NOISE = /Creation of workbench contribution|ENOTFOUND|Canceled|AccountPolicyGate|authentication provider|additional builtin extensions|connection token|Creating a socket|Service Worker|reconnection-grace-time|AgentHost/;

async function runTests({ extensionDevelopmentPath, extensionTestsPath, workspace, timeoutMs = 300000, env = {} }) {
  const t0 = Date.now();
  const server = await startServer({ env });
  let browser, result = 2;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage();
    const exited = new Promise(resolve => page.exposeFunction('codeAutomationExit', code => resolve(code)));
    // the workbench forwards the extension host's console here (like @vscode/test-web)
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = util.format(...args);
      if (process.env.VERBOSE || !NOISE.test(text)) console.log(text);
    });
    const folder = workspace ? freshCopy(workspace) : undefined;
    await page.goto(workbenchUrl(server, { folder, devPath: extensionDevelopmentPath, testsPath: extensionTestsPath }));
    const code = await Promise.race([exited, new Promise(r => setTimeout(() => r('timeout'), timeoutMs))]);
    result = code === 0 ? 0 : 1;
    console.log(`extension tests exited with ${code} after ${((Date.now() - t0) / 1000).toFixed(1)}s` + (result ? ` (server log kept: ${server.logFile})` : ''));
    return result;
  } finally {
    if (browser) await browser.close().catch(() => {});
    await server.stop({ keep: result !== 0 || Boolean(process.env.E2E_KEEP) });
  }
}

if (require.main === module) {
  const [dev, tests, ws] = process.argv.slice(2);
  runTests({ extensionDevelopmentPath: path.resolve(dev), extensionTestsPath: path.resolve(tests), workspace: ws && path.resolve(ws) })
    .then(code => process.exit(code), e => { console.error(e); process.exit(2); });
}
module.exports = { runTests };
