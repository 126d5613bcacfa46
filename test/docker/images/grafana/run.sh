#!/bin/sh
# Stand-in for Grafana's /run.sh (not Grafana): exits like Grafana would when it cannot read the files the stack
# uploads or write its data volume, then serves /api/health and /metrics on :3000 with busybox httpd.
set -eu
fail() { echo "grafana stand-in: $*" >&2; exit 1; }
for f in "${GF_SECURITY_ADMIN_PASSWORD__FILE:-}" "${GF_SECURITY_SECRET_KEY__FILE:-}"; do
  [ -z "$f" ] || [ -r "$f" ] || fail "$f is not readable by $(id -u)"
done
prov="${GF_PATHS_PROVISIONING:-/etc/grafana/provisioning}"
for f in $(find "$prov" /etc/grafana/dashboards -type f 2>/dev/null); do [ -r "$f" ] || fail "$f is not readable"; done
touch "${GF_PATHS_DATA:-/var/lib/grafana}/grafana.db" || fail "the data volume is not writable by $(id -u)"
www=/tmp/www
mkdir -p "$www/api" "$www/metrics"
echo '{"database":"ok","version":"moncode-stand-in"}' > "$www/api/health"
# /metrics redirects to /metrics/index.html, served with the exposition format's Content-Type as Grafana sends it
# (Prometheus 3 rejects a scrape without one).
printf '# TYPE grafana_build_info gauge\ngrafana_build_info{version="moncode-stand-in"} 1\n' > "$www/metrics/index.html"
printf '.html:text/plain; version=0.0.4; charset=utf-8\n' > /tmp/httpd.conf
exec httpd -f -p "${GF_SERVER_HTTP_PORT:-3000}" -h "$www" -c /tmp/httpd.conf
