// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit: every way bytes enter a Caesar socket.
 *
 * The bytes are copied into the socket's page_frag and shifted as they are
 * copied, or there while the chunk is still in cache (caesar_fill_chunk()).
 * TCP gets them by page reference (caesar_tcp_sendpage(), compat.h), the
 * way net/tls hands over its records. So TCP never sees the caller's
 * memory: not for MSG_ZEROCOPY (its pages hold plaintext), and not for
 * sendfile() or splice(), whose page cache pages arrive as a bio_vec (with
 * MSG_SPLICE_PAGES since 6.5) and must not be shifted in place. The
 * page_frag is the one tcp_sendmsg() itself would use, so a send allocates
 * nothing of its own.
 *
 * All of it runs in process context with the socket lock held; TCP may drop
 * and retake the lock while it waits for memory or for the connection.
 */

#include <linux/bvec.h>
#include <linux/highmem.h>
#include <linux/skbuff.h>
#include <linux/uio.h>
#include <net/tcp.h>

#include "caesar.h"

/*
 * TCP Fast Open (MSG_FASTOPEN, or TCP_FASTOPEN_CONNECT's deferred connect)
 * sends the SYN from tcp_sendmsg_locked(), which copies the chunk into it:
 * it goes through that, already enciphered, as a bio_vec over our page.
 */
static int caesar_push_fastopen(struct sock *sk, struct msghdr *msg,
				struct page *page, int offset, size_t len,
				int flags)
{
	struct msghdr kmsg = {
		.msg_name = msg->msg_name,
		.msg_namelen = msg->msg_namelen,
		.msg_flags = flags,
	};
	struct bio_vec bvec;

	bvec_set_page(&bvec, page, len, offset);
	iov_iter_bvec(&kmsg.msg_iter, ITER_SOURCE, &bvec, 1, len);
	return tcp_sendmsg_locked(sk, &kmsg, len);
}

static bool caesar_wants_fastopen(const struct sock *sk, int flags)
{
	return unlikely((flags & MSG_FASTOPEN) || caesar_defer_connect(sk));
}

/*
 * Hand @len enciphered bytes at the frag's offset to TCP and move the frag
 * past what TCP took. Returns what TCP took, or an error if it took nothing.
 *
 * TCP copies rather than takes the page where the route's device cannot
 * gather (no NETIF_F_SG in sk_route_caps) and into a Fast Open SYN, and it
 * copies into sk_page_frag(), our very frag: so the chunk is reserved
 * first, the frag moved past it and the page given a reference of ours,
 * so that TCP neither writes over the chunk nor recycles the page under
 * it. What TCP did not take is given back if the frag is still where we
 * left it.
 */
static int caesar_push(struct sock *sk, struct msghdr *msg,
		       struct page_frag *pfrag, size_t len, int flags)
{
	struct page *page = pfrag->page;
	int offset = pfrag->offset;
	int sent;

	get_page(page);
	pfrag->offset += len;
	if (caesar_wants_fastopen(sk, flags))
		sent = caesar_push_fastopen(sk, msg, page, offset, len, flags);
	else
		sent = caesar_tcp_sendpage(sk, page, offset, len, flags);
	if (pfrag->page == page && pfrag->offset == offset + len)
		pfrag->offset = offset + max(sent, 0);
	put_page(page);
	return sent;
}

/*
 * sendfile() and splice() bring page cache pages (a bio_vec): shift them
 * straight into the chunk, one pass, in vector registers where the run is
 * long enough. Kernel memory cannot fault. One page at a time, for
 * highmem; iov_iter_advance() steps over the end of each bio_vec.
 */
static void caesar_shift_from_bvec(u8 *dst, size_t len, struct iov_iter *from,
				   u8 shift)
{
	while (len) {
		const struct bio_vec *bv = from->bvec;
		size_t off = bv->bv_offset + from->iov_offset;
		size_t n = min3(len, (size_t)bv->bv_len - from->iov_offset,
				PAGE_SIZE - offset_in_page(off));
		u8 *va = kmap_local_page(bv->bv_page + off / PAGE_SIZE);

		caesar_shift_buf(dst, va + offset_in_page(off), n, shift);
		kunmap_local(va);
		iov_iter_advance(from, n);
		dst += n;
		len -= n;
	}
}

/*
 * Fill @dst, the chunk in the page_frag, with the next @len bytes of @from,
 * shifted: all of them, or none, @from left where it was (a fault in the
 * writer's memory). One pass over each byte where it can be: pages as they
 * are copied, and a run of user memory too short for the vector loop
 * (caesar_shift_use_vec()), a 1 KiB write(), as it is read. A longer run of
 * user memory is copied, then shifted in @dst while it is in cache: a
 * kernel-FPU section must not fault, and AVX2 costs a tenth of the SWAR
 * loop per byte. So is what is left: kernel memory (kvec), or the rest
 * after a fault, which the kernel's copy counts to the byte.
 */
