#!/usr/bin/env bash
# Apply -> all endpoints UP, for 1, 10 and 100 replicas, with a lightweight image (busybox httpd) and
# with the demo service (a JVM), on each runtime in turn in one run: processes, then Docker containers.
# Per runtime: the time per container of each step (image ready, create, start, start -> first health
# check passed), the memory each demo replica costs, and for Docker the engine's own processes per
# container (containerd-shim, docker-proxy).
#
#   bench/containers.sh [REPLICAS...]        default: 1 10 100
#   RUNTIMES="process docker" (default)      the runtimes to run, in order; docker-hostnet is the Docker runtime
#                                            with the services on the host's network (network: host)
#   IMAGES="busybox demo" (default)          the images to run, busybox httpd and the demo JVM
#
# Needs Debian's busybox-static; for Docker a running Docker Engine (images are built locally by
# bin/docker-images). One server and one agent on this machine; the containers take IPs from
# 127.0.41.0/24 (process) and 127.0.75.0/24 (docker); for reference, the same busybox containers started by
# `docker run` alone, on 127.0.77.0/24.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bench/lib/platform.sh"
command -v busybox >/dev/null || { echo "containers.sh: busybox is needed (apt-get install busybox-static)" >&2; exit 1; }
sizes=("$@")
[ $# -eq 0 ] && sizes=(1 10 100)
read -r -a runtimes <<<"${RUNTIMES:-process docker}"
read -r -a images <<<"${IMAGES:-busybox demo}"
has_image() { [[ " ${images[*]} " == *" $1 "* ]]; }

bench_setup containers.sh wharf-cli,bench

echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; java $("$java" -version 2>&1 | head -1)"
echo "# one server and one agent on this machine; health checks every 200 ms"
startups=()
for _ in 1 2 3 4 5; do
  start=$(date +%s%N)
  PORT=18099 "$java" -jar "$root/wharf-demo/target/demo.jar" >/dev/null 2>&1 &
  demo=$!
  until (exec 3<>/dev/tcp/127.0.0.1/18099) 2>/dev/null; do sleep 0.005; done
  startups+=($(( ($(date +%s%N) - start) / 1000000 )))
  kill "$demo"; wait "$demo" 2>/dev/null || true
done
echo "demo's own JVM start-up, alone (java -jar demo.jar until it accepts a connection), 5 runs: ${startups[*]} ms"

for rt in "${runtimes[@]}"; do
  net=()
  [ "$rt" = docker-hostnet ] && net=(host)
  bench_runtime "${rt%-hostnet}" "${PORT:-7432}" 127.0.41.0/24 127.0.75.0/24
  echo "## runtime: $rt"
  for n in "${sizes[@]}"; do
    has_image busybox || break
    "$java" -cp "$bench_jar" io.wharf.bench.ApplyToServing "$url" "$WHARF_TOKEN" "bb$n" busybox-httpd:1 "$n" - \
      "${net[@]}"
    bench_steps "$data/agent.log" "bb$n"
  done
  if [ "$rt" != process ] && has_image busybox; then
    # the engine alone, for reference: docker run of the same image with the same options, 8 at a time (as
    # the agent starts them), until every container answers HTTP on its address (127.0.77.x)
    if [ "$rt" = docker-hostnet ]; then
      raw=(--network host wharf-busybox:latest httpd -f -p "127.0.77.{}:8080" -h /app/www)
    else
      raw=(--network wharf -p "127.0.77.{}:8080:8080" wharf-busybox:latest)
    fi
    for n in "${sizes[@]}"; do
      start=$(date +%s%N)
      seq 2 $((n + 1)) | xargs -P 8 -I{} docker run -d --init --label wharf.host=bench-docker \
        --name "bench-raw-{}" "${raw[@]}" >/dev/null
      for i in $(seq 2 $((n + 1))); do
        until curl -fs -o /dev/null "http://127.0.77.$i:8080/"; do sleep 0.005; done
      done
      ms=$(( ($(date +%s%N) - start) / 1000000 ))
      printf "raw docker  busybox   replicas=%-4d docker run -d (8 at a time) -> all answer %.2f s (%d ms per replica)\n" \
        "$n" "$(awk "BEGIN {print $ms / 1000}")" $((ms / n))
      docker ps -aq --filter name=bench-raw- | xargs -r docker rm -f >/dev/null
    done
  fi
  for n in "${sizes[@]}"; do
    has_image demo || break
    "$java" -cp "$bench_jar" io.wharf.bench.ApplyToServing "$url" "$WHARF_TOKEN" "demo$n" demo:v1 "$n" /health rss \
      "${net[@]}"
    bench_steps "$data/agent.log" "demo$n"
  done
  bench_stop
  unset AGENT_NAME
done
