// SPDX-License-Identifier: GPL-2.0
/*
 * The Caesar TCP Upper Layer Protocol: registration, attach, close, socket
 * options and sock_diag.
 *
 * setsockopt(TCP_ULP, "caesar") calls caesar_init() in process context with
 * the socket locked; the keys come next through CAESAR_KEY and friends. The
 * shift itself happens in caesar_tx.c and caesar_rx.c.
 */

#include <linux/module.h>
#include <linux/slab.h>
#include <net/tcp.h>
#include <linux/caesar.h>

#include "caesar.h"

/*
 * A function of its own, never inlined, so that the tests can make it fail
 * (tests/kmod/fail_alloc.c), as fault injection would on a kernel built
 * with it.
 */
static noinline struct caesar_context *caesar_ctx_alloc(gfp_t gfp)
{
	return kzalloc(sizeof(struct caesar_context), gfp);
}

/*
 * Give @sk a context and route it through us. The caller holds the socket
 * (owner, or bh_lock_sock() with no owner) or, for a child being created,
 * is the only one who can see it; so @gfp may have to be atomic.
 */
int caesar_attach(struct sock *sk, gfp_t gfp)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct caesar_context *ctx;
	int err;

	err = -ENOMEM;
	ctx = caesar_ctx_alloc(gfp);
	if (!ctx)
		goto err_count;
	ctx->kind = CAESAR_SOCKET;
	ctx->sk_proto = sk->sk_prot;
	spin_lock_init(&ctx->rx_switch.lock);

	rcu_assign_pointer(icsk->icsk_ulp_data, ctx);
	err = caesar_proto_install(sk);
	if (err)
		goto err_unpublish;

	caesar_stat_add(sk, CAESAR_STAT_ATTACHED, 1);
	caesar_stat_add(sk, CAESAR_STAT_CURR_SOCKETS, 1);
	return 0;

err_unpublish:
	RCU_INIT_POINTER(icsk->icsk_ulp_data, NULL);
	/* sock_diag may have seen it already. */
	kfree_rcu(ctx, rcu);
err_count:
	caesar_stat_add(sk, CAESAR_STAT_ATTACH_FAIL, 1);
	return err;
}

/*
 * A socket with our proto and no context (caesar_ctx()) carries no byte
 * either way: the first system call that reaches us aborts it as ss -K
 * does, with a reset to the peer, and fails with ECONNABORTED, as do all
 * that follow. Process context, the socket not held: tcp_abort() takes it.
 */
int caesar_refuse(struct sock *sk)
{
	if (READ_ONCE(sk->sk_state) != TCP_CLOSE)
		tcp_abort(sk, ECONNABORTED);
	return -ECONNABORTED;
}

/*
 * The same, from the packets: a receive rule that meets a refused socket
 * ends it as tcp_reset() does (6.12 does not export its
 * tcp_done_with_error()), so that a program waiting in poll() or read()
 * learns at once instead of waiting for bytes the rules drop. The peer
 * learns from its next segment, which finds no socket. A refused socket
 * never queued a byte to send: there is no write queue to purge. Softirq,
 * the socket held with no owner.
 */
void caesar_refuse_held(struct sock *sk)
{
	lockdep_assert(lockdep_sock_is_held(sk));
	if (sk->sk_state == TCP_CLOSE)
		return;
	WRITE_ONCE(sk->sk_err, ECONNABORTED);
	/* Coupled with smp_rmb() in tcp_poll(), as in tcp_reset(). */
	smp_wmb();
	tcp_done(sk);
	if (!sock_flag(sk, SOCK_DEAD))
		sk_error_report(sk);
}

