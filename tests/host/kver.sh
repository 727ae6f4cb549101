#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# mk/kver's choice of kernel on fake trees (GAIUS_KVER_ROOT): the running
# kernel first, else the newest inside the supported range, a PREEMPT_RT
# flavour only with --rt, one in the kernel cache (mk/vm-cache) only with
# --bootable, never one only in /boot, and
# nothing at all (exit 1) when none fits.

set -euo pipefail
cd "$(dirname "$0")/../.."

readonly KVER_SCRIPT=$PWD/mk/kver
TMP=$(mktemp -d)
readonly TMP
trap 'rm -rf "$TMP"' EXIT

# tree NAME RELEASE...: a fake root with headers for each RELEASE, an image
# in the kernel cache for those written RELEASE+, and one in /boot only for
# those written RELEASE/ (installed on the host, not unpacked for the VM).
tree() {
	local root=$TMP/$1 release cache
	shift
	cache=$root/var/cache/gaius/vm/kernels
	mkdir -p "$root/boot" "$root/lib/modules" "$root/proc/sys/kernel"
	for release; do
		mkdir -p "$root/lib/modules/${release%[+/]}/build"
		case $release in
		*+)
			mkdir -p "$cache/${release%+}/boot"
			touch "$cache/${release%+}/boot/vmlinuz-${release%+}"
			;;
		*/) touch "$root/boot/vmlinuz-${release%/}" ;;
		esac
	done
}

# running TREE RELEASE: the release TREE's kernel runs.
running() {
	echo "$2" >"$TMP/$1/proc/sys/kernel/osrelease"
}

# expect NAME TREE WANT [OPTION...]: mk/kver OPTION... on TREE prints WANT
# and succeeds or, WANT empty, prints nothing and exits 1.
expect() {
	local name=$1 tree=$2 want=$3 got status=0
	shift 3
	got=$(GAIUS_KVER_ROOT=$TMP/$tree "$KVER_SCRIPT" "$@" 2>/dev/null) || status=$?
	if [[ $got == "$want" ]] && ((status == (${#want} ? 0 : 1))); then
		echo "PASS: kver: $name"
	else
		echo "FAIL: kver: $name: mk/kver $* printed '$got' (exit $status), expected '$want'"
	fi
}

tree all 6.1.0-9-amd64+ 6.1.0-10-amd64/ 6.13.1-amd64+ 6.1.0-9-rt-amd64+ 5.10.0-30-amd64+
expect "newest inside the range" all 6.1.0-10-amd64
expect "newest bootable" all 6.1.0-9-amd64 --bootable
expect "PREEMPT_RT with --rt" all 6.1.0-9-rt-amd64 --rt
expect "PREEMPT_RT bootable" all 6.1.0-9-rt-amd64 --rt --bootable
running all 6.1.0-9-rt-amd64
expect "the running kernel first" all 6.1.0-9-rt-amd64
running all 6.13.1-amd64
expect "the running kernel only inside the range" all 6.1.0-10-amd64
expect "every bootable one with --all" all 6.1.0-9-amd64 --all --bootable
expect "every one, oldest first" all "6.1.0-9-amd64
6.1.0-10-amd64" --all

tree debian12 6.1.0-57-amd64+ 6.12.118+deb12-amd64+
expect "Debian 12's newest, 6.12" debian12 6.12.118+deb12-amd64

tree edges 6.0.9-amd64 6.4.0-1-amd64 6.5.0-1-amd64 6.12.9-amd64 6.13.0-amd64 7.1.0-amd64
expect "6.12 in, 6.0, 6.13 and 7.1 out" edges 6.12.9-amd64

tree outside 6.13.1-amd64+ 6.1.0-9-rt-amd64+
expect "nothing inside the range" outside ''
expect "PREEMPT_RT only with --rt" outside 6.1.0-9-rt-amd64 --rt
tree unbootable 6.1.0-9-amd64/
expect "an image in /boot alone is not bootable" unbootable '' --bootable
tree empty
expect "no headers at all" empty ''

why=$(GAIUS_KVER_ROOT=$TMP/outside "$KVER_SCRIPT" 2>&1 >/dev/null || true)
if [[ $why == *"supported range 6."*"6.13.1-amd64"* ]]; then
	echo "PASS: kver: says why nothing fits"
else
	echo "FAIL: kver: says why nothing fits: '$why'"
fi

# dkms.conf's BUILD_EXCLUSIVE_KERNEL takes the kernels mk/kver takes.
regex=$(sed -n 's/^BUILD_EXCLUSIVE_KERNEL="\(.*\)"$/\1/p' dkms.conf)
disagree=''
for release in 5.19.0-1-amd64 6.0.0-1-amd64 6.1.0-57-amd64 6.2.1-amd64 6.3.0 6.4.16-amd64 \
	6.5.0-1-amd64 6.10.1-amd64 6.11.0-1-amd64 6.12.118+deb12-amd64 6.13.0-1-amd64 \
	6.20.1-amd64 7.1.0-amd64 16.1.0-amd64; do
	tree "one-$release" "$release"
	kver=false dkms=false
	GAIUS_KVER_ROOT=$TMP/one-$release "$KVER_SCRIPT" >/dev/null 2>&1 && kver=true
	[[ $release =~ $regex ]] && dkms=true
	[[ $kver == "$dkms" ]] || disagree+=" $release"
done
if [[ -n $regex && -z $disagree ]]; then
	echo "PASS: kver: dkms.conf's BUILD_EXCLUSIVE_KERNEL agrees with mk/kver"
else
	echo "FAIL: kver: dkms.conf's BUILD_EXCLUSIVE_KERNEL ('$regex') disagrees with mk/kver on:${disagree:- everything}"
fi
