# make bench: the performance measurements, side by side in one VM boot.
#
#   make bench            build, measure, then print the table and write
#                         build/bench/results.json and throughput.png
#   make bench-tools      only build tests/bench's tools
#   make bench-report     the table, JSON and chart again from the last run;
#                         BENCH_EXTRA_CONSOLES="a.log b.log" pools the records
#                         of earlier boots' consoles with it
#   make native-bench     the native cost model on this host's CPU, no VM:
#                         cycles per byte of every transmit and receive path,
#                         the ULP's and plain TCP's (tests/bench/native_cost.c),
#                         pinned to NATIVE_CPU, NATIVE_ROUNDS rounds; the
#                         tables on stdout and in build/bench/native-cost.md
#
# The host measures the transform natively (shift-speed); the guest (qemu
# TCG, tests/vm/run) runs tests/bench/scenarios, which print their records
# on its console. The guest's clock counts its instructions, 2^BENCH_ICOUNT
# ns each (tests/vm/run --icount), so that the figures repeat on a busy
# host; BENCH_ICOUNT= measures in the host's time instead. The VM run takes
# about 30 minutes; docs/performance.md says what the figures mean.

BENCH_OUT := $(BUILD)/bench
BENCH_VM_TIMEOUT ?= 4800
BENCH_ICOUNT ?= 1
# The chart needs matplotlib (python3-matplotlib): the first python3 that has it.
BENCH_PYTHON ?= $(firstword $(foreach p,/usr/bin/python3 python3,\
	$(shell $(p) -c 'import matplotlib' 2>/dev/null && echo $(p))) python3)

NATIVE_CPU ?= 1
NATIVE_ROUNDS ?= 21

.PHONY: bench bench-tools bench-report native-bench

bench-tools:
	$(MAKE) -C tests/bench BUILD=$(BUILD)

# The report is made even when the VM run failed; make fails afterwards.
bench: all bench-tools
	@mkdir -p $(BENCH_OUT)
	$(BENCH_OUT)/shift-speed 11 >$(BENCH_OUT)/host.jsonl
	{ GAIUS_SCENARIOS=$(CURDIR)/tests/bench/scenarios tests/vm/run \
		--timeout $(BENCH_VM_TIMEOUT) --scenario-timeout 900 \
		$(if $(BENCH_ICOUNT),--icount $(BENCH_ICOUNT)); \
		echo $$? >$(BENCH_OUT)/vm-status; } | tee $(BENCH_OUT)/vm-results.txt
	cp $(BUILD)/vm/console.log $(BENCH_OUT)/console.log
	$(MAKE) --no-print-directory bench-report
	@exit $$(cat $(BENCH_OUT)/vm-status)

bench-report:
	$(BENCH_PYTHON) tests/bench/report.py $(foreach c,$(BENCH_EXTRA_CONSOLES),--console $(c)) \
		--console $(BENCH_OUT)/console.log --host $(BENCH_OUT)/host.jsonl --out $(BENCH_OUT)

# The commit and the host's load go with the figures: the model runs on the
# host, next to whatever else does.
native-bench: bench-tools
	@mkdir -p $(BENCH_OUT)
	@{ echo "commit: $$(git -C $(CURDIR) describe --always --dirty 2>/dev/null || echo unknown)"; \
	   echo "uptime:$$(uptime)"; \
	   taskset -c $(NATIVE_CPU) $(BENCH_OUT)/native-cost $(NATIVE_ROUNDS); \
	 } >$(BENCH_OUT)/native-cost.md; status=$$?; cat $(BENCH_OUT)/native-cost.md; exit $$status
