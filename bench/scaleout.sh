#!/usr/bin/env bash
# Batch scale-out: one task over a group of 10, 50 and 100 services with 2 replicas each (busybox httpd,
# so that the platform's own cost is what is measured), and 10 services of the demo (a JVM).
#
#   bench/scaleout.sh [SERVICES...]        default: 10 50 100
#
# Needs busybox (Debian: apt-get install busybox). One server (scan interval 3 s, the default) and one
# agent on this machine; containers take IPs from 127.0.44.0/22.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/jdk.sh"
JAVA_HOME="$(wharf_find_jdk 21)"; export JAVA_HOME
java="$JAVA_HOME/bin/java"
command -v busybox >/dev/null || { echo "scaleout.sh: busybox is needed (apt-get install busybox)" >&2; exit 1; }
sizes=("$@")
[ $# -eq 0 ] && sizes=(10 50 100)
port="${PORT:-7433}"
url="http://127.0.0.1:$port"

(cd "$root" && mvn -q -B -DskipTests -Dspotless.check.skip=true -pl wharf-cli,bench -am package)
jar="$root/wharf-cli/target/wharf.jar"
bench_jar="$root/bench/target/wharf-bench.jar"
opts="$(wharf_runtime_opts "$java")"
# shellcheck disable=SC2086
run() { "$java" $opts "$@"; }

data="$(mktemp -d)"
# started directly, not through run(), so that $! is the JVM itself and cleanup stops it
# shellcheck disable=SC2086
"$java" $opts -jar "$jar" server --port "$port" --data "$data/server" >"$data/server.log" 2>&1 &
server=$!
agent=""
cleanup() {
  kill $agent "$server" 2>/dev/null || true
  wait 2>/dev/null || true
  for pidfile in "$data"/agent/containers/*/pid; do [ -f "$pidfile" ] && kill -9 "$(cut -d' ' -f1 "$pidfile")" 2>/dev/null || true; done
  rm -rf "$data"
}
trap cleanup EXIT
for _ in $(seq 1 100); do curl -fs "$url/v1/health" >/dev/null 2>&1 && break; sleep 0.2; done
export WHARF_TOKEN="$(cat "$data/server/admin.token")"
join="$(run -jar "$jar" token create --join --server "$url")"
# shellcheck disable=SC2086
"$java" $opts -jar "$jar" agent --server "$url" --join-token "$join" --name bench --ip-pool 127.0.44.0/22 --no-lb \
  --data "$data/agent" >"$data/agent.log" 2>&1 &
agent=$!

mkdir -p "$data/www" && echo ok >"$data/www/index.html"
run -jar "$jar" image push busybox-httpd:1 "$data/www" --cmd 'busybox httpd -f -p $WHARF_IP:$PORT -h .' --server "$url" >/dev/null
run -jar "$jar" image push demo:v1 "$root/wharf-demo/target/demo.jar" --server "$url" >/dev/null

echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; java $("$java" -version 2>&1 | head -1)"
echo "# one server (scan interval 3 s; scans also follow agent reports) and one agent; health checks every 200 ms"
for n in "${sizes[@]}"; do
  "$java" -cp "$bench_jar" io.wharf.bench.ScaleOutBench "$url" "$WHARF_TOKEN" "bb$n" busybox-httpd:1 "$n" 2 -
done
"$java" -cp "$bench_jar" io.wharf.bench.ScaleOutBench "$url" "$WHARF_TOKEN" demo10 demo:v1 10 2 /health
