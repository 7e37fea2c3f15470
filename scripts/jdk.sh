# Sourced by ./netmeter and ./test: exports JAVA_HOME for the newest installed JDK >= $1 (default 21).
# The machines' default java is 17, which cannot build or run netmeter, so every script picks its own.
# An explicit JAVA_HOME that is new enough wins; otherwise the JDKs beside the default one are searched.
pick_jdk() {
  local min=${1:-21} candidate version best="" best_version=0 roots=()
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    version=$(java_major "$JAVA_HOME")
    if [ "${version:-0}" -ge "$min" ]; then export PATH="$JAVA_HOME/bin:$PATH"; return 0; fi
  fi
  if command -v javac >/dev/null 2>&1; then
    roots+=("$(dirname "$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")")
  fi
  roots+=(/usr/lib/jvm /usr/local/lib/jvm /opt/java)
  for root in "${roots[@]}"; do
    [ -d "$root" ] || continue
    for candidate in "$root"/*; do
      [ -L "$candidate" ] && continue
      [ -x "$candidate/bin/javac" ] || continue
      version=$(java_major "$candidate")
      if [ "${version:-0}" -gt "$best_version" ]; then best_version=$version; best=$candidate; fi
    done
  done
  if [ "$best_version" -lt "$min" ]; then
    echo "netmeter needs a JDK $min or newer; the newest found is ${best_version} (set JAVA_HOME)" >&2
    return 1
  fi
  export JAVA_HOME="$best" PATH="$best/bin:$PATH"
}

java_major() {   # the feature version of the JDK in $1, read from its release file
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null
}
