#!/usr/bin/env sh
# Builds the four service jars, then one image per service from infra/docker/Dockerfile.
#
#   infra/docker/build-images.sh            # tags ferry/<service>:<project version>
#   FERRY_IMAGE_TAG=dev infra/docker/build-images.sh
#   FERRY_SKIP_MAVEN=1 infra/docker/build-images.sh   # reuse jars already in */target
set -eu
cd "$(dirname "$0")/../.."

if [ "${FERRY_SKIP_MAVEN:-0}" != "1" ]; then
  # -am builds common, which the services depend on; nothing else of the reactor is needed.
  ./mvnw -q -B package -DskipTests -am \
    -pl keygen-service,shortener-service,notification-service,broker-service
fi

version="${FERRY_IMAGE_TAG:-$(./mvnw -q -B -N help:evaluate -Dexpression=project.version -DforceStdout)}"

# service:HTTP port (the port HEALTHCHECK probes; the same as server.port's default).
for entry in shortener-service:8080 keygen-service:8081 notification-service:8082 broker-service:8083; do
  service="${entry%%:*}"
  port="${entry##*:}"
  echo "Building ferry/${service}:${version}"
  docker build -f infra/docker/Dockerfile \
    --build-arg SERVICE="${service}" \
    --build-arg HEALTH_PORT="${port}" \
    -t "ferry/${service}:${version}" \
    -t "ferry/${service}:latest" \
    .
done
