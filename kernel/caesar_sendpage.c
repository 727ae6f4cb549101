// SPDX-License-Identifier: GPL-2.0
/*
 * sendfile() and splice() to the socket on kernels before 6.5, which bring
 * them to struct proto's sendpage (and in-kernel senders to proto_ops'
 * sendpage_locked) rather than to sendmsg with MSG_SPLICE_PAGES. Built
 * only there (Kbuild, compat.h).
 *
 * The page is the page cache's, not ours to shift: it goes to
 * caesar_sendmsg_locked() as a one-page bio_vec, which 6.5's sendmsg gets
 * too, and is shifted into the chunk like any other source. With no TX
 * key, TCP sends it by reference as usual.
 *
 * Process context, with the socket lock held by the _locked entries.
 */

#include <linux/bvec.h>
#include <linux/uio.h>
#include <net/tcp.h>

#include "caesar.h"

static int caesar_sendpage_locked(struct sock *sk, struct page *page,
				  int offset, size_t size, int flags)
{
	const struct caesar_context *ctx = caesar_ctx(sk);
	struct msghdr msg = { .msg_flags = flags };
	struct bio_vec bvec;

	sock_owned_by_me(sk);
	/* Refused (caesar_refuse()); the lock's holder cannot abort it. */
	if (unlikely(!ctx))
		return -ECONNABORTED;
	if (!ctx->tx_key)
		return tcp_sendpage_locked(sk, page, offset, size, flags);
	bvec_set_page(&bvec, page, size, offset);
	iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, &bvec, 1, size);
	return caesar_sendmsg_locked(sk, &msg, size);
}

static int caesar_sendpage(struct sock *sk, struct page *page, int offset,
			   size_t size, int flags)
{
	int ret;

	if (unlikely(!caesar_ctx(sk)))
		return caesar_refuse(sk);
	lock_sock(sk);
	ret = caesar_sendpage_locked(sk, page, offset, size, flags);
	release_sock(sk);
	return ret;
}

/* The proto_ops serve plain sockets too: see caesar_proto.c. */
static int caesar_sendpage_locked_ops(struct sock *sk, struct page *page,
				      int offset, size_t size, int flags)
{
	if (!caesar_owns(sk))
		return tcp_sendpage_locked(sk, page, offset, size, flags);
	return caesar_sendpage_locked(sk, page, offset, size, flags);
}

void caesar_sendpage_build(struct proto *prot, struct proto_ops *ops)
{
	prot->sendpage = caesar_sendpage;
	ops->sendpage_locked = caesar_sendpage_locked_ops;
}
