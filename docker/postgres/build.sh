#!/usr/bin/env bash
# Builds ackcheck/postgres:15 from Debian bookworm's postgresql-15 package (the fixtures'
# second state store). Usage: docker/postgres/build.sh [TAG] (default ackcheck/postgres:15)
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
. "$here/../lib.sh"
tag="${1:-ackcheck/postgres:15}"
if image_exists "$tag"; then log "$tag present"; exit 0; fi
base="ackcheck/base:bookworm-postgres"
base_image "$base" bookworm postgresql-15
version=$(docker run --rm "$base" dpkg-query -W -f '${Version}' postgresql-15)
log "PostgreSQL package version in bookworm: $version"
derive_image "$base" "$tag" "$here/overlay" \
  "LABEL $IMAGE_LABEL=postgres" "LABEL dev.ackcheck.postgres.version=$version" \
  'EXPOSE 5432' 'CMD ["/usr/local/bin/ackcheck-postgres"]'
