#!/usr/bin/env bash
# notification-service under load: accepted/s for single and batch POSTs (wrk), then end-to-end
# latency from accept to the (fake) FCM call for critical and normal at a sustained rate while low
# priority floods the pipeline. The service runs as its own JVM on real Postgres, Redis and Kafka.
# Usage: bench/notification.sh [seconds per phase, default 20] [connections, default 16] [paced rate/s, default 1000] [warm-up seconds, default 180]
# BENCH_SERVICE_JAVA_OPTS adds JVM options to the service, e.g.
#   -XX:StartFlightRecording=duration=120s,filename=/tmp/notification.jfr,settings=profile
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
# One reactor run for both goals, so that the bench resolves notification-service's test jar from
# the build rather than from a local repository it was never installed in.
./mvnw -q -B package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/classpath.txt \
  -pl notification-service,bench -am
exec java -Xmx1g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  dev.ferry.bench.notification.NotificationBenchmark "$@"
