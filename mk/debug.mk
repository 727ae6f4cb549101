# The VM suite on two other kernels:
#
#   make check-debug   on a debug kernel (KASAN, lockdep, kmemleak, UBSAN, ...)
#                      that tests/debug-kernel/build.sh builds from
#                      linux-source-6.1 the first time (an hour on two cores)
#                      and keeps in /var/cache/gaius-debug-kernel/
#   make check-rt      on Debian's PREEMPT_RT kernel, $(RT_KVER)
#
#   VM_ARGS            more tests/vm/run options, e.g. VM_ARGS='--filter 10-'
#
# Each ends, as make check does, with a line "N passed, N failed".
#
# Each builds our modules into build/FLAVOUR/kernel/, from a copy of kernel/
# in build/FLAVOUR/src/: kbuild (6.1 has no MO=) writes its objects beside
# the sources, and the default build's kernel/*.o must stay as they are.

# mk/kver's choice among the PREEMPT_RT kernels that can be booted.
RT_KVER ?= $(shell $(CURDIR)/mk/kver --rt --bootable 2>/dev/null)
VM_ARGS ?=
# The debug kernel runs the scenarios several times slower than the
# standard one under emulation.
DEBUG_VM_TIMEOUT ?= 14400
DEBUG_SCENARIO_TIMEOUT ?= 3600
# VMs at once, each with every DEBUG_SHARDS-th scenario: one VM keeps about
# one core of this 2-core machine busy.
DEBUG_SHARDS ?= 2

.PHONY: check-debug check-rt

# $(call flavour_modules,FLAVOUR,KDIR): our modules and the test VMs' own
# (tests/kmod), built against the kernel build tree KDIR, in
# build/FLAVOUR/kernel/. The copy keeps the sources' times, so kbuild
# rebuilds only what changed.
flavour_modules = src=$(BUILD)/$(1)/src && \
	mkdir -p $$src/kernel $$src/kmod $(BUILD)/$(1)/kernel && \
	rm -f $$src/kernel/*.[ch] $$src/kernel/Kbuild $$src/kmod/*.c $$src/kmod/Kbuild && \
	cp -p $(KERNEL_SRC)/*.[ch] $(KERNEL_SRC)/Kbuild $$src/kernel/ && \
	cp -p $(CURDIR)/tests/kmod/*.c $(CURDIR)/tests/kmod/Kbuild $$src/kmod/ && \
	ln -sfn $(CURDIR)/include $$src/include && \
	$(MAKE) -C $(2) M=$$src/kernel modules && \
	$(MAKE) -C $(2) M=$$src/kmod modules && \
	cp $$src/kernel/*.ko $$src/kmod/*.ko $(BUILD)/$(1)/kernel/

check-rt: userspace tests fuzz-tools
	@test -n "$(RT_KVER)" || { $(CURDIR)/mk/kver --rt --bootable >/dev/null; exit 1; }
	$(call flavour_modules,rt,/lib/modules/$(RT_KVER)/build)
	tests/run-all --vm-only --kver $(RT_KVER) --modules $(BUILD)/rt/kernel $(VM_ARGS)

# kasan_multi_shot: every KASAN report, not only the first (KASAN then
# does not panic, and the kernel log check fails the run on the report).
# panic_on_warn: a WARN stops the machine where it happened, the trace last
# on the console, and the runner reports the guest stopped.
check-debug: userspace tests fuzz-tools
	kernel=$$(tests/debug-kernel/build.sh) && \
	$(call flavour_modules,debug,$$kernel/build) && \
	tests/run-all --vm-only --shards $(DEBUG_SHARDS) --kernel $$kernel/bzImage --mod-root $$kernel/modroot \
		--modules $(BUILD)/debug/kernel --kmemleak --append 'kasan_multi_shot panic_on_warn=1' \
		--timeout $(DEBUG_VM_TIMEOUT) --scenario-timeout $(DEBUG_SCENARIO_TIMEOUT) \
		$(VM_ARGS)