static bool caesar_fill_chunk(u8 *dst, size_t len, struct iov_iter *from,
			      u8 shift)
{
	size_t done = 0;
	bool fuse;

	if (iov_iter_is_bvec(from)) {
		caesar_shift_from_bvec(dst, len, from, shift);
		return true;
	}
	fuse = !caesar_shift_use_vec(len);
	while (fuse && done < len) {
		void __user *src;
		size_t n = min(len - done, caesar_user_run(from, &src));
		size_t in;

		if (!n)
			break;
		in = caesar_shift_from_user(dst + done, src, n, shift);
		iov_iter_advance(from, in);
		done += in;
		if (in != n)
			break;
	}
	if (done == len)
		return true;
	if (!copy_from_iter_full(dst + done, len - done, from)) {
		iov_iter_revert(from, done);
		return false;
	}
	caesar_shift_buf(dst + done, dst + done, len - done, shift);
	return true;
}

/*
 * MSG_ZEROCOPY callers wait for a completion on the error queue. They get
 * one, marked SO_EE_CODE_ZEROCOPY_COPIED, as TCP itself does when it could
 * not send from the caller's pages. io_uring's own ubuf (msg_ubuf) completes
 * when its owner drops it, since no skb of ours takes a reference.
 */
static int caesar_zerocopy_begin(struct sock *sk, struct msghdr *msg,
				 size_t size, struct ubuf_info **uarg)
{
	*uarg = NULL;
	if (!(msg->msg_flags & MSG_ZEROCOPY) || !size || msg->msg_ubuf ||
	    !sock_flag(sk, SOCK_ZEROCOPY))
		return 0;
	*uarg = msg_zerocopy_realloc(sk, size, NULL);
	if (!*uarg)
		return -ENOBUFS;
	uarg_to_msgzc(*uarg)->zerocopy = 0;
	return 0;
}

static int caesar_send(struct sock *sk, struct caesar_context *ctx,
		       struct msghdr *msg, size_t size)
{
	int flags = msg->msg_flags & ~(MSG_ZEROCOPY | MSG_FASTOPEN);
	long timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);
	u8 shift = caesar_shift_of(ctx->tx_key);
	struct ubuf_info *uarg;
	bool tcp_err = false;	/* err came from TCP, already reported */
	size_t copied = 0;
	int err;

	/*
	 * TCP_REPAIR writes restore queues as they were dumped, bytes that
	 * were enciphered or not by then: not ours to shift again, nor to
	 * leave plain.
	 */
	if (tcp_sk(sk)->repair)
		return -EOPNOTSUPP;
	err = caesar_zerocopy_begin(sk, msg, size, &uarg);
	if (err)
		return err;
	caesar_tx_switch_close(sk, ctx);
	/* Fast Open is decided by the caller's flag on the first chunk only. */
	flags |= msg->msg_flags & MSG_FASTOPEN;

	while (msg_data_left(msg)) {
		struct page_frag *pfrag = sk_page_frag(sk);
		int chunk_flags = flags;
		size_t len;
		void *va;
		int sent;

		if (!sk_page_frag_refill(sk, pfrag)) {
			set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
			err = sk_stream_wait_memory(sk, &timeo);
			if (err)
				break;
			continue;
		}
		len = min_t(size_t, msg_data_left(msg),
			    pfrag->size - pfrag->offset);
		va = page_address(pfrag->page) + pfrag->offset;
		if (!caesar_fill_chunk(va, len, &msg->msg_iter, shift)) {
			err = -EFAULT;
			break;
		}

		/*
		 * Urgent is the last byte of the call, and the record ends
		 * with it (MSG_EOR: TCP never merges what follows into that
		 * skb); push once at the end.
		 */
		if (msg_data_left(msg))
			chunk_flags = (flags | CAESAR_MSG_NOTLAST) &
				      ~(MSG_OOB | MSG_EOR);
		sent = caesar_push(sk, msg, pfrag, len, chunk_flags);
		if (sent <= 0) {
			iov_iter_revert(&msg->msg_iter, len);
			tcp_err = true;
			err = sent;
			break;
		}
		flags &= ~MSG_FASTOPEN;
		copied += sent;
		if (sent < len) {
			iov_iter_revert(&msg->msg_iter, len - sent);
			break;
		}
	}

	if (copied) {
		WRITE_ONCE(ctx->tx_bytes, ctx->tx_bytes + copied);
		caesar_stat_add(sk, CAESAR_STAT_TX_BYTES, copied);
		net_zcopy_put(uarg);
		return copied;
	}
	net_zcopy_put_abort(uarg, true);
	if (tcp_err || !err)
		return err;
	if (err == -EFAULT)
		caesar_stat_add(sk, CAESAR_STAT_TX_ERRORS, 1);
	/* As tcp_sendmsg(): sock_error() and SIGPIPE for a broken pipe. */
	return sk_stream_error(sk, msg->msg_flags, err);
}

int caesar_sendmsg_locked(struct sock *sk, struct msghdr *msg, size_t size)
{
	struct caesar_context *ctx = caesar_ctx(sk);

	sock_owned_by_me(sk);
	/* Refused (caesar_refuse()); the lock's holder cannot abort it. */
	if (unlikely(!ctx))
		return -ECONNABORTED;
	if (!ctx->tx_key)
		return tcp_sendmsg_locked(sk, msg, size);
	return caesar_send(sk, ctx, msg, size);
}

int caesar_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)
{
	int ret;

	if (unlikely(!caesar_ctx(sk)))
		return caesar_refuse(sk);
	lock_sock(sk);
	ret = caesar_sendmsg_locked(sk, msg, size);
	release_sock(sk);
	return ret;
}
