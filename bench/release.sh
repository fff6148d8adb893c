#!/usr/bin/env bash
# A release of a 4-replica demo service under an open-loop load through the built-in load balancer, four
# ways in one run: (a) naive restart, (b) deregister + fixed 20 s wait + replace, (c) Wharf's release with
# the acknowledged drain and (d) the same with the load balancer's 5 s slow start for new endpoints, their
# releases alternating until the load has sent MIN_REQUESTS in each.
#
#   bench/release.sh [RATE] [MIN_REQUESTS]       default: 1000 requests/s, 100000
#
# One server and one agent on this machine; containers take IPs from 127.0.45.0/24, the load balancer
# listens on 127.0.46.1:18199. KEEP_DATA=1 keeps the server's and agent's logs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bench/lib/platform.sh"
rate="${1:-1000}"
min="${2:-100000}"

bench_setup release.sh wharf-cli,wharf-demo,bench
demo="$root/wharf-demo/target/demo.jar"
bench_start "${PORT:-7434}" 127.0.45.0/24 --lb-address 127.0.46.1

run -jar "$jar" image push demo:v1 "$demo" --server "$url" >/dev/null
run -jar "$jar" image push demo:v2 "$demo" --server "$url" >/dev/null
cat >"$data/rel.yaml" <<'YAML'
name: rel
image: demo:v1
replicas: 4
ports: [{port: 8080, external: 18199}]
health: {path: /health, interval: 300ms}
YAML
run -jar "$jar" apply -f "$data/rel.yaml" --server "$url" >/dev/null

echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; java $("$java" -version 2>&1 | head -1)"
echo "# 4 demo endpoints (v1 and v2: the same jar), health checks every 300 ms; load $rate requests/s, keep-alive"
"$java" -cp "$bench_jar" io.wharf.bench.ReleaseBench "$url" "$WHARF_TOKEN" rel "http://127.0.46.1:18199/" \
  "$rate" "$min" "$demo" "$java"
