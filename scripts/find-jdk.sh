# Sourced by ./ganglion and ./build: sets GANGLION_JAVA_HOME to a JDK 25 or newer, or exits
# with a message saying what to install. Order: $JAVA_HOME, then the javac on PATH, then the JDKs
# under /usr/lib/jvm, /opt/java and /opt (or the folders in GANGLION_JDK_SEARCH_PATH).

ganglion_java_major() {  # prints the feature version of the JDK at $1, or nothing
  local rel="$1/release"
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  if [ -f "$rel" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel"
  fi
}

ganglion_find_jdk() {
  local candidates=() c major
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  local base
  for base in ${GANGLION_JDK_SEARCH_PATH:-/usr/lib/jvm /opt/java /opt}; do
    for c in "$base"/*/; do
      [ -d "$c" ] && candidates+=("${c%/}")
    done
  done
  for c in "${candidates[@]}"; do
    major=$(ganglion_java_major "$c")
    if [ -n "$major" ] && [ "$major" -ge 25 ] 2>/dev/null; then
      GANGLION_JAVA_HOME="$c"
      return 0
    fi
  done
  echo "ganglion: no JDK 25 or newer found (looked at JAVA_HOME, the javac on PATH and /usr/lib/jvm)." >&2
  echo "ganglion: install one (e.g. 'apt-get install temurin-25-jdk' or from https://adoptium.net) or set JAVA_HOME to it." >&2
  exit 1
}

ganglion_find_jdk
export JAVA_HOME="$GANGLION_JAVA_HOME"
export PATH="$JAVA_HOME/bin:$PATH"
