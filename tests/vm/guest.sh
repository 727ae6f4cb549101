#!/bin/bash
# Init (PID 1) of the test VM, started by tests/vm/initramfs-init once the
# host's root is mounted as a RAM-backed overlay. Runs the netns scenarios
# and checks the kernel log; tests/vm/run boots it and reads the results.
#
# Kernel command line (set by tests/vm/run; root, scenarios and modules are
# required):
#   gaius.root=DIR        the checkout
#   gaius.scenarios=DIR   where the [0-9]*.sh scenarios are
#   gaius.filter=GLOB     only scenarios whose file name contains GLOB
#   gaius.skip=GLOB       none whose file name contains GLOB
#   gaius.shard=I/N       of those, the Ith of every N (0 <= I < N): one of
#                         N VMs that share the scenarios
#   gaius.modules=DIR     our modules, in the layout of /lib/modules
#   gaius.timeout=SECS    limit for one scenario
#   gaius.env=NAME=VALUE  exported to the scenarios (any number of them)
#   gaius.kmemleak=1      after the scenarios, fail on what kmemleak finds
#
# Scenario contract: run with cwd = the checkout, stdin /dev/null, and
# GAIUS_ROOT, GAIUS_BUILD, GAIUS_KVER set; prints "PASS: <name>" or
# "FAIL: <name>: <reason>" lines on stdout, and "TALLY: <what> <count>"
# (tests/netns/lib.sh's tally), anything else is log. Added here:
# "FAIL: <script>: exited N" when it fails without a FAIL line, "FAIL:
# <script>: timed out", and "FAIL: <script>: printed no result" for a silent
# success. Processes and named netns a scenario leaves behind are removed
# before the next one starts.
#
# Results and tallies go to /dev/ttyS1, one per line, as they happen, then
# "END".

set -Eeuo pipefail
shopt -s nullglob lastpipe

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LANG=C.UTF-8 HOME=/root

readonly RESULTS_TTY=/dev/ttyS1
readonly CGROUP=/sys/fs/cgroup/gaius-scenario
# shellcheck source=kernel-trouble.sh source-path=SCRIPTDIR
source "${0%/*}/kernel-trouble.sh"
readonly KMEMLEAK=/sys/kernel/debug/kmemleak
# Taint flags that only a kernel problem sets: B (bad page), D (oops),
# W (warning), L (soft lockup). Out-of-tree and unsigned modules (O, E) are
# expected here.
readonly TROUBLE_TAINTS=$(((1 << 5) | (1 << 7) | (1 << 9) | (1 << 14)))

ROOT='' SCENARIOS='' FILTER='' SKIP='' SCENARIO_TIMEOUT=1800 RESULTS_FD='' KMEMLEAK_CHECK=false
SHARD_INDEX=0 SHARD_COUNT=1 MODULES_DIR=''
# "START END NAME" per scenario run, in jiffies: whose run an allocation
# kmemleak reports happened in.
SPANS=()

log() {
	printf 'gaius-vm: %s\n' "$*"
}

# A log line that also lands in the kernel log, so dmesg shows which
# scenario was running when the kernel complained.
mark() {
	log "$*"
	# Level 7 (debug): in dmesg, but not echoed to the console a second time.
	printf '<7>gaius-vm: %s\n' "$*" >/dev/kmsg
}

# Writes one line to the results channel, and to the console for context.
result() {
	printf '%s\n' "$*"
	if [[ -n $RESULTS_FD ]]; then
		printf '%s\n' "$*" >&"$RESULTS_FD"
	fi
}

read_cmdline() {
	local arg args shard
	# read -a splits without globbing: gaius.filter carries a pattern.
	read -r -a args </proc/cmdline
	for arg in "${args[@]}"; do
		case $arg in
		gaius.root=*) ROOT=${arg#*=} ;;
		gaius.scenarios=*) SCENARIOS=${arg#*=} ;;
		gaius.filter=*) FILTER=${arg#*=} ;;
		gaius.skip=*) SKIP=${arg#*=} ;;
		gaius.shard=*/*)
			shard=${arg#*=}
			SHARD_INDEX=${shard%/*} SHARD_COUNT=${shard#*/}
			;;
		gaius.timeout=*) SCENARIO_TIMEOUT=${arg#*=} ;;
		gaius.modules=*) MODULES_DIR=${arg#*=} ;;
		gaius.env=*) export "${arg#*=}" ;;
		gaius.kmemleak=1) KMEMLEAK_CHECK=true ;;
		esac
	done
	: "${ROOT:?no gaius.root= on the kernel command line}"
	: "${SCENARIOS:?no gaius.scenarios= on the kernel command line}"
	: "${MODULES_DIR:?no gaius.modules= on the kernel command line}"
}

