# gaius: the Caesar TCP ULP, its xtables targets and their tools.
#
#   make                 modules and userspace, against KVER
#   make check           the whole suite: host unit tests, then a VM for every
#                        supported kernel installed, all at once
#   make style           checkpatch --strict on the kernel sources
#   make sparse          sparse (C=2) on the kernel sources and tests/kmod
#
# KVER: the kernel to build for (and that the VM boots), as mk/kver chooses
# it: the running kernel where its headers are installed and it is in the
# supported range (stated in mk/kver), else the newest such headers, not a
# PREEMPT_RT flavour (make check-rt builds and boots that one). KVER=RELEASE
# builds for another; an empty KVER is the default.
#
# CHECK_KVERS: the kernels make check boots, every one mk/kver --all
# --bootable finds; our modules are built for each in build/check/KVER/.

ifeq ($(strip $(KVER)),)
override KVER := $(shell $(CURDIR)/mk/kver 2>/dev/null)
endif
KDIR ?= /lib/modules/$(KVER)/build
BUILD := $(CURDIR)/build
KERNEL_SRC := $(CURDIR)/kernel

export KVER

CHECK_KVERS ?= $(shell $(CURDIR)/mk/kver --all --bootable 2>/dev/null)
# With two kernels or more, the two install scenarios split between the
# oldest and the newest: 90-install-dkms on the oldest, 91-install-deb on
# the newest. In each, DKMS compiles the modules inside the emulated guest
# (15 to 19 minutes with the other VM busy), and CI allows 90 minutes for
# the VMs, which run side by side, about an hour each. Each installs
# through DKMS and runs the same kernel-hook checks.
CHECK_SKIP ?= $(if $(word 2,$(CHECK_KVERS)),$(firstword $(CHECK_KVERS))=91-install-deb \
	$(lastword $(CHECK_KVERS))=90-install-dkms)
# With one kernel, two VMs share its scenarios (every other one each), to
# use both cores in the same time.
CHECK_VMS = $(if $(word 2,$(CHECK_KVERS)), \
	--kernels $(foreach k,$(CHECK_KVERS),$(k)=$(BUILD)/check/$(k)/kernel) \
		$(foreach s,$(CHECK_SKIP),--skip-on $(s)), \
	--shards 2 --kver $(CHECK_KVERS) --modules $(BUILD)/check/$(CHECK_KVERS)/kernel)

.PHONY: all modules userspace tests check style sparse clean

all: modules userspace tests

# Without a KVER, mk/kver says why (the supported range, what is installed).
NEED_KVER = @test -n "$(KVER)" || { $(CURDIR)/mk/kver >/dev/null; exit 1; }

modules:
	$(NEED_KVER)
	@test -d "$(KDIR)" || { echo "gaius: no kernel headers for '$(KVER)' (apt-get install linux-headers-amd64)" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(KERNEL_SRC) modules
	@mkdir -p $(BUILD)/kernel
	cp $(KERNEL_SRC)/*.ko $(BUILD)/kernel/

userspace:
	$(MAKE) -C userspace BUILD=$(BUILD)

tests:
	$(MAKE) -C tests BUILD=$(BUILD)

check: all
	@test -n "$(strip $(CHECK_KVERS))" || { $(CURDIR)/mk/kver --bootable >/dev/null; exit 1; }
	$(foreach k,$(CHECK_KVERS),$(call flavour_modules,check/$(k),/lib/modules/$(k)/build) && ) true
	tests/run-all $(strip $(CHECK_VMS))

style:
	tests/host/kernel-style.sh

# C=2 checks every source, whether or not it needs rebuilding.
sparse:
	$(NEED_KVER)
	$(MAKE) -C $(KDIR) M=$(KERNEL_SRC) C=2 modules
	$(MAKE) -C $(KDIR) M=$(CURDIR)/tests/kmod C=2 modules

clean:
	$(MAKE) -C $(KDIR) M=$(KERNEL_SRC) clean
	$(MAKE) -C $(KDIR) M=$(CURDIR)/tests/kmod clean
	rm -rf $(BUILD)

# Install, packaging, benchmark and debug-kernel targets, one file each.
include $(sort $(wildcard $(CURDIR)/mk/*.mk))
