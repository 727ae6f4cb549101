# SPDX-License-Identifier: GPL-2.0 OR MIT
# shellcheck shell=bash
#
# Shared by the benchmark's scenarios (tests/bench/scenarios/NN-name.sh),
# which tests/vm/run boots with GAIUS_SCENARIOS=tests/bench/scenarios (see
# mk/bench.mk). Sources tests/netns/lib.sh and xt-lib.sh, then adds a second
# pair of namespaces, so that every path has one of its own kind:
#
#   rules pair  $NS_SERVER / $NS_CLIENT (lib.sh's), GAIUSENCRYPT and
#               GAIUSDECRYPT rules (iptables-nft) for ports $RULES_PORT and
#               $RULES_PORT + 1
#               (rule_cost_handshake and rule_cost_state add those for
#               $COST_PORT)
#   bare pair   $NS_BARE_S / $NS_BARE_C, veth-bs / veth-bc, the same
#               addresses, no netfilter rule ever: no hook is registered
#
# The paths, each with a gaius-bench server of its own:
#
#   plain    bare pair, plain TCP
#   ulp      bare pair, TCP_ULP caesar and CAESAR_KEY by setsockopt
#   rules    rules pair, plain programs; the rules attach the ULP
#   ktls     bare pair, kTLS AES-128-GCM in software, static keys
#   preload  bare pair, plain programs with libshift_preload.so
#   rulecost rules pair, plain programs on $COST_PORT; rule_cost_handshake's
#            rules attach the ULP
#
# Every server and client runs on $BENCH_CPU, the last CPU; the scenario's
# shell and the rest on CPU 0, which is the same one when the guest has one
# (tests/vm/run --icount). Under TCG a wakeup that crosses vCPUs waits for
# the target's next timer tick (4 ms at HZ=250: 64-byte round trips take
# 4-5 ms across CPUs, 0.2 ms on one), so both ends share one CPU and a
# throughput figure is the CPU cost per byte of both ends and their
# softirqs together. Under --icount that cost is counted in instructions,
# not in the host's time, which other work on the host stretches.
#
# Records: gaius-bench's JSON lines, printed as "BENCH {...}"; the host
# reads them from the guest's console (tests/bench/report.py). The guest's
# writes are thrown away, so the console is the only way out.
#
# Environment: GAIUS_BENCH_ROUNDS (default 5), GAIUS_BENCH_SECONDS (default
# 2), the length of one throughput measurement.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=../../netns/lib.sh source-path=SCRIPTDIR
source "$BENCH_DIR/../../netns/lib.sh"
# shellcheck source=../../netns/xt-lib.sh source-path=SCRIPTDIR
source "$BENCH_DIR/../../netns/xt-lib.sh"

PATH=$GAIUS_BUILD/bench:$PATH
# The last CPU: 1 on tests/vm/run's two, 0 on its one under --icount.
BENCH_CPU=$(($(getconf _NPROCESSORS_ONLN) - 1))
readonly BENCH_KEY=100 RULES_PORT=7100 COST_PORT=7102 BARE_PORT=7200 BENCH_CPU
# Where 40-memory.sh mounts tracefs: not under /sys, which `ip netns exec`
# mounts anew.
readonly BENCH_TRACEFS=/run/gaius-bench-tracefs
# shellcheck disable=SC2034 # for the scenarios
readonly BENCH_ROUNDS=${GAIUS_BENCH_ROUNDS:-5} BENCH_SECONDS=${GAIUS_BENCH_SECONDS:-2}
readonly NS_BARE_S=gaius-bsrv-$$ NS_BARE_C=gaius-bcli-$$
readonly SHIM=$GAIUS_BUILD/bench/libshift_preload.so
readonly BENCH_PATHS=(plain ulp rules ktls preload)
declare -A SERVER_PID=()

setup_bare_pair() {
	ip netns add "$NS_BARE_S" &&
		ip netns add "$NS_BARE_C" &&
		ip link add veth-bs netns "$NS_BARE_S" type veth peer name veth-bc netns "$NS_BARE_C" &&
		ip -n "$NS_BARE_S" addr add "$SERVER4/24" dev veth-bs &&
		ip -n "$NS_BARE_C" addr add "$CLIENT4/24" dev veth-bc &&
		ip -n "$NS_BARE_S" link set lo up &&
		ip -n "$NS_BARE_C" link set lo up &&
		ip -n "$NS_BARE_S" link set veth-bs up &&
		ip -n "$NS_BARE_C" link set veth-bc up
}

# Where each path runs, how its programs attach, what TCP_ULP its sockets
# show and the environment its programs get.
path_server_ns() { [[ $1 == rule* ]] && echo "$NS_SERVER" || echo "$NS_BARE_S"; }
path_client_ns() { [[ $1 == rule* ]] && echo "$NS_CLIENT" || echo "$NS_BARE_C"; }

path_port() {
	local i
	[[ $1 == rules ]] && { echo "$RULES_PORT"; return; }
	[[ $1 == rulecost ]] && { echo "$COST_PORT"; return; }
	for i in "${!BENCH_PATHS[@]}"; do
		[[ ${BENCH_PATHS[i]} == "$1" ]] && echo $((BARE_PORT + i))
	done
}

path_attach() {
	case $1 in
	ulp) echo caesar ;;
	ktls) echo ktls ;;
	*) echo none ;;
	esac
}

path_ulp() {
	case $1 in
	ulp | rule*) echo caesar ;;
	ktls) echo tls ;;
	*) echo none ;;
	esac
}

