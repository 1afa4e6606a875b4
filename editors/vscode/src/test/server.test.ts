/**
 * The extension's own decisions, without VS Code: finding `ward` (on a real temporary file
 * system, execute bits included), the settings as `ward lsp`'s arguments, and the version check.
 * Each is a table of cases.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

import { Environment, Settings, isAtLeast, locateWard, parseVersion, serverArguments, versionProblem } from '../server';

/** A directory with `bin/ward` (executable), `other/ward` (not executable) and `folder/`. */
function machine(): { root: string; env: Environment } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ward-vscode-'));
  for (const dir of ['bin', 'other', 'folder/tools', 'home/.cargo/bin', 'empty']) {
    fs.mkdirSync(path.join(root, dir), { recursive: true });
  }
  fs.writeFileSync(path.join(root, 'bin/ward'), '#!/bin/sh\n', { mode: 0o755 });
  fs.writeFileSync(path.join(root, 'other/ward'), 'not executable\n', { mode: 0o644 });
  fs.writeFileSync(path.join(root, 'folder/tools/ward'), '#!/bin/sh\n', { mode: 0o755 });
  fs.writeFileSync(path.join(root, 'home/.cargo/bin/ward'), '#!/bin/sh\n', { mode: 0o755 });
  fs.mkdirSync(path.join(root, 'dir/ward'), { recursive: true });
  const env: Environment = { PATH: '', PATHEXT: '', home: path.join(root, 'home'), platform: 'linux' };
  return { root, env };
}

test('ward is found from the setting, else on PATH, and a miss says why', { skip: process.platform === 'win32' }, () => {
  const { root, env } = machine();
  const folder = path.join(root, 'folder');
  // [ward.path, PATH entries (relative to root), expected: a path relative to root, or the reason]
  const cases: [string, string[], { command: string } | { reason: RegExp }][] = [
    ['', ['bin'], { command: 'bin/ward' }],
    ['', ['empty', 'other', 'dir', 'bin'], { command: 'bin/ward' }],
    ['', ['empty', 'other'], { reason: /not on PATH/ }],
    ['', [], { reason: /not on PATH/ }],
    [path.join(root, 'bin/ward'), ['empty'], { command: 'bin/ward' }],
    ['tools/ward', ['bin'], { command: 'folder/tools/ward' }],
    ['${workspaceFolder}/tools/ward', [], { command: 'folder/tools/ward' }],
    ['~/.cargo/bin/ward', [], { command: 'home/.cargo/bin/ward' }],
    ['  ~/.cargo/bin/ward  ', [], { command: 'home/.cargo/bin/ward' }],
    // A setting that names nothing usable is an error, not a fall-back to PATH.
    [path.join(root, 'other/ward'), ['bin'], { reason: /ward\.path.*other\/ward.*not an executable/ }],
    [path.join(root, 'dir/ward'), ['bin'], { reason: /not an executable/ }],
    ['missing/ward', ['bin'], { reason: /folder\/missing\/ward/ }],
  ];
  for (const [setting, entries, expected] of cases) {
    const PATH = entries.map((entry) => path.join(root, entry)).join(':');
    const located = locateWard(setting, folder, { ...env, PATH });
    const label = `${JSON.stringify(setting)} on ${entries.join(':')}`;
    if ('command' in expected) {
      assert.deepEqual(located, { found: true, command: path.join(root, expected.command) }, label);
    } else {
      assert.equal(located.found, false, label);
      assert.match(located.found ? '' : located.reason, expected.reason, label);
    }
  }
  fs.rmSync(root, { recursive: true, force: true });
});

test('on Windows, ward is found with the extensions of PATHEXT', () => {
  const { root, env } = machine();
  fs.writeFileSync(path.join(root, 'bin/ward.exe'), 'MZ', { mode: 0o644 });
  const windows: Environment = { ...env, platform: 'win32', PATHEXT: '.COM;.EXE', PATH: path.join(root, 'bin') };
  assert.deepEqual(locateWard('', undefined, windows), { found: true, command: path.join(root, 'bin', 'ward.exe') });
  assert.equal(locateWard('', undefined, { ...windows, PATHEXT: '.COM' }).found, false);
  fs.rmSync(root, { recursive: true, force: true });
});

test('settings become the arguments of ward lsp', () => {
  const env: Environment = { PATH: '', PATHEXT: '', home: '/home/me', platform: 'linux' };
  const settings = (policies: string[], severityThreshold: string): Settings => ({ path: '', policies, severityThreshold });
  // [policies, threshold, arguments, problems (patterns)]
  const cases: [string[], string, string[], RegExp[]][] = [
    [[], 'info', ['lsp'], []],
    [['policy'], 'info', ['lsp', '--policy', 'policy'], []],
    [
      ['policy', '${workspaceFolder}/extra', '~/packs/k8s'],
      'high',
      ['lsp', '--policy', 'policy', '--policy', '/work/app/extra', '--policy', '/home/me/packs/k8s', '--severity-threshold', 'high'],
      [],
    ],
    [[], 'Medium', ['lsp', '--severity-threshold', 'medium'], []],
    [[], 'critical', ['lsp', '--severity-threshold', 'critical'], []],
    [['', '  ', 'p'], 'low', ['lsp', '--policy', 'p', '--severity-threshold', 'low'], [/empty entry/, /empty entry/]],
    [[], 'severe', ['lsp'], [/"severe", not one of info, low, medium, high, critical/]],
  ];
  for (const [policies, threshold, args, problems] of cases) {
    const made = serverArguments(settings(policies, threshold), '/work/app', env);
    const label = `${JSON.stringify(policies)} ${threshold}`;
    assert.deepEqual(made.args, args, label);
    assert.equal(made.problems.length, problems.length, `${label}: ${made.problems.join(' | ')}`);
    problems.forEach((pattern, i) => assert.match(made.problems[i] ?? '', pattern, label));
  }
});

test('the version of ward decides whether it can serve', () => {
  // [--version output, parsed version, problem (pattern) or none]
  const cases: [string, string | undefined, RegExp | undefined][] = [
    ['ward 0.1.0\n', '0.1.0', undefined],
    ['ward 1.12.3', '1.12.3', undefined],
    ['ward v0.2.0', '0.2.0', undefined],
    ['ward 0.0.9\n', '0.0.9', /ward 0\.0\.9; this extension needs 0\.1\.0 or later/],
    ['conftest 0.56.0', undefined, /not a ward version/],
    ['', undefined, /not a ward version/],
  ];
  for (const [output, version, problem] of cases) {
    assert.equal(parseVersion(output), version, output);
    const found = versionProblem('/bin/ward', output);
    if (problem === undefined) {
      assert.equal(found, undefined, output);
    } else {
      assert.match(found ?? '', problem, output);
    }
  }
  // [version, minimum, at least]
  const comparisons: [string, string, boolean][] = [
    ['0.1.0', '0.1.0', true],
    ['0.10.0', '0.9.0', true],
    ['1.0.0', '0.99.99', true],
    ['0.1.0', '0.1.1', false],
    ['0.1.9', '0.2.0', false],
  ];
  for (const [version, minimum, expected] of comparisons) {
    assert.equal(isAtLeast(version, minimum), expected, `${version} >= ${minimum}`);
  }
});
