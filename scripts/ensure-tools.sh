#!/usr/bin/env bash
# Installs what the live end-to-end test watches and that is not ours to build: Postgres and Redis (Debian
# packages). The monitoring programs themselves (Prometheus, Alertmanager, exporters, Jaeger, the Collector) are
# built from their Go modules at the pinned releases by `npm run -s tools`, never taken from Debian.
# As root it installs with apt-get; otherwise it prints the command and fails, so a run never silently skips them.
set -euo pipefail
packages=(postgresql redis-server)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Postinst scripts try to start services through systemd/policy-rc.d and print noise when they cannot; nothing is
# started, which is what the tests want (they start every program themselves on free ports).
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "installed: ${missing[*]}"
