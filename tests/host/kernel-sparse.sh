#!/bin/bash
# sparse (make C=2) on the kernel modules, ours and the test VMs'
# (tests/kmod): every source is checked, and any report from sparse or the
# compiler fails the check.

set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v sparse >/dev/null; then
	echo "FAIL: sparse: not installed (apt-get install sparse)"
	exit 1
fi
out=$(make --no-print-directory sparse 2>&1) || {
	echo "$out"
	echo "FAIL: sparse C=2 kernel/ tests/kmod/: the build failed"
	exit 0
}
reports=$(grep -E '(warning|error):' <<<"$out" || true)
if [[ -n $reports ]]; then
	echo "$reports"
	echo "FAIL: sparse C=2 kernel/ tests/kmod/: $(wc -l <<<"$reports") reports"
else
	echo "PASS: sparse C=2 kernel/ tests/kmod/"
fi
