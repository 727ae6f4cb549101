#!/bin/bash
# Makes gaius' two Debian packages from trees staged by mk/deb.mk, with
# dpkg-dev's own tools (no debhelper): dpkg-shlibdeps works out the shared
# library dependencies, dpkg-gencontrol writes DEBIAN/control from
# packaging/deb/control, dpkg-deb builds.
#
#   packaging/deb/build-debs.sh VERSION STAGE OUTDIR
#
# STAGE is laid out as a source tree the dpkg tools know: STAGE/debian/
# gaius-dkms and STAGE/debian/gaius-tools hold each package's files as they
# will be installed, and debian/control and debian/changelog are written
# here. Writes
# OUTDIR/gaius-dkms_VERSION_all.deb and OUTDIR/gaius-tools_VERSION_ARCH.deb.
#
# The iptables plugins are not linked against libxtables (iptables gives
# them its symbols), so dpkg-shlibdeps cannot see that they need it:
# packaging/deb/control names libxtables12, the plugin ABI they are built
# for, and iptables.

set -euo pipefail

readonly PACKAGES=(gaius-dkms gaius-tools)
readonly MAINTAINER='The gaius developers <gaius@example.org>'

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
readonly HERE

if (($# != 3)); then
	echo "usage: $0 VERSION STAGE OUTDIR" >&2
	exit 2
fi
readonly VERSION=$1 STAGE=$2 OUT=$3

# What the dpkg tools read in debian/, besides the packages' trees.
write_source() {
	cp "$HERE/control" "$STAGE/debian/control"
	cat >"$STAGE/debian/changelog" <<EOF
gaius ($VERSION) unstable; urgency=medium

  * gaius $VERSION, packaged from its sources with make deb.

 -- $MAINTAINER  $(date -R -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}")
EOF
}

# Debian's documentation files, in every package.
add_docs() {
	local root=$1 pkg=$2 doc=$1/usr/share/doc/$2
	install -D -m 644 "$HERE/copyright" "$doc/copyright"
	gzip -9n <"$STAGE/debian/changelog" >"$doc/changelog.Debian.gz"
	chmod 644 "$doc/changelog.Debian.gz"
}

# The ELF files of a staged tree, for dpkg-shlibdeps.
elf_files() {
	local file
	find "$1" -type f \( -name '*.so' -o -perm -u+x \) -print | sort |
		while IFS= read -r file; do
			[[ $(head -c 4 "$file") == $'\x7fELF' ]] && printf '%s\n' "$file"
		done
	return 0
}

# DEBIAN/control, with shlibs:Depends for a package that holds ELF files.
# Run in STAGE. dpkg-shlibdeps finds a file's package tree by its DEBIAN/.
write_control() {
	local pkg=$1 elves=()
	mkdir -p "debian/$pkg/DEBIAN"
	mapfile -t elves < <(elf_files "debian/$pkg")
	: >"debian/$pkg.substvars"
	if ((${#elves[@]})); then
		dpkg-shlibdeps -T"debian/$pkg.substvars" "${elves[@]}"
	fi
	dpkg-gencontrol -p"$pkg" -T"debian/$pkg.substvars" -fdebian/files -P"debian/$pkg"
}

# Maintainer scripts from packaging/deb/PACKAGE/, with the version in them.
add_scripts() {
	local root=$1 pkg=$2 script
	for script in "$HERE/$pkg"/*; do
		[[ -e $script ]] || continue
		sed "s/#MODULE_VERSION#/$VERSION/g" "$script" >"$root/DEBIAN/${script##*/}"
		chmod 755 "$root/DEBIAN/${script##*/}"
	done
}

add_md5sums() {
	local root=$1
	(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\n' | sort |
		xargs -r -d '\n' md5sum) >"$root/DEBIAN/md5sums"
	chmod 644 "$root/DEBIAN/md5sums"
}

main() {
	local pkg root
	write_source
	mkdir -p "$OUT"
	for pkg in "${PACKAGES[@]}"; do
		root=$STAGE/debian/$pkg
		[[ -d $root ]] || { echo "$0: $root is not staged" >&2; exit 1; }
		rm -rf "$root/DEBIAN"
		add_docs "$root" "$pkg"
		if [[ -d $root/usr/share/man ]]; then
			find "$root/usr/share/man" -type f -name '*.[0-9]' -exec gzip -9nf {} +
		fi
		find "$root" -type d -exec chmod 755 {} +
		(cd "$STAGE" && write_control "$pkg")
		add_scripts "$root" "$pkg"
		add_md5sums "$root"
		dpkg-deb --root-owner-group -Zxz --build "$root" "$OUT"
	done
}

main