/* setsockopt(TCP_ULP): process context, the socket locked by its owner. */
static int caesar_init(struct sock *sk)
{
	sock_owned_by_me(sk);
	/*
	 * sk_user_data belongs to whoever else drives this socket (sockmap's
	 * psock, an in-kernel user): we would be changing the bytes under it.
	 * Another ULP is refused by tcp_set_ulp() (-EEXIST). A listening
	 * socket is refused here, and listen() on ours by caesar_listen():
	 * children would share our context (CVE-2023-0461). Only the targets
	 * put a listener in our hands, to key its children (caesar_listen.c).
	 */
	if (sk->sk_state == TCP_LISTEN || READ_ONCE(sk->sk_user_data)) {
		caesar_stat_add(sk, CAESAR_STAT_ATTACH_FAIL, 1);
		return sk->sk_state == TCP_LISTEN ? -ENOTCONN : -EBUSY;
	}
	return caesar_attach(sk, GFP_KERNEL);
}

/*
 * Put TCP's proto back before TCP closes the socket, so that what runs after
 * (FIN, retransmissions of bytes already enciphered, TIME_WAIT) never calls
 * into us. The ULP ops stay until the socket is destroyed, holding the module
 * reference that keeps "rmmod caesar" from succeeding meanwhile.
 */
void caesar_close(struct sock *sk, long timeout)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct caesar_context *ctx;
	struct proto *sk_proto;
	bool keep;

	lock_sock(sk);
	ctx = caesar_ctx(sk);
	if (unlikely(!ctx)) {
		/* Refused: nothing of ours to free. */
		sk_proto = caesar_proto_base(sk);
		WRITE_ONCE(sk->sk_prot, sk_proto);
		release_sock(sk);
		sk_proto->close(sk, timeout);
		return;
	}
	sk_proto = ctx->sk_proto;
	/*
	 * Unacknowledged bytes of a switched range: GAIUSENCRYPT enciphers
	 * their retransmissions after close() too, so the context stays
	 * until the socket is destroyed (caesar_release()).
	 */
	keep = ctx->tx_switch.state != CAESAR_SWITCH_NONE;
	if (!keep)
		RCU_INIT_POINTER(icsk->icsk_ulp_data, NULL);
	WRITE_ONCE(sk->sk_prot, sk_proto);
	release_sock(sk);

	if (keep) {
		sk_proto->close(sk, timeout);
		return;
	}
	caesar_stat_add(sk, CAESAR_STAT_CURR_SOCKETS, -1);
	sk_proto->close(sk, timeout);
	/* sock_diag readers may still hold it under rcu_read_lock(). */
	kfree_rcu(ctx, rcu);
}

static bool caesar_is_key_opt(int level, int optname)
{
	return level == SOL_TCP &&
	       (optname == CAESAR_KEY || optname == CAESAR_TX_KEY ||
		optname == CAESAR_RX_KEY);
}

int caesar_setsockopt(struct sock *sk, int level, int optname,
		      sockptr_t optval, unsigned int optlen)
{
	struct caesar_context *ctx = caesar_ctx(sk);
	int key;

	if (unlikely(!ctx))
		return caesar_refuse(sk);
	if (!caesar_is_key_opt(level, optname))
		return ctx->sk_proto->setsockopt(sk, level, optname, optval,
						 optlen);
	if (optlen < sizeof(key))
		return -EINVAL;
	if (copy_from_sockptr(&key, optval, sizeof(key)))
		return -EFAULT;
	/* A zero shift would send plaintext while claiming otherwise. */
	if (!caesar_shift_of(key))
		return -EINVAL;

	/*
	 * Under the socket lock, a key takes effect between two sends or two
	 * receives, never inside one.
	 */
	lock_sock(sk);
	caesar_store_key(ctx, optname, key);
	release_sock(sk);
	return 0;
}

/* The data paths read a key once per call, under the socket lock. */
void caesar_store_key(struct caesar_context *ctx, int optname, int key)
{
	if (optname != CAESAR_RX_KEY)
		WRITE_ONCE(ctx->tx_key, key);
	if (optname != CAESAR_TX_KEY)
		WRITE_ONCE(ctx->rx_key, key);
}

