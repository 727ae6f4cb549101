/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * gaiusctl's exit statuses, which scripts may rely on (docs/man/gaiusctl.8).
 * Every function that can fail returns one of them, after printing why.
 */
#ifndef GAIUSCTL_STATUS_H
#define GAIUSCTL_STATUS_H

enum gaiusctl_status {
	GAIUSCTL_OK = 0,
	GAIUSCTL_USAGE = 1,		/* bad command line */
	GAIUSCTL_NOT_LOADED = 2,	/* no /proc/net/caesar_stat */
	GAIUSCTL_PERMISSION = 3,	/* the caller lacks CAP_NET_ADMIN */
	GAIUSCTL_ERROR = 4,		/* anything else */
};

#endif /* GAIUSCTL_STATUS_H */