# A fresh tmpfs on DIR, unless the checkout or the scenarios live below it
# (CI may clone into /tmp): the overlay already keeps writes there in RAM.
fresh_tmpfs() {
	local dir=$1 mode=$2
	if [[ $ROOT/ == "$dir"/* || $SCENARIOS/ == "$dir"/* ]]; then
		log "keeping the host's $dir: the checkout or the scenarios are in it"
		return
	fi
	mount -t tmpfs -o "mode=$mode" tmpfs "$dir"
}

mount_kernel_fs() {
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	mkdir -p /dev/pts /dev/shm
	mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts
	mount -t tmpfs -o mode=1777 tmpfs /dev/shm
	mount -t cgroup2 cgroup2 /sys/fs/cgroup
}

open_results() {
	exec {RESULTS_FD}>"$RESULTS_TTY"
	# Raw mode: the host gets exactly the bytes written, no \r added.
	stty -F "$RESULTS_TTY" raw -echo
}

setup_system() {
	fresh_tmpfs /run 0755
	fresh_tmpfs /tmp 1777
	hostname gaius-vm
	ip link set lo up
	ulimit -n 65536
	hold_timestamp_key
}

# Keeps the kernel's receive-timestamp static key (netstamp_needed_key) on
# for the guest's life, with one socket that asks for timestamps. Every
# first SO_TIMESTAMP* socket and every last one closed rewrites the code of
# netif_rx and the like, and qemu 7.2 (Debian 12's) can then run, on the
# other vCPU, a translation of that code made mid-rewrite: the guest dies of
# an "Oops: int3" (qemu 8.1 fixed it, "accel/tcg: Always lock pages before
# translation"). gaius-sockfuzz sets SO_TIMESTAMP on and off hundreds of
# times a second, and 6.12 guests died of it in 92-fuzz-sockets. Held on,
# the key is never rewritten again.
hold_timestamp_key() {
	python3 -c '
import signal, socket
SO_TIMESTAMP = 29  # asm-generic/socket.h; Python does not name it
holder = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
holder.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMP, 1)
signal.pause()' &
}

# Makes our freshly built modules loadable by name and by autoload
# ("modprobe tcp-ulp-caesar", TCP_ULP "caesar"): tests/vm/run put them and
# the module indexes that include them (depmod's output) in $MODULES_DIR,
# beside links to the kernel's own module files. A kernel that is not the
# host's (tests/vm/run --mod-root) has no /lib/modules/KVER here: it gets
# those links too.
install_modules() {
	local kver=$1 prepared=$MODULES_DIR/lib/modules/$1 entry
	local kos=("$prepared"/updates/gaius/*.ko)
	if ((${#kos[@]} == 0)); then
		log "no modules of ours prepared, none installed"
		return
	fi
	mkdir -p "/lib/modules/$kver/updates/gaius"
	cp "${kos[@]}" "/lib/modules/$kver/updates/gaius/"
	find "$prepared" -maxdepth 1 -type f -name 'modules.*' \
		-exec cp -t "/lib/modules/$kver/" {} +
	for entry in "$prepared"/*; do
		[[ -e /lib/modules/$kver/${entry##*/} ]] || cp -P "$entry" "/lib/modules/$kver/"
	done
	log "installed ${kos[*]##*/}"
}

# Shows every thread of the scenario: its command line, where it waits, and
# its kernel stack, which is what a hang inside our module looks like.
show_threads() {
	local pid task
	for pid in $(<"$CGROUP/cgroup.procs"); do
		for task in /proc/"$pid"/task/*; do
			printf '  thread %s (%s), in %s: %s\n' "${task##*/}" "$(<"$task/comm")" \
				"$(<"$task/wchan")" "$(tr '\0' ' ' <"$task/cmdline")"
			sed 's/^/      /' "$task/stack"
		done
	done 2>/dev/null || true # threads may exit while we look
}

# Kills whatever is left in the scenario's cgroup: daemons it started in
# its netns would otherwise keep running, and keep our pipe open.
kill_leftovers() {
	if grep -q '^populated 1' "$CGROUP/cgroup.events"; then
		log "$1 left processes behind, killing them"
		echo 1 >"$CGROUP/cgroup.kill"
		while grep -q '^populated 1' "$CGROUP/cgroup.events"; do
			sleep 0.1
		done
	fi
}

