#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The man pages the packages install: caesar(7), gaiusctl(8) and
# gaius-targets(8), the last assembled here from its template and the
# plugins' fragments as mk/install.mk assembles it. Each renders with no
# warning from man or groff; each names the other two in SEE ALSO; none
# points at a file of the source tree (docs/, *.md, build/, tests/), which
# no package installs; and caesar(7) describes every counter that
# kernel/caesar_stats.c puts in /proc/net/caesar_stat.

set -euo pipefail
cd "$(dirname "$0")/../.."

TMP=$(mktemp -d)
readonly TMP
trap 'rm -rf "$TMP"' EXIT

xtlibdir=$(pkg-config --variable=xtlibdir xtables 2>/dev/null || echo /usr/lib/xtables)
packaging/man/gaius-targets.sh packaging/man/gaius-targets.8.in "$(cat VERSION)" "$xtlibdir" \
	userspace/xtables/libxt_*.man >"$TMP/gaius-targets.8"

declare -A PAGES=(
	[caesar]=docs/man/caesar.7
	[gaiusctl]=docs/man/gaiusctl.8
	[gaius-targets]=$TMP/gaius-targets.8
)

# result NAME: PASS when $problem is empty, else FAIL with it.
result() {
	if [[ -z $problem ]]; then
		echo "PASS: man: $1"
	else
		echo "FAIL: man: $1: $problem"
	fi
}

for name in caesar gaiusctl gaius-targets; do
	page=${PAGES[$name]}

	problem=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null | head -n 3 | tr '\n' ' ')
	result "$name renders without man warnings"
	problem=$(groff -ww -man -z "$page" 2>&1 | head -n 3 | tr '\n' ' ')
	result "$name renders without groff warnings"

	# SEE ALSO, from its heading to the end of the page.
	see_also=$(sed -n '/^\.SH SEE ALSO/,$p' "$page")
	problem=
	for other in caesar gaiusctl gaius-targets; do
		[[ $other != "$name" ]] || continue
		grep -q "^\.BR ${other//-/\\\\-} (" <<<"$see_also" || problem+="no $other "
	done
	result "$name names the other two pages in SEE ALSO"

	problem=$(grep -nE 'docs/|\.md\b|build/|tests/' "$page" | head -n 3 | tr '\n' ' ' || true)
	result "$name points at no file of the source tree"
done

problem=
while read -r counter; do
	grep -q "^\.B ${counter}\$" docs/man/caesar.7 || problem+="$counter "
done < <(sed -n 's/.*SNMP_MIB_ITEM("\([A-Za-z]*\)".*/\1/p' kernel/caesar_stats.c)
result "caesar describes every counter of /proc/net/caesar_stat"
