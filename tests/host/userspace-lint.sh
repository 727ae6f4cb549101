#!/bin/bash
# clang-tidy and cppcheck on our userspace C (the lint targets of
# userspace/Makefile and tests/Makefile): any report fails the check.

set -euo pipefail
cd "$(dirname "$0")/../.."

for dir in userspace tests tests/fuzz; do
	if out=$(make --no-print-directory -C "$dir" lint 2>&1); then
		echo "PASS: clang-tidy and cppcheck on $dir/"
	else
		echo "$out" | tail -n 40
		echo "FAIL: clang-tidy and cppcheck on $dir/: see the reports above"
	fi
done
