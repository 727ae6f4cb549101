// SPDX-License-Identifier: GPL-2.0
/*
 * Listeners whose children the targets encipher.
 *
 * When a rule matches a connection's SYN (GAIUSDECRYPT) or SYN-ACK
 * (GAIUSENCRYPT) on the server, the connection's socket does not exist yet:
 * only the listener does. Attaching a data context there would hand it to
 * every child (CVE-2023-0461). Instead the listener gets our ULP ops, with a
 * table of the keys each expected child is to take, keyed by its peer, and
 * our proto_ops, which accept() passes on to its children. When TCP creates
 * a child (inet_csk_clone_lock() -> caesar_clone(), softirq), the child
 * takes its keys and a context of its own, before accept() can return it
 * and so before the program can read or write a byte; a child without keys
 * stays plain TCP, though it keeps our ULP ops (see caesar_clone()).
 *
 * Locking: listeners take SYNs locklessly, on every CPU at once. The table
 * has a spinlock of its own (softirq and process context: _bh); taking a
 * listener over, once per listener, holds it (caesar_listener_get()). The
 * table is freed after an RCU grace period, since the packet paths find it
 * under rcu_read_lock() through a listener that may be closing. Its hash
 * has a secret seed, and it holds at most CAESAR_PENDING_MAX entries: a
 * packet whose key cannot be recorded does not pass (gaius_target.c).
 */

#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/tcp.h>
#include <linux/caesar.h>

#include "caesar.h"

/*
 * An entry stays CAESAR_TAKEN_TTL after its child took it, so a listener
 * keeps about a second's connections: every SYN walks one bucket of them.
 * 256 buckets (2 KiB, one allocation below a page) keep that walk to a few
 * entries at a few thousand connections a second.
 */
#define CAESAR_PENDING_BUCKETS	256
/*
 * Bounds what a SYN flood matching a rule can make us allocate. A full
 * table refuses more (caesar_expect()), and the rule drops the packet: a
 * flood can delay new connections to the port, not leave them plain.
 */
#define CAESAR_PENDING_MAX	8192
/* Longer than a handshake may take with every SYN-ACK retransmitted. */
#define CAESAR_PENDING_TTL	(120 * HZ)
/* Once a child took its keys: long enough for a racing twin to find them. */
#define CAESAR_TAKEN_TTL	HZ

struct caesar_pending {
	struct hlist_node node;
	struct list_head age;		/* in caesar_listener.by_age */
	struct caesar_peer peer;
	int tx_key;
	int rx_key;
	unsigned long expires;
};

struct caesar_listener {
	enum caesar_kind kind;		/* first, as in struct caesar_context */
	u32 seed;			/* the buckets' hash: a peer cannot pick one */
	spinlock_t lock;		/* protects everything below */
	bool dead;			/* released: take no more entries */
	unsigned int count;
	/*
	 * Oldest recorded first: each entry goes to the tail when it is
	 * recorded, with the latest expiry, so the head expires first (or
	 * has been taken, and expires sooner).
	 */
	struct list_head by_age;
	struct hlist_head buckets[CAESAR_PENDING_BUCKETS];
	struct rcu_head rcu;
};

static bool caesar_peer_eq(const struct caesar_peer *a,
			   const struct caesar_peer *b)
{
	return ipv6_addr_equal(&a->addr, &b->addr) &&
	       ipv6_addr_equal(&a->local_addr, &b->local_addr) &&
	       a->port == b->port && a->local_port == b->local_port;
}

static struct hlist_head *caesar_bucket(struct caesar_listener *l,
					const struct caesar_peer *peer)
{
	u32 ports = (__force u32)peer->port << 16 | peer->local_port;
	u32 h = jhash2((const u32 *)&peer->addr, 4, l->seed ^ ports);

	h = jhash2((const u32 *)&peer->local_addr, 4, h);
	return &l->buckets[h % CAESAR_PENDING_BUCKETS];
}

/* Under l->lock. */
static void caesar_forget(struct caesar_listener *l, struct caesar_pending *p)
{
	lockdep_assert_held(&l->lock);
	hlist_del(&p->node);
	list_del(&p->age);
	l->count--;
	kfree(p);
}

/* Under l->lock; expired entries of the bucket walked go on the way. */
static struct caesar_pending *caesar_find(struct caesar_listener *l,
					  const struct caesar_peer *peer)
{
	struct hlist_head *head = caesar_bucket(l, peer);
	struct caesar_pending *p;
	struct hlist_node *tmp;

	lockdep_assert_held(&l->lock);
	hlist_for_each_entry_safe(p, tmp, head, node) {
		if (caesar_peer_eq(&p->peer, peer))
			return p;
		if (time_after(jiffies, p->expires))
			caesar_forget(l, p);
	}
	return NULL;
}

