# Sourced by the benchmarks that run a whole platform on this machine: one `wharf server` and one
# `wharf agent` (host "bench", or $AGENT_NAME), their files in a temporary directory.
#
#   bench_setup NAME MODULES          finds a JDK 21+ (java, opts), builds MODULES with what they need
#                                     (jar: wharf.jar, bench_jar: the benchmark classes)
#   bench_server PORT                 starts the server on 127.0.0.1:PORT; sets url, data and WHARF_TOKEN; on
#                                     exit it stops
#   bench_start PORT POOL [AGENT...]  starts the server on 127.0.0.1:PORT and the agent, its containers on
#                                     POOL, with any further agent options; sets url, data and WHARF_TOKEN;
#                                     on exit both stop and the containers they started are killed
#   bench_stop                        stops both (also on exit), kills their containers (processes, and
#                                     the Docker Engine's containers of the agent), removes the directory
#   bench_runtime RT PORT POOL_PROCESS POOL_DOCKER [AGENT...]
#                                     bench_start with the runtime RT (process or docker), its containers on
#                                     the pool for RT, and busybox-httpd:1 and demo:v1 pushed as RT runs them
#   bench_steps LOG SERVICE           the agent's time per container of SERVICE, from its log: image ready,
#                                     created, started, serving (its first health check passed)
#   run ARGS...                       java with the launcher's options
#
# KEEP_DATA=1 keeps the directory, with the server's and the agent's logs.

bench_setup() {
  local name="$1" modules="$2"
  . "$root/bin/lib/jdk.sh"
  JAVA_HOME="$(wharf_find_jdk 21)" || exit 1
  export JAVA_HOME
  java="$JAVA_HOME/bin/java"
  opts="$(wharf_runtime_opts "$java")"
  # Maven's output without the terminal escape codes it writes even in batch mode
  (cd "$root" && mvn -q -B -DskipTests -Dspotless.check.skip=true -pl "$modules" -am package 2>&1 |
    sed -u 's/\x1b\[[0-9;]*m//g' >&2; exit "${PIPESTATUS[0]}") ||
    { echo "$name: the build failed" >&2; exit 1; }
  jar="$root/wharf-cli/target/wharf.jar"
  bench_jar="$root/bench/target/wharf-bench.jar"
}

# shellcheck disable=SC2086
run() { "$java" $opts "$@"; }

bench_server() {
  local port="$1"
  url="http://127.0.0.1:$port"
  data="$(mktemp -d)"
  server=""
  agent=""
  trap bench_stop EXIT
  # started directly, not through run(), so that $! is the JVM itself and bench_stop stops it
  # shellcheck disable=SC2086
  "$java" $opts -jar "$jar" server --port "$port" --data "$data/server" >"$data/server.log" 2>&1 &
  server=$!
  local tries=0
  until curl -fs "$url/v1/health" >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -gt 150 ] || ! kill -0 "$server" 2>/dev/null; then
      echo "the server did not start on $url; its log:" >&2
      tail -20 "$data/server.log" >&2
      exit 1
    fi
    sleep 0.2
  done
  WHARF_TOKEN="$(cat "$data/server/admin.token")"
  export WHARF_TOKEN
}

bench_start() {
  local port="$1" pool="$2"
  shift 2
  bench_server "$port"
  run -jar "$jar" token create --join --server "$url" >"$data/join.token" 2>/dev/null
  # shellcheck disable=SC2086
  "$java" $opts -jar "$jar" agent --server "$url" --join-token-file "$data/join.token" --name "${AGENT_NAME:-bench}" \
    --ip-pool "$pool" "$@" --data "$data/agent" >"$data/agent.log" 2>&1 &
  agent=$!
}

bench_stop() {
  [ -n "$agent" ] && kill "$agent" 2>/dev/null || true
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  wait 2>/dev/null || true
  # containers outlive agents by design: stop the ones this run started
  for pidfile in "$data"/agent/containers/*/pid; do
    [ -f "$pidfile" ] && kill -9 "$(cut -d' ' -f1 "$pidfile")" 2>/dev/null || true
  done
  if command -v docker >/dev/null 2>&1 && docker version >/dev/null 2>&1; then
    docker ps -aq --filter "label=wharf.host=${AGENT_NAME:-bench}" | xargs -r docker rm -f >/dev/null 2>&1 || true
  fi
  if [ -n "${KEEP_DATA:-}" ]; then echo "# logs kept in $data"; else rm -rf "$data"; fi
  return 0
}

bench_steps() {
  local log="$1" service="$2"
  awk -v svc="id=default.$service." '
    index($0, "container started " svc) {
      n++
      for (i = 1; i <= NF; i++) {
        split($i, kv, "=")
        if (kv[1] == "image_ms") img += kv[2]
        if (kv[1] == "create_ms") cre += kv[2]
        if (kv[1] == "start_ms") sta += kv[2]
      }
    }
    index($0, "endpoint registered " svc) && /serving_ms=/ {
      m++
      for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "serving_ms") srv += kv[2] }
    }
    END {
      if (n == 0) { print "           (no container start in the agent log)"; exit }
      printf "           per container, mean of %d: image ready %.0f ms, create %.0f ms, start %.0f ms;", n, img / n, cre / n, sta / n
      if (m > 0) printf " start requested -> first health check passed %.0f ms", srv / m
      printf "\n"
    }' "$log"
}

bench_runtime() {
  local rt="$1" port="$2" pool_process="$3" pool_docker="$4"
  shift 4
  case "$rt" in
    process)
      AGENT_NAME=bench
      export AGENT_NAME
      bench_start "$port" "$pool_process" "$@"
      mkdir -p "$data/www" && echo ok >"$data/www/index.html"
      run -jar "$jar" image push busybox-httpd:1 "$data/www" --cmd 'busybox httpd -f -p $WHARF_IP:$PORT -h .' \
        --server "$url" >/dev/null
      run -jar "$jar" image push demo:v1 "$root/wharf-demo/target/demo.jar" --server "$url" >/dev/null
      ;;
    docker)
      "$root/bin/docker-images" >/dev/null
      AGENT_NAME=bench-docker
      export AGENT_NAME
      bench_start "$port" "$pool_docker" "$@" --runtime docker
      run -jar "$jar" image push busybox-httpd:1 --docker wharf-busybox:latest --server "$url" >/dev/null
      run -jar "$jar" image push demo:v1 --docker wharf-demo:latest --server "$url" >/dev/null
      ;;
    *) echo "unknown runtime $rt (process or docker)" >&2; exit 1 ;;
  esac
}
