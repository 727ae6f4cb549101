/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* One connection's transfer, both directions, on a connected socket. */
#ifndef GAIUS_XFER_SESSION_H
#define GAIUS_XFER_SESSION_H

#include <stdint.h>

#include "xfer_options.h"

struct xfer_result {
	uint64_t sent;
	uint64_t received;	/* received and verified (or discarded, for trunc) */
	int failed;
};

/*
 * Send this side's stream and receive the peer's, at once when both
 * directions are on; hold the connection if asked; then shutdown(SHUT_WR)
 * and check the peer's EOF; print a summary line. The caller closes fd.
 */
struct xfer_result xfer_session(int fd, const struct xfer_options *o,
				enum xfer_role role, unsigned int index);

#endif /* GAIUS_XFER_SESSION_H */
