#!/usr/bin/env bash
# Installs what npm run test:integrations drives, once per machine: Debian's pre-commit, neovim, and
# emacs-nox with elpa-eglot and elpa-yaml-mode (apt, only if missing). Works as root with CI=true and
# no stdin.
set -euo pipefail
start=$(date +%s)
need_apt=()
command -v pre-commit >/dev/null 2>&1 || need_apt+=(pre-commit)
command -v nvim >/dev/null 2>&1 || need_apt+=(neovim)
# Emacs 28 (bookworm) has no eglot built in: ELPA's, and yaml-mode, as Debian packages them.
command -v emacs >/dev/null 2>&1 || need_apt+=(emacs-nox)
for p in elpa-eglot elpa-yaml-mode; do dpkg -s "$p" >/dev/null 2>&1 || need_apt+=("$p"); done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "integrations-install: apt-get install ${need_apt[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_apt[@]}" </dev/null >/dev/null
fi
echo "integrations-install: $(pre-commit --version), $(nvim --version | head -n 1), $(emacs --version | head -n 1); done in $(( $(date +%s) - start )) s"
