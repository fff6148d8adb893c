#!/usr/bin/env bash
# An in-place registry interface migration of INSTANCES SDK instances (half providers, half consumers calling
# every 50 ms) from ZooKeeper to Wharf's registry: total time and calls failed.
#
#   bench/migration.sh [INSTANCES [VERIFY [WATCH]]]      defaults: 100 10s 10s
#
# One server on 127.0.0.1 (bench/lib/platform.sh); ZooKeeper, the instances and the calls in io.wharf.bench.MigrationBench.
set -euo pipefail
instances="${1:-100}"
verify="${2:-10s}"
watch="${3:-$verify}"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bench/lib/platform.sh"
bench_setup migration.sh wharf-cli,wharf-interface-native,bench
package="$(ls "$root"/wharf-interface-native/target/wharf-interface-native-*-package.jar | head -1)"
port="${PORT:-7437}"
bench_server "$port"

echo "# machine: $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); java $("$java" -version 2>&1 | head -1)"
# shellcheck disable=SC2086
"$java" $opts -Xmx3g -cp "$bench_jar" io.wharf.bench.MigrationBench "$url" "$WHARF_TOKEN" "$instances" "$verify" "$watch" "$package"
