/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The processes that hold each connection's socket, from /proc, as ss -p finds them. */
#ifndef GAIUSCTL_PROCESSES_H
#define GAIUSCTL_PROCESSES_H

#include "conn.h"
#include "gaiusctl_status.h"

/*
 * Adds to every connection of @conns each (process, descriptor) whose
 * /proc/PID/fd/FD is its socket's inode. Processes that end meanwhile, or
 * whose descriptors the caller may not read, are left out, as ss -p does.
 * GAIUSCTL_ERROR only when /proc cannot be read or memory runs out.
 */
enum gaiusctl_status gaiusctl_processes_fill(struct gaiusctl_conns *conns);

#endif /* GAIUSCTL_PROCESSES_H */
