# Fuzzing (tests/fuzz/). `make all` builds the fuzzers; `make check` runs
# each libFuzzer harness for 20 s (build/tests/unit/libfuzzer-*).
#
#   make fuzz            all of the below
#   make fuzz-libfuzzer  each harness for LIBFUZZER_SECONDS per seed of
#                        FUZZ_SEEDS, its corpus kept in build/fuzz/corpus/

FUZZ_SEEDS ?= 1 2 3
LIBFUZZER_SECONDS ?= 120
FUZZ_HARNESSES := libfuzzer-xt-key libfuzzer-shift

.PHONY: fuzz-tools fuzz fuzz-libfuzzer

all: fuzz-tools

fuzz-tools:
	$(MAKE) -C tests/fuzz BUILD=$(BUILD)

fuzz: fuzz-libfuzzer

fuzz-libfuzzer: fuzz-tools
	@status=0; for seed in $(FUZZ_SEEDS); do for h in $(FUZZ_HARNESSES); do \
		LIBFUZZER_SECONDS=$(LIBFUZZER_SECONDS) LIBFUZZER_SEED=$$seed \
		FUZZ_CORPUS=$(BUILD)/fuzz/corpus/$$h $(BUILD)/tests/unit/$$h || status=1; \
	done; done; exit $$status
