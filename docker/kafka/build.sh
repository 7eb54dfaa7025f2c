#!/usr/bin/env bash
# Builds ackcheck/kafka:VERSION: Debian bookworm + Debian's JRE 17 + the Apache Kafka broker
# jars of VERSION from Maven Central, laid out like the official apache/kafka image
# (/opt/kafka/bin, /opt/kafka/libs, /opt/kafka/config) so one launch recipe runs on both.
# Usage: docker/kafka/build.sh VERSION [TAG]
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib.sh
. "$here/../lib.sh"
version="${1:?usage: build.sh KAFKA_VERSION [TAG]}"
tag="${2:-ackcheck/kafka:$version}"
case "$version" in 3.*) logging=reload4j ;; *) logging=log4j2 ;; esac

if image_exists "$tag"; then log "$tag present"; exit 0; fi
command -v mvn >/dev/null || die "Maven (mvn) is needed to fetch the Kafka jars from Maven Central: apt-get install -y maven"

base_image ackcheck/base:bookworm-jre17 bookworm openjdk-17-jre-headless bash ca-certificates

work=$(mktemp -d "${TMPDIR:-/tmp}/ackcheck-kafka.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -a "$here/overlay" "$work/overlay"
mkdir -p "$work/overlay/opt/kafka/libs"
log "fetching Kafka $version broker jars from Maven Central"
# One Maven at a time writes the local repository (parallel Kafka builds share ~/.m2).
exec {mvnlock}>"$ACKCHECK_CACHE/maven.lock"
flock -w 900 "$mvnlock" || die "waited 15 min for another Maven fetch"
mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies \
  -Dkafka.version="$version" -Dkafka.logging="$logging" -DincludeScope=runtime \
  -DoutputDirectory="$work/overlay/opt/kafka/libs" >"$work/mvn.log" 2>&1 \
  || { tail -n 30 "$work/mvn.log" >&2; die "could not fetch org.apache.kafka:kafka_2.13:$version from Maven Central"; }
ls "$work/overlay/opt/kafka/libs/kafka_2.13-$version.jar" >/dev/null || die "kafka_2.13-$version.jar missing after Maven fetch"
derive_image ackcheck/base:bookworm-jre17 "$tag" "$work/overlay" \
  "LABEL $IMAGE_LABEL=kafka" "LABEL dev.ackcheck.kafka.version=$version" \
  "ENV PATH=/opt/kafka/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  "WORKDIR /opt/kafka" \
  'CMD ["/opt/kafka/bin/kafka-server-start.sh", "/opt/kafka/config/server.properties"]'
