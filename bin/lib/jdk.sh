# Finds a JDK 21 or newer: $JAVA_HOME, then the java on PATH, then /usr/lib/jvm/* (or $WHARF_JVM_DIRS).
# Prints its home directory, or explains on stderr and returns 1.
# Sourced by bin/wharf, bin/test and the scripts in bench/. bin/wharf remembers what it found
# (wharf_cached_jdk), so that a command does not pay for looking every time.

wharf_java_major() {
  # the major version of the java binary $1, e.g. 17 or 25; empty if it does not run
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

wharf_find_jdk() {
  local need="${1:-21}" candidates=() seen="" home java major dirs
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if java="$(command -v java 2>/dev/null)"; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$java")")")")
  fi
  dirs="${WHARF_JVM_DIRS:-/usr/lib/jvm}"
  for home in $(ls -d $(printf '%s/* ' $dirs) 2>/dev/null | sort -rV); do
    candidates+=("$home")
  done
  for home in "${candidates[@]}"; do
    case " $seen " in *" $home "*) continue ;; esac
    seen="$seen $home"
    java="$home/bin/java"
    [ -x "$java" ] && [ -x "$home/bin/javac" ] || continue
    major="$(wharf_java_major "$java")"
    if [ -n "$major" ] && [ "$major" -ge "$need" ] 2>/dev/null; then
      printf '%s\n' "$home"
      return 0
    fi
  done
  {
    echo "wharf: no JDK $need or newer found."
    echo "  looked at: \$JAVA_HOME (${JAVA_HOME:-unset}), the java on PATH, and ${dirs}/*"
    echo "  install one (e.g. a Temurin $need+ JDK under /usr/lib/jvm) or set JAVA_HOME to it."
  } >&2
  return 1
}

wharf_cached_jdk() {
  # As wharf_find_jdk $1, remembered in the file $2 for as long as $JAVA_HOME and the java on PATH stay
  # what they were: asking a JDK its version takes a tenth of a second, every command would pay it.
  # Prints "HOME MAJOR".
  local need="$1" cache="$2" key home major line
  key="${JAVA_HOME:-}|$(command -v java 2>/dev/null || true)"
  if [ -f "$cache" ]; then
    { read -r line; read -r home major; } <"$cache" || true
    if [ "$line" = "$key" ] && [ -n "${home:-}" ] && [ -x "$home/bin/java" ] && [ "${major:-0}" -ge "$need" ] 2>/dev/null; then
      printf '%s %s\n' "$home" "$major"
      return 0
    fi
  fi
  home="$(wharf_find_jdk "$need")" || return 1
  major="$(wharf_java_major "$home/bin/java")"
  mkdir -p "$(dirname "$cache")" 2>/dev/null && printf '%s\n%s %s\n' "$key" "$home" "$major" >"$cache" 2>/dev/null || true
  printf '%s %s\n' "$home" "$major"
}

wharf_runtime_opts_for() {
  # As wharf_runtime_opts, for a JDK whose major version $1 is known.
  if [ "$1" -ge 23 ] 2>/dev/null; then
    printf '%s\n' "--sun-misc-unsafe-memory-access=allow -Dio.netty.noUnsafe=false"
  fi
}

wharf_runtime_opts() {
  # JVM options for running Wharf on the java binary $1. From JDK 25 on, Netty leaves sun.misc.Unsafe
  # alone unless it is allowed; allowing it gives the load balancer's buffers their fast path back.
  if [ "$(wharf_java_major "$1")" -ge 23 ] 2>/dev/null; then
    printf '%s\n' "--sun-misc-unsafe-memory-access=allow -Dio.netty.noUnsafe=false"
  fi
}
