#!/usr/bin/env bash
# The price of fairness: the demo's /sale through a fair intake (stamped, logged, ordered by send time,
# dispatched, its result stored and returned) on each backend — the embedded log (synced), Redis Streams
# (this machine's Redis at 6379) and RabbitMQ streams (this machine's RabbitMQ at 5672) — beside the same requests straight through the load balancer; the same
# client (wrk) in one run, rounds interleaved. Then the queue alone: appends confirmed and read per second.
#
#   bench/intake.sh [SECONDS_PER_RUN] [ROUNDS]      default: 10 3
#   env: CONNECTIONS=64, ORDER_KEYS=0, MAX_IN_FLIGHT=64 (the intakes' maxInFlight), REDIS=redis://127.0.0.1:6379,
#        RABBITMQ=amqp://guest:guest@127.0.0.1:5672
#
# ORDER_KEYS=N spreads the requests over N order keys (each key's requests one after another); 0: none, so
# the dispatcher runs up to maxInFlight (64) at once. Needs wrk (apt-get install wrk). Listens on
# 127.0.0.1:7436 (API), 127.0.0.1:18711, :18712 and :18713 (intakes), 127.0.58.1:18710 (load balancer), containers on
# 127.0.58.0/24.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bench/lib/platform.sh"
command -v wrk >/dev/null || { echo "intake.sh: wrk is needed (apt-get install wrk)" >&2; exit 1; }
seconds="${1:-10}"
rounds="${2:-3}"
connections="${CONNECTIONS:-64}"

bench_setup intake.sh wharf-cli,bench
bench_start "${PORT:-7436}" 127.0.58.0/24 --lb-address 127.0.58.1
run -jar "$jar" image push demo:v1 "$root/wharf-demo/target/demo.jar" --server "$url" >/dev/null
cat >"$data/shop.yaml" <<YAML
name: shop
image: demo:v1
replicas: 2
ports: [{port: 8080, external: 18710}]
health: {path: /health}
env: {DEMO_STOCK: "1000000000"}
intake: {port: 18711, skew: 250ms, maxInFlight: ${MAX_IN_FLIGHT:-64}, timeout: 30s}
---
name: shopr
image: demo:v1
replicas: 2
ports: [{port: 8080}]
health: {path: /health}
env: {DEMO_STOCK: "1000000000"}
intake: {port: 18712, backend: "${REDIS:-redis://127.0.0.1:6379}", skew: 250ms, maxInFlight: ${MAX_IN_FLIGHT:-64}, timeout: 30s}
---
name: shopq
image: demo:v1
replicas: 2
ports: [{port: 8080}]
health: {path: /health}
env: {DEMO_STOCK: "1000000000"}
intake: {port: 18713, backend: "${RABBITMQ:-amqp://guest:guest@127.0.0.1:5672}", skew: 250ms, maxInFlight: ${MAX_IN_FLIGHT:-64}, timeout: 30s}
YAML
run -jar "$jar" apply -f "$data/shop.yaml" --server "$url" >/dev/null
tries=0
until [ "$(run -jar "$jar" get endpoints shop --server "$url" | grep -c ' UP ' || true)" -ge 2 ] \
  && [ "$(run -jar "$jar" get endpoints shopr --server "$url" | grep -c ' UP ' || true)" -ge 2 ] \
  && [ "$(run -jar "$jar" get endpoints shopq --server "$url" | grep -c ' UP ' || true)" -ge 2 ]; do
  tries=$((tries + 1)); [ "$tries" -gt 120 ] && { echo "shop: not serving" >&2; exit 1; }; sleep 0.5
done

echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg); java $("$java" -version 2>&1 | head -1)"
echo "# wrk -t2 -c$connections -d${seconds}s POST /sale (ORDER_KEYS=${ORDER_KEYS:-0}, maxInFlight ${MAX_IN_FLIGHT:-64}); each shop: 2 demo containers"
printf '%-8s %-12s %12s %8s %10s %10s\n' round target "requests/s" errors "p50 ms" "p99 ms"
# p50 and p99 of each stage the intake's answers name in Server-Timing (order, dispatch, service, result; ms)
stages_of() { # PREFIX
  cat "$1".* 2>/dev/null | tr ',' '\n' | awk -F';dur=' 'NF == 2 { gsub(/ /, "", $1); print $1, $2 }' | sort -k1,1 -k2,2n |
    awk '{ v[$1, ++n[$1]] = $2 } END {
      split("order dispatch service result", names, " ")
      for (i = 1; i <= 4; i++) { s = names[i]; if (!n[s]) continue
        printf "%s p50 %.1f p99 %.1f; ", s, v[s, int((n[s] + 1) / 2)], v[s, int(n[s] * 0.99 + 0.5) ? int(n[s] * 0.99 + 0.5) : 1] } }'
}
one() {
  local name="$1" target="$2" out stages=""
  [ "$name" != direct ] && stages="$data/stages-$name-$round" && rm -f "$stages".*
  out="$(ORDER_KEYS="${ORDER_KEYS:-0}" STAGES="$stages" wrk -t2 -c"$connections" -d"${seconds}s" -s "$root/bench/wrk/sale.lua" "$target" | grep '^RESULT')"
  local requests secs errors non2xx p50 p99
  requests="$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$out")"
  secs="$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<<"$out")"
  errors="$(sed -E 's/.*errors=([0-9]+).*/\1/' <<<"$out")"
  non2xx="$(sed -E 's/.*non2xx=([0-9]+).*/\1/' <<<"$out")"
  p50="$(sed -E 's/.*p50=([0-9]+).*/\1/' <<<"$out")"
  p99="$(sed -E 's/.*p99=([0-9]+).*/\1/' <<<"$out")"
  printf '%-8s %-12s %12.0f %8d %10.1f %10.1f\n' "$round" "$name" "$(echo "$requests / $secs" | bc -l)" \
    "$((errors + non2xx))" "$(echo "$p50 / 1000" | bc -l)" "$(echo "$p99 / 1000" | bc -l)"
  [ -n "$stages" ] && echo "         stages (Server-Timing, ms): $(stages_of "$stages")"
  return 0
}
# warm-up, not counted
round=warmup
one embedded http://127.0.0.1:18711 >/dev/null
one redis http://127.0.0.1:18712 >/dev/null
one rabbitmq http://127.0.0.1:18713 >/dev/null
one direct http://127.0.58.1:18710 >/dev/null
for round in $(seq 1 "$rounds"); do
  one embedded http://127.0.0.1:18711
  one redis http://127.0.0.1:18712
  one rabbitmq http://127.0.0.1:18713
  one direct http://127.0.58.1:18710
done
run -jar "$jar" describe intake shop --server "$url"
run -jar "$jar" describe intake shopr --server "$url"
run -jar "$jar" describe intake shopq --server "$url"
echo "# the queue alone: 4 writers (200-byte records, 256 unconfirmed each), one reader of all partitions"
run -cp "$bench_jar" io.wharf.bench.IntakeLogBench "$seconds" embedded "${REDIS:-redis://127.0.0.1:6379}" \
  "${RABBITMQ:-amqp://guest:guest@127.0.0.1:5672}" 2>/dev/null
