#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# What .ci/run installs leaves the host's boot alone: neither its list for
# make check nor the example's pulls in a kernel image (which would go to
# /boot and get a boot entry) or busybox-static (whose install rebuilds
# the initramfs of every kernel the host has), dependencies included, as
# apt resolves them without Recommends; the example's list is a part of
# the whole, without the toolchains only the suite uses. (tests/run-all
# checks that /boot did not change while CI installed and ran.)

set -euo pipefail
cd "$(dirname "$0")/../.."

# closure LIST-NAME: every package LIST-NAME's packages depend on,
# recursively, one a line.
closure() {
	bash .ci/run --packages "$1" |
		xargs apt-cache depends --recurse --no-recommends --no-suggests \
			--no-conflicts --no-breaks --no-replaces --no-enhances 2>/dev/null |
		sed -n 's/^\([a-z0-9][^ :]*\)$/\1/p' | sort -u
}

for list in check example; do
	packages=$(closure "$list")
	if [[ -z $packages ]]; then
		echo "FAIL: ci-install: $list: apt-cache resolved nothing"
		continue
	fi
	unwanted=$(grep -E '^(linux-image-|busybox)' <<<"$packages" | paste -sd' ' - || true)
	if [[ -z $unwanted ]]; then
		echo "PASS: ci-install: $list's packages pull in no kernel image and no busybox"
	else
		echo "FAIL: ci-install: $list's packages pull in $unwanted"
	fi
done

extra=$(comm -23 <(bash .ci/run --packages example | sort) <(bash .ci/run --packages check | sort) |
	paste -sd' ' -)
heavy=$(bash .ci/run --packages example | grep -E '^(clang|linux-source|python3-matplotlib)|-rt-' |
	paste -sd' ' - || true)
if [[ -z $extra && -z $heavy ]]; then
	echo "PASS: ci-install: the example installs a part of the suite's list, no toolchain only the suite uses"
else
	echo "FAIL: ci-install: the example's list: not in the suite's: '$extra'; the suite's alone: '$heavy'"
fi
