#!/usr/bin/env bash
# Batch scale-out: one task over a group of 10, 50 and 100 services with 2 replicas each (busybox httpd,
# so that the platform's own cost is what is measured), and 10 services of the demo (a JVM); on each
# runtime in turn in one run: processes, then Docker containers.
#
#   bench/scaleout.sh [SERVICES...]        default: 10 50 100
#   RUNTIMES="process docker" (default)    the runtimes to run, in order
#
# Needs Debian's busybox-static; for Docker a running Docker Engine (images are built locally by
# bin/docker-images). One server (scan interval 3 s, the default) and one agent on this machine;
# containers take IPs from 127.0.44.0/22 (process) and 127.0.84.0/22 (docker).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bench/lib/platform.sh"
command -v busybox >/dev/null || { echo "scaleout.sh: busybox is needed (apt-get install busybox-static)" >&2; exit 1; }
sizes=("$@")
[ $# -eq 0 ] && sizes=(10 50 100)
read -r -a runtimes <<<"${RUNTIMES:-process docker}"

bench_setup scaleout.sh wharf-cli,bench
echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; java $("$java" -version 2>&1 | head -1)"
echo "# one server (scan interval 3 s; scans also follow agent reports) and one agent; health checks every 200 ms"
for rt in "${runtimes[@]}"; do
  bench_runtime "$rt" "${PORT:-7433}" 127.0.44.0/22 127.0.84.0/22 --no-lb
  echo "## runtime: $rt"
  for n in "${sizes[@]}"; do
    "$java" -cp "$bench_jar" io.wharf.bench.ScaleOutBench "$url" "$WHARF_TOKEN" "bb$n" busybox-httpd:1 "$n" 2 -
  done
  "$java" -cp "$bench_jar" io.wharf.bench.ScaleOutBench "$url" "$WHARF_TOKEN" demo10 demo:v1 10 2 /health
  bench_stop
  unset AGENT_NAME
done
