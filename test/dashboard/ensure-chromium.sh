#!/usr/bin/env bash
# Installs what the end-to-end tests need from Debian: chromium for the dashboard's browser tests
# (test/dashboard), zsh and fish for the completion scripts' test (test/cli/usage.test.ts).
# The tests themselves never install anything; CI calls this script first. Needs root (or sudo).
set -euo pipefail

if [ -x /usr/bin/chromium ] && command -v zsh >/dev/null 2>&1 && command -v fish >/dev/null 2>&1; then
  echo "chromium, zsh and fish are installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "ensure-chromium.sh: chromium, zsh or fish is missing and this is not root; install Debian's chromium, zsh and fish packages" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core fonts-liberation zsh fish
echo "installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
