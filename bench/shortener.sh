#!/usr/bin/env bash
# Redirects and shortens of shortener-service beside nginx's `return 301`, in one run with the same
# wrk settings: (a) nginx, (b) redirect on L1 hits, (c) redirect on L2 hits with L1 off, (d) shorten.
# Usage: bench/shortener.sh [connections, default 32] [seconds per run, default 15] [cases, default abcd]
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk nginx; do
  command -v "$tool" >/dev/null || {
    echo "$tool is needed: apt-get install -y wrk nginx-light" >&2
    exit 1
  }
done
# One reactor run for both goals, so that the bench resolves the test jars it uses from the build
# rather than from a local repository they were never installed in.
./mvnw -q -B package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt \
  -pl keygen-service,shortener-service,bench -am
exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.ferry.bench.shortener.ShortenerBenchmark "$@"
