/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * GAIUSENCRYPT / GAIUSDECRYPT: xtables targets that put the connections a
 * rule matches through the Caesar TCP ULP (linux/caesar.h).
 *
 *   iptables -A OUTPUT ... -p tcp -j GAIUSENCRYPT --key 12354
 *   iptables -A INPUT  ... -p tcp -j GAIUSDECRYPT --key 12354
 *
 * GAIUSENCRYPT (OUTPUT, POSTROUTING) sets the transmit key of the local
 * socket that sends a matched packet; GAIUSDECRYPT (INPUT, PREROUTING) the
 * receive key of the local socket that a matched packet is for. Both are
 * non-terminating: the rule chain goes on.
 */
#ifndef _UAPI_XT_GAIUS_H
#define _UAPI_XT_GAIUS_H

#include <linux/types.h>

/* Target info of both targets, revision 0. */
struct xt_gaius_tginfo {
	__u32 key;	/* any value whose low byte (the shift) is not 0 */
};

/*
 * In FORWARD, a rule keys a direction of a forwarded connection on its
 * conntrack entry, whose helper is then "gaius". ctnetlink shows the keys
 * as CTA_HELP_INFO inside the entry's CTA_HELP: this, in host byte order,
 * each array indexed by direction (0: original, 1: reply).
 */
#define GAIUS_CT_HELPER_NAME	"gaius"

struct gaius_ct_info {
	__u32 seq[2];		/* the first sequence number the shift applies to */
	__u8 shift[2];		/* added to each byte from there on; 0: not keyed */
	__u8 decrypt[2];	/* 1: GAIUSDECRYPT's (the key is 256 - shift) */
};

#endif /* _UAPI_XT_GAIUS_H */
