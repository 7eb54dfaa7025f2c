# Shared helpers for building ackcheck's broker images without a container registry.
#
# Why hand-written: no registry is reachable on the machines ackcheck is built on, so the
# images cannot be pulled or built FROM an upstream base. Instead a Debian root file system
# is made with debootstrap (from the machine's own apt mirror), packages are installed into
# it with apt-get in a chroot, and the tree is imported with `docker import`. Broker jars come
# from Maven Central. Sourced by the build scripts in this folder; not run on its own.
set -euo pipefail

ACKCHECK_CACHE="${ACKCHECK_CACHE:-$HOME/.cache/ackcheck}"
IMAGE_LABEL="dev.ackcheck.image"

log() { printf '[docker %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[docker] error: %s\n' "$*" >&2; exit 1; }

# The Debian mirror this machine's apt already uses (never hard-coded in the repo).
debian_mirror() {
  local uri=""
  if compgen -G '/etc/apt/sources.list.d/*.sources' >/dev/null; then
    uri=$(awk '/^URIs:/ {print $2}' /etc/apt/sources.list.d/*.sources | grep -v -- '-security' | head -n1 || true)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1=="deb" && $0 !~ /security/ {for(i=2;i<=NF;i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list || true)
  fi
  [ -n "$uri" ] || die "could not find a Debian mirror in /etc/apt/sources.list(.d); set ACKCHECK_DEBIAN_MIRROR to one"
  printf '%s\n' "${ACKCHECK_DEBIAN_MIRROR:-$uri}"
}

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

need_root_tools() {
  [ "$(id -u)" = 0 ] || die "building images needs root (debootstrap and chroot); run as root or pull upstream images"
  # Through the shared installer: it serialises every host apt-get (parallel builds call this).
  command -v debootstrap >/dev/null || bash "$(dirname "${BASH_SOURCE[0]}")/../scripts/apt-install.sh" debootstrap \
    || die "could not install debootstrap"
}

# Kill anything a package's maintainer script left running inside the chroot (epmd, say).
kill_chroot_processes() {
  local root; root=$(readlink -f "$1")
  local pid
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    if [ "$(readlink "/proc/$pid/root" 2>/dev/null || true)" = "$root" ]; then kill -9 "$pid" 2>/dev/null || true; fi
  done
}

# base_image NAME:TAG SUITE PACKAGES...
# Builds (once) a minimal Debian SUITE image with PACKAGES installed and imports it as NAME:TAG.
base_image() {
  local tag="$1" suite="$2"; shift 2
  if image_exists "$tag"; then log "base $tag present"; return 0; fi
  # Parallel builds that share a base (both Kafka versions) build it once: the second waits.
  mkdir -p "$ACKCHECK_CACHE"
  local lockfd
  exec {lockfd}>"$ACKCHECK_CACHE/base-${tag//[\/:]/-}.lock"
  flock -w 900 "$lockfd" || die "waited 15 min for another build of $tag"
  if image_exists "$tag"; then log "base $tag built by a parallel build"; return 0; fi
  need_root_tools
  local mirror; mirror=$(debian_mirror)
  local work; work=$(mktemp -d "${TMPDIR:-/tmp}/ackcheck-rootfs.XXXXXX")
  local root="$work/root"
  trap 'umount -l "'"$root"'/proc" 2>/dev/null || true; rm -rf "'"$work"'"' RETURN
  log "debootstrap $suite (minbase) from $mirror into $root"
  debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap $suite failed (log above)"; }
  # Services must not start inside the chroot while packages are installed.
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"; chmod +x "$root/usr/sbin/policy-rc.d"
  mount -t proc proc "$root/proc"
  log "apt-get install in $suite: $*"
  chroot "$root" /bin/sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $* && apt-get clean" \
    >"$work/apt.log" 2>&1 || { tail -n 30 "$work/apt.log" >&2; kill_chroot_processes "$root"; die "apt-get install in $suite failed (log above)"; }
  kill_chroot_processes "$root"
  umount -l "$root/proc"
  rm -f "$root/usr/sbin/policy-rc.d"
  rm -rf "$root/var/lib/apt/lists/"* "$root/var/cache/apt/"*.bin "$root/usr/share/doc" "$root/usr/share/man"
  log "importing $tag"
  tar -C "$root" -c . | docker import --change "LABEL $IMAGE_LABEL=base" - "$tag" >/dev/null
  log "base $tag built"
}

# derive_image BASE NEW_TAG OVERLAY_DIR CHANGE...
# NEW_TAG = BASE plus the files under OVERLAY_DIR (copied to /), committed with docker --change lines.
derive_image() {
  local base="$1" tag="$2" overlay="$3"; shift 3
  local changes=() c
  for c in "$@"; do changes+=(--change "$c"); done
  local cid; cid=$(docker create --label "$IMAGE_LABEL=build" "$base" /bin/true)
  # shellcheck disable=SC2064
  trap "docker rm -f $cid >/dev/null 2>&1 || true" RETURN
  tar -C "$overlay" -c . | docker cp - "$cid:/"
  docker commit "${changes[@]}" "$cid" "$tag" >/dev/null
  log "image $tag built"
}
