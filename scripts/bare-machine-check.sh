#!/usr/bin/env bash
# Proves the README's two first commands on a bare machine of this kind and prints how long a
# newcomer waits. "Bare" means what a new Debian 12 machine has: Node 20-ish from Debian (here
# bookworm's nodejs), npm, git, a JRE and Maven — and no Docker engine, no debootstrap, no
# chromium, no images, no node_modules, no caches.
#
# How: a Debian image is built with the project's own docker/lib.sh (debootstrap, no registry),
# a fresh clone of HEAD is copied in, and a privileged container (its own Docker engine inside:
# /var/lib/docker on an anonymous volume; the capabilities of --privileged) runs `bash scripts/run.sh demo` twice. The host's CA
# bundle is copied in because this machine's egress goes through a proxy with its own CA, which
# any machine of this kind trusts.
#
# Usage: bash scripts/bare-machine-check.sh [demo|test]   (root, Docker; default: demo)
# Prints: time to the first verdict line, the first command's total, the second command's total.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
what="${1:-demo}"
# shellcheck source=../docker/lib.sh
. "$here/docker/lib.sh"
bare=ackcheck/base:bookworm-bare
base_image "$bare" bookworm ca-certificates git nodejs npm openjdk-17-jre-headless maven procps bc

work=$(mktemp -d "${TMPDIR:-/tmp}/ackcheck-bare.XXXXXX")
name="ackcheck-bare-check-$$"
cleanup() { docker rm -f -v "$name" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
git clone -q "$here" "$work/ackcheck"
git -C "$work/ackcheck" log --oneline -1 >&2
cp /etc/ssl/certs/ca-certificates.crt "$work/ca.crt"
mkdir -p "$work/extra-ca"
cp /usr/local/share/ca-certificates/*.crt "$work/extra-ca/" 2>/dev/null || true

cat >"$work/check.sh" <<'INNER'
#!/usr/bin/env bash
# Runs inside the bare container: the README's command twice, lines time-stamped.
set -uo pipefail
# The host's own CAs, as a machine of this kind trusts them (also Java's store, for Maven).
cp /check/extra-ca/*.crt /usr/local/share/ca-certificates/ 2>/dev/null && update-ca-certificates >/dev/null 2>&1
cat /check/ca.crt >>/etc/ssl/certs/ca-certificates.crt
export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt CI=true
cd /check/ackcheck
t0=$(date +%s.%N)
stamp() { while IFS= read -r line; do printf '%7.1f  %s\n' "$(echo "$(date +%s.%N) - $t0" | bc)" "$line"; done; }
bash scripts/run.sh "$1" 2>&1 | stamp | tee /check/first.log
rc1=${PIPESTATUS[0]}
t1=$(date +%s.%N)
bash scripts/run.sh "$1" >/check/second.log 2>&1
rc2=$?
t2=$(date +%s.%N)
first_run=$(grep -m1 -E ' run 1/[0-9]+: ' /check/first.log | awk '{print $1}')
verdict=$(grep -m1 -E 'demo (passed|failed)|[0-9]+ passed' /check/first.log | awk '{print $1}')
printf '\nbare-machine check (%s): first command exit %s in %.0f s (first run verdict at %s s, final verdict at %s s); second exit %s in %.0f s\n' \
  "$1" "$rc1" "$(echo "$t1 - $t0" | bc)" "${first_run:-?}" "${verdict:-?}" "$rc2" "$(echo "$t2 - $t1" | bc)"
[ "$rc1" = 0 ] && [ "$rc2" = 0 ]
INNER
chmod +x "$work/check.sh"

log "running 'bash scripts/run.sh $what' twice in a bare privileged container ($name)"
# What --privileged grants, minus CAP_SYS_RESOURCE: some hosts (this one) keep that capability
# out of their bounding set, and then --privileged cannot start at all.
# Not dev.ackcheck.role: the kit removes containers with that label whose owner process is gone.
docker run --name "$name" --label dev.ackcheck.bare-check=1 \
  --cap-add=ALL --cap-drop=SYS_RESOURCE --device-cgroup-rule='a *:* rwm' \
  --security-opt seccomp=unconfined --security-opt apparmor=unconfined --security-opt systempaths=unconfined \
  --cgroupns=host -v /sys/fs/cgroup:/sys/fs/cgroup:rw -v /lib/modules:/lib/modules:ro \
  -v "$work:/check" -v /var/lib/docker -e HOME=/root "$bare" /check/check.sh "$what"
