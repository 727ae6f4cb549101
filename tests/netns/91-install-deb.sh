#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The Debian packages, as docs/install.md has an admin use them: `make deb`
# built gaius-dkms and gaius-tools on the host (make check does, before the
# VM boots), `apt-get install ./*.deb` installs them with no network (their
# dependencies are on the host's root), and gaius-dkms' postinst (dh_dkms')
# has DKMS build and install the modules. The installed packages are this
# checkout's, not an older `make deb`'s: their version is this commit's
# (packaging/deb/version), the module sources are the checkout's byte for
# byte, and every installed file is as its package holds it (dpkg
# --verify; the programs are built and stripped by debian/rules, so they
# are not build/userspace/'s bytes). Then, with nothing from the build tree:
# iptables finds the plugins in its own directory (no XTABLES_LIBDIR, and
# it did not know the targets before), the modules load from where DKMS put
# them, and rules on both ends carry a connection each way, IPv4 and IPv6,
# every byte checked end to end and on the wire (the helpers of
# 90-install-dkms.sh); the installed demo programs and preload library
# carry the blog demo's message, the installed gaiusctl counts what the
# demo's server deciphered, and the man pages render. `apt-get purge`
# then leaves nothing: no file of either package, no module file or
# modules.dep entry for any kernel, no DKMS tree, and iptables no longer
# knows the targets.
#
# The postinst builds for the running kernel and for the newest installed
# one whose headers are there, as every Debian *-dkms package does. The
# other kernel's headers are hidden for the scenario: one more build and
# two more depmod runs would take minutes under emulation (90 and the RT
# run of the suite build for each kernel). man-db's index is left alone
# (/var/lib/man-db/auto-update removed) for the same reason: man finds
# pages by path without it.
# shellcheck source=90-install-dkms.sh source-path=SCRIPTDIR
source "$(dirname "$0")/90-install-dkms.sh"

unset XTABLES_LIBDIR
readonly PACKAGES=(gaius-dkms gaius-tools) DEB_DIR=$GAIUS_BUILD/deb
# The packages' version: VERSION and the commit (GAIUS_VERSION, VERSION
# alone, is DKMS' version of the module).
DEB_VERSION=$("$GAIUS_ROOT/packaging/deb/version")
readonly DEB_VERSION
readonly XTLIBDIR=/usr/lib/x86_64-linux-gnu/xtables
readonly PRELOAD_INSTALLED=/usr/lib/x86_64-linux-gnu/gaius/libgaius_preload.so
readonly HIDDEN=build.hidden-by-91-install-deb
readonly MESSAGE=ABCDEFG

# Whether iptables (nft) knows TARGET, from the plugins it finds by itself:
# its help then ends with the target's (it exits 0 either way).
knows_target() {
	[[ $(iptables-nft -j "$1" --help 2>&1) == *"$1 target options:"* ]]
}

# targets_known NAME YES|NO: whether iptables knows both targets.
targets_known() {
	local name=$1 want=$2 target got
	for target in GAIUSENCRYPT GAIUSDECRYPT; do
		if knows_target "$target"; then got=yes; else got=no; fi
		if [[ $got == "$want" ]]; then
			pass "$name-$target"
		else
			fail "$name-$target" "iptables knows $target: $got, expected $want"
		fi
	done
}

# Hides the headers (the build link) of every kernel but the running one.
hide_other_headers() {
	local build
	for build in /lib/modules/*/build; do
		[[ $build == "/lib/modules/$KVER/build" ]] || mv "$build" "${build%build}$HIDDEN"
	done
}

restore_headers() {
	local hidden
	for hidden in /lib/modules/*/"$HIDDEN"; do
		[[ -L $hidden ]] && mv "$hidden" "${hidden%"$HIDDEN"}build"
	done
}

# matches_build: the packages are this commit's, hold this checkout's
# module sources byte for byte, and every file they installed is as they
# hold it.
matches_build() {
	local file pkg status=0
	for pkg in "${PACKAGES[@]}"; do
		[[ $(dpkg-query -W -f '${Version}' "$pkg") == "$DEB_VERSION" ]] || status=1
	done
	for file in "$GAIUS_ROOT"/kernel/Kbuild "$GAIUS_ROOT"/kernel/*.[ch]; do
		[[ $file == *.mod.c ]] || cmp "$file" "/usr/src/gaius-$GAIUS_VERSION/kernel/${file##*/}" || status=1
	done
	[[ -z $(dpkg --verify "${PACKAGES[@]}") ]] || status=1
	[[ -x /usr/bin/caesar-server && -x /usr/bin/caesar-client && -x /usr/sbin/gaiusctl ]] || status=1
	[[ -f $XTLIBDIR/libxt_GAIUSENCRYPT.so && -f $XTLIBDIR/libxt_GAIUSDECRYPT.so && -f $PRELOAD_INSTALLED ]] || status=1
	return "$status"
}

