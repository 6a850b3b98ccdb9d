#!/usr/bin/env bash
# Redirects and shortens of shortener-service beside nginx's `return 301`, in one run with the same
# wrk settings: (a) nginx, (b) redirect on L1 hits, (c) redirect on L2 hits with L1 off, (d) shorten.
# Usage: bench/shortener.sh [connections, default 32] [seconds per run, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk nginx; do
  command -v "$tool" >/dev/null || {
    echo "$tool is needed: apt-get install -y wrk nginx-light" >&2
    exit 1
  }
done
./mvnw -q -B package -DskipTests -pl keygen-service,shortener-service,bench -am
./mvnw -q -B -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.ferry.bench.shortener.ShortenerBenchmark "$@"
