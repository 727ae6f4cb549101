// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * gaius-xfer: a client/server traffic tool for the caesar ULP's tests.
 * Run `gaius-xfer --help` for the options, methods and payload format.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "payload.h"
#include "xfer_options.h"
#include "xfer_run.h"

#define PAYLOAD_BLOCK 65536

static char timeout_message[80];

static void on_timeout(int sig)
{
	(void)sig;
	if (write(STDERR_FILENO, timeout_message, strlen(timeout_message)) < 0)
		_exit(3);
	_exit(3);
}

static void arm_timeout(unsigned int seconds)
{
	struct sigaction sa = { .sa_handler = on_timeout };

	snprintf(timeout_message, sizeof(timeout_message),
		 "gaius-xfer: timed out after %u s: FAILED\n", seconds);
	sigaction(SIGALRM, &sa, NULL);
	alarm(seconds);
}

/* `gaius-xfer payload`: the client-to-server stream on stdout. */
static int write_payload(const struct xfer_options *o)
{
	static unsigned char block[PAYLOAD_BLOCK];
	uint64_t seed = payload_stream_seed(o->seed, PAYLOAD_CLIENT_TO_SERVER);

	for (uint64_t off = 0; off < o->size; off += PAYLOAD_BLOCK) {
		size_t n = o->size - off < PAYLOAD_BLOCK ?
			(size_t)(o->size - off) : PAYLOAD_BLOCK;

		payload_fill(seed, off, block, n);
		if (fwrite(block, 1, n, stdout) != n) {
			perror("gaius-xfer: stdout");
			return 1;
		}
	}
	return fflush(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct xfer_options o;

	xfer_parse_options(argc, argv, &o);
	if (o.role == XFER_PAYLOAD)
		return write_payload(&o);
	signal(SIGPIPE, SIG_IGN);
	arm_timeout(o.timeout);
	return xfer_run(&o);
}
