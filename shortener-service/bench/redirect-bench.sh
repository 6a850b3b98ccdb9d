#!/usr/bin/env bash
# Redirect and shorten throughput of shortener-service against nginx's `return 301` on this
# machine, in one run with the same wrk settings for every row (issue 3, section 7):
#   (a) nginx answering 301 from its config: the machine's limit
#   (b) GET /{code} served from L1 (Caffeine)
#   (c) GET /{code} served from L2 (Redis), on an instance with L1 disabled
#   (d) POST /api/v1/shorten
# Prints requests/s, p50 and p99 for each and the ratios of (b) and (c) to (a).
#
# Needs wrk and nginx on the PATH (Debian: apt-get install wrk nginx). The shortener instances and
# their infrastructure (two embedded Postgres, Redis, Kafka, a fake keygen) start from the test
# class path through dev.ferry.shortener.bench.BenchStack, so nothing else has to be running.
#
# Usage: shortener-service/bench/redirect-bench.sh [connections] [seconds]
set -euo pipefail

CONNECTIONS=${1:-32}
SECONDS_PER_RUN=${2:-15}
WARMUP_SECONDS=5
LINKS=10000
L1_PORT=18080
L2_PORT=18081
NGINX_PORT=18090

HERE=$(cd "$(dirname "$0")" && pwd)
MODULE=$(dirname "$HERE")
ROOT=$(dirname "$MODULE")
WORK=$(mktemp -d)
STACK_PID=""
NGINX_PID=""

cleanup() {
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
  [ -n "$STACK_PID" ] && kill "$STACK_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in wrk nginx java; do
  command -v "$tool" >/dev/null || { echo "missing $tool on the PATH" >&2; exit 1; }
done

echo "== building"
(cd "$ROOT" && ./mvnw -q install -DskipTests -pl .,common,testkit)
(cd "$ROOT" && ./mvnw -q -f shortener-service/pom.xml test-compile \
  dependency:build-classpath -Dmdep.outputFile="$WORK/classpath.txt" -Dmdep.includeScope=test)

echo "== starting infrastructure and two shortener instances (L1 on :$L1_PORT, L2 only on :$L2_PORT)"
java -Xmx3g -XX:+UseParallelGC \
  -cp "$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$WORK/classpath.txt")" \
  dev.ferry.shortener.bench.BenchStack "$L1_PORT" "$L2_PORT" "$LINKS" "$WORK/codes.txt" \
  > "$WORK/stack.log" 2>&1 &
STACK_PID=$!
for _ in $(seq 1 600); do
  grep -qs BENCH-READY "$WORK/stack.log" && break
  kill -0 "$STACK_PID" 2>/dev/null || { tail -50 "$WORK/stack.log"; exit 1; }
  sleep 1
done
grep -q BENCH-READY "$WORK/stack.log" || { echo "stack did not start" >&2; exit 1; }

echo "== starting nginx on :$NGINX_PORT"
mkdir -p "$WORK/nginx/logs"
cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes auto;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { return 301 https://example.com/; }
  }
}
CONF
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!
sleep 1

# measure URL [SCRIPT [SCRIPT_ARG]]: runs wrk twice (warm-up, then measured) and prints
# "req/s p50ms p99ms non-3xx-responses".
measure() {
  local url=$1 script=${2:-} arg=${3:-}
  local options=(-t1 -c"$CONNECTIONS")
  [ -n "$script" ] && options+=(-s "$script")
  local rest=("$url")
  [ -n "$arg" ] && rest+=(-- "$arg")
  wrk "${options[@]}" -d"${WARMUP_SECONDS}s" "${rest[@]}" > /dev/null
  wrk "${options[@]}" -d"${SECONDS_PER_RUN}s" --latency "${rest[@]}" > "$WORK/wrk.out"
  awk '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000;
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0;
      if (v ~ /s$/)  return substr(v, 1, length(v) - 1) * 1000;
      return v;
    }
    /Requests\/sec:/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx or 3xx/ { errors = $NF }
    END { printf "%.0f %.2f %.2f %s\n", rps, p50, p99, (errors == "" ? 0 : errors) }
  ' "$WORK/wrk.out"
}

echo "== measuring: wrk -t1 -c$CONNECTIONS -d${SECONDS_PER_RUN}s after a ${WARMUP_SECONDS}s warm-up"
read -r A_RPS A_P50 A_P99 A_ERR < <(measure "http://127.0.0.1:$NGINX_PORT/abc1234")
read -r B_RPS B_P50 B_P99 B_ERR < <(measure "http://127.0.0.1:$L1_PORT" "$HERE/redirect.lua" "$WORK/codes.txt")
read -r C_RPS C_P50 C_P99 C_ERR < <(measure "http://127.0.0.1:$L2_PORT" "$HERE/redirect.lua" "$WORK/codes.txt")
read -r D_RPS D_P50 D_P99 D_ERR < <(measure "http://127.0.0.1:$L1_PORT" "$HERE/shorten.lua")

echo "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

ratio() { awk -v x="$1" -v y="$2" 'BEGIN { printf "%.2fx", (y > 0 ? x / y : 0) }'; }

echo
printf "%-32s %10s %9s %9s %10s %8s\n" "case" "req/s" "p50 ms" "p99 ms" "vs nginx" "errors"
printf "%-32s %10s %9s %9s %10s %8s\n" "(a) nginx return 301" "$A_RPS" "$A_P50" "$A_P99" "1.00x" "$A_ERR"
printf "%-32s %10s %9s %9s %10s %8s\n" "(b) redirect, L1 hit" "$B_RPS" "$B_P50" "$B_P99" "$(ratio "$B_RPS" "$A_RPS")" "$B_ERR"
printf "%-32s %10s %9s %9s %10s %8s\n" "(c) redirect, L2 hit (no L1)" "$C_RPS" "$C_P50" "$C_P99" "$(ratio "$C_RPS" "$A_RPS")" "$C_ERR"
printf "%-32s %10s %9s %9s %10s %8s\n" "(d) shorten" "$D_RPS" "$D_P50" "$D_P99" "-" "$D_ERR"
