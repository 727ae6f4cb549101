# How the kernel compiles its C (from kernel/.caesar_tx.o.cmd), for the
# host-side units that run the kernel's loops (tests/bench's shift-speed
# and native-cost, tests/unit's test_native_paths): no vector registers,
# so the compiler cannot vectorise a loop the kernel runs scalar; and its
# stack protector, which keeps the SWAR loop's four words in an array on
# the stack, as in the module, and its zeroed locals.
# (In mk/sub/, not mk/: the top Makefile includes every mk/*.mk.)
KERNEL_CFLAGS := -O2 -mno-sse -mno-mmx -mno-sse2 -mno-3dnow -mno-avx \
	-mno-80387 -mno-fp-ret-in-387 -mno-red-zone -fno-strict-aliasing \
	-fno-strict-overflow -fstack-protector-strong \
	-ftrivial-auto-var-init=zero -mtune=generic

# The compile of such a unit: the sub-build's CPPFLAGS, KERNEL_CFLAGS for
# its CFLAGS.
KERNEL_CC = $(CC) $(CPPFLAGS) -std=c11 -Wall -Wextra -Werror -MMD -MP $(KERNEL_CFLAGS)
