#!/usr/bin/env bash
# Builds ackcheck/rabbitmq:TAG from Debian's rabbitmq-server package:
# bookworm ships 3.10.x, trixie ships 4.0.x. Usage: docker/rabbitmq/build.sh SUITE TAG
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
. "$here/../lib.sh"
suite="${1:?usage: build.sh SUITE TAG (bookworm 3.10 | trixie 4.0)}"
tag="${2:?usage: build.sh SUITE TAG}"
if image_exists "$tag"; then log "$tag present"; exit 0; fi
base="ackcheck/base:$suite-rabbitmq"
base_image "$base" "$suite" rabbitmq-server
version=$(docker run --rm "$base" dpkg-query -W -f '${Version}' rabbitmq-server)
log "RabbitMQ package version in $suite: $version"
derive_image "$base" "$tag" "$here/overlay" \
  "LABEL $IMAGE_LABEL=rabbitmq" "LABEL dev.ackcheck.rabbitmq.version=$version" \
  'CMD ["/usr/local/bin/ackcheck-rabbitmq"]'
