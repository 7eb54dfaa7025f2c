#!/usr/bin/env bash
# Cold image build time: removes ackcheck's images (and their Debian base images), then
# builds each one and prints the seconds it took. Run as root on a machine without a registry.
#   bash bench/image-build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
docker image rm -f ackcheck/kafka:3.9.2 ackcheck/kafka:4.4.0 ackcheck/rabbitmq:3.10 ackcheck/rabbitmq:4.0 \
  ackcheck/base:bookworm-jre17 ackcheck/base:bookworm-rabbitmq ackcheck/base:trixie-rabbitmq >/dev/null 2>&1 || true
time_it() { local t0=$SECONDS; "$@" >/dev/null 2>&1; echo $((SECONDS - t0)); }
printf '%-22s %s\n' image seconds
printf '%-22s %s\n' "kafka 3.9.2 (+ base)" "$(time_it bash docker/kafka/build.sh 3.9.2)"
printf '%-22s %s\n' "kafka 4.4.0" "$(time_it bash docker/kafka/build.sh 4.4.0)"
printf '%-22s %s\n' "rabbitmq 3.10" "$(time_it bash docker/rabbitmq/build.sh bookworm ackcheck/rabbitmq:3.10)"
printf '%-22s %s\n' "rabbitmq 4.0" "$(time_it bash docker/rabbitmq/build.sh trixie ackcheck/rabbitmq:4.0)"
total_t0=$SECONDS
docker image rm -f ackcheck/kafka:3.9.2 ackcheck/kafka:4.4.0 ackcheck/rabbitmq:3.10 ackcheck/rabbitmq:4.0 \
  ackcheck/base:bookworm-jre17 ackcheck/base:bookworm-rabbitmq ackcheck/base:trixie-rabbitmq >/dev/null 2>&1 || true
ACKCHECK_PULL=never ACKCHECK_SKIP_IMAGES=0 bash -c '. scripts/setup.sh' >/dev/null 2>&1
printf '%-22s %s\n' "all four, as setup.sh builds them (parallel)" "$((SECONDS - total_t0))"
