#!/bin/bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# The four rules of 81-xt-protocols (each side GAIUSENCRYPT out,
# GAIUSDECRYPT in) over a bad link: netem on both ends of the veth (loss 3%,
# reorder 25%, delay 1ms, duplicate 2%), so that SYNs, SYN-ACKs, the
# handshake's last ACK and data are lost, doubled and reordered. Unmodified
# gaius-xfer, both directions at once; nothing may be lost or corrupted and
# the wire shows only ciphertext.
#
# Sizes, chosen to keep this under ~4 minutes on the software-emulated VM,
# per backend (nft, legacy) and family (IPv4, IPv6):
#   3 batches of 50 concurrent connections, each batch its own random size
#   from 1 byte to 64 KiB per direction, and 1 batch of 2 concurrent
#   connections of a random size from 1 to 4 MiB per direction;
# The key is 4294954942 (0xffffcfbe, shift 190): a key above 2^31.
# 608 connections in all (bash's RANDOM is seeded: the sizes are logged).
# shellcheck source=lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/lib.sh"
# shellcheck source=xt-lib.sh
source "$(dirname "$0")/xt-lib.sh"

readonly KEY=4294954942 PORTS=7100:7999 NETEM=(loss 3% reorder 25% delay 1ms duplicate 2%)
RANDOM=82

command -v tc >/dev/null || { fail "$SCENARIO-setup" "no tc"; exit 1; }
modprobe sch_netem || { fail "$SCENARIO-setup" "no sch_netem"; exit 1; }
check xt-netem-qdisc-client in_client tc qdisc add dev veth-c root netem "${NETEM[@]}"
check xt-netem-qdisc-server in_server tc qdisc add dev veth-s root netem "${NETEM[@]}"


total=0 bytes=0
for backend in "${BACKENDS[@]}"; do
	for family in 4 6; do
		if ((family == 4)); then addr=$SERVER4; else addr=$SERVER6; fi
		both_ends_rules "xt-netem-rules-$backend-v$family" "$backend" "$family" "$PORTS" "$KEY" || continue
		batches=()
		start_capture || fail "$SCENARIO-capture" "tcpdump did not start"
		for n in 50 50 50 2; do
			if ((n == 2)); then
				size=$((((RANDOM << 15) | RANDOM) % (3 << 20) + (1 << 20)))
			else
				size=$((RANDOM * 2 + 1))
			fi
			seed=$((RANDOM % 1000 + 1))
			opts=(--size "$size" --seed "$seed" --direction both --connections "$n" --concurrent --timeout 200)
			xfer "xt-netem-$backend-v$family-$n-x-$size" "$addr" "${opts[@]}" -- "${opts[@]}"
			batches+=("$PORT:$n:$size:$seed")
			total=$((total + n))
			bytes=$((bytes + 2 * n * size))
		done
		stop_capture
		for b in "${batches[@]}"; do
			IFS=: read -r port n size seed <<<"$b"
			for d in client-to-server server-to-client; do
				wire "xt-netem-$backend-v$family-$n-x-$size-wire-$d" "$port" --direction "$d" \
					--seed "$seed" --size "$size" --shift "$KEY" --streams "$n"
			done
		done
		mv "$CAPTURE" "$WORK/$backend-v$family.pcap"
		# A duplicated final ACK can make TCP create a child twice and keep
		# one; both take the keys, so both count.
		stat_is "xt-netem-$backend-v$family-children" "$NS_SERVER" CaesarRuleChildren -ge "$total"
		clear_rules "$NS_CLIENT" "$backend"
		clear_rules "$NS_SERVER" "$backend"
	done
done
log "$total connections, $bytes bytes verified"
retries_at_most xt-netem-client-retries "$NS_CLIENT" 0
retries_at_most xt-netem-server-retries "$NS_SERVER" 0
no_rule_fails xt-netem-client-rule-fails "$NS_CLIENT" "$total"
no_rule_fails xt-netem-server-rule-fails "$NS_SERVER" "$total"
show_stats "$NS_CLIENT" "$NS_SERVER"
finish
