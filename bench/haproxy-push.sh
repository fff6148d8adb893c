#!/usr/bin/env bash
# A registry change → HAProxy serving it, through the whole platform: one server and one agent with
# `--lb haproxy`; a service published on port 18450 with no containers; endpoints registered and deregistered
# through the registry's REST API, each timed until HAProxy's runtime API shows it in (or out of) service.
#
#   bench/haproxy-push.sh [CHANGES]      default: 1000
#
# Needs haproxy 2.6+ (apt-get install haproxy). Listens on 127.0.0.1:7439 (API) and 127.0.64.1:18450 (HAProxy).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bench/lib/platform.sh"
command -v haproxy >/dev/null || { echo "haproxy-push.sh: haproxy is needed (apt-get install haproxy)" >&2; exit 1; }
changes="${1:-1000}"

bench_setup haproxy-push.sh wharf-cli,bench
bench_start "${PORT:-7439}" 127.0.64.0/24 --lb haproxy --lb-address 127.0.64.1
run -jar "$jar" image push demo:v1 "$root/wharf-demo/target/demo.jar" --server "$url" >/dev/null
cat >"$data/pushweb.yaml" <<YAML
name: pushweb
image: demo:v1
replicas: 0
ports: [{port: 8080, external: 18450}]
YAML
run -jar "$jar" apply -f "$data/pushweb.yaml" --server "$url" >/dev/null
socket="$data/agent/haproxy/stats.sock"
tries=0
until [ -S "$socket" ] && grep -q "backend be_default_pushweb_http_8080" "$data/agent/haproxy/haproxy.cfg" 2>/dev/null; do
  tries=$((tries + 1)); [ "$tries" -gt 150 ] && { echo "HAProxy did not get the route; agent log:" >&2; tail -20 "$data/agent.log" >&2; exit 1; }
  sleep 0.2
done
echo "# machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(haproxy -v | head -1)"
echo "# $changes changes (register, deregister in turn), each from the REST call to HAProxy's runtime API showing it"
run -cp "$bench_jar" io.wharf.bench.HaproxyPushBench "$url" "$WHARF_TOKEN" "$socket" \
  be_default_pushweb_http_8080 default/pushweb "$changes"
