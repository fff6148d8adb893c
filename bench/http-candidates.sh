#!/usr/bin/env bash
# Candidate HTTP servers side by side, in front of the same registry work: endpoint registrations (PUT on a lease of
# its own), discovery (GET of a service's endpoints as cached bytes) and a change pushed to 1,000 event streams.
# Each candidate runs io.wharf.bench.http.HttpCandidates (javalin | jetty | helidon | reactor-netty) with ENDPOINTS
# endpoints over SERVICES services registered in process; "wharf" is the real `wharf server` (the whole API:
# token lookup, ownership checks, every route), loaded over HTTP. Rounds are interleaved.
#
#   bench/http-candidates.sh [ROUNDS [ENDPOINTS [SERVICES]]]      defaults: 2 100000 10000
#   CANDIDATES="jetty helidon" bench/http-candidates.sh            a subset
#
# Every step runs wrk -t2 -c64 for SECONDS (default 20) after a 10 s warm-up, on the same 2 cores as the server;
# the watch step opens 1,000 streams on one service and makes 200 changes 20 ms apart. Needs wrk.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/jdk.sh"
JAVA_HOME="$(wharf_find_jdk 21)"; export JAVA_HOME
java="$JAVA_HOME/bin/java"
command -v wrk >/dev/null || { echo "http-candidates.sh: wrk is needed (apt-get install wrk)" >&2; exit 1; }

rounds="${1:-2}"
endpoints="${2:-100000}"
services="${3:-10000}"
seconds="${SECONDS_PER_STEP:-20}"
candidates="${CANDIDATES:-wharf javalin jetty helidon reactor-netty}"
port="${PORT:-7432}"
url="http://127.0.0.1:$port"
heap="${HEAP:--Xmx2g -Xms2g}"

(cd "$root" && mvn -q -B -DskipTests -Dspotless.check.skip=true -pl wharf-cli,bench -am package)
jar="$root/wharf-cli/target/wharf.jar"
bench_jar="$root/bench/target/wharf-bench.jar"

work="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

void_if_refused() {
  if grep -q "Non-2xx" "$1"; then
    echo "http-candidates.sh: requests refused in $1 ($(grep Non-2xx "$1")); the figures are void" >&2
    exit 1
  fi
}
figure() { # requests/s and p50/p99 from a wrk --latency report
  awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {printf "%.0f/s p50 %s p99 %s", rps, p50, p99}' "$1"
}

start() { # start CANDIDATE: the server listening on $port with $endpoints endpoints
  local name="$1"
  if [ "$name" = wharf ]; then
    rm -rf "$work/data"
    # shellcheck disable=SC2086
    "$java" $heap -jar "$jar" server --port "$port" --data "$work/data" --store-sync=os >"$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 150); do curl -fs "$url/v1/health" >/dev/null 2>&1 && break; sleep 0.2; done
    token="$(cat "$work/data/admin.token")"
    WHARF_TOKEN="$token" SERVICES="$services" THREADS=2 \
      wrk -t2 -c64 -d3600s -s "$root/bench/wrk/register.lua" "$url" >"$work/load.txt" 2>&1 &
    local loader=$!
    up() { curl -fs "$url/metrics" | awk '/^wharf_registry_endpoints\{state="UP"\}/ {printf "%d", $2}'; }
    while [ "$(up)" -lt "$endpoints" ]; do sleep 0.2; done
    kill -INT "$loader"; wait "$loader" || true
  else
    token="bench-$RANDOM$RANDOM"
    # shellcheck disable=SC2086
    "$java" $heap -cp "$bench_jar" io.wharf.bench.http.HttpCandidates "$name" "$port" "$token" "$endpoints" "$services" \
      >"$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 600); do grep -q '^ready' "$work/server.log" && break; sleep 0.2; done
    grep -q '^ready' "$work/server.log" || { cat "$work/server.log"; exit 1; }
  fi
}

stop() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=""; }

echo "# machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); java $("$java" -version 2>&1 | head -1)"
echo "# $endpoints endpoints over $services services; wrk -t2 -c64, ${seconds}s per step after 10 s of warm-up; server $heap"
summary="$work/summary.txt"
for round in $(seq 1 "$rounds"); do
  for name in $candidates; do
    start "$name"
    env=(WHARF_TOKEN="$token" SERVICES="$services" TOTAL="$endpoints" THREADS=2 CHANGE=1)
    env "${env[@]}" wrk -t2 -c64 -d10s -s "$root/bench/wrk/reregister.lua" "$url" >/dev/null
    env "${env[@]}" PASS=1 wrk -t2 -c64 -d"${seconds}s" --latency -s "$root/bench/wrk/reregister.lua" "$url" >"$work/reg.txt"
    void_if_refused "$work/reg.txt"
    env "${env[@]}" wrk -t2 -c64 -d10s -s "$root/bench/wrk/discover.lua" "$url" >/dev/null
    env "${env[@]}" wrk -t2 -c64 -d"${seconds}s" --latency -s "$root/bench/wrk/discover.lua" "$url" >"$work/disc.txt"
    void_if_refused "$work/disc.txt"
    "$java" -cp "$bench_jar" io.wharf.bench.WatchLatency "$url" "$token" 1000 200 20 >"$work/watch.txt" 2>&1 \
      || { cat "$work/watch.txt"; exit 1; }
    watch="$(awk '/all watchers notified/ {print $6, $7, $8}' "$work/watch.txt")"
    rss="$(awk '/VmRSS/ {printf "%d MiB", $2/1024}' "/proc/$server/status")"
    line="round $round  $(printf '%-14s' "$name") registrations $(figure "$work/reg.txt") | discovery $(figure "$work/disc.txt") | 1,000 watchers all notified: $watch | RSS $rss"
    echo "$line"; echo "$line" >>"$summary"
    stop
  done
done
echo
echo "## summary"
cat "$summary"