# Runs SCRIPT in the scenario cgroup for at most SCENARIO_TIMEOUT seconds,
# then kills whatever it left; exits with its status. On a timeout it says
# so in a FAIL line of its own and shows where the threads were first.
supervise() {
	local name=$1 script=$2 scenario timer finished='' status=0
	(
		echo "$BASHPID" >"$CGROUP/cgroup.procs"
		cd "$ROOT"
		exec "$script" </dev/null
	) &
	scenario=$!
	sleep "$SCENARIO_TIMEOUT" >/dev/null &
	timer=$!
	wait -n -p finished "$scenario" "$timer" || status=$?
	if [[ $finished == "$timer" ]]; then
		echo "FAIL: $name: timed out"
		log "$name timed out after $SCENARIO_TIMEOUT s; its threads:"
		show_threads
		echo 1 >"$CGROUP/cgroup.kill"
		wait "$scenario" 2>/dev/null || status=$? # no "Killed" notice
	else
		kill "$timer"
	fi
	kill_leftovers "$name"
	exit "$status"
}

# Runs one scenario in a cgroup of its own (so it can be killed whole),
# relaying its result lines and adding one of ours where it owes one.
run_scenario() {
	local script=$1 name=${1##*/} status=0 line leftover start=$SECONDS took
	local saw_result=false saw_fail=false from

	from=$(jiffies)
	mark "begin $name"
	mkdir "$CGROUP"
	supervise "$name" "$script" 2>&1 | while IFS= read -r line; do
		case $line in
		PASS:*) saw_result=true; result "$line" ;;
		FAIL:*) saw_result=true; saw_fail=true; result "$line" ;;
		TALLY:*) result "$line" ;;
		*) printf '%s\n' "$line" ;;
		esac
	done || status=${PIPESTATUS[0]}
	rmdir "$CGROUP"
	leftover=$(ip netns list | cut -d' ' -f1)
	if [[ -n $leftover ]]; then
		log "$name left netns behind, removing: ${leftover//$'\n'/ }"
		ip -all netns delete
	fi

	if ((status != 0)) && ! $saw_fail; then
		result "FAIL: $name: exited $status"
	elif ! $saw_result; then
		result "FAIL: $name: printed no result"
	fi
	SPANS+=("$from $(jiffies) $name")
	took=$((SECONDS - start))
	if ((status != 0)) || $saw_fail || ! $saw_result; then
		mark "end $name failed after $took s"
	else
		mark "end $name passed after $took s"
	fi
	# What the scenarios leave in RAM (the overlay, tmpfs) adds up.
	log "memory: $(awk '$1 ~ /^(MemAvailable|Shmem|Slab):$/ { printf "%s %d MB ", $1, $2 / 1024 }' /proc/meminfo)"
}

