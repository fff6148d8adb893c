#!/usr/bin/env bash
# Wharf's registry beside etcd 3.4 (Debian's etcd-server, the store under Kubernetes' registry), the same wrk load
# over HTTP on both (etcd through its JSON gateway), rounds interleaved:
#   writes   Wharf: registering again endpoints among 10,000 (own lease each), each time with a new version
#            etcd:  put of random keys among 10,000, without a lease and with one
#   reads    Wharf: a random service's endpoints (100 each); etcd: a random 100-key prefix
#   watch    a change to one service / key seen by all of 1,000 watchers (200 changes, 20 ms apart)
#
#   bench/vs-etcd.sh [ROUNDS]            default 2
#   STRESS=1 bench/vs-etcd.sh            the same with `stress --cpu 2` running beside both
#
# Every step: wrk -t2 -c64 for SECONDS_PER_STEP (20) after 5 s of warm-up, on the same 2 cores as the servers.
# Wharf runs as `wharf server` with its defaults (the embedded store fsyncs each write; registrations of known
# services do not write to it); etcd with its defaults (every put fsynced to its WAL). Needs wrk and etcd.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/jdk.sh"
JAVA_HOME="$(wharf_find_jdk 21)"; export JAVA_HOME
java="$JAVA_HOME/bin/java"
for tool in wrk etcd; do
  command -v "$tool" >/dev/null || { echo "vs-etcd.sh: $tool is needed (apt-get install wrk etcd-server)" >&2; exit 1; }
done
rounds="${1:-2}"
seconds="${SECONDS_PER_STEP:-20}"
wharf_port="${WHARF_PORT:-7433}"
etcd_port="${ETCD_PORT:-23790}"
wharf="http://127.0.0.1:$wharf_port"
etcd="http://127.0.0.1:$etcd_port"

(cd "$root" && mvn -q -B -DskipTests -Dspotless.check.skip=true -pl wharf-cli,bench -am package)
jar="$root/wharf-cli/target/wharf.jar"
bench_jar="$root/bench/target/wharf-bench.jar"

work="$(mktemp -d)"
pids=""
cleanup() { kill $pids 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

"$java" -Xmx2g -Xms2g -jar "$jar" server --port "$wharf_port" --data "$work/wharf" >"$work/wharf.log" 2>&1 &
pids="$pids $!"
etcd --name bench --data-dir "$work/etcd" --listen-client-urls "$etcd" --advertise-client-urls "$etcd" \
  --listen-peer-urls "http://127.0.0.1:$((etcd_port + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((etcd_port + 1))" \
  --initial-cluster "bench=http://127.0.0.1:$((etcd_port + 1))" >"$work/etcd.log" 2>&1 &
pids="$pids $!"
for _ in $(seq 1 150); do
  curl -fs "$wharf/v1/health" >/dev/null 2>&1 && curl -fs "$etcd/health" >/dev/null 2>&1 && break
  sleep 0.2
done
token="$(cat "$work/wharf/admin.token")"

void_if_refused() {
  if grep -q "Non-2xx" "$1"; then echo "vs-etcd.sh: requests refused ($(grep Non-2xx "$1")) in $2; void" >&2; exit 1; fi
}
figure() { awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {printf "%.0f/s p50 %s p99 %s", rps, p50, p99}' "$1"; }
step() { # step NAME URL SCRIPT ENV...: warm-up, then the measured run
  local name="$1" url="$2" script="$3"; shift 3
  env "$@" wrk -t2 -c64 -d5s -s "$script" "$url" >/dev/null
  env "$@" wrk -t2 -c64 -d"${seconds}s" --latency -s "$script" "$url" >"$work/step.txt"
  void_if_refused "$work/step.txt" "$name"
  echo "round $round  $(printf '%-34s' "$name") $(figure "$work/step.txt")" | tee -a "$work/summary.txt"
}

# 10,000 endpoints over 100 services on Wharf; 10,000 keys under 100 prefixes on etcd
WHARF_TOKEN="$token" SERVICES=100 THREADS=2 wrk -t2 -c64 -d600s -s "$root/bench/wrk/register.lua" "$wharf" >/dev/null 2>&1 &
loader=$!
until [ "$(curl -fs "$wharf/metrics" | awk '/^wharf_registry_endpoints\{state="UP"\}/ {printf "%d", $2}')" -ge 10000 ]; do sleep 0.2; done
kill -INT "$loader"; wait "$loader" || true
etcd_keys() {
  curl -fs -X POST -d "{\"key\":\"$(printf /svc/ | base64)\",\"range_end\":\"$(printf /svd | base64)\",\"count_only\":true}" \
    "$etcd/v3/kv/range" | sed -n 's/.*"count":"\([0-9]*\)".*/\1/p'
}
MODE=load KEYS=10000 wrk -t1 -c8 -d600s -s "$root/bench/wrk/etcd.lua" "$etcd" >/dev/null 2>&1 &
loader=$!
until [ "$(etcd_keys)" = 10000 ]; do sleep 0.2; done
kill -INT "$loader"; wait "$loader" || true
lease="$(curl -fs -X POST -d '{"TTL":3600}' "$etcd/v3/lease/grant" | sed -n 's/.*"ID":"\([0-9]*\)".*/\1/p')"

stress_pid=""
if [ "${STRESS:-0}" = 1 ]; then
  command -v stress >/dev/null || { echo "vs-etcd.sh: stress is needed (apt-get install stress)" >&2; exit 1; }
  stress --cpu 2 >/dev/null 2>&1 &
  stress_pid=$!; pids="$pids $stress_pid"
fi
echo "# machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(etcd --version | head -1); java $("$java" -version 2>&1 | head -1)"
echo "# wrk -t2 -c64, ${seconds}s per step after 5 s of warm-up${stress_pid:+; stress --cpu 2 running beside}"
for round in $(seq 1 "$rounds"); do
  # each request a change (a new version), as each etcd put is a new revision: an unchanged registration only
  # renews its lease
  step "Wharf: register (own lease), each a change" "$wharf" "$root/bench/wrk/reregister.lua" WHARF_TOKEN="$token" \
    SERVICES=100 TOTAL=10000 CHANGE=1 THREADS=2
  step "etcd: put" "$etcd" "$root/bench/wrk/etcd.lua" MODE=put KEYS=10000
  step "etcd: put with a lease" "$etcd" "$root/bench/wrk/etcd.lua" MODE=put KEYS=10000 LEASE="$lease"
  step "Wharf: read a service (100 endpoints)" "$wharf" "$root/bench/wrk/discover.lua" WHARF_TOKEN="$token" SERVICES=100
  step "etcd: read a 100-key prefix" "$etcd" "$root/bench/wrk/etcd.lua" MODE=range KEYS=10000
  w="$("$java" -cp "$bench_jar" io.wharf.bench.WatchLatency "$wharf" "$token" 1000 200 20 | awk '/all watchers notified/ {print $6, $8}')"
  echo "round $round  $(printf '%-34s' "Wharf: change -> 1,000 watchers") $w" | tee -a "$work/summary.txt"
  e="$("$java" -cp "$bench_jar" io.wharf.bench.EtcdWatchLatency "$etcd" 1000 200 20 | awk '/all watchers notified/ {print $6, $8}')"
  echo "round $round  $(printf '%-34s' "etcd: change -> 1,000 watchers") $e" | tee -a "$work/summary.txt"
done
echo
echo "## summary"
cat "$work/summary.txt"
