#!/usr/bin/env bash
# Codes/s over HTTP: keygen-service vs the naive one-nextval-per-code design, side by side.
# Usage: bench/keygen.sh [seconds per run, default 20] [connections, default 8]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
# One reactor run for both goals, so that the bench resolves the test jars it uses from the build
# rather than from a local repository they were never installed in.
./mvnw -q -B package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt \
  -pl keygen-service,bench -am
exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.ferry.bench.KeygenBenchmark "$@"