run_scenarios() {
	local script ran=0 matched=0
	if [[ ! -d $SCENARIOS ]]; then
		result "FAIL: vm: no scenario directory $SCENARIOS"
		return
	fi
	for script in "$SCENARIOS"/[0-9]*.sh; do
		[[ -x $script && ${script##*/} == *$FILTER* ]] || continue
		[[ -z $SKIP || ${script##*/} != *$SKIP* ]] || continue
		matched=$((matched + 1))
		(((matched - 1) % SHARD_COUNT == SHARD_INDEX)) || continue
		run_scenario "$script"
		ran=$((ran + 1))
	done
	if ((ran == 0)) && [[ -n $FILTER ]]; then
		result "FAIL: vm: no scenario matches --filter $FILTER"
	fi
	log "ran $ran scenarios"
}

# The kernel's tick count now, as kmemleak's reports give an allocation's.
jiffies() {
	awk '$1 == "jiffies:" { print $2; exit }' /proc/timer_list
}

# Before the scenarios: forgets what kmemleak suspects from the boot, so
# that only what happens later is reported.
kmemleak_start() {
	mount -t debugfs debugfs /sys/kernel/debug
	if [[ ! -w $KMEMLEAK ]]; then
		result "FAIL: kmemleak: no $KMEMLEAK (a kernel without CONFIG_DEBUG_KMEMLEAK?)"
		KMEMLEAK_CHECK=false
		return
	fi
	kmemleak_scan && echo clear >"$KMEMLEAK"
}

# A scan; a FAIL line when kmemleak refuses it, having turned itself off
# (out of memory for its metadata, say: the kernel log says why).
kmemleak_scan() {
	echo scan 2>/dev/null >"$KMEMLEAK" && return
	result "FAIL: kmemleak: scan refused, kmemleak is off (see the kernel log)"
	KMEMLEAK_CHECK=false
	return 1
}

# After the scenarios: fails on any unreferenced object kmemleak finds,
# naming the scenario that ran when it was allocated. kmemleak skips objects
# younger than 5 s, and one whose contents changed since the scan before
# (still in use), hence the wait and the two scans.
kmemleak_check() {
	local report summary
	sleep 6
	kmemleak_scan && kmemleak_scan || return 0
	report=$(<"$KMEMLEAK")
	if [[ -z $report ]]; then
		result "PASS: kmemleak"
		return
	fi
	report=$(awk -v spans="$(printf '%s\n' "${SPANS[@]}")" '
		BEGIN { n = split(spans, line, "\n") }
		{ print }
		/^ *comm ".*, jiffies [0-9]+/ {
			at = $0; sub(/.*jiffies /, "", at); sub(/[^0-9].*/, "", at)
			during = "outside the scenarios"
			for (i = 1; i <= n; i++) {
				split(line[i], f, " ")
				if (at + 0 >= f[1] + 0 && at + 0 <= f[2] + 0) during = "during " f[3]
			}
			print "    allocated " during
		}' <<<"$report")
	summary=$(grep -o 'allocated [a-z]* .*' <<<"$report" | sort | uniq -c |
		awk '{ $1 = $1 " object(s)"; print }' | paste -sd';' -)
	mark "begin kmemleak"
	printf '%s\n' "$report"
	mark "end kmemleak failed"
	result "FAIL: kmemleak: unreferenced objects: $summary"
}

# Fails on any alarming kernel message since the "scenarios start" marker,
# naming the scenario that was running, or on a taint that only a kernel
# problem sets. Matches from the boot itself are shown, not counted: they
# happen before any of our code is in the kernel.
check_kernel_log() {
	local kmsg boot_trouble trouble taint
	kmsg=$(dmesg)
	log "----- kernel log -----"
	printf '%s\n' "$kmsg"
	log "----- end of kernel log -----"

	boot_trouble=$(sed '/gaius-vm: scenarios start/,$d' <<<"$kmsg" |
		grep -E "$KERNEL_TROUBLE" || true)
	if [[ -n $boot_trouble ]]; then
		log "note: the boot itself logged: $boot_trouble"
	fi

	trouble=$(sed -n '/gaius-vm: scenarios start/,$p' <<<"$kmsg" | awk -v re="$KERNEL_TROUBLE" '
		/gaius-vm: begin / { sub(/.*gaius-vm: begin /, ""); running = $0; next }
		/gaius-vm: end / { running = ""; next }
		$0 ~ re && n < 3 {
			sub(/^\[[ 0-9.]*\] /, "")
			out = out (n++ ? " | " : "") (running != "" ? "[" running "] " : "") $0
		}
		END { print out }')
	taint=$(</proc/sys/kernel/tainted)
	if ((taint & TROUBLE_TAINTS)); then
		trouble+="${trouble:+ | }kernel tainted $taint"
	fi
	if [[ -n $trouble ]]; then
		result "FAIL: kernel log clean: $trouble"
	else
		result "PASS: kernel log clean"
	fi
}

# Always the last word, whatever happened: the END marker tells the host
# that the guest finished, then the VM powers off. Closing the results
# descriptor first waits until the serial port has sent everything.
finish() {
	local status=$?
	trap - EXIT
	if ((status != 0)); then
		result "FAIL: vm: guest.sh stopped with status $status (see the console log)"
	fi
	result END
	if [[ -n $RESULTS_FD ]]; then
		exec {RESULTS_FD}>&-
	fi
	busybox poweroff -f
}

main() {
	local kver
	mount_kernel_fs
	open_results
	read_cmdline
	setup_system
	kver=$(uname -r)
	export GAIUS_ROOT=$ROOT GAIUS_BUILD=$ROOT/build GAIUS_KVER=$kver
	export PATH=$ROOT/build/tests:$ROOT/build/userspace:$PATH
	log "up after $(cut -d' ' -f1 /proc/uptime) s; kernel $kver"

	if $KMEMLEAK_CHECK; then
		kmemleak_start
	fi
	mark "scenarios start"
	install_modules "$kver"
	run_scenarios
	if $KMEMLEAK_CHECK; then
		kmemleak_check
	fi
	check_kernel_log
}

trap finish EXIT
trap 'log "line $LINENO: \"$BASH_COMMAND\" failed"' ERR
main
