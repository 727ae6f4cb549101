#!/bin/bash
# Prints gaius-targets(8): the page template with the version and the
# plugin directory filled in, and at @FRAGMENTS@ one subsection per
# iptables plugin man fragment (userspace/xtables/libxt_NAME.man), titled
# NAME, the way iptables assembles iptables-extensions(8) from its own.
#
#   packaging/man/gaius-targets.sh TEMPLATE VERSION XTLIBDIR FRAGMENT...

set -euo pipefail

if (($# < 4)); then
	echo "usage: $0 TEMPLATE VERSION XTLIBDIR FRAGMENT..." >&2
	exit 2
fi
template=$1 version=$2 xtlibdir=$3
shift 3

while IFS= read -r line; do
	case $line in
	@FRAGMENTS@)
		for fragment in "$@"; do
			name=${fragment##*/libxt_}
			printf '.SS %s\n' "${name%.man}"
			cat "$fragment"
		done
		;;
	*)
		line=${line//@VERSION@/$version}
		printf '%s\n' "${line//@XTLIBDIR@/$xtlibdir}"
		;;
	esac
done <"$template"
