#!/usr/bin/env bash
# npm test from a fresh clone of HEAD with nothing beside it (no ../shared), as a new contributor has it.
# node_modules is a hard-link copy of this checkout's, so nothing is installed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
git clone --quiet "$root" "$tmp/truss-config"
cp -al "$root/node_modules" "$tmp/truss-config/node_modules"
cd "$tmp/truss-config"
if [ -e ../shared ]; then echo "bare-clone-test: $tmp/shared exists" >&2; exit 1; fi
npm test
