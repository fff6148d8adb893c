#!/usr/bin/env bash
# Wharf's built-in load balancer beside HAProxy 2.6 configured by hand, HAProxy configured and driven by Wharf
# (the engine of --lb haproxy), and no proxy at all: the same two nginx endpoints, the same client (wrk), in
# one run, interleaved round by round.
#
#   bench/lb.sh [SECONDS_PER_RUN] [ROUNDS]      default: 10 3   (env: CONNECTIONS=50, WARMUP=15)
#
# Each target is warmed up first: WARMUP seconds keep-alive, 5 s with a new connection per request, 5 s
# keep-alive again.
#
# Needs nginx, haproxy and wrk (Debian: apt-get install nginx-light haproxy wrk). Everything listens on
# 127.0.41.x: nginx on .10 and .11 port 8080, Wharf on .1:18400, HAProxy on .2:18400, Wharf's HAProxy on
# .3:18400. Every proxy gets one thread, round robin, keep-alive to the endpoints, and adds X-Forwarded-For.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/jdk.sh"
JAVA_HOME="$(wharf_find_jdk 21)"; export JAVA_HOME
java="$JAVA_HOME/bin/java"
for tool in nginx haproxy wrk; do
  command -v "$tool" >/dev/null || { echo "lb.sh: $tool is needed (apt-get install nginx-light haproxy wrk)" >&2; exit 1; }
done
seconds="${1:-10}"
rounds="${2:-3}"
connections="${CONNECTIONS:-50}"
warmup="${WARMUP:-15}"

(cd "$root" && mvn -q -B -DskipTests -Dspotless.check.skip=true -pl bench -am package)
bench_jar="$root/bench/target/wharf-bench.jar"

tmp="$(mktemp -d)"
lb=""
lbh=""
cleanup() {
  [ -n "$lb" ] && kill "$lb" 2>/dev/null || true
  [ -n "$lbh" ] && kill "$lbh" 2>/dev/null || true
  sleep 1
  [ -f "$tmp/wharf-haproxy/haproxy.pid" ] && kill "$(cat "$tmp/wharf-haproxy/haproxy.pid")" 2>/dev/null || true
  [ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null || true
  [ -f "$tmp/haproxy.pid" ] && kill "$(cat "$tmp/haproxy.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

mkdir -p "$tmp/logs"
cat >"$tmp/nginx.conf" <<CONF
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/logs/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  keepalive_timeout 300s;
  server {
    listen 127.0.41.10:8080;
    listen 127.0.41.11:8080;
    location / { return 200 "hello from nginx\n"; }
  }
}
CONF
nginx -p "$tmp" -c "$tmp/nginx.conf"

cat >"$tmp/haproxy.cfg" <<CONF
global
  nbthread 1
  maxconn 4096
defaults
  mode http
  option http-keep-alive
  option forwardfor
  timeout connect 1s
  timeout client 60s
  timeout server 30s
frontend wharf_bench
  bind 127.0.41.2:18400
  default_backend endpoints
backend endpoints
  balance roundrobin
  http-reuse always
  server a 127.0.41.10:8080
  server b 127.0.41.11:8080
CONF
haproxy -f "$tmp/haproxy.cfg" -D -p "$tmp/haproxy.pid"

# shellcheck disable=SC2046
"$java" $(wharf_runtime_opts "$java") -Xms256m -Xmx512m -cp "$bench_jar" io.wharf.bench.LbServe 127.0.41.1:18400 1 127.0.41.10:8080 127.0.41.11:8080 \
  >"$tmp/logs/lb.log" 2>&1 &
lb=$!
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.41.1/18400) 2>/dev/null && break; sleep 0.1; done
# HAProxy configured and driven by Wharf (its engine for --lb haproxy)
# shellcheck disable=SC2046
"$java" $(wharf_runtime_opts "$java") -Xms128m -Xmx256m -Dwharf.bench.engine=haproxy -Dwharf.bench.dir="$tmp/wharf-haproxy" \
  -cp "$bench_jar" io.wharf.bench.LbServe 127.0.41.3:18400 1 127.0.41.10:8080 127.0.41.11:8080 >"$tmp/logs/lb-haproxy.log" 2>&1 &
