# Shared by the launchers (./curex, bench/run): finds a JDK 25+ and runs it with the flags curex needs.
# Source it; it defines find_java, java_major and run_java.

MIN_JAVA=25
# Every launch needs the Vector API module and native access (for the FFM API).
CUREX_JVM_FLAGS=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
# The heap may grow to half the machine's memory (the JVM's default is a quarter): a run keeps its activations on the
# heap. An -Xmx in CUREX_JAVA_OPTS, which comes after, takes precedence.
CUREX_HEAP_FLAGS=(-XX:MaxRAMPercentage=50)
# The one line the JVM prints on every launch because jdk.incubator.vector is an incubator module; there is no
# flag to turn it off, so the launchers drop exactly this line from stderr and nothing else.
INCUBATOR_NOTICE='WARNING: Using incubator modules: jdk.incubator.vector'

die() { echo "curex: $*" >&2; exit 1; }

# Major version of the java binary $1 (e.g. 25), or 0 if it does not run.
java_major() {
  local line v
  line="$("$1" -version 2>&1 | grep -m1 -E 'version "' || true)"
  v="${line#*version \"}"; v="${v%%\"*}"
  [[ "$v" == 1.* ]] && v="${v#1.}"
  v="${v%%[.+-]*}"
  [[ "$v" =~ ^[0-9]+$ ]] && echo "$v" || echo 0
}

# The java binary of a JDK 25+: $JAVA_HOME, then /usr/lib/jvm/*, then java on PATH.
find_java() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" && "$(java_major "$JAVA_HOME/bin/java")" -ge $MIN_JAVA ]]; then
    echo "$JAVA_HOME/bin/java"; return
  fi
  local d
  for d in /usr/lib/jvm/*25*/ /usr/lib/jvm/*/; do
    if [[ -x "$d/bin/java" && "$(java_major "$d/bin/java")" -ge $MIN_JAVA ]]; then
      echo "${d%/}/bin/java"; return
    fi
  done
  if command -v java >/dev/null && [[ "$(java_major "$(command -v java)")" -ge $MIN_JAVA ]]; then
    command -v java; return
  fi
  die "no JDK $MIN_JAVA or newer found (checked \$JAVA_HOME, /usr/lib/jvm/*, java on PATH); install one or set JAVA_HOME"
}

# True when $1 (a built jar) is missing or older than any source file or pom under the root $2.
stale() {
  [[ -f "$1" ]] || return 0
  [[ -n "$(cd "$2" && find pom.xml */pom.xml */src -newer "$1" -type f -print -quit 2>/dev/null)" ]]
}

# Builds the modules $2 (comma-separated, with what they need) when $1 is stale; the build's own output on failure.
build_if_stale() {
  local jar="$1" modules="$2" root="$3" log
  stale "$jar" "$root" || return 0
  command -v mvn >/dev/null || die "${jar#"$root"/} must be rebuilt but mvn is not on PATH"
  echo "curex: building ${jar#"$root"/} ..." >&2
  log="$(mktemp)"
  if ! (cd "$root" && mvn -q -B -ntp -Dstyle.color=never -DskipTests -pl "$modules" -am package >"$log" 2>&1); then
    sed 's/\x1b\[[0-9;]*m//g' "$log" >&2; rm -f "$log"; die "build failed (see the Maven output above)"
  fi
  rm -f "$log"
  [[ -f "$jar" ]] || die "build finished but $jar is missing"
  touch "$jar"
}

# Runs java ($1) with curex's flags, $CUREX_JAVA_OPTS (e.g. -Xmx16g) and the remaining arguments, dropping the
# incubator notice from stderr. The filter ignores Ctrl-C, so that what java prints while it stops still shows.
run_java() {
  local java="$1"; shift
  # shellcheck disable=SC2086
  exec "$java" "${CUREX_JVM_FLAGS[@]}" "${CUREX_HEAP_FLAGS[@]}" ${CUREX_JAVA_OPTS:-} "$@" \
      2> >(trap '' INT TERM; grep -a --line-buffered -v -x -F "$INCUBATOR_NOTICE" >&2)
}
