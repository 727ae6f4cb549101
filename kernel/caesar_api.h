/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What caesar.ko exports to xt_GAIUS.ko: keys for a socket the caller
 * holds, keys a listener's future child will take at creation, the
 * per-packet rewrite of a switched range, and the counters.
 */
#ifndef _CAESAR_API_H
#define _CAESAR_API_H

#include <linux/in6.h>
#include <net/request_sock.h>
#include <net/sock.h>

/* A connection's two ends, as a listener's child will see them. */
struct caesar_peer {
	struct in6_addr addr;		/* the far end's; IPv4 as ::ffff:a.b.c.d */
	struct in6_addr local_addr;
	__be16 port;
	u16 local_port;			/* host order, like sk_num */
};

/* The peer of a request sock (a connection in its handshake). */
void caesar_req_peer(const struct request_sock *req, struct caesar_peer *peer);

/*
 * Switch @sk's key for @optname at sequence number @seq, on a connection
 * that may have carried bytes of that direction already (or none yet): the
 * bytes before @seq keep the shift they had (none, or an older key's), the
 * bytes from @seq on take @key. A transmit @seq is at or after snd_nxt; a
 * receive @seq at or after rcv_nxt. Any context. The caller holds the
 * socket: it is the task that owns it, or it holds bh_lock_sock() with no
 * task owning it; except for a receive key on a socket that has the ULP
 * already, whose switch has a lock of its own. -EAGAIN: the previous
 * switch of that direction is not over yet, and the key it set stays
 * until it is. See caesar_switch.c.
 */
int caesar_switch_key(struct sock *sk, int optname, int key, u32 seq);

/*
 * For GAIUSENCRYPT, on each packet @sk sends while it holds @sk: encipher
 * the bytes of a switched transmit range that the packet carries (the TCP
 * header is at @thoff). 0, or an error: the packet must not leave.
 */
int caesar_encipher_skb(struct sock *sk, struct sk_buff *skb,
			unsigned int thoff);

/*
 * For GAIUSDECRYPT, on each packet for @sk, in any context and whoever
 * holds @sk, under rcu_read_lock(): whether a switched receive range is in
 * progress; and if so, decipher the bytes of it that the packet carries,
 * for a reader still in TCP's own receive path. The caller has verified the
 * TCP checksum (the bytes change under it). 0, or an error: the packet
 * must not reach TCP.
 */
bool caesar_rx_switching(const struct sock *sk);
int caesar_decipher_skb(struct sock *sk, struct sk_buff *skb,
			unsigned int thoff);

/*
 * For the targets, first on each packet: whether @sk carries the ULP with
 * @key for @optname and no switched range of that direction in progress, so
 * that the packet needs nothing more from the rule. Transmit: the caller
 * holds @sk (GAIUSENCRYPT, on the sender's path); receive: lockless.
 */
bool caesar_rule_settled(const struct sock *sk, int optname, int key);

/* Whether @sk carries the ULP, with a context of its own; lockless. */
bool caesar_owns(const struct sock *sk);

/* Whether @sk already carries the ULP with this key; lockless. */
bool caesar_has_key(const struct sock *sk, int optname, int key);

/*
 * Remember @key for the child that @listener will create for @peer. Any
 * context, lockless on the listener, under rcu_read_lock(). An error
 * (-ENOSPC: as many handshakes are pending as a listener may keep keys
 * for) means the child would not get the key: the packet must not pass.
 */
int caesar_expect(struct sock *listener, const struct caesar_peer *peer,
		  int optname, int key);

/* The shift a key makes: only key mod 256 matters, and 0 is no key. */
static inline u8 caesar_shift_of(int key)
{
	return (u8)key;
}

/*
 * Per network namespace counters, /proc/net/caesar_stat (caesar_stats.c):
 * any context.
 */
enum caesar_stat {
	CAESAR_STAT_CURR_SOCKETS,	/* sockets with the ULP attached now */
	CAESAR_STAT_ATTACHED,		/* attaches since the module loaded */
	CAESAR_STAT_ATTACH_FAIL,	/* attaches refused */
	CAESAR_STAT_TX_BYTES,		/* bytes enciphered */
	CAESAR_STAT_RX_BYTES,		/* bytes deciphered */
	CAESAR_STAT_TX_ERRORS,		/* sends that failed after enciphering began */
	CAESAR_STAT_RX_ERRORS,		/* receives that failed to copy out */
	CAESAR_STAT_RULE_KEYS,		/* keys set on sockets by a rule */
	CAESAR_STAT_RULE_CHILDREN,	/* children keyed at creation */
	CAESAR_STAT_RULE_RETRIES,	/* packets dropped for TCP to resend */
	CAESAR_STAT_RULE_FAILS,		/* rule keys that could not be applied */
	CAESAR_STAT_RULE_SWITCHES,	/* directions switched mid-stream */
	CAESAR_STAT_HOOK_SOCKETS,	/* transmit switches enciphered in packets */
	CAESAR_STAT_HOOK_BYTES,		/* bytes rewritten in packets, either way */
	CAESAR_STAT_FWD_KEYS,		/* forwarded directions keyed by a rule */
	CAESAR_STAT_FWD_BYTES,		/* forwarded payload bytes rewritten */
	CAESAR_STAT_FWD_COPIES,		/* forwarded packets copied to be rewritten */
	CAESAR_STAT_FWD_REFUSED,	/* forwarded packets dropped: cannot key */
	CAESAR_STAT_FWD_ERRORS,		/* forwarded packets dropped: rewrite failed */
	CAESAR_STAT_FWD_UNTRACKED,	/* keyed packets conntrack did not track */
	CAESAR_STAT_MAX
};

void caesar_net_stat_add(const struct net *net, enum caesar_stat field,
			 long n);

static inline void caesar_stat_add(const struct sock *sk,
				   enum caesar_stat field, long n)
{
	caesar_net_stat_add(sock_net(sk), field, n);
}

#endif /* _CAESAR_API_H */
