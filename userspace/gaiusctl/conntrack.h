/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* The conntrack state of each listed connection, from ctnetlink. */
#ifndef GAIUSCTL_CONNTRACK_H
#define GAIUSCTL_CONNTRACK_H

#include "conn.h"
#include "gaiusctl_status.h"

/*
 * Sets ct_state of every connection in @conns that has a TCP conntrack
 * entry in this network namespace's default zone, matched on either
 * direction's tuple (so both ends of a connection, and a socket behind NAT
 * on this host, find theirs), one query per connection. When nf_conntrack
 * is not loaded, nothing is asked (asking would load it) and every
 * ct_state stays GAIUSCTL_NO_CT_STATE.
 */
enum gaiusctl_status gaiusctl_conntrack_fill(struct gaiusctl_conns *conns);

/*
 * Appends to @conns the forwarded connections of this network namespace
 * that a rule keyed (in FORWARD, PREROUTING or POSTROUTING), IPv4 and
 * IPv6, every zone: the TCP entries
 * whose helper is "gaius" with at least one direction keyed, read from a
 * dump of the conntrack table. The dump is asked for only when the
 * namespace's CaesarFwdKeys counter says a rule ever keyed a forwarded
 * direction here (a keyed entry holds xt_GAIUS, so the counter cannot
 * have been reset under it), so that a host that forwards nothing
 * enciphered never reads its table; nor when nf_conntrack is not loaded.
 */
enum gaiusctl_status gaiusctl_conntrack_forwarded(struct gaiusctl_conns *conns);

#endif /* GAIUSCTL_CONNTRACK_H */
