#!/bin/bash
# checkpatch --strict on every kernel source (ours and tests/kmod's) and
# shared header, one result per file. checkpatch.pl comes from Debian's linux-source-6.1 tarball and is
# extracted once into a cache outside the checkout.
#
# caesar_proto.c copies proto_ops at runtime, as net/tls does; they cannot be
# const, and that one check (CONST_STRUCT) is silenced for that file and for
# the two that fill in the copies' sendpage_locked before 6.5
# (caesar_sendpage.c, and its declaration in compat.h).

set -euo pipefail
cd "$(dirname "$0")/../.."

readonly TARBALL=/usr/src/linux-source-6.1.tar.xz
readonly CACHE=${GAIUS_TOOLS_CACHE:-/var/cache/gaius-tools}
readonly CHECKPATCH=$CACHE/linux-source-6.1/scripts/checkpatch.pl

if [[ ! -f $CHECKPATCH ]]; then
	if [[ ! -f $TARBALL ]]; then
		echo "FAIL: checkpatch: $TARBALL missing (apt-get install linux-source-6.1)"
		exit 1
	fi
	mkdir -p "$CACHE"
	tar xJf "$TARBALL" -C "$CACHE" linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
fi

shopt -s nullglob
for file in kernel/*.c kernel/*.h tests/kmod/*.c include/*.h include/uapi/linux/*.h \
	include/uapi/linux/netfilter/*.h; do
	[[ $file == *.mod.c ]] && continue
	ignore=()
	case $file in
	kernel/caesar_proto.c | kernel/caesar_sendpage.c | kernel/compat.h)
		ignore=(--ignore CONST_STRUCT) ;;
	esac
	if out=$(perl "$CHECKPATCH" --no-tree --strict --terse "${ignore[@]}" -f "$file" 2>&1); then
		echo "PASS: checkpatch --strict $file"
	else
		echo "$out"
		echo "FAIL: checkpatch --strict $file: $(grep -c ': \(ERROR\|WARNING\|CHECK\):' <<<"$out") reports"
	fi
done
