#!/usr/bin/env bash
# Benchmark of the logspec Java port over the reference corpus: MB/s per parser, one process, after warm-up.
# Usage: bench/logspec/run.sh [SECONDS_PER_MEASUREMENT]   (default 3; the whole run takes about 10x that)
# Needs JDK 21+ (found under /usr/lib/jvm if JAVA_HOME is not one) and the corpus in ../shared (or KCIDB_SHARED_DIR).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
seconds="${1:-3}"

java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
jdk=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
  if [[ -n "$candidate" && -x "$candidate/bin/java" ]]; then
    major="$(java_major "$candidate")"
    if [[ "${major%%.*}" =~ ^[0-9]+$ && "${major%%.*}" -ge 21 ]]; then jdk="$candidate"; break; fi
  fi
done
if [[ -z "$jdk" ]]; then echo "run.sh: no JDK 21 or newer found (set JAVA_HOME)" >&2; exit 1; fi
export JAVA_HOME="$jdk"

corpus="${KCIDB_SHARED_DIR:-$repo/../shared}/corpus/logspec"
if [[ ! -f "$corpus/manifest.tsv" ]]; then echo "run.sh: corpus not found at $corpus (set KCIDB_SHARED_DIR)" >&2; exit 1; fi

jar="$repo/logspec-consumer/target/logspec-consumer.jar"
if [[ ! -f "$jar" || -n "$(find "$repo/logspec/src" -newer "$jar" -type f -print -quit)" ]]; then
  (cd "$repo" && mvn -B -q -pl logspec,logspec-consumer -am package -DskipTests)
fi

exec "$JAVA_HOME/bin/java" -Xmx1g -cp "$jar:$repo/logspec-consumer/target/lib/*" \
  org.kernelci.kcidb.logspec.bench.CorpusBench "$corpus" "$seconds"
