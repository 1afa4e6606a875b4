#!/usr/bin/env bash
# Installs code-server (VS Code in the browser, from npm) for the end-to-end test, into a cache
# that survives re-runs: $WARD_E2E_CACHE, else ~/.cache/ward-e2e. Prints the path of the
# `code-server` entry point on its last line. A second run with the install in place only
# prints it. With --print, installs nothing: prints the entry point if it is installed, else
# fails.
#
# code-server 4.100.x is the newest that runs on Node 20. Its dependencies' install scripts
# download things from the internet (ripgrep, node-gyp through npx), which CI cannot reach, so
# it is installed with --ignore-scripts and then prepared by hand, the way its own postinstall
# would: Debian's ripgrep stands in for the download, native modules are rebuilt from source
# (needs libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config), and the links its
# postinstall.sh makes are made here.
set -euo pipefail

VERSION=4.100.3
cache="${WARD_E2E_CACHE:-$HOME/.cache/ward-e2e}"
prefix="$cache/code-server-$VERSION"
package="$prefix/node_modules/code-server"
entry="$package/out/node/entry.js"
ready="$prefix/.ready"

if [[ -f "$ready" && -f "$entry" ]]; then
  echo "$entry"
  exit 0
fi
if [[ "${1:-}" == "--print" ]]; then
  echo "install-code-server: code-server $VERSION is not installed in $prefix" >&2
  exit 1
fi

for tool in node npm rg; do
  command -v "$tool" >/dev/null || { echo "install-code-server: $tool is missing" >&2; exit 1; }
done

export npm_config_yes=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
rm -rf "$prefix"
mkdir -p "$prefix"
cd "$prefix"
echo '{"name":"ward-e2e-code-server","private":true}' > package.json
echo "install-code-server: code-server@$VERSION into $prefix" >&2
npm install --ignore-scripts --no-save "code-server@$VERSION" >&2

# lib/vscode: its own dependencies, ripgrep from Debian, native modules built here.
cd "$package/lib/vscode"
npm install --omit=dev --ignore-scripts >&2
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
npm rebuild >&2
# What code-server's postinstall.sh links: VS Code looks for node_modules.asar, and the
# remote CLI's helpers under bin/.
ln -sfn node_modules node_modules.asar
if [[ -d "$package/lib/vscode/bin/remote-cli" ]]; then
  ln -sf "$package/lib/vscode/bin/remote-cli/code-linux.sh" "$package/lib/vscode/bin/remote-cli/code" || true
fi
cd extensions
npm install --ignore-scripts >&2

# code-server's own native module (password hashing), hoisted to the top.
cd "$prefix"
npm rebuild argon2 >&2

touch "$ready"
echo "$entry"
