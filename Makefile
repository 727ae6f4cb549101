# gaius: the Caesar TCP ULP, its xtables targets and their tools.
#
#   make                 modules and userspace, against KVER
#   make check           the whole suite (host unit tests, then the VM)
#   make style           checkpatch --strict on the kernel sources
#   make sparse          sparse (C=2) on the kernel sources
#
# KVER: the running kernel where its headers are installed, else the newest
# installed headers, a PREEMPT_RT flavour only when there is no other (make
# check-rt boots that one); the VM boots /boot/vmlinuz-$(KVER).

KVER ?= $(shell k=$$(uname -r); \
	if [ -d /lib/modules/$$k/build ]; then echo $$k; \
	else ls -d /lib/modules/*/build 2>/dev/null | cut -d/ -f4 | \
		sort -V | awk '/-rt-/ { rt = $$0; next } { k = $$0 } \
		END { print (k != "" ? k : rt) }'; fi)
KDIR ?= /lib/modules/$(KVER)/build
BUILD := $(CURDIR)/build
KERNEL_SRC := $(CURDIR)/kernel

export KVER

.PHONY: all modules userspace tests check style sparse clean

all: modules userspace tests

modules:
	@test -d "$(KDIR)" || { echo "gaius: no kernel headers for '$(KVER)' (apt-get install linux-headers-amd64)" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(KERNEL_SRC) modules
	@mkdir -p $(BUILD)/kernel
	cp $(KERNEL_SRC)/*.ko $(BUILD)/kernel/

userspace:
	$(MAKE) -C userspace BUILD=$(BUILD)

tests:
	$(MAKE) -C tests BUILD=$(BUILD)

check: all
	tests/run-all

style:
	tests/host/kernel-style.sh

# C=2 checks every source, whether or not it needs rebuilding.
sparse:
	$(MAKE) -C $(KDIR) M=$(KERNEL_SRC) C=2 modules

clean:
	$(MAKE) -C $(KDIR) M=$(KERNEL_SRC) clean
	rm -rf $(BUILD)

# Install, packaging, benchmark and debug-kernel targets, one file each.
include $(sort $(wildcard $(CURDIR)/mk/*.mk))
