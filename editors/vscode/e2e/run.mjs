// The end-to-end test of the extension in a real VS Code: code-server (VS Code in the browser)
// with the packaged .vsix installed, driven by headless Chromium through puppeteer-core. It
// opens the sample repository and checks, as a user would see them:
//   1. services/worker/Dockerfile → the Problems panel lists ward's findings at their lines
//      (the findings `ward scan` reports for that file);
//   2. a Rego rule, `input.object.` typed → completion offers the schema's paths;
//   3. hover on the rule's id → its documentation;
//   4. the run-tests command → its results;
//   5. the explain command on the rule's id → its documentation in a Markdown preview.
// A screenshot of each step is saved in $WARD_E2E_ARTIFACTS. Every wait is on a condition of
// the page, with a deadline; the whole run has one too. Run by cli/tests/vscode_e2e.rs, which
// prepares the inputs:
//   WARD_BIN             the ward executable (ward.path)
//   WARD_E2E_CODE_SERVER code-server's entry point (e2e/install-code-server.sh prints it)
//   WARD_E2E_VSIX        the packaged extension
//   WARD_E2E_WORKSPACE   the folder to open: a copy of testdata/repos/shop with a pack in it
//   WARD_E2E_RULE        the Rego rule to open, relative to the workspace, and WARD_E2E_RULE_ID its id
//   WARD_E2E_ARTIFACTS   where screenshots and logs go
//   WARD_E2E_CHROMIUM    the browser (default /usr/bin/chromium)

import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import puppeteer from 'puppeteer-core';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set`);
  }
  return value;
};

const ward = env('WARD_BIN');
const codeServer = env('WARD_E2E_CODE_SERVER');
const vsix = env('WARD_E2E_VSIX');
const workspace = env('WARD_E2E_WORKSPACE');
const ruleFile = env('WARD_E2E_RULE');
const ruleId = env('WARD_E2E_RULE_ID');
const artifacts = env('WARD_E2E_ARTIFACTS');
const chromium = env('WARD_E2E_CHROMIUM', '/usr/bin/chromium');
const DOCKERFILE = 'services/worker/Dockerfile';
const schemas = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', '..', 'schemas');
const WHOLE_RUN_MS = Number(process.env.WARD_E2E_TIMEOUT_MS ?? 360_000);

fs.mkdirSync(artifacts, { recursive: true });
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ward-e2e-'));
const children = [];
let browser;

function say(line) {
  process.stdout.write(`${line}\n`);
}

async function cleanUp() {
  await browser?.close().catch(() => {});
  for (const child of children) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
    }
  }
  fs.rmSync(scratch, { recursive: true, force: true });
}

const watchdog = setTimeout(() => {
  say(`FAIL: the whole run took longer than ${WHOLE_RUN_MS / 1000} s`);
  void cleanUp().finally(() => process.exit(1));
}, WHOLE_RUN_MS);

/** Polls `probe` until it returns something truthy, or fails with `what` after `ms`. */
async function until(what, probe, ms = 60_000) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) {
        return value;
      }
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${ms / 1000} s waiting for ${what}${last ? `: ${last}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function shot(page, name) {
  const file = path.join(artifacts, `${name}.png`);
  await page.screenshot({ path: file });
  say(`screenshot: ${file}`);
}

