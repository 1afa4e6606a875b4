/**
 * The VS Code side of ward: starts `ward lsp` with the settings as its arguments, shows the
 * server's state in the status bar and its log in an output channel, and gives the server's
 * commands (`ward.runTests`, `ward.explain`) the editor's context when they are run from the
 * command palette. It adds no checks of its own: findings, completion, hover, documentation and
 * test results all come from the server.
 */

import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import {
  ExecuteCommandSignature,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from 'vscode-languageclient/node';

import {
  DOCUMENT_PATTERNS,
  INSTALL_HINT,
  Settings,
  locateWard,
  serverArguments,
  systemEnvironment,
  versionProblem,
} from './server';

const RUN_TESTS = 'ward.runTests';
const EXPLAIN = 'ward.explain';

let client: LanguageClient | undefined;
let log: vscode.OutputChannel;
let testLog: vscode.OutputChannel;
let status: vscode.StatusBarItem;
/** Rules' documentation as the server answered it, by URI path, for the read-only documents. */
const documentation = new Map<string, string>();
const DOCUMENTATION_SCHEME = 'ward-explain';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  log = vscode.window.createOutputChannel('ward');
  testLog = vscode.window.createOutputChannel('ward tests');
  status = vscode.window.createStatusBarItem('ward.status', vscode.StatusBarAlignment.Left, 0);
  status.name = 'ward';
  status.command = 'ward.showOutput';
  context.subscriptions.push(
    log,
    testLog,
    status,
    vscode.commands.registerCommand('ward.restartServer', () => restart()),
    vscode.commands.registerCommand('ward.showOutput', () => log.show(true)),
    vscode.workspace.registerTextDocumentContentProvider(DOCUMENTATION_SCHEME, {
      provideTextDocumentContent: (uri) => documentation.get(uri.path) ?? '',
    }),
    vscode.workspace.onDidChangeConfiguration((change) => {
      if (change.affectsConfiguration('ward')) {
        void restart();
      }
    }),
  );
  await start();
}

export async function deactivate(): Promise<void> {
  await stop();
}

function showStatus(icon: string, tooltip: string, warning = false): void {
  status.text = `$(${icon}) ward`;
  status.tooltip = tooltip;
  status.backgroundColor = warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  status.show();
}

function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration('ward');
  return {
    path: config.get<string>('path', ''),
    policies: config.get<string[]>('policies', []),
    severityThreshold: config.get<string>('severityThreshold', 'info'),
  };
}

/** `command --version`'s output, or the error that kept it from running. */
function versionOf(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, ['--version'], { timeout: 15000 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
  });
}

/** A problem that keeps the server from starting: in the log, the status bar and a message. */
function cannotStart(problem: string): void {
  log.appendLine(`${problem} ${INSTALL_HINT}`);
  showStatus('warning', `ward's language server is not running: ${problem}`, true);
  void vscode.window.showErrorMessage(`ward: ${problem} ${INSTALL_HINT}`, 'Open Settings').then((choice) => {
    if (choice === 'Open Settings') {
      void vscode.commands.executeCommand('workbench.action.openSettings', 'ward.path');
    }
  });
}

async function start(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const settings = readSettings();
  const env = systemEnvironment();
  const located = locateWard(settings.path, folder, env);
  if (!located.found) {
    cannotStart(located.reason);
    return;
  }
  let version: string;
  try {
    version = await versionOf(located.command);
  } catch (error) {
    cannotStart(`${located.command} --version failed: ${String(error)}.`);
    return;
  }
  const tooOld = versionProblem(located.command, version);
  if (tooOld !== undefined) {
    cannotStart(tooOld);
    return;
  }
  const { args, problems } = serverArguments(settings, folder, env);
  for (const problem of problems) {
    log.appendLine(problem);
    void vscode.window.showWarningMessage(`ward: ${problem}`);
  }
  log.appendLine(`starting ${located.command} ${args.join(' ')} (${version.trim()})`);
  const serverOptions: ServerOptions = { command: located.command, args, options: { cwd: folder } };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_PATTERNS.map((pattern) => ({ scheme: 'file', pattern })),
    outputChannel: log,
    middleware: { executeCommand },
  };
  client = new LanguageClient('ward', 'ward', serverOptions, clientOptions);
  client.onDidChangeState(({ newState }) => {
    switch (newState) {
      case State.Starting:
        showStatus('sync~spin', 'ward lsp is starting');
        break;
      case State.Running:
        showStatus('shield', `ward lsp is running: ${version.trim()}`);
        break;
      case State.Stopped:
        showStatus('error', 'ward lsp has stopped: see the ward output channel', true);
        break;
    }
  });
  try {
    await client.start();
  } catch (error) {
    log.appendLine(`ward lsp did not start: ${String(error)}`);
    showStatus('error', `ward lsp did not start: ${String(error)}`, true);
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running !== undefined) {
    try {
      await running.stop();
    } catch (error) {
      log.appendLine(`ward lsp did not stop cleanly: ${String(error)}`);
    }
  }
}

async function restart(): Promise<void> {
  log.appendLine('restarting ward lsp');
  await stop();
  await start();
}

/**
 * The server's commands, as the language client registers them: run from the command palette
 * they get no arguments, so the active editor's document and cursor are given; the answers are
 * shown (test results in the "ward tests" channel, documentation in a Markdown preview).
 */
async function executeCommand(command: string, args: unknown[], next: ExecuteCommandSignature): Promise<unknown> {
  const editor = vscode.window.activeTextEditor;
  if (args.length === 0 && editor !== undefined && client !== undefined) {
    const converter = client.code2ProtocolConverter;
    args = [converter.asUri(editor.document.uri), converter.asPosition(editor.selection.active)];
  }
  if (command === RUN_TESTS) {
    const result = await next(command, args);
    showTestResults(result);
    return result;
  }
  if (command === EXPLAIN) {
    if (args.length === 0) {
      void vscode.window.showErrorMessage('ward: open a file and put the cursor on a rule id to explain it.');
      return undefined;
    }
    const result = await next(command, args);
    await showDocumentation(result);
    return result;
  }
  return next(command, args);
}

interface TestResults {
  rule: string;
  pack: string;
  passed: string[];
  failures: { test: string; detail: string }[];
}

function showTestResults(result: unknown): void {
  const results = result as Partial<TestResults> | undefined;
  if (results?.rule === undefined) {
    return;
  }
  const passed = results.passed ?? [];
  const failures = results.failures ?? [];
  testLog.clear();
  testLog.appendLine(
    `${results.rule} (${results.pack ?? 'pack'}): ${passed.length} passed, ${failures.length} failed`,
  );
  for (const test of passed) {
    testLog.appendLine(`  ok    ${test}`);
  }
  for (const failure of failures) {
    testLog.appendLine(`  FAIL  ${failure.test}`);
    for (const line of failure.detail.split('\n')) {
      testLog.appendLine(`        ${line}`);
    }
  }
  testLog.show(true);
}

async function showDocumentation(result: unknown): Promise<void> {
  const doc = result as { rule?: string; markdown?: string } | undefined;
  if (doc?.markdown === undefined || doc.rule === undefined) {
    return;
  }
  // A read-only document (nothing to save when it is closed), shown as a Markdown preview.
  const uri = vscode.Uri.from({ scheme: DOCUMENTATION_SCHEME, path: `/${doc.rule}.md` });
  documentation.set(uri.path, doc.markdown);
  try {
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
  } catch {
    // Without the built-in Markdown extension, the text itself.
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, vscode.ViewColumn.Beside);
  }
}