path_env() {
	if [[ $1 == preload ]]; then
		echo "LD_PRELOAD=$SHIM BENCH_SHIFT_KEY=$BENCH_KEY"
	else
		echo "GAIUS_BENCH_PATH=$1"
	fi
}

# bench_server PATH: its gaius-bench server, in the background.
bench_server() {
	local p=$1 envs
	read -r -a envs <<<"$(path_env "$p")"
	in_background "$WORK/server-$p.log" "$(path_server_ns "$p")" env "${envs[@]}" \
		gaius-bench server --port "$(path_port "$p")" --attach "$(path_attach "$p")" \
		--key "$BENCH_KEY" --cpu "$BENCH_CPU" --tracefs "$BENCH_TRACEFS"
	SERVER_PID[$p]=$BG_PID
}

# bench_client PATH ARGS...: gaius-bench client for PATH with ARGS, its
# records printed as BENCH lines (their "path" $BENCH_LABEL if set, else
# PATH), its messages into $WORK/client-PATH.log.
# (Builtins only around it: under TCG every exec costs about a second.)
bench_client() {
	local p=$1 envs status=0 line
	shift
	read -r -a envs <<<"$(path_env "$p")"
	ip netns exec "$(path_client_ns "$p")" env "${envs[@]}" \
		gaius-bench client --address "$SERVER4" --port "$(path_port "$p")" \
		--attach "$(path_attach "$p")" --key "$BENCH_KEY" --cpu "$BENCH_CPU" --label "${BENCH_LABEL:-$p}" \
		--expect-ulp "$(path_ulp "$p")" "$@" >"$WORK/records" 2>>"$WORK/client-$p.log" ||
		status=$?
	while IFS= read -r line; do
		printf 'BENCH %s\n' "$line"
	done <"$WORK/records"
	return "$status"
}

# What a rule costs a flow it has attached (35-rule-cost.sh, 50-profile.sh):
# rule_cost_handshake's rules attach the ULP on the SYN and the SYN-ACK of
# every $COST_PORT flow; rule_cost_state OP STATE adds (-A) or deletes (-D)
# rules after them that match every packet of the flow, as a user's rule
# does (-p tcp and the port), so that its packets after the handshake meet:
#   none    no rule that matches them
#   accept  that match, -j ACCEPT: netfilter's cost of a rule that matches
#   xt      that match, -j MARK that sets no bit: what netfilter adds for
#           any xtables target, which iptables-nft runs through nft_compat
#           where ACCEPT is a native verdict
#   gaius   that match, GAIUSENCRYPT / GAIUSDECRYPT with the flow's key:
#           the rule a user writes, on a flow it has attached already
# shellcheck disable=SC2034 # for the scenarios
readonly RULE_COST_STATES=(none accept xt gaius)
readonly XT_NOOP="MARK --set-xmark 0x0/0x0"
readonly GAIUS_SEND="GAIUSENCRYPT --key $BENCH_KEY" GAIUS_RECV="GAIUSDECRYPT --key $BENCH_KEY"

rule_cost_handshake() {
	both_ends rule-cost-handshake nft 4 -A "$COST_PORT" "$GAIUS_SEND" "$GAIUS_RECV" --tcp-flags SYN SYN
}

rule_cost_state() {
	case $2 in
	none) ;;
	accept) both_ends "rule-cost-$2" nft 4 "$1" "$COST_PORT" ACCEPT ACCEPT ;;
	xt) both_ends "rule-cost-$2" nft 4 "$1" "$COST_PORT" "$XT_NOOP" "$XT_NOOP" ;;
	gaius) both_ends "rule-cost-$2" nft 4 "$1" "$COST_PORT" "$GAIUS_SEND" "$GAIUS_RECV" ;;
	esac
}

# The rules of the rules path: each end enciphers what it sends to or from
# $RULES_PORT (and the port after it, for 10-wire.sh) and deciphers what it
# gets back.
rules_on() {
	both_ends_rules bench-rules nft 4 "$RULES_PORT:$((RULES_PORT + 1))" "$BENCH_KEY"
}

start_servers() {
	local p
	for p in "${BENCH_PATHS[@]}"; do
		bench_server "$p"
	done
}

# stop_servers NAME: tells every server to quit; PASS NAME-PATH for each
# that saw no failed connection. One that cannot be told is killed.
stop_servers() {
	local name=$1 p status
	for p in "${!SERVER_PID[@]}"; do
		status=0
		if ! bench_client "$p" --test quit; then
			status=1
			kill "${SERVER_PID[$p]}"
		fi
		wait "${SERVER_PID[$p]}" || status=1
		show "$WORK/server-$p.log"
		show "$WORK/client-$p.log"
		if ((status == 0)); then
			pass "$name-$p"
		else
			fail "$name-$p" "server: $(tail_line "$WORK/server-$p.log" 1); client: $(tail_line "$WORK/client-$p.log" 1)"
		fi
	done
	SERVER_PID=()
}

# The round's paths, rotated by the round number so that no path is always
# measured first or last.
round_paths() {
	local r=$1 i n=${#BENCH_PATHS[@]}
	for ((i = 0; i < n; i++)); do
		printf '%s\n' "${BENCH_PATHS[(i + r) % n]}"
	done
}

trap 'ip netns del "$NS_BARE_C" 2>/dev/null; ip netns del "$NS_BARE_S" 2>/dev/null; cleanup' EXIT
taskset -pc 0 $$ >/dev/null
# Only emergencies on the console: kernel messages would split records.
dmesg -n 1
if ! setup_bare_pair; then
	fail "$SCENARIO-setup" "cannot create the bare pair of namespaces"
	exit 1
fi
if ! rules_on; then
	exit 1
fi
