#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# gaius' source package and its two binary packages, built by `make deb`
# with dpkg-buildpackage and debhelper (debian/rules) in a copy of the
# tree, so that the checkout is left as it was:
#
#   packaging/deb/build.sh WORK OUTDIR
#
# WORK/gaius-VERSION is the copy: the files git knows and those it does
# not ignore, as they are in the working tree (uncommitted changes
# included; not build/), with debian/changelog written for VERSION
# (packaging/deb/version, the commit's). Writes into OUTDIR, after
# removing any gaius package an earlier run left there:
#   gaius-dkms_VERSION_all.deb, gaius-tools_VERSION_ARCH.deb,
#   gaius-tools-dbgsym_VERSION_ARCH.deb (the debug symbols dh_strip took out),
#   gaius_VERSION.dsc, gaius_VERSION.tar.xz (the source package),
#   gaius_VERSION_ARCH.buildinfo, gaius_VERSION_ARCH.changes
# and removes WORK once they are there.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
readonly ROOT

if (($# != 2)); then
	echo "usage: $0 WORK OUTDIR" >&2
	exit 2
fi
mkdir -p "$1" "$2"
WORK=$(cd "$1" && pwd -P)
OUT=$(cd "$2" && pwd -P)
VERSION=$("$ROOT/packaging/deb/version")
readonly WORK OUT VERSION SRC=$WORK/gaius-$VERSION

# copy_tree: the working tree's files that git tracks (but not those
# deleted) or would track, into SRC.
copy_tree() {
	local file
	rm -rf "${WORK:?}"/*
	mkdir "$SRC"
	git -C "$ROOT" ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' file; do
			[[ -e $ROOT/$file || -L $ROOT/$file ]] && printf '%s\0' "$file"
		done |
		tar -C "$ROOT" --null -T - -cf - | tar -C "$SRC" -xf -
}

# write_changelog: one entry, for VERSION, by the maintainer debian/control
# names, dated when the commit was made (dpkg makes that the packages'
# SOURCE_DATE_EPOCH).
write_changelog() {
	local commit maintainer date changes=''
	commit=$(git -C "$ROOT" rev-parse --short=12 HEAD)
	maintainer=$(sed -n 's/^Maintainer: //p' "$SRC/debian/control")
	date=$(LC_ALL=C TZ=UTC date -R -d "@$(git -C "$ROOT" log -1 --format=%ct HEAD)")
	[[ -z $(git -C "$ROOT" status --porcelain --untracked-files=normal) ]] ||
		changes=', with changes not committed'
	cat >"$SRC/debian/changelog" <<-EOF
		gaius ($VERSION) unstable; urgency=medium

		  * make deb, from commit $commit$changes.

		 -- $maintainer  $date
	EOF
}

main() {
	copy_tree
	write_changelog
	# A make that runs this passes its jobserver and variables on in the
	# environment; debian/rules' make gets none of them.
	(cd "$SRC" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
		dpkg-buildpackage --no-sign -jauto)
	rm -f "$OUT"/gaius[-_]*
	mv "$WORK"/gaius*_"$VERSION"[._]* "$OUT"/
	rm -rf "$SRC"
	ls -1 "$OUT"
}

main
