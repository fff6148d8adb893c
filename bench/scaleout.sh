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
. "$root/bench/lib/platform.sh"
command -v busybox >/dev/null || { echo "scaleout.sh: busybox is needed (apt-get install busybox)" >&2; exit 1; }
sizes=("$@")
[ $# -eq 0 ] && sizes=(10 50 100)

bench_setup scaleout.sh wharf-cli,bench
bench_start "${PORT:-7433}" 127.0.44.0/22 --no-lb

mkdir -p "$data/www" && echo ok >"$data/www/index.html"
run -jar "$jar" image push busybox-httpd:1 "$data/www" --cmd 'busybox httpd -f -p $WHARF_IP:$PORT -h .' --server "$url" >/dev/null
run -jar "$jar" image push demo:v1 "$root/wharf-demo/target/demo.jar" --server "$url" >/dev/null

echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; java $("$java" -version 2>&1 | head -1)"
echo "# one server (scan interval 3 s; scans also follow agent reports) and one agent; health checks every 200 ms"
for n in "${sizes[@]}"; do
  "$java" -cp "$bench_jar" io.wharf.bench.ScaleOutBench "$url" "$WHARF_TOKEN" "bb$n" busybox-httpd:1 "$n" 2 -
done
"$java" -cp "$bench_jar" io.wharf.bench.ScaleOutBench "$url" "$WHARF_TOKEN" demo10 demo:v1 10 2 /health
