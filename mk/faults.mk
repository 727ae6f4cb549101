# The fault scenarios (tests/netns/94-96) at their full size. make check
# runs 94-netem-matrix with each netem case once, the offloads on for some
# cases and off for the others; this runs every case with the offloads on
# and then off (NETEM_FULL=1), in a VM boot of its own.
#
#   make check-faults-full

.PHONY: check-faults-full

# The kernel command line carries no environment: the VM runs a scenario
# directory of its own, whose script sets it.
check-faults-full: all
	rm -rf $(BUILD)/faults/vm
	mkdir -p $(BUILD)/faults/vm
	printf '#!/bin/bash\nexport NETEM_FULL=1\nexec %s\n' \
		'$(CURDIR)/tests/netns/94-netem-matrix.sh' >$(BUILD)/faults/vm/94-netem-matrix.sh
	chmod 755 $(BUILD)/faults/vm/94-netem-matrix.sh
	GAIUS_SCENARIOS=$(BUILD)/faults/vm tests/vm/run
