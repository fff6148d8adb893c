#!/usr/bin/env bash
# What one SDK pick costs, by rule and number of instances (JMH, io.wharf.bench.PickBench).
#
#   bench/pick.sh [JMH-OPTIONS...]      e.g. bench/pick.sh -p instances=10
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bench/lib/platform.sh"
bench_setup pick.sh bench
echo "# machine: $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); java $("$java" -version 2>&1 | head -1)"
# shellcheck disable=SC2086
"$java" $opts -cp "$bench_jar" org.openjdk.jmh.Main PickBench "$@"
