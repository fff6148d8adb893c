#!/usr/bin/env bash
# The registry benchmark: registrations/s, discovery queries/s with many endpoints registered,
# change -> watchers notified latency, and the heap that endpoints and watchers take.
#
#   bench/registry.sh [ENDPOINTS [SERVICES [WATCHERS_LATENCY [WATCHERS_HELD]]]]
#   defaults:          1000000    100000     1000               10000
#
# HISTO=1 prints the server's largest classes by live bytes after each heap figure.
# CONSOLE_PAGES=N keeps N overview and N registry pages of the web console open on the server throughout
# (their live streams, as a browser holds them), to see what open consoles cost the API.
#
# Needs wrk (Debian: apt-get install wrk). Everything runs on 127.0.0.1; the server gets -Xmx2g so
# that the heap figure is also a limit it must live within (SERVER_OPTS overrides its JVM options).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/jdk.sh"
JAVA_HOME="$(wharf_find_jdk 21)"; export JAVA_HOME
java="$JAVA_HOME/bin/java"
command -v wrk >/dev/null || { echo "registry.sh: wrk is needed (apt-get install wrk)" >&2; exit 1; }

endpoints="${1:-1000000}"
services="${2:-100000}"
latency_watchers="${3:-1000}"
held_watchers="${4:-10000}"
port="${PORT:-7431}"
url="http://127.0.0.1:$port"
threads=2
conns=64

(cd "$root" && mvn -q -B -DskipTests -Dspotless.check.skip=true -pl wharf-cli,bench -am package)
jar="$root/wharf-cli/target/wharf.jar"
bench_jar="$root/bench/target/wharf-bench.jar"

data="$(mktemp -d)"
log="$data/server.log"
server_opts="${SERVER_OPTS:--Xmx2g -Xms2g -XX:+UseG1GC}"
# shellcheck disable=SC2086
"$java" $server_opts "-Xlog:gc:file=$data/gc.log" -jar "$jar" server --port "$port" --data "$data" >"$log" 2>&1 &
server=$!
held=""
consoles=""
cleanup() { kill "$server" $held $consoles 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
for _ in $(seq 1 100); do curl -fs "$url/v1/health" >/dev/null 2>&1 && break; sleep 0.2; done
token="$(cat "$data/admin.token")"
# a figure counts only answers the server gave as asked: any other status (a 401, a 404) voids the run
all_answered() {
  if grep -q "Non-2xx" "$1"; then
    echo "registry.sh: the server refused requests of this step ($(grep Non-2xx "$1")); its figures are void" >&2
    exit 1
  fi
}

# the server's garbage collection during a step, from its own /metrics: bytes allocated (per request, given the
# step's request count) and the collector's pauses (how many, their total and mean); and from its GC log
# (-Xlog:gc), the step's longest pause and what it was
gc_totals() {
  curl -fs "$url/metrics" | awk -v lines="$(wc -l <"$data/gc.log")" '
    /^jvm_gc_memory_allocated_bytes_total/ { a += $NF }
    /^jvm_gc_pause_seconds_count/ { c += $NF }
    /^jvm_gc_pause_seconds_sum/ { s += $NF }
    END { printf "%.0f %.0f %.6f %d\n", a, c, s, lines }'
}
gc_report() { # START_TOTALS REQUESTS WHAT
  read -r a0 c0 s0 l0 <<<"$1"
  read -r a1 c1 s1 _ < <(gc_totals)
  awk -v a="$((a1 - a0))" -v c="$((c1 - c0))" -v s="$(awk -v x="$s1" -v y="$s0" 'BEGIN { print x - y }')" \
    -v n="$2" -v what="$3" 'BEGIN {
      printf "gc during the step: %d pauses, %.0f ms in all (mean %.1f ms); %.0f MiB allocated, %.1f KiB per %s\n",
        c, s * 1000, c ? s * 1000 / c : 0, a / 1048576, n ? a / n / 1024 : 0, what }'
  tail -n +"$((l0 + 1))" "$data/gc.log" | awk '
    / Pause / && $NF ~ /^[0-9.]+ms$/ {
      ms = $NF; sub(/ms$/, "", ms)
      if (ms + 0 > max) { max = ms + 0; what = $0; sub(/^.*GC\([0-9]+\) /, "", what); sub(/ [0-9.]+ms$/, "", what) }
    }
    END { if (max) printf "longest pause of the step (GC log): %.1f ms, %s\n", max, what
          else print "longest pause of the step (GC log): none logged with a duration" }'
}
histogram() { # with HISTO set, the largest classes by live bytes
  if [ -n "${HISTO:-}" ]; then
    "$JAVA_HOME/bin/jcmd" "$server" GC.class_histogram >"$data/histo.txt"
    head -25 "$data/histo.txt"
  fi
}
requests_of() { awk '/requests in/ { print $1 }' "$1"; }

