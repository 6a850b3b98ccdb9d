#!/usr/bin/env bash
# Apache Kafka vs broker-service, one after the other, driven by Kafka's own perf tools.
# Usage: bench/broker.sh [records per run, default 500000]
set -euo pipefail
cd "$(dirname "$0")/.."
modules=bench
[ -d broker-service ] && modules=broker-service,bench
./mvnw -q -B package -DskipTests -pl "$modules" -am
./mvnw -q -B -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.ferry.bench.broker.BrokerBenchmark "$@"
