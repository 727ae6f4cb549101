/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels gaius builds for, and nowhere else.
 * Force-included by Kbuild ahead of each source file.
 *
 * The code is written against the API of 6.12, and this file tests for the
 * features it needs rather than for version numbers: each test is an
 * #ifdef of a macro the feature itself defines, or a header grep in Kbuild
 * that passes a -D flag. What an older kernel (6.1 to 6.11) lacks is filled
 * in below; a kernel older than 6.1 is refused here, at build time, rather
 * than half-working.
 */
#ifndef _GAIUS_COMPAT_H
#define _GAIUS_COMPAT_H

#include <linux/bvec.h>
#include <linux/skbuff.h>
#include <linux/socket.h>
#include <linux/uio.h>
#include <net/inet_sock.h>
#include <net/tcp.h>

/* 6.1 split the MSG_ZEROCOPY state out of struct ubuf_info. */
#ifndef uarg_to_msgzc
#error "gaius: this kernel predates struct ubuf_info_msgzc (6.1); not supported"
#endif

/* 6.12 moved the unaligned accessors from asm/ to linux/ (Kbuild). */
#ifdef CAESAR_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/*
 * 6.4 replaced iov_iter_iovec() with these; an ITER_IOVEC iterator's
 * segments were then at ->iov.
 */
#ifndef iter_iov_addr
static inline void __user *iter_iov_addr(const struct iov_iter *iter)
{
	return iter->iov->iov_base + iter->iov_offset;
}

static inline size_t iter_iov_len(const struct iov_iter *iter)
{
	return iter->iov->iov_len - iter->iov_offset;
}
#endif

/* 6.6 moved inet_sock's defer_connect bit into inet_flags (Kbuild). */
#ifdef CAESAR_HAVE_INET_FLAGS_DEFER_CONNECT
#define caesar_defer_connect(sk)	inet_test_bit(DEFER_CONNECT, sk)
#else
#define caesar_defer_connect(sk)	(inet_sk(sk)->defer_connect)
#endif

/*
 * 6.12's devmem TCP can queue skbs whose frags are device memory, not
 * pages, which only MSG_SOCK_DEVMEM reads (as dmabuf tokens). Before it
 * every frag is a page, and no reader asks for tokens.
 */
#ifndef MSG_SOCK_DEVMEM
#define MSG_SOCK_DEVMEM		0

static inline bool skb_frags_readable(const struct sk_buff *skb)
{
	return true;
}
#endif

/* 6.7 added TCP-AO; its option signs the payload as TCP-MD5's does. */
#ifndef TCPOPT_AO
#define TCPOPT_AO		29
#endif

#ifdef MSG_SENDPAGE_NOTLAST
/*
 * Before 6.5, sendfile() and splice() to a socket came through struct
 * proto's sendpage and proto_ops' sendpage_locked: caesar_sendpage.c,
 * built by Kbuild on the same test, puts ours there. TCP took pages by
 * reference through do_tcp_sendpages(), and a chunk with more to come
 * said so with MSG_SENDPAGE_NOTLAST.
 */
#define CAESAR_MSG_NOTLAST	MSG_SENDPAGE_NOTLAST

void caesar_sendpage_build(struct proto *prot, struct proto_ops *ops);

static inline int caesar_tcp_sendpage(struct sock *sk, struct page *page,
				      int offset, size_t size, int flags)
{
	return do_tcp_sendpages(sk, page, offset, size, flags);
}
#else
/*
 * 6.5 and later: sendfile() and splice() arrive in sendmsg with
 * MSG_SPLICE_PAGES, and TCP takes pages by reference through sendmsg with
 * that flag and a bio_vec, as net/tls's tls_push_sg() hands over its
 * records. MSG_MORE says that more is coming.
 */
#define CAESAR_MSG_NOTLAST	MSG_MORE

static inline void caesar_sendpage_build(struct proto *prot,
					 struct proto_ops *ops)
{
}

static inline int caesar_tcp_sendpage(struct sock *sk, struct page *page,
				      int offset, size_t size, int flags)
{
	struct msghdr msg = { .msg_flags = MSG_SPLICE_PAGES | flags };
	struct bio_vec bvec;

	bvec_set_page(&bvec, page, size, offset);
	iov_iter_bvec(&msg.msg_iter, ITER_SOURCE, &bvec, 1, size);
	return tcp_sendmsg_locked(sk, &msg, size);
}
#endif

#endif /* _GAIUS_COMPAT_H */