/* Under l->lock: room for one more entry, if the oldest has expired. */
static bool caesar_room(struct caesar_listener *l)
{
	struct caesar_pending *oldest;

	lockdep_assert_held(&l->lock);
	if (l->count < CAESAR_PENDING_MAX)
		return true;
	oldest = list_first_entry(&l->by_age, struct caesar_pending, age);
	if (!time_after(jiffies, oldest->expires))
		return false;
	caesar_forget(l, oldest);
	return true;
}

void caesar_req_peer(const struct request_sock *req, struct caesar_peer *peer)
{
	const struct inet_request_sock *ireq = inet_rsk(req);

#if IS_ENABLED(CONFIG_IPV6)
	if (req->rsk_ops->family == AF_INET6) {
		peer->addr = ireq->ir_v6_rmt_addr;
		peer->local_addr = ireq->ir_v6_loc_addr;
	} else {
		ipv6_addr_set_v4mapped(ireq->ir_rmt_addr, &peer->addr);
		ipv6_addr_set_v4mapped(ireq->ir_loc_addr, &peer->local_addr);
	}
#else
	ipv6_addr_set_v4mapped(ireq->ir_rmt_addr, &peer->addr);
	ipv6_addr_set_v4mapped(ireq->ir_loc_addr, &peer->local_addr);
#endif
	peer->port = ireq->ir_rmt_port;
	peer->local_port = ireq->ir_num;
}
EXPORT_SYMBOL_GPL(caesar_req_peer);

/*
 * @sk's table, putting the listener in our hands the first time. Under
 * rcu_read_lock(); @sk is a listener the caller holds a reference to.
 *
 * Taking it over happens under bh_lock_sock() with no task owning the
 * listener: close() owns it from before it leaves TCP_LISTEN until after
 * tcp_cleanup_ulp() has run, so the ULP ops (and the module reference they
 * hold) are either seen and dropped there, or never installed. A listener
 * a task owns just then (accept() takes it briefly) is not taken over:
 * -EBUSY, and the rule drops the SYN for its sender to send again.
 */
static struct caesar_listener *caesar_listener_get(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct caesar_listener *l, *new;

	if (READ_ONCE(icsk->icsk_ulp_ops) == &caesar_ulp_ops) {
		l = rcu_dereference(icsk->icsk_ulp_data);
		return l && l->kind == CAESAR_LISTENER ? l :
							 ERR_PTR(-EOPNOTSUPP);
	}

	new = kzalloc(sizeof(*new), GFP_ATOMIC);
	if (!new)
		return ERR_PTR(-ENOMEM);
	new->kind = CAESAR_LISTENER;
	new->seed = get_random_u32();
	spin_lock_init(&new->lock);
	INIT_LIST_HEAD(&new->by_age);

	local_bh_disable();
	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		l = ERR_PTR(-EBUSY);
	} else if (icsk->icsk_ulp_ops == &caesar_ulp_ops) {
		/* Another CPU took it over first. */
		l = rcu_dereference(icsk->icsk_ulp_data);
	} else if (!icsk->icsk_ulp_ops && sk->sk_state == TCP_LISTEN &&
		   !READ_ONCE(sk->sk_user_data) &&
		   !caesar_proto_install_ops(sk)) {
		/* Table first: caesar_clone() reads the ops, then the table. */
		rcu_assign_pointer(icsk->icsk_ulp_data, new);
		/* The reference tcp_cleanup_ulp() drops at the listener's end. */
		__module_get(THIS_MODULE);
		WRITE_ONCE(icsk->icsk_ulp_ops, &caesar_ulp_ops);
		l = new;
		new = NULL;
	} else {
		/* Another ULP, sockmap, or no longer listening. */
		l = ERR_PTR(-EOPNOTSUPP);
	}
	bh_unlock_sock(sk);
	local_bh_enable();
	kfree(new);
	if (!IS_ERR(l) && (!l || l->kind != CAESAR_LISTENER))
		l = ERR_PTR(-EOPNOTSUPP);
	return l;
}