# where the machine's CPU went during a step: the server's own time (user, and kernel on its behalf), wrk's (from
# the times of the subshell that ran it), and the rest (interrupt work not charged to either, other processes),
# from /proc; and what the server did per CPU-second of its own, i.e. its rate were the cores its alone
# the machine's busy and idle ticks, the server's user and kernel ticks, and the time its threads have waited on a
# run queue for a CPU (ns, the second field of each thread's schedstat; 0 where the kernel keeps none)
cpu_mark() {
  awk '/^cpu / { printf "%d %d ", $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat
  awk '{ printf "%d %d ", $14, $15 }' "/proc/$server/stat"
  cat "/proc/$server/task/"*/schedstat 2>/dev/null | awk '{ w += $2 } END { printf "%.0f\n", w }'
}
cpu_report() { # START_MARK WRK_TIMES_FILE REQUESTS
  read -r b0 i0 u0 s0 q0 <<<"$1"
  read -r b1 i1 u1 s1 q1 < <(cpu_mark)
  # the second line of bash's `times`: the subshell's children, i.e. wrk, as "XmY.YYYs XmY.YYYs"
  read -r wu ws < <(sed -n 2p "$2" | awk '{ for (i = 1; i <= 2; i++) { split($i, t, "m"); sub("s", "", t[2]); printf "%s ", t[1] * 60 + t[2] }; print "" }')
  awk -v tck="$(getconf CLK_TCK)" -v n="$(nproc)" -v busy="$((b1 - b0))" -v idle="$((i1 - i0))" \
    -v su="$((u1 - u0))" -v ss="$((s1 - s0))" -v wu="$wu" -v ws="$ws" -v req="$3" 'BEGIN {
      all = (busy + idle) / tck; su /= tck; ss /= tck; rest = busy / tck - su - ss - wu - ws
      printf "cpu during the step (%d cores, %.1f core-s): server %.1f user + %.1f kernel = %.0f %%; wrk %.1f user + %.1f kernel = %.0f %%; the rest %.1f (%.0f %%); idle %.0f %%\n",
        n, all, su, ss, 100 * (su + ss) / all, wu, ws, 100 * (wu + ws) / all, rest, 100 * rest / all, 100 * idle / tck / all
      if (su + ss > 0) printf "requests per server CPU-second: %.0f (x %d cores: %.0f/s were the machine the server'"'"'s alone)\n",
        req / (su + ss), n, n * req / (su + ss) }'
  # how long the threads of each waited for a CPU while ready to run, beside how long they ran: time requests spend
  # queued on the machine, in neither program (threads that ended during the step and wrk's last half second are
  # not counted)
  awk -v tck="$(getconf CLK_TCK)" -v sq="$(( (q1 - q0) / 1000000 ))" -v su="$((u1 - u0))" -v ss="$((s1 - s0))" \
    -v wq="$(awk '{ w += $2 } END { printf "%.0f", w / 1e6 }' "${2%.times}.sched" 2>/dev/null)" -v wu="$wu" -v ws="$ws" 'BEGIN {
      sr = (su + ss) / tck; wr = wu + ws
      printf "waiting for a CPU while ready to run (schedstat): server threads %.1f s (%.2f s per s run)", sq / 1000, sr ? sq / 1000 / sr : 0
      if (wq == "") print "; wrk'"'"'s not read"
      else printf "; wrk threads %.1f s (%.2f s per s run)\n", wq / 1000, wr ? wq / 1000 / wr : 0 }'
}
# runs wrk for a step: its report in OUT, its CPU times in OUT.times; the environment is passed on
run_wrk() { # OUT LUA DURATION
  (
    wrk -t"$threads" -c"$conns" -d"$3" --latency -s "$root/bench/wrk/$2" "$url" >"$1" 2>&1 &
    w=$!
    while kill -0 "$w" 2>/dev/null; do
      cat "/proc/$w/task/"*/schedstat >"$1.sched.new" 2>/dev/null && [ -s "$1.sched.new" ] && mv "$1.sched.new" "$1.sched"
      sleep 0.5
    done
    wait "$w" || true
    times >"$1.times"
  )
  cat "$1"
}
step_report() { # OUT GC_MARK CPU_MARK WHAT
  all_answered "$1"
  gc_report "$2" "$(requests_of "$1")" "$4"
  cpu_report "$3" "$1.times" "$(requests_of "$1")"
}

pages="${CONSOLE_PAGES:-0}"
if [ "$pages" -gt 0 ]; then
  curl -fs -o /dev/null -c "$data/console.cookies" --data-urlencode "token=$token" "$url/ui/signin"
  for _ in $(seq 1 "$pages"); do
    for page in overview registry; do
      curl -s -N -H "Accept: text/event-stream" -b "$data/console.cookies" "$url/ui/live?page=$page&a=&b=" \
        >>"$data/console-$page.txt" &
      consoles="$consoles $!"
    done
  done
