/**
 * What the extension decides on its own, without VS Code, so that it can be tested alone:
 * where the `ward` executable is (the `ward.path` setting, else `PATH`), whether it is new enough
 * to run as a language server, the arguments `ward lsp` gets from the settings, and which files
 * the server is asked about. Everything else — diagnostics, completion, hover, tests — comes
 * from the server.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The oldest `ward` whose `lsp` takes the flags {@link serverArguments} passes. */
export const MINIMUM_VERSION = '0.1.0';

/** How to get `ward`, said whenever it is missing or too old. */
export const INSTALL_HINT =
  'Install ward (from a checkout of its repository: `cargo install --locked --path cli`) or set `ward.path` to its executable.';

/** The severities, lowest first, as `ward lsp --severity-threshold` takes them. */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;

/** The extension's settings, as read from the `ward.*` configuration. */
export interface Settings {
  /** `ward.path`: the executable; empty for `ward` on `PATH`. */
  path: string;
  /** `ward.policies`: `--policy` paths, relative to the workspace folder when relative. */
  policies: string[];
  /** `ward.severityThreshold`. */
  severityThreshold: string;
}

/** What the executable search sees of the machine; {@link systemEnvironment} is the real one. */
export interface Environment {
  PATH: string;
  /** Windows: the extensions that make a file executable (`.EXE;.CMD;…`). */
  PATHEXT: string;
  home: string;
  platform: NodeJS.Platform;
}

export function systemEnvironment(): Environment {
  return {
    PATH: process.env.PATH ?? '',
    PATHEXT: process.env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM',
    home: os.homedir(),
    platform: process.platform,
  };
}

/** Where `ward` is, or why it was not found. */
export type Located = { found: true; command: string } | { found: false; reason: string };

function isExecutableFile(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    // Windows has no execute bit: being a file with the right extension is what counts.
    if (platform !== 'win32') {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** `~` and `${workspaceFolder}` expanded, as VS Code users write paths in settings. */
export function expandPath(written: string, folder: string | undefined, env: Environment): string {
  let expanded = written.trim();
  if (expanded === '~' || expanded.startsWith('~/') || expanded.startsWith('~\\')) {
    expanded = path.join(env.home, expanded.slice(1));
  }
  if (folder !== undefined) {
    expanded = expanded.split('${workspaceFolder}').join(folder);
  }
  return expanded;
}

/**
 * The `ward` executable: the `ward.path` setting when set (relative paths are relative to the
 * workspace folder), else the first `ward` on `PATH`.
 */
export function locateWard(setting: string, folder: string | undefined, env: Environment): Located {
  if (setting.trim() !== '') {
    let file = expandPath(setting, folder, env);
    if (!path.isAbsolute(file) && folder !== undefined) {
      file = path.join(folder, file);
    }
    if (isExecutableFile(file, env.platform)) {
      return { found: true, command: file };
    }
    return { found: false, reason: `\`ward.path\` is ${file}, which is not an executable file.` };
  }
  const names =
    env.platform === 'win32'
      ? env.PATHEXT.split(';')
          .filter((extension) => extension !== '')
          .map((extension) => `ward${extension.toLowerCase()}`)
      : ['ward'];
  const delimiter = env.platform === 'win32' ? ';' : ':';
  for (const dir of env.PATH.split(delimiter)) {
    if (dir === '') {
      continue;
    }
    for (const name of names) {
      const file = path.join(dir, name);
      if (isExecutableFile(file, env.platform)) {
        return { found: true, command: file };
      }
    }
  }
  return { found: false, reason: 'ward is not on PATH.' };
}

/** The arguments of `ward lsp` for these settings, or what is wrong with the settings. */
export function serverArguments(
  settings: Settings,
  folder: string | undefined,
  env: Environment,
): { args: string[]; problems: string[] } {
  const args = ['lsp'];
  const problems: string[] = [];
  for (const policy of settings.policies) {
    if (typeof policy !== 'string' || policy.trim() === '') {
      problems.push('`ward.policies` has an empty entry: it is left out.');
      continue;
    }
    args.push('--policy', expandPath(policy, folder, env));
  }
  const threshold = settings.severityThreshold.trim().toLowerCase();
  if (!(SEVERITIES as readonly string[]).includes(threshold)) {
    problems.push(
      `\`ward.severityThreshold\` is "${settings.severityThreshold}", not one of ${SEVERITIES.join(', ')}: every finding is shown.`,
    );
  } else if (threshold !== 'info') {
    args.push('--severity-threshold', threshold);
  }
  return { args, problems };
}

/** The version in `ward --version`'s output (`ward 0.1.0`). */
export function parseVersion(output: string): string | undefined {
  return /\bward\s+v?(\d+\.\d+\.\d+)/.exec(output)?.[1];
}

/** Whether `version` is at least `minimum` (both `MAJOR.MINOR.PATCH`). */
export function isAtLeast(version: string, minimum: string): boolean {
  const parts = (text: string) => text.split('.').map((part) => Number.parseInt(part, 10));
  const [have, need] = [parts(version), parts(minimum)];
  for (let i = 0; i < 3; i++) {
    const [a, b] = [have[i] ?? 0, need[i] ?? 0];
    if (a !== b) {
      return a > b;
    }
  }
  return true;
}

/** Why `ward --version`'s output rules the executable out, if it does. */
export function versionProblem(command: string, output: string): string | undefined {
  const version = parseVersion(output);
  if (version === undefined) {
    return `${command} --version printed "${output.trim()}", not a ward version: is it ward?`;
  }
  if (!isAtLeast(version, MINIMUM_VERSION)) {
    return `${command} is ward ${version}; this extension needs ${MINIMUM_VERSION} or later.`;
  }
  return undefined;
}

/**
 * The files the server is asked about: policies and pack manifests, the project configuration,
 * and what ward scans — Dockerfiles, Terraform, YAML (Kubernetes, Compose, workflows, Helm and
 * kustomize), `.env` files. The server tells a Kubernetes manifest from other YAML itself.
 */
export const DOCUMENT_PATTERNS: readonly string[] = [
  '**/*.rego',
  '**/*.cel.{yaml,yml}',
  '**/pack.toml',
  '**/ward.toml',
  '**/{Dockerfile,Containerfile}',
  '**/{Dockerfile,Containerfile}.*',
  '**/*.{dockerfile,Dockerfile,containerfile}',
  '**/*.{tf,tfvars,tf.json,tfvars.json}',
  '**/*.{yaml,yml}',
  '**/.env',
  '**/.env.*',
  '**/*.env',
];