int caesar_expect(struct sock *listener, const struct caesar_peer *peer,
		  int optname, int key)
{
	struct caesar_listener *l;
	struct caesar_pending *p;
	int err = 0;

	if (!caesar_shift_of(key))
		return -EINVAL;
	l = caesar_listener_get(listener);
	if (IS_ERR(l))
		return PTR_ERR(l);

	spin_lock_bh(&l->lock);
	p = caesar_find(l, peer);
	if (!p && !l->dead && caesar_room(l)) {
		p = kzalloc(sizeof(*p), GFP_ATOMIC);
		if (p) {
			p->peer = *peer;
			hlist_add_head(&p->node, caesar_bucket(l, peer));
			INIT_LIST_HEAD(&p->age);
			l->count++;
		}
	}
	if (p) {
		if (optname != CAESAR_RX_KEY)
			p->tx_key = key;
		if (optname != CAESAR_TX_KEY)
			p->rx_key = key;
		p->expires = jiffies + CAESAR_PENDING_TTL;
		list_move_tail(&p->age, &l->by_age);
	} else {
		err = -ENOSPC;
	}
	spin_unlock_bh(&l->lock);
	return err;
}
EXPORT_SYMBOL_GPL(caesar_expect);

/*
 * The keys expected for @req's child, if any. Two CPUs can create a child
 * for the same request at once (a duplicated final ACK), and TCP keeps
 * whichever wins: both must find the keys, and the duplicate ACK may record
 * them again meanwhile. So the entry is not removed but left to expire
 * shortly after.
 */
static bool caesar_child_keys(struct caesar_listener *l,
			      const struct request_sock *req, int *tx, int *rx)
{
	struct caesar_peer peer = {};
	struct caesar_pending *p;

	caesar_req_peer(req, &peer);
	spin_lock_bh(&l->lock);
	p = caesar_find(l, &peer);
	if (p) {
		*tx = p->tx_key;
		*rx = p->rx_key;
		if (time_before(jiffies + CAESAR_TAKEN_TTL, p->expires))
			p->expires = jiffies + CAESAR_TAKEN_TTL;
	}
	spin_unlock_bh(&l->lock);
	return p;
}

/*
 * inet_csk_clone_lock(): @newsk is a copy of the listener, ULP ops and
 * table pointer included, not yet visible to anyone else. Softirq.
 *
 * Every child keeps our ULP ops, and with them a module reference until it
 * is destroyed: accept() will give it the listener's proto_ops, which are
 * ours, keys or not. A child without keys has no context and stays plain
 * TCP under those ops (caesar_owns() is false for it).
 *
 * A child with keys whose context cannot be made (an atomic allocation
 * that fails) must not be plain either: it gets our proto without a
 * context, and the first system call that would move a byte aborts it
 * (caesar_refuse()). Nothing here may allocate for that. Its proto is the
 * listener's, which was TCP's when the rules took it over
 * (caesar_proto_install_ops()) and stays so: a socket with a ULP cannot
 * join a sockmap (sk_psock_init()), the one thing that would replace it.
 */
void caesar_clone(const struct request_sock *req, struct sock *newsk,
		  const gfp_t priority)
{
	struct inet_connection_sock *icsk = inet_csk(newsk);
	struct caesar_listener *l;
	int tx = 0, rx = 0;

	l = rcu_dereference(icsk->icsk_ulp_data);
	RCU_INIT_POINTER(icsk->icsk_ulp_data, NULL);
	/* The reference tcp_cleanup_ulp() drops when the child is destroyed. */
	__module_get(THIS_MODULE);
	if (!l || l->kind != CAESAR_LISTENER ||
	    !caesar_child_keys(l, req, &tx, &rx))
		return;

	if (caesar_attach(newsk, priority)) {
		caesar_stat_add(newsk, CAESAR_STAT_RULE_FAILS, 1);
		WARN_ON_ONCE(caesar_proto_install(newsk));
		return;
	}
	if (tx)
		caesar_store_key(caesar_ctx(newsk), CAESAR_TX_KEY, tx);
	if (rx)
		caesar_store_key(caesar_ctx(newsk), CAESAR_RX_KEY, rx);
	caesar_stat_add(newsk, CAESAR_STAT_RULE_CHILDREN, 1);
}

/* The listener is being destroyed; packet paths may still hold the table. */
void caesar_listener_release(struct sock *sk, void *listener)
{
	struct caesar_listener *l = listener;
	struct caesar_pending *p, *tmp;

	spin_lock_bh(&l->lock);
	l->dead = true;
	list_for_each_entry_safe(p, tmp, &l->by_age, age)
		caesar_forget(l, p);
	spin_unlock_bh(&l->lock);
	kfree_rcu(l, rcu);
}