fi

echo "# machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; java $("$java" -version 2>&1 | head -1)"
echo "# server: $server_opts, embedded H2 store; wrk -t$threads -c$conns on the same machine"

echo
echo "## registrations: $endpoints new endpoints over $services services (wrk stopped once all are in)"
gc0="$(gc_totals)"; cpu0="$(cpu_mark)"
(WHARF_TOKEN="$token" SERVICES="$services" THREADS="$threads" \
  wrk -t"$threads" -c"$conns" -d3600s --latency -s "$root/bench/wrk/register.lua" "$url" >"$data/register.txt" 2>&1
  times >"$data/register.txt.times") &
wrk_sub=$!
up_count() { curl -fs "$url/metrics" | awk '/^wharf_registry_endpoints\{state="UP"\}/ {printf "%d", $2}'; }
while [ "$(up_count)" -lt "$endpoints" ]; do
  kill -0 "$wrk_sub" 2>/dev/null || { cat "$data/register.txt"; exit 1; }
  sleep 0.2
done
pkill -INT -P "$wrk_sub" wrk; wait "$wrk_sub" || true
cat "$data/register.txt"
step_report "$data/register.txt" "$gc0" "$cpu0" registration
up="$(up_count)"
echo "registered (UP in /metrics): $up"

echo
echo "## registrations again, unchanged: random endpoints of the $up as they are (each renews its lease), 30 s"
gc0="$(gc_totals)"; cpu0="$(cpu_mark)"
WHARF_TOKEN="$token" SERVICES="$services" TOTAL="$endpoints" run_wrk "$data/unchanged.txt" reregister.lua 30s
step_report "$data/unchanged.txt" "$gc0" "$cpu0" registration

echo
echo "## registrations again, each a change: the $up in turn, each to a version it does not have, 30 s"
gc0="$(gc_totals)"; cpu0="$(cpu_mark)"
WHARF_TOKEN="$token" SERVICES="$services" TOTAL="$endpoints" THREADS="$threads" CHANGE=1 \
  run_wrk "$data/changed.txt" reregister.lua 30s
step_report "$data/changed.txt" "$gc0" "$cpu0" registration
changed_at="$(date +%s)"

echo
echo "## discovery: random service, $((endpoints / services)) endpoints each, $up registered"
gc0="$(gc_totals)"; cpu0="$(cpu_mark)"
WHARF_TOKEN="$token" SERVICES="$services" run_wrk "$data/discover.txt" discover.lua 30s
step_report "$data/discover.txt" "$gc0" "$cpu0" query
# the step above is also the first read of nearly every service since the change step, each answer encoded and
# kept (about 2 KB a service): 30 s more with every answer kept, as a registry that is read far more than changed
echo
echo "## discovery again: the same, every service's answer already encoded"
gc0="$(gc_totals)"; cpu0="$(cpu_mark)"
WHARF_TOKEN="$token" SERVICES="$services" run_wrk "$data/discover2.txt" discover.lua 30s
step_report "$data/discover2.txt" "$gc0" "$cpu0" query

echo
echo "## change -> $latency_watchers watchers notified (server-sent events, one service)"
"$java" -cp "$bench_jar" io.wharf.bench.WatchLatency "$url" "$token" "$latency_watchers" 500 20

echo
echo "## heap with $up endpoints and $held_watchers more watchers"
"$java" -cp "$bench_jar" io.wharf.bench.HoldWatchers "$url" "$token" "$held_watchers" "$services" >"$data/hold.txt" 2>&1 &
held=$!
for _ in $(seq 1 600); do grep -q ready "$data/hold.txt" 2>/dev/null && break; sleep 0.5; done
grep ready "$data/hold.txt" || { cat "$data/hold.txt"; exit 1; }
curl -fs "$url/metrics" | grep -E '^wharf_registry_watchers'
"$JAVA_HOME/bin/jcmd" "$server" GC.run >/dev/null
"$JAVA_HOME/bin/jcmd" "$server" GC.heap_info | grep -iE 'used'
histogram
# the services' histories hold their changes of the last two minutes (the registry's historyAge): the same heap
# once those of the step that changed every endpoint have aged out, the watchers still open
wait_until=$((changed_at + 135))
echo
echo "## heap once the history of the changes has aged out ($((wait_until - $(date +%s))) s from now)"
while [ "$(date +%s)" -lt "$wait_until" ]; do sleep 1; done
"$JAVA_HOME/bin/jcmd" "$server" GC.run >/dev/null
"$JAVA_HOME/bin/jcmd" "$server" GC.heap_info | grep -iE 'used'
histogram
if [ "$pages" -gt 0 ]; then
  echo
  echo "## console: $pages overview + $pages registry pages open throughout; page updates they received:" \
    "$(cat "$data"/console-*.txt | grep -c '^event: page')"
fi
