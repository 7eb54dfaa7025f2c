#!/usr/bin/env bash
# Installs Debian packages on the host, one apt-get at a time: every caller (setup, the image
# builds) takes the same file lock and apt-get also waits for dpkg's own lock, so parallel work
# never meets "Could not get lock /var/lib/dpkg/lock-frontend". A failure is retried once after
# refreshing the package lists (a stale list or a mirror hiccup).
# Usage: bash scripts/apt-install.sh PACKAGE...   (root on Debian)
set -euo pipefail
[ "$#" -gt 0 ] || exit 0
[ "$(id -u)" = 0 ] || { printf '[apt] error: installing %s needs root\n' "$*" >&2; exit 1; }
lock="${ACKCHECK_APT_LOCK:-/run/lock/ackcheck-apt.lock}"
mkdir -p "$(dirname "$lock")"
exec 9>"$lock"
flock -w 900 9 || { printf '[apt] error: waited 15 min for %s; another install is stuck\n' "$lock" >&2; exit 1; }
apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 "$@"; }
missing=()
for p in "$@"; do dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
[ "${#missing[@]}" -gt 0 ] || exit 0
printf '[apt] installing %s\n' "${missing[*]}" >&2
if [ -n "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial)" ] &&
  apt_get install -y -qq "${missing[@]}" >/dev/null 2>&1; then
  exit 0
fi
attempt=1
until apt_get update -qq >/dev/null && apt_get install -y -qq "${missing[@]}" >/dev/null; do
  [ "$attempt" -ge 2 ] && { printf '[apt] error: apt-get install %s failed twice\n' "${missing[*]}" >&2; exit 1; }
  attempt=$((attempt + 1)); printf '[apt] retrying in 5 s\n' >&2; sleep 5
done
