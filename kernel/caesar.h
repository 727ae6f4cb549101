/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Caesar TCP ULP: what the module's files share. docs/design.md maps
 * the files.
 */
#ifndef _CAESAR_H
#define _CAESAR_H

#include <linux/rcupdate.h>
#include <net/inet_connection_sock.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <caesar_shift.h>

#include "caesar_api.h"

/*
 * A direction that a rule switched while it was carrying bytes
 * (caesar_switch.c). The switch is a sequence number: the bytes before it
 * keep the shift they were sent with, the bytes from it on take the new key.
 * Until the ULP's own data path takes over (its first send, its first
 * read), a program may still be inside TCP's: the bytes of the switched
 * range that it could see as TCP left them are rewritten in the packets
 * by the targets (caesar_encipher_skb(), caesar_decipher_skb()).
 *
 * OPEN: the range runs from the switch on; CLOSED: it ends where the ULP
 * took over; NONE: nothing to do (no switch, or all of it is behind).
 */
enum caesar_switch_state {
	CAESAR_SWITCH_NONE,
	CAESAR_SWITCH_OPEN,
	CAESAR_SWITCH_CLOSED,
};

/*
 * Receive: [seq, plain_end) was deciphered in the packets (GAIUSDECRYPT,
 * softirq), the reader copies it as it is; before seq it applies
 * prev_shift, from plain_end on the key. @lock orders the reader against
 * the packets, which do not wait for the socket lock.
 */
struct caesar_rx_switch {
	spinlock_t lock;		/* the reader against the packets */
	u32 seq;
	u32 plain_end;			/* grows while OPEN */
	u8 prev_shift;
	u8 state;			/* enum caesar_switch_state */
};

/*
 * Transmit: the bytes the program wrote through TCP, from @from up to @to
 * (the first byte the ULP enciphered itself), are enciphered by
 * GAIUSENCRYPT on every transmission; the write queue keeps them as
 * written. Only ever touched by whoever holds the socket.
 */
struct caesar_tx_switch {
	u32 from;
	u32 to;
	u8 shift;			/* added to the bytes of the range */
	u8 state;			/* enum caesar_switch_state */
	bool counted;			/* in CAESAR_STAT_HOOK_SOCKETS */
};

/*
 * Per socket state, 88 bytes (without lock debugging). A key of 0 means
 * that direction is off: a key whose shift (key mod 256) is 0 is refused,
 * so 0 is never a live key, and a key once set is never cleared.
 *
 * Keys, the transmit switch and tx_bytes are written by whoever holds the
 * socket: its owner (lock_sock()), or bh_lock_sock() with no owner; the
 * receive key and switch also under rx_switch.lock. The data paths read
 * them under lock_sock(); sock_diag and caesar_has_key() read the keys
 * locklessly (READ_ONCE). rx_bytes is atomic: MSG_OOB reads and the step
 * over an urgent mark are counted outside the lock.
 */
enum caesar_kind {
	CAESAR_SOCKET,			/* struct caesar_context */
	CAESAR_LISTENER,		/* struct caesar_listener (caesar_listen.c) */
};

struct caesar_context {
	enum caesar_kind kind;		/* first, as in struct caesar_listener */
	struct caesar_rx_switch rx_switch;
	struct proto *sk_proto;		/* the proto we replaced; put back at close */
	int tx_key;
	int rx_key;
	struct caesar_tx_switch tx_switch;
	u64 tx_bytes;			/* enciphered by this socket */
	atomic64_t rx_bytes;		/* deciphered by this socket */
	struct rcu_head rcu;
};

/* caesar_rx.c */
int caesar_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
		   int flags, int *addr_len);
ssize_t caesar_splice_read(struct socket *sock, struct pipe_inode_info *pipe,
			   size_t len, unsigned int flags);

/*
 * Whether @sk's proto is ours, that is whether it has a context: without a
 * call, for the module's per-packet paths.
 */
static inline bool __caesar_owns(const struct sock *sk)
{
	return READ_ONCE(sk->sk_prot)->recvmsg == caesar_recvmsg;
}

