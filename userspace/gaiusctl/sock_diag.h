/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The enciphered TCP connections of this network namespace, from sock_diag. */
#ifndef GAIUSCTL_SOCK_DIAG_H
#define GAIUSCTL_SOCK_DIAG_H

#include "conn.h"
#include "gaiusctl_status.h"

/*
 * Appends to @conns every TCP socket, IPv4 and IPv6, that has the caesar
 * ULP with a key in at least one direction; listeners, and the plain
 * children of a listener the rules use (the ULP with both keys off), are
 * not connections gaius enciphers and are left out. ct_state is set to
 * GAIUSCTL_NO_CT_STATE. The kernel gives ULP details to CAP_NET_ADMIN
 * callers only: check that first.
 */
enum gaiusctl_status gaiusctl_sock_diag_read(struct gaiusctl_conns *conns);

#endif /* GAIUSCTL_SOCK_DIAG_H */