bool caesar_has_key(const struct sock *sk, int optname, int key)
{
	const struct caesar_context *ctx = caesar_ctx_lockless(sk);

	if (!ctx)
		return false;
	return optname == CAESAR_TX_KEY ? READ_ONCE(ctx->tx_key) == key :
					  READ_ONCE(ctx->rx_key) == key;
}
EXPORT_SYMBOL_GPL(caesar_has_key);

/*
 * For the targets: what tcp_set_ulp() does, from a context that may not
 * sleep. The caller holds the socket: its owner, or bh_lock_sock() with no
 * owner.
 */
int caesar_set_ulp_atomic(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	bool ours;
	int err;

	if (caesar_owns(sk))
		return 0;
	lockdep_assert(lockdep_sock_is_held(sk));
	/*
	 * Our ULP ops without a context: a plain child of a listener the
	 * targets took over (caesar_clone()), which holds its module
	 * reference already. Any other ULP is not ours to replace.
	 */
	ours = icsk->icsk_ulp_ops == &caesar_ulp_ops;
	if (icsk->icsk_ulp_ops && (!ours || rcu_access_pointer(icsk->icsk_ulp_data)))
		return -EEXIST;
	if (READ_ONCE(sk->sk_user_data))
		return -EBUSY;
	/* The reference tcp_cleanup_ulp() drops when sk is destroyed. */
	if (!ours)
		__module_get(THIS_MODULE);
	err = caesar_attach(sk, GFP_ATOMIC);
	if (err) {
		if (!ours)
			module_put(THIS_MODULE);
		return err;
	}
	if (sk->sk_socket)
		clear_bit(SOCK_SUPPORT_ZC, &sk->sk_socket->flags);
	icsk->icsk_ulp_ops = &caesar_ulp_ops;
	return 0;
}

static int caesar_get_key(const struct caesar_context *ctx, int optname,
			  int *key)
{
	int tx = READ_ONCE(ctx->tx_key);
	int rx = READ_ONCE(ctx->rx_key);

	switch (optname) {
	case CAESAR_TX_KEY:
		*key = tx;
		break;
	case CAESAR_RX_KEY:
		*key = rx;
		break;
	default:
		*key = tx == rx ? tx : 0;
		break;
	}
	return *key ? 0 : -ENOENT;
}

int caesar_getsockopt(struct sock *sk, int level, int optname,
		      char __user *optval, int __user *optlen)
{
	struct caesar_context *ctx = caesar_ctx(sk);
	int len, key, err;

	if (unlikely(!ctx))
		return caesar_refuse(sk);
	/* It would map TCP's pages, holding ciphertext, into the reader. */
	if (level == SOL_TCP && optname == TCP_ZEROCOPY_RECEIVE)
		return -EOPNOTSUPP;
	if (!caesar_is_key_opt(level, optname))
		return ctx->sk_proto->getsockopt(sk, level, optname, optval,
						 optlen);
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < (int)sizeof(key))
		return -EINVAL;
	err = caesar_get_key(ctx, optname, &key);
	if (err)
		return err;
	len = sizeof(key);
	if (put_user(len, optlen) || copy_to_user(optval, &key, len))
		return -EFAULT;
	return 0;
}

/*
 * sock_diag (ss -ti): called under rcu_read_lock() at any moment of the
 * socket's life, so the context may already be gone.
 */
