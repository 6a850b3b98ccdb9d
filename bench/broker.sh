#!/usr/bin/env bash
# Apache Kafka vs broker-service, one after the other, driven by Kafka's own perf tools.
# Usage: bench/broker.sh [records per run, default 500000]
set -euo pipefail
cd "$(dirname "$0")/.."
modules=bench
[ -d broker-service ] && modules=broker-service,bench
# One reactor run for both goals, so that the bench resolves the test jars it uses from the build
# rather than from a local repository they were never installed in.
./mvnw -q -B package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt \
  -pl "$modules" -am
exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.ferry.bench.broker.BrokerBenchmark "$@"
