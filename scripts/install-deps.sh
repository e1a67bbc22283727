#!/usr/bin/env bash
# Installs what the build and the tests need: the npm packages from the lockfile, and the
# authorities the tests ask: Prometheus's promtool/prometheus (Debian package `prometheus`) on
# rules and queries, Alertmanager's amtool/prometheus-alertmanager (package
# `prometheus-alertmanager`) on the inhibition rules.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
{ command -v promtool && command -v prometheus; } >/dev/null 2>&1 || missing+=(prometheus)
{ command -v amtool && command -v prometheus-alertmanager; } >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "${missing[*]} missing and no root or sudo: install the Debian package(s) (apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
  echo "installing Debian package(s) ${missing[*]}..."
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # The packages' services are not started here (no init system in CI); only the binaries are used.
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
promtool --version | head -n 1
amtool --version 2>&1 | head -n 1

npm ci --no-audit --no-fund
