/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The targets' conntrack half, for connections this host only forwards:
 * each direction's key lives with the connection's conntrack entry
 * (gaius_ct.c), and every packet of a keyed direction is rewritten as
 * conntrack confirms it (gaius_ct_rewrite.c).
 */
#ifndef _GAIUS_CT_H
#define _GAIUS_CT_H

#include <linux/netfilter/x_tables.h>
#include <linux/skbuff.h>
#include <net/net_namespace.h>

/*
 * One direction of a connection, as one 64-bit word (gaius_ct.c): until a
 * rule keys it, @seq is the sequence number of its SYN (if GAIUS_CT_SYN
 * says it was seen) and @shift is 0; once keyed, the bytes from @seq on
 * take @shift, the bytes before it none, until GAIUS_CT_WHOLE says that
 * every byte the direction can still carry takes it.
 */
struct gaius_ct_dir {
	u32 seq;
	u8 shift;
	u8 flags;
};

#define GAIUS_CT_SYN	0x01	/* the direction's SYN was seen: @seq is it */
#define GAIUS_CT_DECRYPT 0x02	/* keyed by GAIUSDECRYPT */
#define GAIUS_CT_WHOLE	0x04	/* no byte before @seq can come any more */

/*
 * For a rule in FORWARD, on a packet it matched: key the packet's
 * direction of its connection with @shift, added to each payload byte;
 * @flags is GAIUS_CT_DECRYPT for GAIUSDECRYPT. 0, or an error: the
 * connection cannot be keyed, and the packet must not pass. Softirq,
 * under rcu_read_lock().
 */
int gaius_ct_key(struct sk_buff *skb, const struct xt_action_param *par,
		 u8 shift, u8 flags);

/*
 * From a rule's checkentry that may see forwarded packets: turn conntrack
 * on in @net for @family, and give every new TCP connection there the
 * state a rule can key. Process context.
 */
int gaius_ct_enable(struct net *net, u8 family);

int gaius_ct_init(void);
void gaius_ct_exit(void);

/*
 * Rewrite the payload of @skb, whose TCP header is at @thoff, as @dir
 * says; @net for the counters. 0, or an error: the packet must not leave.
 */
int gaius_ct_rewrite(struct net *net, struct sk_buff *skb, unsigned int thoff,
		     const struct gaius_ct_dir *dir);

#endif /* _GAIUS_CT_H */
