#!/bin/bash
# Builds the debug kernel of `make check-debug` from Debian's linux-source-6.1,
# or reuses the one built before, and prints the directory that holds it.
#
# usage: tests/debug-kernel/build.sh
#
# Config: x86_64_defconfig, then kernel/configs/kvm_guest.config, then
# tests/debug-kernel/debug.config (KASAN, lockdep, kmemleak, UBSAN, what the
# suite needs built in, most drivers trimmed); every line of debug.config
# must hold in the final .config.
#
# Cache: $GAIUS_DEBUG_KERNEL_CACHE (default /var/cache/gaius-debug-kernel),
# outside the checkout, so that a clean checkout does not rebuild it:
#   src-VERSION/         the package's sources, extracted once per version
#   KEY/                 one kernel; KEY hashes debug.config, the package
#                        version and the compiler
#     bzImage            the image to boot
#     build/             the O= build tree: make -C KEY/build M=... builds
#                        modules against it
#     modroot/           modules_install's INSTALL_MOD_PATH: lib/modules/REL
#     build.log          the whole build's output
#     complete           written last: the kernel is ready
#
# The build runs under nice -n 19 with $JOBS jobs (default 2): the machine
# is shared. Progress goes to stderr; stdout is only the directory.

set -euo pipefail

readonly PACKAGE=linux-source-6.1
readonly TARBALL=/usr/src/$PACKAGE.tar.xz
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
readonly HERE FRAGMENT=$HERE/debug.config
readonly CACHE=${GAIUS_DEBUG_KERNEL_CACHE:-/var/cache/gaius-debug-kernel}
readonly JOBS=${JOBS:-2}

log() {
	printf 'debug-kernel: %s\n' "$*" >&2
}

die() {
	log "$*"
	exit 1
}

# Extracts the package's tarball into src-VERSION once; prints the tree.
source_tree() {
	local version=$1 src=$CACHE/src-$1 tmp
	if [[ ! -f $src/Makefile ]]; then
		log "extracting $TARBALL into $src"
		tmp=$(mktemp -d "$CACHE/src.XXXXXX")
		tar -xJf "$TARBALL" -C "$tmp"
		mv "$tmp/$PACKAGE" "$src"
		rmdir "$tmp"
	fi
	printf '%s\n' "$src"
}

# Fails unless every CONFIG_ line of the fragment holds in CONFIG: merge_config
# only warns when Kconfig overrides a request (a dependency left out).
check_config() {
	local config=$1 want missing
	missing=$(while IFS= read -r want; do
		case $want in
		CONFIG_*) grep -qxF "$want" "$config" || printf '  %s\n' "$want" ;;
		"# CONFIG_"*" is not set")
			want=${want#\# }
			want=${want%% *}
			grep -q "^$want=" "$config" && printf '  %s is set\n' "$want"
			;;
		esac
	done <"$FRAGMENT")
	[[ -z $missing ]] || die "$config does not hold:"$'\n'"$missing"
}

configure() {
	local src=$1 out=$2
	make -C "$src" O="$out" x86_64_defconfig
	"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
		"$src/kernel/configs/kvm_guest.config" "$FRAGMENT"
	make -C "$src" O="$out" olddefconfig
	check_config "$out/.config"
}

build() {
	local src=$1 dir=$2 out=$2/build
	rm -rf "$out" "$dir/modroot" "$dir/bzImage"
	mkdir -p "$out"
	configure "$src" "$out"
	nice -n 19 make -C "$src" O="$out" -j"$JOBS" bzImage modules
	make -C "$src" O="$out" INSTALL_MOD_PATH="$dir/modroot" modules_install
	cp "$out/arch/x86/boot/bzImage" "$dir/bzImage"
}

main() {
	local version key dir src lock started
	(($# == 0)) || die "usage: tests/debug-kernel/build.sh"
	[[ -r $TARBALL ]] || die "no $TARBALL (apt-get install $PACKAGE)"
	version=$(dpkg-query -W -f='${Version}' "$PACKAGE")
	key=$({
		cat "$FRAGMENT"
		printf '%s\n' "$version"
		gcc --version | head -n 1
	} | sha256sum | cut -c1-16)
	dir=$CACHE/$key
	mkdir -p "$dir"

	# One build per kernel at a time; the second waits and reuses it.
	exec {lock}>"$dir/.lock"
	flock "$lock"
	if [[ ! -f $dir/complete ]]; then
		src=$(source_tree "$version")
		log "building in $dir with $JOBS jobs; log: $dir/build.log"
		started=$SECONDS
		build "$src" "$dir" >"$dir/build.log" 2>&1 ||
			die "the build failed; the end of $dir/build.log:"$'\n'"$(tail -n 30 "$dir/build.log")"
		log "built in $(((SECONDS - started) / 60)) min"
		date -u +%FT%TZ >"$dir/complete"
	fi
	printf '%s\n' "$dir"
}

main "$@"
