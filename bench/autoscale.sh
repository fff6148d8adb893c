#!/usr/bin/env bash
# The autoscaler: a step from idle to twice the load two containers should take, for a lightweight image
# (busybox httpd, scaled on requests per second) and the demo (a JVM, scaled on CPU); the time from the first
# report over the target to the decision and to each new container running, registered and answering through
# the load balancer. Then, for the demo, the scale-in back to 2 under a steady load of at least 50,000 requests,
# every failed request counted.
#
#   bench/autoscale.sh [bb] [demo]        default: both
#
# Needs busybox (Debian: apt-get install busybox). One server and one agent (with its load balancer) on this
# machine; containers take IPs from 127.0.48.0/24.
set -euo pipefail
parts="${*:-bb demo}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bench/lib/platform.sh"
command -v busybox >/dev/null || { echo "autoscale.sh: busybox is needed (apt-get install busybox)" >&2; exit 1; }

bench_setup autoscale.sh wharf-cli,bench
bench_start "${PORT:-7434}" 127.0.48.0/24 --lb-address 127.0.48.1
lb=127.0.48.1

mkdir -p "$data/www" && echo ok >"$data/www/health"
# each container writes its own id, so that the load can tell which one answered
run -jar "$jar" image push busybox-httpd:1 "$data/www" --server "$url" \
  --cmd 'sh -c "echo \$WHARF_CONTAINER > id; exec busybox httpd -f -p \$WHARF_IP:\$PORT -h ."' >/dev/null
run -jar "$jar" image push demo:v1 "$root/wharf-demo/target/demo.jar" --server "$url" >/dev/null

cat >"$data/bb.yaml" <<YAML
name: bb
image: busybox-httpd:1
replicas: 2
ports: [{port: 8080, external: 18200}]
health: {path: /health, interval: 200ms}
autoscale: {min: 2, max: 8, requestsPerSecond: 50, scaleIn: {after: 5s}}
YAML
cat >"$data/demo.yaml" <<YAML
name: demo
image: demo:v1
replicas: 2
ports: [{port: 8080, external: 18201}]
health: {path: /health, interval: 200ms}
resources: {cpu: 0.2}
autoscale: {min: 2, max: 8, cpu: 50%, scaleIn: {after: 5s}}
YAML

serving() {
  local n=0 tries=0
  until [ "$n" -ge "$2" ]; do
    n="$(run -jar "$jar" get endpoints "$1" --server "$url" | grep -c ' UP ' || true)"
    tries=$((tries + 1))
    [ "$tries" -gt 120 ] && { echo "$1: not serving" >&2; exit 1; }
    sleep 0.5
  done
}

echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; java $("$java" -version 2>&1 | head -1)"
echo "# one server and one agent with its load balancer; health checks every 200 ms; agents report every 0.5 s"
echo "# and within 20 ms of a change; the autoscaler evaluates every second and within 0.4-1 s of reports"
if [[ " $parts " == *" bb "* ]]; then
  run -jar "$jar" apply -f "$data/bb.yaml" --server "$url" >/dev/null
  serving bb 2
  sleep 5 # idle
  # 200 requests/s against 50 per container: twice what 2 containers take
  "$java" -cp "$bench_jar" io.wharf.bench.AutoscaleBench "$url" "$WHARF_TOKEN" "$data/server.log" bb \
    "http://$lb:18200/id" 200 - 0 0
fi
[[ " $parts " == *" demo "* ]] || exit 0

run -jar "$jar" apply -f "$data/demo.yaml" --server "$url" >/dev/null
serving demo 2
sleep 5
# 40 requests/s of 10 ms of CPU: 0.4 cores, twice 50 % of 0.2 core for each of 2 containers; then 400 cheap
# requests/s (GET /) while the autoscaler takes the service back to 2, until at least 50,000 were sent
"$java" -cp "$bench_jar" io.wharf.bench.AutoscaleBench "$url" "$WHARF_TOKEN" "$data/server.log" demo \
  "http://$lb:18201/work?cpuMs=10" 40 "http://$lb:18201/" 400 50000
