#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The modules installed with DKMS, as docs/install.md has an admin do it:
# `make dkms-install` copies kernel/, include/ and dkms.conf to
# /usr/src/gaius-VERSION and has dkms add, build and install them for the
# running kernel. modinfo then finds both modules where DKMS put them
# (updates/dkms/: Debian's dkms puts them there), `modprobe caesar` loads
# that copy, and the first GAIUSENCRYPT rule loads xt_GAIUS by itself.
# Rules on both ends carry a connection each way, in IPv4 and in IPv6:
# every byte arrives as sent (gaius-xfer), and the capture holds only
# ciphertext (wirecheck). Then the rules go, the modules unload, and `make
# dkms-remove` leaves nothing: no module file under /lib/modules, no entry
# in modules.dep, no DKMS tree, no sources in /usr/src.
#
# The runner's own copies of the modules (tests/vm/run installs them in the
# guest's /lib/modules/KVER/updates/gaius/, with indexes that list them) are
# unloaded and moved aside first: DKMS will not install a module of which
# the kernel's tree already holds as recent a copy. They and their indexes
# are put back on exit, for the scenarios that follow.
#
# 91-install-deb.sh sources this file for its helpers; run, it does the
# above.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=xt-lib.sh
source "$(dirname "$0")/xt-lib.sh"

GAIUS_VERSION=$(<"$GAIUS_ROOT/VERSION")
readonly GAIUS_VERSION KVER=$GAIUS_KVER
readonly MODULES=(xt_GAIUS caesar) RUNNER_MODULES=/lib/modules/$GAIUS_KVER/updates/gaius
readonly KEY=12354 SIZE=100000 PORTS=7100:7999

# Whether MODULE is loaded.
loaded() {
	[[ -d /sys/module/$1 ]]
}

# Unloads ours, xt_GAIUS first (it holds caesar); true once neither is
# loaded. Sockets that used the ULP may take a moment to go.
unload_ours() {
	local module
	for module in "${MODULES[@]}"; do
		if loaded "$module"; then
			rmmod "$module" 2>/dev/null || return 1
		fi
	done
}

# Puts the runner's modules and the indexes that list them back.
restore_runner_modules() {
	[[ -d $WORK/runner-modules ]] || return 0
	unload_ours
	rm -rf "$RUNNER_MODULES"
	# dkms remove deletes updates/ with updates/dkms/ when nothing else is
	# left in it, as here.
	mkdir -p "${RUNNER_MODULES%/*}"
	mv "$WORK/runner-modules" "$RUNNER_MODULES"
	cp "$WORK/runner-index"/modules.* "/lib/modules/$KVER/"
}

# Unloads the runner's modules and moves them aside, keeping the module
# indexes to put back with them. Also gives the guest the /dev/fd that udev
# makes on a real system and its devtmpfs lacks: dkms reads through <(...).
hide_runner_modules() {
	trap 'restore_runner_modules; cleanup' EXIT
	[[ -e /dev/fd ]] || ln -s /proc/self/fd /dev/fd
	check "$SCENARIO-runner-modules-unloaded" poll "$WAIT_TENTHS" unload_ours
	mkdir "$WORK/runner-index"
	cp "/lib/modules/$KVER"/modules.* "$WORK/runner-index/"
	if [[ -d $RUNNER_MODULES ]]; then
		mv "$RUNNER_MODULES" "$WORK/runner-modules"
	fi
}

# installed_at MODULE DIR: modinfo resolves MODULE, for the running
# kernel, to DIR/MODULE.ko (compressed or not).
installed_at() {
	local path
	path=$(modinfo -k "$KVER" -n "$1") || return 1
	echo "$1: $path"
	[[ $path == "$2/$1.ko"* ]]
}

# loaded_from MODULE: the loaded MODULE is the file modinfo resolves it to:
# the same GNU build ID (the hash the linker gives its contents), in the
# file and in the running kernel's copy of the note. DKMS compresses the
# modules as the kernel's own are (6.12's are .ko.xz): readelf reads them
# uncompressed.
loaded_from() {
	local path want got elf=$WORK/loaded_from.ko
	path=$(modinfo -k "$KVER" -n "$1") || return 1
	case $path in
	*.xz) xz -dc "$path" >"$elf" || return 1 ;;
	*.zst) zstd -qdc "$path" >"$elf" || return 1 ;;
	*) elf=$path ;;
	esac
	want=$(readelf -n "$elf" | awk '/Build ID:/ { print $3 }')
	# The raw note: sizes, type and "GNU\0" (16 bytes), then the ID.
	got=$(od -An -tx1 -v -j 16 "/sys/module/$1/notes/.note.gnu.build-id" | tr -d ' \n') || return 1
	echo "$1: loaded build ID $got, $path has $want"
	[[ -n $want && $got == "$want" ]]
}

# Whether dkms says gaius VERSION is installed for the running kernel.
dkms_says_installed() {
	local status
	status=$(dkms status -m gaius -v "$GAIUS_VERSION" -k "$KVER") || return 1
	echo "$status"
	[[ $status == "gaius/$GAIUS_VERSION, $KVER, "*": installed"* ]]
}

# dkms_installed NAME: dkms says gaius VERSION is installed for the running
# kernel, and modinfo finds both modules where it put them.
dkms_installed() {
	local name=$1 module
	check "$name-dkms-status" dkms_says_installed
	for module in "${MODULES[@]}"; do
		check "$name-modinfo-$module" installed_at "$module" "/lib/modules/$KVER/updates/dkms"
	done
}

