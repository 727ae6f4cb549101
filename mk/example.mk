# make example: the README's example, run in the VM for a human to read.
# Two namespaces (192.0.2.1, 198.51.100.2), a GAIUSENCRYPT and a
# GAIUSDECRYPT rule, a message sent by socat to a plain TCP server, what
# the receiver read, the link's capture and gaiusctl list; then the checks.
# See tests/example/.

.PHONY: example

# Only what the example runs: the fuzzers (part of all) need clang, which
# the example's package list (.ci/run) leaves out.
example: modules userspace tests
	tests/example/run
