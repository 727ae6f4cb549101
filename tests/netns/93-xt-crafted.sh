#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# GAIUSENCRYPT and GAIUSDECRYPT rules no iptables would write, straight
# through IPT_SO_SET_REPLACE and IP6T_SO_SET_REPLACE (gaius-xt-crafted,
# tests/fuzz/xtcrafted/): bad revisions, names and target sizes, keys with
# shift 0, the wrong hooks (directly and through a user chain), protocols
# other than tcp, sizes, entry and counter counts that lie. Each must be
# refused with its errno and leave the table as it was, while the valid
# controls are accepted; the tool prints a result per case. Afterwards no
# module reference may be left behind (xt_GAIUS unloads), and rules added
# the normal way still encipher a transfer. checkentry's and x_tables'
# messages in the kernel log are expected; the VM runner fails on warnings.
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=xt-lib.sh
source "$(dirname "$0")/xt-lib.sh"
# shellcheck source=../fuzz/scenario-lib.sh
source "$(dirname "$0")/../fuzz/scenario-lib.sh"

readonly XTCRAFTED=$GAIUS_BUILD/fuzz/gaius-xt-crafted
readonly KEY=4242 SIZE=300007 SEED=93 PORTS=7100:7999

[[ -x $XTCRAFTED ]] || {
	fail "$SCENARIO-setup" "$XTCRAFTED is not built (make -C tests/fuzz)"
	exit 1
}
check xt-crafted-modules modprobe -a iptable_filter ip6table_filter xt_GAIUS

xt_gaius_unloads() {
	rmmod xt_GAIUS 2>/dev/null
}

messages_before=$(dmesg | grep -c 'GAIUS\|x_tables' || true)
for family in 4 6; do
	# The tool's PASS and FAIL lines are this scenario's.
	if ! in_server "$XTCRAFTED" --family "$family"; then
		FAILURES=$((FAILURES + 1))
	fi
done
log "the kernel logged $(($(dmesg | grep -c 'GAIUS\|x_tables' || true) - messages_before)) message(s) from x_tables and the targets' checkentry"

# Every refused table dropped the module references its lookups took.
clear_rules "$NS_SERVER" legacy
if poll "$WAIT_TENTHS" xt_gaius_unloads; then
	pass xt-crafted-no-module-reference-left
else
	fail xt-crafted-no-module-reference-left "rmmod xt_GAIUS: $(rmmod xt_GAIUS 2>&1)"
fi
check xt-crafted-modprobe-again modprobe xt_GAIUS

# And the targets still work, the normal way.
start_capture || fail "$SCENARIO-capture" "tcpdump did not start"
SPECS=()
for family in 4 6; do
	if ((family == 4)); then addr=$SERVER4; else addr=$SERVER6; fi
	both_ends_rules "xt-crafted-after-rules-v$family" legacy "$family" "$PORTS" "$KEY"
	xfer_both "xt-crafted-after-v$family" "$addr" "$SEED" "$SIZE" "$KEY" 1
done
stop_capture
wire_batches xt-crafted-after-wire "${SPECS[@]}"
finish
