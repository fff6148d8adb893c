#!/usr/bin/env bash
# An in-place registry interface migration of INSTANCES SDK instances (half providers, half consumers calling
# every 50 ms) from ZooKeeper to Wharf's registry: total time and calls failed.
#
#   bench/migration.sh [INSTANCES [VERIFY [WATCH]]]      defaults: 100 10s 10s
#
# One server on 127.0.0.1; ZooKeeper, the instances and the calls in io.wharf.bench.MigrationBench.
set -euo pipefail
instances="${1:-100}"
verify="${2:-10s}"
watch="${3:-$verify}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bench/lib/platform.sh"
bench_setup migration.sh wharf-cli,wharf-interface-native,bench
package="$(ls "$root"/wharf-interface-native/target/wharf-interface-native-*-package.jar | head -1)"
port="${PORT:-7437}"
url="http://127.0.0.1:$port"
data="$(mktemp -d)"
# shellcheck disable=SC2086
"$java" $opts -jar "$jar" server --port "$port" --data "$data" >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do curl -fs "$url/v1/health" >/dev/null 2>&1 && break; sleep 0.2; done
token="$(cat "$data/admin.token")"

echo "# machine: $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); java $("$java" -version 2>&1 | head -1)"
# shellcheck disable=SC2086
"$java" $opts -Xmx3g -cp "$bench_jar" io.wharf.bench.MigrationBench "$url" "$token" "$instances" "$verify" "$watch" "$package"
