#!/usr/bin/env bash
# Proves the README's two set-up commands on a brand-new minimal Debian 12, as a new user
# or a clean CI machine would run them: `debootstrap --variant=minbase bookworm` into a
# folder, git added, this repository's committed HEAD cloned into it, then the README's
# command 1 and command 2 run inside with chroot, as root, with CI=true. Prints each
# step's time and exit code; exits non-zero when a step fails.
#
# Needs root, debootstrap and Debian's mirror; takes about 40 minutes on 2 cores (too
# slow for every CI run: run it after changing .ci/packages-*, .ci/run or the README's
# set-up). Output of each step goes to build/fresh/<step>.log. The debootstrapped system is
# kept in build/fresh/base and copied afresh for every run (REBUILD_BASE=1 makes it anew).
#
# usage:  tests/fresh/run.sh                  (keeps build/fresh/root for a look inside)
#   MIRROR=http://deb.debian.org/debian FRESH_DIR=/tmp/fresh tests/fresh/run.sh
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
dir=${FRESH_DIR:-$src/build/fresh}
mirror=${MIRROR:-http://deb.debian.org/debian}
target=$dir/root
base=$dir/base

[ "$(id -u)" -eq 0 ] || { echo "run as root (debootstrap and chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "needs debootstrap: apt-get install debootstrap" >&2; exit 2; }

mounts=()
cleanup() {
    local m
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
mount_in() { # mount_in ARGS... TARGET
    mount "$@"
    mounts+=("${!#}")
}

step() { # step NAME COMMAND...: runs, logs and times one step
    local name=$1 start rc
    shift
    start=$(date +%s)
    set +e
    "$@" >"$dir/$name.log" 2>&1
    rc=$?
    set -e
    printf '%-12s exit %d after %d s (log: %s)\n' "$name" "$rc" "$(($(date +%s) - start))" "$dir/$name.log"
    return "$rc"
}

# The machine's own network settings come along (nothing else of the host does): its resolver,
# and the certificate authorities it adds to Debian's (a network that inspects TLS, as this
# workplace's does, needs them for npm), with NODE_EXTRA_CA_CERTS as the host sets it. They are
# only put in /usr/local/share/ca-certificates: Debian's ca-certificates package, which
# .ci/packages-test must bring, adds them when command 2 installs it.
in_root() {
    chroot "$target" /usr/bin/env -i HOME=/root TERM=dumb CI=true LANG=C.UTF-8 \
        ${NODE_EXTRA_CA_CERTS:+NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS} \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        bash -c "cd /src/tandem && $1"
}

mkdir -p "$dir"
# A base made by an earlier version of this script with ca-certificates in it would hide a list that lacks it.
if [ -n "${REBUILD_BASE:-}" ] || [ ! -x "$base/usr/bin/git" ] || [ -e "$base/usr/sbin/update-ca-certificates" ]; then
    rm -rf "$base"
    step debootstrap debootstrap --variant=minbase --include=git bookworm "$base" "$mirror"
fi
rm -rf "$target"
cp -a "$base" "$target"
cp /etc/resolv.conf "$target/etc/resolv.conf"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    mkdir -p "$target/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$target/usr/local/share/ca-certificates/"
fi
mount_in -t proc proc "$target/proc"
mount_in -t sysfs sys "$target/sys"
mount_in --bind /dev "$target/dev"
mount_in -t devpts devpts "$target/dev/pts"
mount_in -t tmpfs -o size=1g tmpfs "$target/dev/shm"
step clone git clone -q --no-local "$src" "$target/src/tandem"

# The README's two commands, as the clone has them: the code line under "Set-up" that
# builds, and `bash .ci/run`.
readme=$target/src/tandem/README.md
cmd1=$(sed -n '/^## Set-up/,/^## Quick start/p' "$readme" | grep -m1 '^apt-get update' || true)
cmd2=$(sed -n '/^## Set-up/,/^## Quick start/p' "$readme" | grep -m1 '^bash .ci/run$' || true)
[ -n "$cmd1" ] && [ -n "$cmd2" ] || { echo "README: the two set-up commands were not found" >&2; exit 2; }
echo "command 1: $cmd1"
step command-1 in_root "$cmd1"
echo "command 2: $cmd2"
step command-2 in_root "$cmd2"
tail -n 5 "$dir/command-2.log"
