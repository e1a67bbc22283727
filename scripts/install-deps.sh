#!/usr/bin/env bash
# Installs what the build and the tests need: the npm packages from the lockfile, and
# Prometheus's own promtool/prometheus binaries (Debian package `prometheus`), which the
# tests use as the authority on rules and queries.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v promtool >/dev/null 2>&1 || ! command -v prometheus >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "promtool/prometheus missing and no root or sudo: install the Debian package 'prometheus' (apt-get install -y prometheus)" >&2
    exit 1
  fi
  echo "installing Debian package prometheus (promtool, prometheus)..."
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # The package's service is not started here (no init system in CI); only the binaries are used.
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi
promtool --version | head -n 1

npm ci --no-audit --no-fund
