#!/usr/bin/env bash
# Installs what the editor tests need, once per machine:
#   - Debian chromium (driven by playwright-core), ripgrep and libkrb5-dev (apt, only if missing);
#   - code-server (a full VS Code with a Node extension host) under $E2E_HOME/code-server.
# Works as root with CI=true and no stdin. Prints the code-server path on its last line.
set -euo pipefail

E2E_HOME=${E2E_HOME:-$HOME/.cache/vscode-e2e}
CODE_SERVER_VERSION=4.100.3   # VS Code 1.100.3; the newest code-server that installs on node 20
RIPGREP_PKG_VERSION=1.15.11   # the @vscode/ripgrep that code-server 4.100.3 pins
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
start=$(date +%s)

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "e2e-install: apt-get install ${need_apt[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" </dev/null >/dev/null
fi

dir="$E2E_HOME/code-server"
bin="$dir/node_modules/.bin/code-server"
marker="$dir/installed-version"   # written last, so an interrupted install is redone

if [ -x "$bin" ] && [ "$(cat "$marker" 2>/dev/null)" = "$CODE_SERVER_VERSION" ]; then
  echo "e2e-install: code-server $CODE_SERVER_VERSION already in $dir"
else
  echo "e2e-install: installing code-server $CODE_SERVER_VERSION into $dir (a few minutes)"
  rm -rf "$dir"
  mkdir -p "$dir"

  # @vscode/ripgrep's postinstall fetches rg from GitHub unless its download cache already
  # holds the archive: put Debian's rg there under the expected name.
  cache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
  staging=$(mktemp -d)
  cp "$(command -v rg)" "$staging/rg"
  mkdir -p "$cache"
  tar czf "$cache/$RIPGREP_ASSET" -C "$staging" rg
  rm -rf "$staging"

  cd "$dir"
  echo '{ "name": "vscode-e2e", "private": true }' > package.json
  # Build native modules against the local node headers when they are there (no header download).
  node_prefix=$(node -p 'require("path").resolve(process.execPath, "..", "..")')
  [ -f "$node_prefix/include/node/node.h" ] && export npm_config_nodedir="$node_prefix"
  # unsafe_perm: code-server's postinstall refuses to run as root otherwise;
  # yes: node-pty's postinstall runs `npx node-gyp`, which would ask for confirmation.
  if ! npm_config_unsafe_perm=true npm_config_yes=true \
      npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" </dev/null >install.log 2>&1; then
    tail -n 40 install.log
    echo "e2e-install: npm install code-server failed (full log: $dir/install.log)" >&2
    exit 1
  fi
  [ -x "$bin" ] || { echo "e2e-install: $bin missing after install" >&2; exit 1; }
  echo "$CODE_SERVER_VERSION" > "$marker"
fi

echo "e2e-install: done in $(( $(date +%s) - start )) s"
echo "$bin"
