/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* gaius-xfer's command line. */
#ifndef GAIUS_XFER_OPTIONS_H
#define GAIUS_XFER_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xfer_stream.h"

enum xfer_role {
	XFER_SERVER,
	XFER_CLIENT,
	XFER_PAYLOAD,	/* write the payload stream to stdout */
};

/* Which way data flows: a bit per direction. */
enum xfer_directions {
	XFER_TO_SERVER = 1,
	XFER_TO_CLIENT = 2,
};

struct xfer_keys {
	bool attach;		/* attach the caesar ULP */
	bool has_key, has_tx, has_rx;
	int key, tx, rx;
	bool late_rx;		/* set the RX key once data is queued */
};

struct xfer_options {
	enum xfer_role role;
	const char *address;
	const char *port;
	struct xfer_keys keys;
	bool ulp_before_connect;
	uint64_t size;
	uint64_t seed;
	const struct xfer_method *send;
	const struct xfer_method *recv;
	size_t chunk;
	unsigned int connections;
	bool concurrent;
	unsigned int directions;
	bool reconnect;
	uint64_t recv_limit;
	unsigned int hold_ms;
	bool reset;
	unsigned int timeout;
	unsigned int connect_timeout;	/* client: seconds for connect(); 0: TCP's own */
};

/* Parse argv into o; prints usage and exits on --help or bad input. */
void xfer_parse_options(int argc, char **argv, struct xfer_options *o);

#endif /* GAIUS_XFER_OPTIONS_H */
