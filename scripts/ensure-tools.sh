#!/usr/bin/env bash
# Installs the real programs the tests run (Debian packages) when they are missing. As root it installs them with
# apt-get; otherwise it prints the command and fails, so a test run never silently skips them.
#   ensure-tools.sh            promtool + amtool (npm test)
#   ensure-tools.sh e2e        plus the exporters, Postgres and Redis the live end-to-end test runs
set -euo pipefail
packages=(prometheus prometheus-alertmanager)
if [ "${1:-}" = "e2e" ]; then
  packages+=(prometheus-node-exporter prometheus-blackbox-exporter prometheus-pushgateway
    postgresql redis-server prometheus-postgres-exporter prometheus-redis-exporter)
fi
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
