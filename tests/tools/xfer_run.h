/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* gaius-xfer's server and client: the connections, one after another or at once. */
#ifndef GAIUS_XFER_RUN_H
#define GAIUS_XFER_RUN_H

#include "xfer_options.h"

/* Run every connection of the role; 0 only when each of them succeeded. */
int xfer_run(const struct xfer_options *o);

#endif /* GAIUS_XFER_RUN_H */