# installed PACKAGE: dpkg has it installed and configured.
installed() {
	[[ $(dpkg-query -W -f '${db:Status-Abbrev}' "$1" 2>/dev/null) == ii* ]]
}

# renders WORD MAN-ARGS...: man finds and formats the page, which holds WORD.
renders() {
	local word=$1 text
	shift
	text=$(MANWIDTH=80 man -P cat "$@" 2>&1) || return 1
	grep -q -- "$word" <<<"$text"
}

# installed_demo NAME: the installed caesar-server under the installed
# preload library prints what the installed caesar-client sent through the
# ULP; the wire holds it + KEY.
installed_demo() {
	local name=$1 server_pid
	next_port
	start_capture || fail "$name-capture" "tcpdump did not start"
	in_server env LD_PRELOAD="$PRELOAD_INSTALLED" GAIUS_KEY="$KEY" /usr/bin/caesar-server "$PORT" \
		>"$WORK/$name.out" 2>"$WORK/$name.err" &
	server_pid=$!
	BACKGROUND_PIDS+=("$server_pid")
	wait_listening "$NS_SERVER" "$PORT" || log "$name: the server never listened"
	check "$name-client" in_client /usr/bin/caesar-client "$SERVER4" "$PORT" "$KEY" "$MESSAGE"
	wait "$server_pid" || log "$name: the server exited non-zero"
	show "$WORK/$name.err"
	check "$name-server-prints-message" grep -qx "$MESSAGE" "$WORK/$name.out"
	stop_capture
	wire "$name-wire" "$PORT" --message "$MESSAGE" --shift "$KEY"
}

# demo_counted: the installed gaiusctl, in the demo server's namespace,
# reports (as JSON) a socket attached and at least the message's bytes
# deciphered.
demo_counted() {
	in_server /usr/sbin/gaiusctl stats --json >"$WORK/gaiusctl-stats.json" || return 1
	show "$WORK/gaiusctl-stats.json"
	python3 -c '
import json, sys
stats = json.load(open(sys.argv[1]))
sys.exit(0 if stats["CaesarAttached"] >= 1 and stats["CaesarRxBytes"] >= int(sys.argv[2]) else 1)
' "$WORK/gaiusctl-stats.json" "${#MESSAGE}"
}

# package_files_gone NAME FILE: none of the files listed in FILE exists.
package_files_gone() {
	local left
	left=$(while IFS= read -r path; do [[ -f $path ]] && echo "$path"; done <"$2")
	if [[ -z $left ]]; then
		pass "$1"
	else
		fail "$1" "left: ${left//$'\n'/ }"
	fi
}

deb_story() {
	local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -y -q) debs=()
	# Copied first: the host may rebuild them while this runs.
	mkdir "$WORK/deb"
	if ! cp "$DEB_DIR/gaius-dkms_${DEB_VERSION}_all.deb" "$DEB_DIR/gaius-tools_${DEB_VERSION}_amd64.deb" "$WORK/deb/"; then
		fail deb-packages-built "no packages for version $DEB_VERSION in $DEB_DIR: run make deb (make check does)"
		return
	fi
	debs=("$WORK"/deb/*.deb)
	hide_runner_modules
	trap 'restore_headers; restore_runner_modules; cleanup' EXIT
	hide_other_headers
	rm -f /var/lib/man-db/auto-update
	targets_known deb-before-install-iptables-knows no

	step deb-apt-get-install "${apt[@]}" install "${debs[@]}"
	for pkg in "${PACKAGES[@]}"; do
		check "deb-$pkg-installed" installed "$pkg"
		dpkg-query -L "$pkg" >>"$WORK/package-files"
	done
	dkms_installed deb
	kernel_out_of_range deb
	check deb-files-are-this-build matches_build
	check deb-man-gaius-targets renders 'iptables -A OUTPUT -p tcp -d 192.0.2.1' 8 gaius-targets
	check deb-man-caesar renders CAESAR_KEY 7 caesar
	check deb-man-gaiusctl renders 'gaiusctl list' 8 gaiusctl
	check deb-man-caesar-server renders ABCDEFG 1 caesar-server
	check deb-man-caesar-client renders CAESAR_KEY 1 caesar-client
	check deb-gaiusctl-version test "$(/usr/sbin/gaiusctl --version)" = "gaiusctl (gaius) $GAIUS_VERSION"
	targets_known deb-installed-iptables-knows yes
	through_rules deb
	installed_demo deb-demo
	check deb-gaiusctl-counts-demo demo_counted

	step deb-apt-get-purge "${apt[@]}" purge "${PACKAGES[@]}"
	for pkg in "${PACKAGES[@]}"; do
		if installed "$pkg"; then
			fail "deb-$pkg-purged" "still installed"
		else
			pass "deb-$pkg-purged"
		fi
	done
	package_files_gone deb-purged-package-files "$WORK/package-files"
	nothing_left deb-purged
	targets_known deb-purged-iptables-knows no
}

deb_story
finish