/*
 * The context of a socket whose sk_prot is one of ours, for the proto
 * callbacks: a system call holds the socket's file, so close() cannot run
 * and free it meanwhile. caesar_attach() publishes it before it installs
 * the proto. NULL for a refused socket, a child the rules keyed whose
 * context could not be made (caesar_clone()): each callback that would
 * move a byte aborts it instead (caesar_refuse()).
 */
static inline struct caesar_context *caesar_ctx(const struct sock *sk)
{
	return rcu_dereference_raw(inet_csk(sk)->icsk_ulp_data);
}

/*
 * The context of @sk for a reader that does not hold its file: the
 * targets, in softirq, and sock_diag. NULL when @sk has none, or none any
 * more: caesar_close() clears icsk_ulp_data before it puts TCP's proto
 * back and frees the context after a grace period, so a reader that still
 * sees our proto may find NULL here, never freed memory. Only sockets have
 * our proto, never listeners, so what is found is a struct caesar_context.
 * Under rcu_read_lock() (netfilter's hooks hold it), or holding @sk.
 */
static inline struct caesar_context *caesar_ctx_lockless(const struct sock *sk)
{
	if (!__caesar_owns(sk))
		return NULL;
	return rcu_dereference_check(inet_csk(sk)->icsk_ulp_data,
				     lockdep_sock_is_held(sk));
}

/* caesar_proto.c */
int caesar_proto_init(void);
int caesar_proto_install(struct sock *sk);
struct proto *caesar_proto_base(const struct sock *sk);
int caesar_proto_install_ops(struct sock *listener);

/* caesar_main.c */
extern struct tcp_ulp_ops caesar_ulp_ops;
int caesar_attach(struct sock *sk, gfp_t gfp);
int caesar_refuse(struct sock *sk);
void caesar_refuse_held(struct sock *sk);
int caesar_set_ulp_atomic(struct sock *sk);
void caesar_store_key(struct caesar_context *ctx, int optname, int key);

/*
 * caesar_shift_x86.c: the shift between kernel buffers, with vector registers
 * where the CPU has them; elsewhere the SWAR loop.
 */
#ifdef CONFIG_X86_64
void caesar_shift_init(void);
bool caesar_shift_use_vec(size_t len);
void caesar_shift_buf(void *dst, const void *src, size_t len, u8 shift);
#else
static inline void caesar_shift_init(void)
{
}

static inline bool caesar_shift_use_vec(size_t len)
{
	return false;
}

static inline void caesar_shift_buf(void *dst, const void *src, size_t len,
				    u8 shift)
{
	caesar_shift_copy(dst, src, len, shift);
}
#endif

/*
 * caesar_user.c: the reader's or writer's next run of user memory, or 0
 * where the iterator holds none at hand (kernel memory, a pipe, an empty
 * segment); the shift into or out of user memory, which returns how many
 * bytes it moved before a fault.
 */
size_t caesar_user_run(const struct iov_iter *i, void __user **run);
size_t caesar_shift_to_user(u8 __user *dst, const u8 *src, size_t len,
			    u8 shift);
size_t caesar_shift_from_user(u8 *dst, const u8 __user *src, size_t len,
			      u8 shift);

/* caesar_switch.c */
void caesar_tx_switch_close(struct sock *sk, struct caesar_context *ctx);
void caesar_rx_switch_close(struct caesar_rx_switch *sw, u32 copied_seq);

/* caesar_listen.c */
void caesar_clone(const struct request_sock *req, struct sock *newsk,
		  const gfp_t priority);
void caesar_listener_release(struct sock *sk, void *listener);

/* caesar_tx.c */
int caesar_sendmsg(struct sock *sk, struct msghdr *msg, size_t size);
int caesar_sendmsg_locked(struct sock *sk, struct msghdr *msg, size_t size);

/* caesar_main.c: the callbacks caesar_proto.c installs */
void caesar_close(struct sock *sk, long timeout);
int caesar_setsockopt(struct sock *sk, int level, int optname,
		      sockptr_t optval, unsigned int optlen);
int caesar_getsockopt(struct sock *sk, int level, int optname,
		      char __user *optval, int __user *optlen);

/* caesar_stats.c; the counters are in caesar_api.h */
int caesar_stats_init(void);
void caesar_stats_exit(void);

#endif /* _CAESAR_H */