# through_rules NAME: with neither module loaded (iptables -j ... --help
# loads xt_GAIUS too: it asks the kernel which revisions the target has),
# modprobe caesar loads the installed copy; the first rule loads xt_GAIUS
# from the installed copy too; the four rules on both ends (iptables-nft)
# carry one connection each way of SIZE bytes, IPv4 then IPv6, checked end
# to end and on the wire. The rules go at the end.
through_rules() {
	local name=$1 family addr seed runs=() run
	check "$name-unloaded" poll "$WAIT_TENTHS" unload_ours
	check "$name-modprobe-caesar" modprobe caesar
	check "$name-caesar-installed-copy" loaded_from caesar
	if loaded xt_GAIUS; then
		fail "$name-xt-GAIUS-autoload" "xt_GAIUS is loaded before any rule"
	fi
	start_capture || fail "$name-capture" "tcpdump did not start"
	for family in 4 6; do
		if ((family == 4)); then addr=$SERVER4; else addr=$SERVER6; fi
		both_ends_rules "$name-v$family-rules" nft "$family" "$PORTS" "$KEY" || continue
		if ((family == 4)); then
			check "$name-xt-GAIUS-autoload" loaded_from xt_GAIUS
		fi
		seed=$((RANDOM % 1000 + 1))
		xfer "$name-v$family" "$addr" --size "$SIZE" --seed "$seed" --direction both -- \
			--size "$SIZE" --seed "$seed" --direction both
		runs+=("$family:$PORT:$seed")
	done
	stop_capture
	for run in "${runs[@]}"; do
		IFS=: read -r family port seed <<<"$run"
		for direction in client-to-server server-to-client; do
			wire "$name-v$family-wire-$direction" "$port" --direction "$direction" \
				--seed "$seed" --size "$SIZE" --shift "$KEY" --streams 1
		done
	done
	clear_rules "$NS_CLIENT" nft
	clear_rules "$NS_SERVER" nft
	check "$name-rmmod" poll "$WAIT_TENTHS" unload_ours
}

# kernel_out_of_range NAME: a kernel gaius cannot build for arrives (a
# version outside dkms.conf's BUILD_EXCLUSIVE_KERNEL, with a headers tree
# where DKMS' hooks look for one). The hooks its packages' postinsts run
# (Debian's linux-image runs /etc/kernel/postinst.d/ with run-parts
# --exit-on-error, linux-headers /etc/kernel/header_postinst.d/) must
# succeed, or the kernel's initramfs and boot entry are never made; they
# say why gaius was left out, and DKMS has built nothing for that kernel.
kernel_out_of_range() {
	local name=$1 kver=6.99.0-gaius-out-of-range hook
	mkdir -p "/lib/modules/$kver/build/include"
	for hook in postinst.d header_postinst.d; do
		step "$name-kernel-hook-${hook%.d}" run-parts --report --exit-on-error \
			--regex '^dkms$' --arg="$kver" --arg="/boot/vmlinuz-$kver" "/etc/kernel/$hook"
		check "$name-kernel-hook-${hook%.d}-says-why" \
			grep -q "gaius: not built for Linux $kver" "$WORK/$name-kernel-hook-${hook%.d}.log"
	done
	check "$name-kernel-hook-nothing-built" not_built_for "$kver"
	rm -rf "/lib/modules/$kver"
}

# Whether DKMS has neither built nor installed anything of gaius for $1.
not_built_for() {
	local status
	status=$(dkms status -m gaius -k "$1" 2>&1) || return 1
	echo "dkms status for $1: ${status:-nothing}"
	[[ $status != *"$1"* ]] && [[ ! -e /var/lib/dkms/gaius/$GAIUS_VERSION/$1 ]]
}

# What a removal may have left of gaius: module files and modules.dep
# entries for any kernel, the DKMS tree, the sources.
leftovers() {
	find /lib/modules \( -name 'caesar.ko*' -o -name 'xt_GAIUS.ko*' \) -print
	grep -H -E '(^|/)(caesar|xt_GAIUS)\.ko' /lib/modules/*/modules.dep
	ls -d /var/lib/dkms/gaius /usr/src/gaius-* 2>/dev/null
	return 0
}

# nothing_left NAME: no leftovers, and modprobe knows neither module.
nothing_left() {
	local name=$1 left module
	left=$(leftovers)
	if [[ -z $left ]]; then
		pass "$name-no-files"
	else
		fail "$name-no-files" "left: ${left//$'\n'/ }"
	fi
	for module in "${MODULES[@]}"; do
		if modprobe -n "$module" 2>/dev/null; then
			fail "$name-modprobe-$module-unknown" "modprobe still finds $module"
		else
			pass "$name-modprobe-$module-unknown"
		fi
	done
}

# step NAME CMD...: PASS when CMD exits 0, else FAIL; CMD's output is log as
# it comes (these steps take minutes under emulation), and how long it took.
step() {
	local name=$1 started=$SECONDS status
	shift
	"$@" 2>&1 | tee "$WORK/$name.log" | sed -u 's/^/    | /'
	status=${PIPESTATUS[0]}
	log "$name: $* took $((SECONDS - started)) s"
	if ((status == 0)); then
		pass "$name"
	else
		fail "$name" "$* (exit $status): $(tail_line "$WORK/$name.log")"
	fi
	return "$status"
}

dkms_story() {
	local make=(make -C "$GAIUS_ROOT" --no-print-directory KVER="$KVER")
	hide_runner_modules
	if ! step dkms-make-dkms-install "${make[@]}" dkms-install; then
		show "/var/lib/dkms/gaius/$GAIUS_VERSION/build/make.log"
		return
	fi
	dkms_installed dkms
	kernel_out_of_range dkms
	through_rules dkms
	step dkms-make-dkms-remove "${make[@]}" dkms-remove
	nothing_left dkms-removed
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	dkms_story
	finish
fi
