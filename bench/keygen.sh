#!/usr/bin/env bash
# Codes/s over HTTP: keygen-service vs the naive one-nextval-per-code design, side by side.
# Usage: bench/keygen.sh [seconds per run, default 20] [connections, default 8]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
./mvnw -q -B package -DskipTests -pl keygen-service,bench -am
./mvnw -q -B -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.ferry.bench.KeygenBenchmark "$@"