static int caesar_get_info(struct sock *sk, struct sk_buff *skb)
{
	const struct caesar_context *ctx;
	struct nlattr *nest;
	int err = 0;

	nest = nla_nest_start(skb, INET_ULP_INFO_CAESAR);
	if (!nest)
		return -EMSGSIZE;
	rcu_read_lock();
	ctx = rcu_dereference(inet_csk(sk)->icsk_ulp_data);
	if (ctx && ctx->kind == CAESAR_SOCKET &&
	    (nla_put_s32(skb, CAESAR_INFO_TX_KEY, READ_ONCE(ctx->tx_key)) ||
	     nla_put_s32(skb, CAESAR_INFO_RX_KEY, READ_ONCE(ctx->rx_key)) ||
	     nla_put_u64_64bit(skb, CAESAR_INFO_TX_BYTES,
			       READ_ONCE(ctx->tx_bytes), CAESAR_INFO_PAD) ||
	     nla_put_u64_64bit(skb, CAESAR_INFO_RX_BYTES,
			       atomic64_read(&ctx->rx_bytes),
			       CAESAR_INFO_PAD)))
		err = -EMSGSIZE;
	rcu_read_unlock();
	if (err) {
		nla_nest_cancel(skb, nest);
		return err;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static size_t caesar_get_info_size(const struct sock *sk)
{
	return nla_total_size(0) +			/* INET_ULP_INFO_CAESAR */
	       2 * nla_total_size(sizeof(s32)) +	/* keys */
	       2 * nla_total_size_64bit(sizeof(u64));	/* byte counts */
}

/*
 * tcp_cleanup_ulp(), when @sk is destroyed. A closed socket has no context
 * left, unless it had switched bytes to retransmit; one that never was
 * closed is a child its listener dropped before accept(), or a listener of
 * ours.
 */
static void caesar_release(struct sock *sk)
{
	struct inet_connection_sock *icsk = inet_csk(sk);
	struct caesar_context *ctx;

	/* The socket is being destroyed: nobody else can reach it. */
	ctx = rcu_dereference_protected(icsk->icsk_ulp_data, 1);

	if (!ctx)
		return;
	RCU_INIT_POINTER(icsk->icsk_ulp_data, NULL);
	if (ctx->kind == CAESAR_LISTENER) {
		caesar_listener_release(sk, ctx);
		return;
	}
	/* Nothing of ours may run once the module reference is gone. */
	WRITE_ONCE(sk->sk_prot, ctx->sk_proto);
	caesar_stat_add(sk, CAESAR_STAT_CURR_SOCKETS, -1);
	kfree_rcu(ctx, rcu);
}

/*
 * sockmap, removing @sk from a map: put back the proto and write_space it
 * saved, @p. A socket with a context never joins one (our proto has no
 * psock_update_sk_prot); a plain child of a listener the targets took over
 * (our ULP ops, TCP's proto) and such a listener can. With the socket
 * locked.
 */
static void caesar_update(struct sock *sk, struct proto *p,
			  void (*write_space)(struct sock *sk))
{
	/* Pairs with the lockless read in sk_clone_lock(). */
	WRITE_ONCE(sk->sk_prot, p);
	sk->sk_write_space = write_space;
}

struct tcp_ulp_ops caesar_ulp_ops __read_mostly = {
	.name		= CAESAR_ULP_NAME,
	.owner		= THIS_MODULE,
	.init		= caesar_init,
	.release	= caesar_release,
	.update		= caesar_update,
	.clone		= caesar_clone,
	.get_info	= caesar_get_info,
	.get_info_size	= caesar_get_info_size,
};

static int __init caesar_module_init(void)
{
	int err;

	caesar_shift_init();
	err = caesar_proto_init();
	if (err)
		return err;
	/* The counters exist before the first socket can attach. */
	err = caesar_stats_init();
	if (err)
		return err;
	err = tcp_register_ulp(&caesar_ulp_ops);
	if (err)
		goto err_stats;
	return 0;

err_stats:
	caesar_stats_exit();
	return err;
}

/*
 * Only runs once no socket holds the module: every attached socket keeps a
 * reference until it is destroyed.
 */
static void __exit caesar_module_exit(void)
{
	tcp_unregister_ulp(&caesar_ulp_ops);
	caesar_stats_exit();
}

module_init(caesar_module_init);
module_exit(caesar_module_exit);

MODULE_AUTHOR("The gaius developers");
MODULE_DESCRIPTION("Caesar-shift TCP Upper Layer Protocol");
MODULE_LICENSE("GPL");
MODULE_ALIAS_TCP_ULP(CAESAR_ULP_NAME);