lbh=$!
for _ in $(seq 1 300); do (exec 3<>/dev/tcp/127.0.41.3/18400) 2>/dev/null && break; sleep 0.1; done

declare -A targets=([direct]="http://127.0.41.10:8080/" [wharf]="http://127.0.41.1:18400/" [haproxy]="http://127.0.41.2:18400/"
  [wharf-hap]="http://127.0.41.3:18400/")
order=(direct wharf haproxy wharf-hap)

run() { # name mode seconds -> RESULT line
  local extra=()
  [ "$2" = close ] && extra=(-H "Connection: close")
  wrk -t1 -c"$connections" -d"$3"s "${extra[@]}" -s "$root/bench/wrk/percentiles.lua" "${targets[$1]}" | grep '^RESULT'
}

echo "# machine: $(nproc) cores; $(nginx -v 2>&1); $(haproxy -v | head -1); java $("$java" -version 2>&1 | head -1)"
echo "# wrk -t1 -c$connections, ${seconds}s per run, $rounds rounds interleaved, after $((warmup + 10))s of warm-up each; latencies in microseconds"
# warm-up (the JIT, connection pools): keep-alive, then new connections (whose opening and closing code paths
# would otherwise be compiled during the first measured round), then keep-alive again
for name in "${order[@]}"; do
  run "$name" keepalive "$warmup" >/dev/null
  run "$name" close 5 >/dev/null
  run "$name" keepalive 5 >/dev/null
done

for mode in keepalive close; do
  for round in $(seq 1 "$rounds"); do
    for name in "${order[@]}"; do
      line="$(run "$name" "$mode" "$seconds")"
      echo "$mode round=$round target=$name ${line#RESULT }"
    done
  done
done | tee "$tmp/results.txt"

echo
echo "# median of the rounds, and Wharf relative to HAProxy"
awk '
  { mode=$1; split($3, t, "="); name=t[2];
    for (i = 4; i <= NF; i++) { split($i, kv, "="); v[mode, name, kv[1], ++n[mode, name, kv[1]]] = kv[2] } }
  function median(mode, name, key,   k, a, m, i, j, x) {
    m = n[mode, name, key]; for (i = 1; i <= m; i++) a[i] = v[mode, name, key, i]
    for (i = 2; i <= m; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
    return a[int((m + 1) / 2)]
  }
  END {
    split("keepalive close", modes, " "); split("direct wharf haproxy wharf-hap", names, " ")
    for (mi = 1; mi <= 2; mi++) {
      mode = modes[mi]
      printf "%-9s %-8s %10s %8s %8s %8s %7s\n", mode, "target", "req/s", "p50", "p99", "p99.9", "errors"
      for (ni = 1; ni <= 4; ni++) {
        name = names[ni]
        rps[name] = median(mode, name, "requests") / median(mode, name, "seconds")
        p99[name] = median(mode, name, "p99")
        printf "%-9s %-8s %10.0f %8d %8d %8d %7d\n", mode, name, rps[name], median(mode, name, "p50"), p99[name],
          median(mode, name, "p999"), median(mode, name, "errors") + median(mode, name, "non2xx")
      }
      printf "%-9s wharf/haproxy req/s = %.2f; wharf p99 - haproxy p99 = %+d us\n", mode, rps["wharf"] / rps["haproxy"],
        p99["wharf"] - p99["haproxy"]
      printf "%-9s wharf-hap/haproxy req/s = %.2f; wharf-hap p99 - haproxy p99 = %+d us\n\n", mode,
        rps["wharf-hap"] / rps["haproxy"], p99["wharf-hap"] - p99["haproxy"]
    }
  }' "$tmp/results.txt"
