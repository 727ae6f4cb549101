/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What caesar.ko exports to xt_GAIUS.ko: keys for a socket the caller
 * holds, and keys a listener's future child will take at creation.
 */
#ifndef _CAESAR_API_H
#define _CAESAR_API_H

#include <linux/in6.h>
#include <net/request_sock.h>
#include <net/sock.h>

/* The far end of a connection, as a listener's child will see it. */
struct caesar_peer {
	struct in6_addr addr;		/* IPv4 as ::ffff:a.b.c.d */
	__be16 port;
	u16 local_port;			/* host order, like sk_num */
};

/* The peer of a request sock (a connection in its handshake). */
void caesar_req_peer(const struct request_sock *req, struct caesar_peer *peer);

/*
 * Set @sk's key for @optname (CAESAR_TX_KEY or CAESAR_RX_KEY), attaching
 * the ULP if @sk has none; for that, the caller holds the socket: it is the
 * task that owns it, or it holds bh_lock_sock() with no task owning it.
 * Any context.
 */
int caesar_set_key(struct sock *sk, int optname, int key);

/* Whether @sk carries the ULP, with a context of its own; lockless. */
bool caesar_owns(const struct sock *sk);

/* Whether @sk already carries the ULP with this key; lockless. */
bool caesar_has_key(const struct sock *sk, int optname, int key);

/*
 * Remember @key for the child that @listener will create for @peer. Any
 * context, lockless on the listener, under rcu_read_lock().
 */
int caesar_expect(struct sock *listener, const struct caesar_peer *peer,
		  int optname, int key);

#endif /* _CAESAR_API_H */