/** The findings `ward scan` reports for the Dockerfile: what the Problems panel must list. */
function expectedFindings() {
  let output;
  try {
    output = execFileSync(ward, ['scan', '.', '--format', 'json'], { cwd: workspace, encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (error) {
    // Exit 1: there are findings.
    output = error.stdout;
  }
  const report = JSON.parse(output);
  return report.findings
    .filter((finding) => finding.path === DOCKERFILE)
    .map((finding) => ({ rule: finding.rule, message: finding.message, line: finding.line, column: finding.column }));
}

const userData = path.join(scratch, 'user-data');
const extensions = path.join(scratch, 'extensions');
fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
fs.writeFileSync(
  path.join(userData, 'User', 'settings.json'),
  JSON.stringify(
    {
      'ward.path': ward,
      'security.workspace.trust.enabled': false,
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.enableExperiments': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'extensions.ignoreRecommendations': true,
      'update.mode': 'none',
      'editor.quickSuggestionsDelay': 0,
      'editor.hover.delay': 100,
      'files.autoSave': 'off',
      'window.restoreWindows': 'none',
    },
    null,
    2,
  ),
);

async function main() {
  const expected = expectedFindings();
  if (expected.length === 0) {
    throw new Error(`ward scan reports nothing in ${DOCKERFILE}: nothing to look for`);
  }
  say(`ward scan: ${expected.length} findings in ${DOCKERFILE}`);

  const serverArgs = ['--user-data-dir', userData, '--extensions-dir', extensions, '--config', path.join(scratch, 'config.yaml')];
  execFileSync(process.execPath, [codeServer, ...serverArgs, '--install-extension', vsix], { stdio: 'inherit', timeout: 120_000 });

  const port = await freePort();
  const log = fs.openSync(path.join(artifacts, 'code-server.log'), 'w');
  const server = spawn(
    process.execPath,
    [codeServer, ...serverArgs, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', workspace],
    { stdio: ['ignore', log, log] },
  );
  children.push(server);
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  await until('code-server to listen', async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 60_000);

  browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    userDataDir: path.join(scratch, 'chromium'),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--window-size=1600,1000',
    ],
    defaultViewport: { width: 1600, height: 1000 },
  });
  const page = await browser.newPage();
  page.on('pageerror', (error) => say(`page error: ${error.message}`));
  await page.goto(url);
  await until('the workbench', () => page.$('.monaco-workbench .part.editor'), 90_000);
  await until('the explorer to list the workspace', () => page.$('.explorer-folders-view .monaco-list-row'), 60_000);
  await shot(page, '0-workbench');

  // The extension's status-bar item shows the server running.
  await until('the status bar to show ward running', () => page.$('.statusbar-item .codicon-shield'), 60_000);

  // 1. The Dockerfile's findings in the Problems panel.
  await openFile(page, DOCKERFILE);
  await chord(page, ['Control', 'Shift'], 'KeyM');
  await until('the Problems panel', () => page.$('.markers-panel'), 30_000);
  const listed = await until(
    `the Problems panel to list ward's ${expected.length} findings`,
    async () => {
      const rows = await problems(page);
      const missing = expected.filter((finding) => !rows.some((row) => matches(row, finding)));
      return missing.length === 0 ? rows : undefined;
    },
    120_000,
  ).catch(async (error) => {
    await shot(page, '1-problems-FAILED');
    say(`Problems panel rows: ${JSON.stringify(await problems(page), null, 1)}`);
    throw error;
  });
  await shot(page, '1-problems');
  say(`Problems panel: ${listed.length} rows, every finding of ward scan at its line`);

  // 2. Completion of `input.object.` in a Rego rule: the paths of its kind's schema.
  const kinds = [...fs.readFileSync(path.join(workspace, ruleFile), 'utf8').matchAll(/^#\s+kinds:\s*\[([^\]]*)\]/gm)]
    .flatMap((match) => match[1].split(','))
    .map((kind) => kind.trim());
  const wanted = kinds.flatMap((kind) => Object.keys(JSON.parse(fs.readFileSync(path.join(schemas, `${kind}.schema.json`), 'utf8')).properties ?? {}));
  if (wanted.length === 0) {
    throw new Error(`no schema paths for the kinds ${kinds} of ${ruleFile}`);
  }
  await openFile(page, ruleFile);
  await chord(page, ['Control'], 'End');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.type('probe if input.object.', { delay: 20 });
  const offered = await until(
    `completion to offer ${wanted.join(', ')}`,
    async () => {
      const labels = await page.evaluate(() =>
        [...document.querySelectorAll('.suggest-widget.visible .monaco-list-row')].map((row) => row.getAttribute('aria-label') ?? ''),
      );
      return wanted.every((key) => labels.some((label) => label.startsWith(key))) ? labels : undefined;
    },
    60_000,
  ).catch(async (error) => {
    await shot(page, '2-completion-FAILED');
    throw error;
  });
  await shot(page, '2-completion');
  say(`completion after input.object.: ${offered.length} items, ${wanted.join(', ')} among them`);
  await page.keyboard.press('Escape');
  await runCommand(page, 'File: Revert File');
  await until('the rule file to be unmodified', () =>
    page.evaluate(() => !document.querySelector('.tab.active')?.classList.contains('dirty')),
  );

  // 3. Hover on the rule's id: its documentation, as `ward explain` prints it.
  const title = execFileSync(ward, ['explain', ruleId], { cwd: workspace, encoding: 'utf8' }).split('\n')[0].replace(/^#\s*/, '');
  await chord(page, ['Control'], 'Home');
  const idBox = await until(`${ruleId} on screen`, () =>
    page.evaluate((id) => {
      for (const span of document.querySelectorAll('.editor-instance .view-line span span')) {
        if (span.textContent?.includes(id)) {
          const text = span.textContent;
          const box = span.getBoundingClientRect();
          const at = text.indexOf(id);
          const width = box.width / text.length;
          return { x: box.x + width * (at + id.length / 2), y: box.y + box.height / 2 };
        }
      }
      return undefined;
    }, ruleId),
  );
  await page.mouse.move(idBox.x - 40, idBox.y);
  await page.mouse.move(idBox.x, idBox.y, { steps: 5 });
  const hover = await until(
    `a hover with "${title}"`,
    async () => {
      const text = await page.evaluate(() => [...document.querySelectorAll('.monaco-hover')].map((hover) => hover.textContent ?? '').join('\n'));
      return text.includes(title) ? text : undefined;
    },
    60_000,
  ).catch(async (error) => {
    await shot(page, '3-hover-FAILED');
    throw error;
  });
  await shot(page, '3-hover');
  say(`hover on ${ruleId}: ${hover.slice(0, 80).replace(/\s+/g, ' ')}…`);
  await page.mouse.move(5, 500);

  // 4. The run-tests command: the server's summary, and the results in the "ward tests" channel.
  await runCommand(page, "ward: Run the Pack's Tests for This Rule");
  const summary = await until(
    `a notification "${ruleId}: N tests passed"`,
    () =>
      page.evaluate((id) => {
        const toasts = [...document.querySelectorAll('.notifications-toasts .notification-toast')].map((toast) => toast.innerText ?? '');
        return toasts.find((text) => text.includes(`${id}: `));
      }, ruleId),
    120_000,
  ).catch(async (error) => {
    await shot(page, '4-tests-FAILED');
    throw error;
  });
  const counted = /(\d+) tests passed/.exec(summary);
  if (counted === null || Number(counted[1]) < 2) {
    await shot(page, '4-tests-FAILED');
    throw new Error(`the tests of ${ruleId} did not pass (a failing and a passing fixture at least): ${summary}`);
  }
  const results = await until('the "ward tests" output', () =>
    page.evaluate(() => {
      // Monaco draws spaces as no-break spaces.
      const text = [...document.querySelectorAll('.part.panel .view-line')].map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n');
      return text.includes('passed,') ? text : undefined;
    }),
  ).catch(async (error) => {
    await shot(page, '4-tests-FAILED');
    throw error;
  });
  const expectedLine = `${ruleId} (`;
  if (!results.includes(expectedLine) || !results.includes(`${counted[1]} passed, 0 failed`)) {
    await shot(page, '4-tests-FAILED');
    throw new Error(`the "ward tests" output does not show ${counted[1]} passed tests of ${ruleId}:\n${results}`);
  }
  await shot(page, '4-tests');
  say(`run tests: ${summary.trim()}; output: ${results.split('\n')[0]}`);

  // 5. The explain command, the cursor on the rule's id: its documentation in a Markdown preview.
  await page.mouse.click(idBox.x, idBox.y);
  await runCommand(page, "ward: Show a Rule's Documentation");
  const preview = await until(
    `a Markdown preview with "${title}"`,
    async () => {
      for (const frame of page.frames()) {
        const text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
        if (text.includes(title) && text.includes('Why it matters')) {
          return text;
        }
      }
      return undefined;
    },
    60_000,
  ).catch(async (error) => {
    await shot(page, '5-explain-FAILED');
    throw error;
  });
  await shot(page, '5-explain');
  say(`explain ${ruleId}: ${preview.slice(0, 60).replace(/\s+/g, ' ')}…`);
}

/** Presses `key` with `modifiers` held. */
async function chord(page, modifiers, key) {
  for (const modifier of modifiers) {
    await page.keyboard.down(modifier);
  }
  await page.keyboard.press(key);
  for (const modifier of modifiers.reverse()) {
    await page.keyboard.up(modifier);
  }
}

/** Runs a command by its title from the command palette. */
async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = await until('the command palette', () => page.$('.quick-input-widget:not([style*="display: none"]) input'), 30_000);
  await input.type(title);
  await until(`the command palette to offer "${title}"`, () =>
    page.evaluate(
      (want) => (document.querySelector('.quick-input-list .monaco-list-row.focused')?.getAttribute('aria-label') ?? '').includes(want),
      title,
    ),
  );
  await page.keyboard.press('Enter');
}

/** Opens a workspace file by Quick Open. */
async function openFile(page, relative) {
  await chord(page, ['Control'], 'KeyP');
  const input = await until('Quick Open', () => page.$('.quick-input-widget:not([style*="display: none"]) input'), 30_000);
  await input.type(relative);
  const name = path.basename(relative);
  await until(`Quick Open to offer ${name}`, () =>
    page.evaluate((want) => (document.querySelector('.quick-input-list .monaco-list-row.focused')?.getAttribute('aria-label') ?? '').includes(want), name),
  );
  await page.keyboard.press('Enter');
  // The breadcrumbs name the file's folders and the file: the one asked for is open, and the
  // editor has the keyboard.
  await until(`the editor of ${relative}, focused`, () =>
    page.evaluate((segments) => {
      const crumbs = [...document.querySelectorAll('.part.editor .breadcrumbs-control .monaco-breadcrumb-item')].map((item) => item.textContent?.trim());
      return (
        segments.every((segment, i) => crumbs[i] === segment) &&
        Boolean(document.activeElement?.closest('.editor-instance .monaco-editor')) &&
        document.querySelector('.quick-input-widget')?.style.display === 'none'
      );
    }, relative.split('/')),
  );
}

/** The Problems panel's rows, as shown: message, source and code, `[Ln L, Col C]`. */
function problems(page) {
  return page.evaluate(() => [...document.querySelectorAll('.markers-panel .monaco-list-row')].map((row) => row.textContent ?? ''));
}

/**
 * A row shows the finding: its message, then the source and code (`ward(RULE)`, the brackets
 * drawn by CSS) and its line and column.
 */
function matches(row, finding) {
  return row.includes(finding.message) && row.includes(`ward${finding.rule}[Ln ${finding.line}, Col ${finding.column}]`);
}

try {
  await main();
  say('PASS');
  await cleanUp();
  clearTimeout(watchdog);
  process.exit(0);
} catch (error) {
  say(`FAIL: ${error?.stack ?? error}`);
  await cleanUp();
  clearTimeout(watchdog);
  process.exit(1);
}
