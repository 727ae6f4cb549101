// SPDX-License-Identifier: GPL-2.0
/*
 * The proto and proto_ops copies that route a socket's bytes through us.
 *
 * Every way a byte can enter or leave a TCP socket has to be either ours or
 * refused: a path left to TCP would move plaintext (or ciphertext) silently.
 *
 *   in:  sendmsg (write, send*, writev), sendpage (sendfile, splice to the
 *        socket), and the kernel's sendmsg_locked / sendpage_locked
 *   out: recvmsg (read, recv*, readv); splice from the socket, which with
 *        no splice_read falls back to recvmsg; read_sock and read_skb
 *        (in-kernel readers) and mmap (TCP_ZEROCOPY_RECEIVE) are refused
 *
 * Like net/tls, the copies are made from the socket's own proto the first
 * time a socket of that family attaches, because tcpv6_prot lives in the
 * IPv6 code and is not exported.
 */

#include <linux/mutex.h>
#include <linux/net.h>
#include <net/tcp.h>

#include "caesar.h"

enum { CAESAR_IPV4, CAESAR_IPV6, CAESAR_NFAMILIES };

struct caesar_protos {
	struct proto prot;
	struct proto_ops ops;
};

static struct caesar_protos caesar_protos[CAESAR_NFAMILIES];

/*
 * The proto each copy was made from; written once, under caesar_proto_mutex,
 * with a release that orders the finished copy before it, so that a reader
 * that sees it with an acquire sees the whole copy.
 */
static const struct proto *caesar_base[CAESAR_NFAMILIES];
static DEFINE_MUTEX(caesar_proto_mutex);

static void caesar_build(struct caesar_protos *p, const struct proto *base,
			 const struct proto_ops *base_ops)
{
	p->prot = *base;
	p->prot.close = caesar_close;
	p->prot.setsockopt = caesar_setsockopt;
	p->prot.getsockopt = caesar_getsockopt;
	p->prot.sendmsg = caesar_sendmsg;
	p->prot.sendpage = caesar_sendpage;
	p->prot.recvmsg = caesar_recvmsg;
	/* sockmap would swap the proto under us: not in a sockmap. */
	p->prot.psock_update_sk_prot = NULL;

	p->ops = *base_ops;
	p->ops.sendmsg_locked = caesar_sendmsg_locked;
	p->ops.sendpage_locked = caesar_sendpage_locked;
	/* Without splice_read, splice() reads through recvmsg (ITER_PIPE). */
	p->ops.splice_read = NULL;
	/* In-kernel readers and zerocopy receive hand out TCP's own pages. */
	p->ops.read_sock = NULL;
	p->ops.read_skb = NULL;
	p->ops.mmap = sock_no_mmap;
}

/* Called from caesar_init(): process context, the socket locked. */
static const struct caesar_protos *caesar_protos_get(struct sock *sk)
{
	int family = sk->sk_family == AF_INET6 ? CAESAR_IPV6 : CAESAR_IPV4;
	const struct proto *base;

	/* Pairs with the release below: a base seen means its copy is whole. */
	base = smp_load_acquire(&caesar_base[family]);
	if (unlikely(!base)) {
		mutex_lock(&caesar_proto_mutex);
		base = caesar_base[family];
		if (!base) {
			base = sk->sk_prot;
			caesar_build(&caesar_protos[family], base,
				     sk->sk_socket->ops);
			/* Publish the base only after the copy is complete. */
			smp_store_release(&caesar_base[family], base);
		}
		mutex_unlock(&caesar_proto_mutex);
	}
	/* Anything but plain TCP (sockmap's proto, say) is not ours to wrap. */
	if (sk->sk_prot != base)
		return NULL;
	return &caesar_protos[family];
}

/*
 * Route @sk through the Caesar callbacks. The context must already be
 * published in icsk_ulp_data: the callbacks read it as soon as sk_prot
 * changes (CVE-2024-36489 was this order reversed).
 */
int caesar_proto_install(struct sock *sk)
{
	const struct caesar_protos *p;

	sock_owned_by_me(sk);
	if (!sk->sk_socket)
		return -ENOTSOCK;
	p = caesar_protos_get(sk);
	if (!p)
		return -EOPNOTSUPP;
	WRITE_ONCE(sk->sk_prot, (struct proto *)&p->prot);
	WRITE_ONCE(sk->sk_socket->ops, &p->ops);
	return 0;
}
