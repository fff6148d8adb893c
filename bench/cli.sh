#!/usr/bin/env bash
# How long a CLI command takes, end to end through bin/wharf, beside what bounds it: the JVM doing
# nothing (java -version), the CLI doing no call (wharf --version), and curl making the same call.
#
#   bench/cli.sh [RUNS]        default: 21 runs of each; prints the median and the spread
#
# Starts its own server and agent (a 2-replica demo on 127.0.43.0/24). Runs bin/wharf once first, so
# that the measured runs find the JDK remembered and the start-up record made (see bin/wharf).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bench/lib/platform.sh"
runs="${1:-21}"

bench_setup cli.sh wharf-cli
bench_start "${PORT:-7434}" 127.0.43.0/24
export WHARF_SERVER="$url"
run -jar "$jar" image push demo:v1 "$root/wharf-demo/target/demo.jar" >/dev/null
printf 'name: demo\nimage: demo:v1\nreplicas: 2\nports: [{port: 8080}]\nhealth: {path: /health}\n' >"$data/demo.yaml"
run -jar "$jar" apply -f "$data/demo.yaml" >/dev/null
until [ "$("$root/bin/wharf" get endpoints demo 2>/dev/null | grep -c ' UP ')" = 2 ]; do sleep 0.5; done

# median, fastest and slowest of $runs runs of a command, in ms
measure() {
  local label="$1"
  shift
  for _ in $(seq 1 "$runs"); do
    local s e
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1
    e=$(date +%s%N)
    echo $(((e - s) / 1000000))
  done | sort -n | awk -v label="$label" '{a[NR] = $1} END {printf "%-34s median %4d ms   (%d..%d)\n", label, a[int((NR + 1) / 2)], a[1], a[NR]}'
}

echo "# machine: $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); java $("$java" -version 2>&1 | head -1)"
echo "# $runs runs each, one after another"
measure "wharf get endpoints demo" "$root/bin/wharf" get endpoints demo
measure "wharf --version" "$root/bin/wharf" --version
measure "java -version" "$java" -version
measure "curl of the same API call" curl -fs -H "Authorization: Bearer $WHARF_TOKEN" \
  "$url/v1/namespaces/default/services/demo/endpoints"
measure "java -jar wharf.jar get endpoints" "$java" $opts -jar "$jar" get endpoints demo
