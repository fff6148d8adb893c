#!/usr/bin/env bash
# The Java SDK: change -> every SDK view updated, with VIEWS SDK instances (each its own native registry
# interface, an acknowledging watcher) following one service in one process.
#
#   bench/sdk.sh [VIEWS [CHANGES [GAP_MS]]]      defaults: 1000 500 20
#
# One server on 127.0.0.1 (bench/lib/platform.sh); the views and the changes are made by io.wharf.bench.SdkViews.
set -euo pipefail
views="${1:-1000}"
changes="${2:-500}"
gap="${3:-20}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bench/lib/platform.sh"
bench_setup sdk.sh wharf-cli,bench
port="${PORT:-7436}"
bench_server "$port"

echo "# machine: $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); java $("$java" -version 2>&1 | head -1)"
echo "## the same number of plain event streams (no SDK), for comparison"
# shellcheck disable=SC2086
"$java" $opts -cp "$bench_jar" io.wharf.bench.WatchLatency "$url" "$WHARF_TOKEN" "$views" "$changes" "$gap"
echo "## SDK views"
# shellcheck disable=SC2086
"$java" $opts -cp "$bench_jar" io.wharf.bench.SdkViews "$url" "$WHARF_TOKEN" "$views" "$changes" "$gap"
