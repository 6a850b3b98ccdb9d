#!/usr/bin/env bash
# Runs one shortener test class again and again with request tracing on, to catch an intermittent
# failure; stops at the first failing run and keeps its output.
# Usage: shortener-service/scripts/repeat-test.sh TEST_CLASSES [RUNS, default 20]
#   TEST_CLASSES: one class, a comma-separated list, or "all" for the whole suite.
# Tracing: WebFlux logs every request's start ("HTTP GET ...") and end ("Completed 301 ...") under
# the same "[connection-request]" id, Reactor Netty logs connections opening and closing, and the
# JDK client logs what it sends and receives; a hung request then shows which side lost it.
set -euo pipefail
cd "$(dirname "$0")/../.."
test_class=${1:?test classes, e.g. InfrastructureOutageTest, or all}
runs=${2:-20}
logs=shortener-service/target/repeat-test
mkdir -p "$logs"
trace="-Dlogging.level.org.springframework.web.server.adapter.HttpWebHandlerAdapter=DEBUG"
trace+=" -Dlogging.level.reactor.netty.http.server=DEBUG"
trace+=" -Djdk.httpclient.HttpClient.log=requests,headers,errors"
for run in $(seq 1 "$runs"); do
  log="$logs/${test_class//,/+}-$run.log"
  selection=(-Dtest="$test_class")
  [[ $test_class == all ]] && selection=()
  # JAVA_TOOL_OPTIONS reaches the forked test JVM, whose argLine the build fixes.
  if JAVA_TOOL_OPTIONS="$trace" ./mvnw -B -ntp -o test -pl shortener-service -Dspotless.skip=true \
      -Dsurefire.failIfNoSpecifiedTests=false "${selection[@]}" \
      >"$log" 2>&1; then
    echo "run $run: passed"
    rm "$log"
  else
    echo "run $run: FAILED, output in $log"
    exit 1
  fi
done
