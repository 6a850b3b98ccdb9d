#!/usr/bin/env sh
# Builds Ferry and starts the whole suite locally on embedded real infrastructure (Postgres, Redis,
# Kafka started from Maven artifacts). Needs only a JDK 17+. Ctrl-C stops everything.
set -eu
cd "$(dirname "$0")"
./mvnw -q -B package -DskipTests
exec java -jar local-stack/target/local-stack-exec.jar "$@"
