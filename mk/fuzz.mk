# Fuzzing (tests/fuzz/). `make all` builds the fuzzers; `make check` runs
# each libFuzzer harness for 20 s (build/tests/unit/libfuzzer-*) and the VM
# scenarios 92-fuzz-sockets (35 s per seed, seeds 1 and 2) and 93-xt-crafted.
#
#   make fuzz            all of the below but fuzz-debug and fuzz-packets-debug
#   make fuzz-libfuzzer  each harness for LIBFUZZER_SECONDS per seed of
#                        FUZZ_SEEDS, its corpus kept in build/fuzz/corpus/
#   make fuzz-vm         gaius-sockfuzz for FUZZ_SECONDS per seed of
#                        FUZZ_SEEDS, all in one VM boot
#   make fuzz-debug      the same on the debug kernel (make check-debug)
#   make fuzz-packets    97-fuzz-packets (gaius-pktfuzz next to real connections
#                        under rules, and the SYN floods) for PACKET_FUZZ_SECONDS
#                        per seed of FUZZ_SEEDS, all in one VM boot
#   make fuzz-packets-debug  the same on the debug kernel
#
# e.g. make fuzz-vm FUZZ_SECONDS=60 FUZZ_SEEDS="7 8"
#      make fuzz-packets PACKET_FUZZ_SECONDS=120 FUZZ_SEEDS=7

FUZZ_SECONDS ?= 600
FUZZ_SEEDS ?= 1 2 3
LIBFUZZER_SECONDS ?= 120
PACKET_FUZZ_SECONDS ?= 600
FUZZ_HARNESSES := libfuzzer-xt-key libfuzzer-shift
# Per seed: the fuzzing, the oracles' last connections, the wire check.
FUZZ_VM_SECONDS = $$(( $(words $(FUZZ_SEEDS)) * ($(FUZZ_SECONDS) + 300) + 300 ))
# Per seed: the fuzzing, four floods and their connections, the wire checks.
PACKET_FUZZ_VM_SECONDS = $$(( $(words $(FUZZ_SEEDS)) * ($(PACKET_FUZZ_SECONDS) + 900) + 300 ))

.PHONY: fuzz-tools fuzz fuzz-libfuzzer fuzz-vm fuzz-vm-dir fuzz-debug \
	fuzz-packets fuzz-packets-dir fuzz-packets-debug

all: fuzz-tools

fuzz-tools:
	$(MAKE) -C tests/fuzz BUILD=$(BUILD)

fuzz: fuzz-libfuzzer fuzz-vm fuzz-packets

fuzz-libfuzzer: fuzz-tools
	@status=0; for seed in $(FUZZ_SEEDS); do for h in $(FUZZ_HARNESSES); do \
		LIBFUZZER_SECONDS=$(LIBFUZZER_SECONDS) LIBFUZZER_SEED=$$seed \
		FUZZ_CORPUS=$(BUILD)/fuzz/corpus/$$h $(BUILD)/tests/unit/$$h || status=1; \
	done; done; exit $$status

# The VM takes its scenarios from a directory of its own: one that runs
# 92-fuzz-sockets.sh with FUZZ_SECONDS and FUZZ_SEEDS (the kernel command
# line carries no environment).
FUZZ_VM_DIR := $(BUILD)/fuzz/vm

fuzz-vm-dir:
	rm -rf $(FUZZ_VM_DIR)
	mkdir -p $(FUZZ_VM_DIR)
	printf '#!/bin/bash\nexport FUZZ_SECONDS=%s FUZZ_SEEDS="%s"\nexec %s\n' \
		'$(FUZZ_SECONDS)' '$(FUZZ_SEEDS)' '$(CURDIR)/tests/netns/92-fuzz-sockets.sh' \
		>$(FUZZ_VM_DIR)/92-fuzz-sockets.sh
	chmod 755 $(FUZZ_VM_DIR)/92-fuzz-sockets.sh

fuzz-vm: all fuzz-vm-dir
	GAIUS_SCENARIOS=$(FUZZ_VM_DIR) tests/vm/run \
		--scenario-timeout $(FUZZ_VM_SECONDS) --timeout $$(( $(FUZZ_VM_SECONDS) + 300 ))

# The same on the debug kernel (mk/debug.mk), where each seed's oracles and
# wire check take several times longer; one scenario, so one VM.
fuzz-debug: fuzz-vm-dir
	GAIUS_SCENARIOS=$(FUZZ_VM_DIR) $(MAKE) check-debug DEBUG_SHARDS=1 \
		DEBUG_SCENARIO_TIMEOUT=$$(( 3 * $(FUZZ_VM_SECONDS) )) \
		DEBUG_VM_TIMEOUT=$$(( 3 * $(FUZZ_VM_SECONDS) + 900 ))

# 97-fuzz-packets.sh the same way, from a directory of its own, with
# GAIUS_PACKET_FUZZ_SECONDS and GAIUS_PACKET_FUZZ_SEEDS.
PACKET_FUZZ_DIR := $(BUILD)/fuzz/vm-packets

fuzz-packets-dir:
	rm -rf $(PACKET_FUZZ_DIR)
	mkdir -p $(PACKET_FUZZ_DIR)
	printf '#!/bin/bash\nexport GAIUS_PACKET_FUZZ_SECONDS=%s GAIUS_PACKET_FUZZ_SEEDS="%s"\nexec %s\n' \
		'$(PACKET_FUZZ_SECONDS)' '$(FUZZ_SEEDS)' '$(CURDIR)/tests/netns/97-fuzz-packets.sh' \
		>$(PACKET_FUZZ_DIR)/97-fuzz-packets.sh
	chmod 755 $(PACKET_FUZZ_DIR)/97-fuzz-packets.sh

fuzz-packets: all fuzz-packets-dir
	GAIUS_SCENARIOS=$(PACKET_FUZZ_DIR) tests/vm/run \
		--scenario-timeout $(PACKET_FUZZ_VM_SECONDS) --timeout $$(( $(PACKET_FUZZ_VM_SECONDS) + 300 ))

fuzz-packets-debug: fuzz-packets-dir
	GAIUS_SCENARIOS=$(PACKET_FUZZ_DIR) $(MAKE) check-debug DEBUG_SHARDS=1 \
		DEBUG_SCENARIO_TIMEOUT=$$(( 3 * $(PACKET_FUZZ_VM_SECONDS) )) \
		DEBUG_VM_TIMEOUT=$$(( 3 * $(PACKET_FUZZ_VM_SECONDS) + 900 ))
