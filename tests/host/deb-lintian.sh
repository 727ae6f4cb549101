#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# make deb's packages, checked with lintian: the source package and both
# binary packages (the .changes names them all) with no error and no
# warning (lintian --fail-on error,warning; debian/source/lintian-overrides
# and the like would say why a tag is overridden). Built in a directory of
# its own, not build/deb. Also: the packages carry packaging/deb/version's
# version, and that version sorts above the previous commit's, so a package
# built later upgrades one built before.

set -euo pipefail
cd "$(dirname "$0")/../.."

TMP=$(mktemp -d)
readonly TMP
trap 'rm -rf "$TMP"' EXIT

for tool in dpkg-buildpackage dh dh_dkms lintian; do
	if ! command -v "$tool" >/dev/null; then
		echo "FAIL: deb: $tool not installed (apt-get install dpkg-dev debhelper dh-dkms lintian)"
		exit 1
	fi
done

if ! out=$(make --no-print-directory deb DEB_DIR="$TMP/deb" DEB_WORK="$TMP/work" 2>&1); then
	echo "$out" | tail -n 40
	echo "FAIL: deb: make deb failed"
	exit 0
fi
version=$(packaging/deb/version)
shopt -s nullglob
changes=("$TMP"/deb/gaius_"$version"_*.changes)
missing=''
for file in "gaius-dkms_${version}_all.deb" "gaius-tools_${version}_amd64.deb" \
	"gaius_$version.dsc" "gaius_$version.tar.xz"; do
	[[ -f $TMP/deb/$file ]] || missing+=" $file"
done
if ((${#changes[@]} == 1)) && [[ -z $missing ]]; then
	echo "PASS: deb: make deb builds the source package and both packages, version $version"
else
	echo "FAIL: deb: make deb left out:$missing ${#changes[@]} .changes files"
	exit 0
fi

if out=$(lintian --info --fail-on error,warning "${changes[0]}" 2>&1); then
	echo "PASS: deb: lintian, no error or warning"
else
	echo "$out"
	echo "FAIL: deb: lintian: $(grep -c '^[EW]: ' <<<"$out") errors and warnings"
fi

got=$(dpkg-deb -f "$TMP/deb/gaius-tools_${version}_amd64.deb" Version)
if [[ $got == "$version" ]]; then
	echo "PASS: deb: the packages' version is packaging/deb/version's"
else
	echo "FAIL: deb: the packages' version is $got, packaging/deb/version says $version"
fi

if previous=$(packaging/deb/version HEAD~1 2>/dev/null); then
	if dpkg --compare-versions "$version" gt "$previous"; then
		echo "PASS: deb: $version sorts above the previous commit's $previous"
	else
		echo "FAIL: deb: $version does not sort above the previous commit's $previous"
	fi
fi
