// SPDX-License-Identifier: GPL-2.0
/*
 * Receive: every way bytes leave a Caesar socket.
 *
 * Deciphering is fused with the copy out. tcp_read_sock() walks the receive
 * queue and hands each skb to caesar_recv_actor(), which walks the skb's
 * memory once and shifts it straight into the reader's memory where the
 * iov_iter holds user memory (read(), recv()): one pass over each byte, as
 * plain TCP makes. Other iterators (a pipe for splice(), kernel memory) and
 * a fault go through a small buffer on the stack: two passes. The skbs are
 * never written: their pages may be shared with a packet socket (tcpdump),
 * with GRO's page pool, or with a clone. Because the key is applied when
 * bytes are read, not when they arrive, an RX key set with setsockopt()
 * also deciphers what was queued before it was set; a rule's key for a
 * connection already under way starts at the switch point it sets
 * (caesar_switch.c), and the reader keeps the older shift before it.
 *
 * splice() from the socket reads through recvmsg too, into pages of its
 * own that then go to the pipe (caesar_splice_read()). recvmsg's rarer
 * modes go through tcp_recvmsg(): MSG_PEEK is deciphered in the reader's
 * buffer afterwards, MSG_OOB and the step over an urgent mark through a
 * bounce buffer.
 *
 * Process context; caesar_read() holds the socket lock, which sk_wait_data()
 * drops while it sleeps.
 */

#include <linux/highmem.h>
#include <linux/pipe_fs_i.h>
#include <linux/skbuff.h>
#include <linux/splice.h>
#include <linux/uio.h>
#include <net/tcp.h>
#include <caesar_shift.h>

#include "caesar.h"

/* Small enough for the stack, large enough to amortise each copy call. */
#define CAESAR_RX_CHUNK	1024

/*
 * A read's view of the receive key, taken under the socket lock: the shift
 * that deciphers and, after a rule's switch (caesar_switch.c), the older
 * shift before switch_seq and the range up to plain_end that the packets
 * brought deciphered already.
 */
struct caesar_rx {
	struct iov_iter *to;
	u32 seq;		/* the stream position of the next byte */
	u32 switch_seq;
	u32 plain_end;
	u8 shift;
	u8 prev_shift;
	bool switching;		/* the reader is not past plain_end yet */
	bool trunc;		/* MSG_TRUNC: count the bytes, copy none */
};

static void caesar_rx_load(struct sock *sk, struct caesar_rx *rx)
{
	struct caesar_context *ctx = caesar_ctx(sk);
	struct caesar_rx_switch *sw = &ctx->rx_switch;

	sock_owned_by_me(sk);
	rx->seq = tcp_sk(sk)->copied_seq;
	spin_lock_bh(&sw->lock);
	caesar_rx_switch_close(sw, rx->seq);
	rx->shift = caesar_unshift(caesar_shift_of(ctx->rx_key));
	rx->switching = sw->state != CAESAR_SWITCH_NONE;
	rx->switch_seq = sw->seq;
	rx->plain_end = sw->plain_end;
	rx->prev_shift = caesar_unshift(sw->prev_shift);
	spin_unlock_bh(&sw->lock);
}

/* The shift for the byte at rx->seq; *len becomes how many bytes share it. */
static u8 caesar_rx_shift(const struct caesar_rx *rx, size_t *len)
{
	u32 until;
	u8 shift;

	if (!rx->switching)
		return rx->shift;
	if (before(rx->seq, rx->switch_seq)) {
		until = rx->switch_seq;
		shift = rx->prev_shift;
	} else if (before(rx->seq, rx->plain_end)) {
		until = rx->plain_end;
		shift = 0;
	} else {
		return rx->shift;
	}
	*len = min_t(size_t, *len, until - rx->seq);
	return shift;
}

/*
 * The bounce buffer for one run of caesar_copy_skb(), which may recurse
 * into a frag_list: one buffer for the whole walk, not one per level.
 */
struct caesar_copy {
	struct iov_iter *to;
	u8 shift;
	u8 buf[CAESAR_RX_CHUNK] __aligned(8);
};

/*
 * Shift @len bytes at @src out to the reader. Into user memory directly
 * where the iterator has it; otherwise, and after a fault, through the
 * buffer: the shift reads the skb's memory and fills the buffer, which
 * copy_to_iter() empties. Returns how many bytes reached the reader; fewer
 * means a fault.
 */
static size_t caesar_copy_span(struct caesar_copy *c, const u8 *src,
			       size_t len)
{
	size_t done = 0;

	while (done < len) {
		void __user *dst;
		size_t n = min(len - done, caesar_user_run(c->to, &dst));
		size_t out;

		if (!n)
			break;
		out = caesar_shift_to_user(dst, src + done, n, c->shift);
		iov_iter_advance(c->to, out);
		done += out;
		if (out != n)
			break;
	}
	while (done < len) {
		size_t n = min_t(size_t, len - done, sizeof(c->buf));
		size_t out;

		caesar_shift_buf(c->buf, src + done, n, c->shift);
		out = copy_to_iter(c->buf, n, c->to);
		done += out;
		if (out != n)
			break;
	}
	return done;
}

/*
 * One page at a time: with highmem, each page of a compound frag needs its
 * own mapping. copy_to_iter() may fault and sleep while a page is mapped;
 * kmap_local_page() mappings are per task and allow that.
 */
static size_t caesar_copy_frag(struct caesar_copy *c, const skb_frag_t *frag,
			       u32 offset, u32 len)
{
	u32 p_off, p_len, copied;
	struct page *p;
	size_t done = 0;

	skb_frag_foreach_page(frag, skb_frag_off(frag) + offset, len,
			      p, p_off, p_len, copied) {
		u8 *vaddr = kmap_local_page(p);
		size_t out = caesar_copy_span(c, vaddr + p_off, p_len);

		kunmap_local(vaddr);
		done += out;
		if (out != p_len)
			break;
	}
	return done;
}

/*
 * Walk [@offset, @offset + @len) of @skb once, in the order of its bytes:
 * the linear part, the frags, then the frag_list's skbs, each a whole skb
 * in turn. Returns how many bytes reached the reader; fewer means a fault.
 */
static size_t caesar_walk_skb(struct caesar_copy *c, const struct sk_buff *skb,
			      u32 offset, size_t len)
{
	u32 start, end = skb_headlen(skb);
	const struct sk_buff *frag_iter;
	size_t done = 0, n, out;
	int i;

	if (offset < end) {
		n = min_t(size_t, len, end - offset);
		out = caesar_copy_span(c, skb->data + offset, n);
		done += out;
		if (out != n || done == len)
			return done;
	}
	/*
	 * Frags of device memory (devmem TCP) are not pages and never
	 * mapped: the read stops short, and fails as TCP's own does.
	 */
	if (!skb_frags_readable(skb))
		return done;
	for (i = 0; i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *frag = &skb_shinfo(skb)->frags[i];

		start = end;
		end = start + skb_frag_size(frag);
		if (offset + done >= end)
			continue;
		n = min_t(size_t, len - done, end - (offset + done));
		out = caesar_copy_frag(c, frag, offset + done - start, n);
		done += out;
		if (out != n || done == len)
			return done;
	}
	skb_walk_frags(skb, frag_iter) {
		start = end;
		end = start + frag_iter->len;
		if (offset + done >= end)
			continue;
		n = min_t(size_t, len - done, end - (offset + done));
		out = caesar_walk_skb(c, frag_iter, offset + done - start, n);
		done += out;
		if (out != n || done == len)
			return done;
	}
	/* tcp_read_sock() hands us a range inside skb; short is a fault. */
	WARN_ON_ONCE(1);
	return done;
}

/* Returns how many bytes reached @to; fewer than @len means a fault. */
static size_t caesar_copy_skb(const struct sk_buff *skb, unsigned int offset,
			      size_t len, u8 shift, struct iov_iter *to)
{
	/*
	 * Left uninitialised: with CONFIG_INIT_STACK_ALL_ZERO (Debian's
	 * default) or an initialiser, every call, one per skb, would clear the
	 * 1 KiB buffer, which is always written before it is read.
	 */
	struct caesar_copy c __uninitialized;

	c.to = to;
	c.shift = shift;
	return caesar_walk_skb(&c, skb, offset, len);
}

static int caesar_recv_actor(read_descriptor_t *desc, struct sk_buff *skb,
			     unsigned int offset, size_t len)
{
	struct caesar_rx *rx = desc->arg.data;
	size_t want = min_t(size_t, len, desc->count);
	size_t done = 0;

	while (done < want) {
		size_t n = want - done;
		u8 shift = caesar_rx_shift(rx, &n);
		size_t out;

		out = rx->trunc ? n :
				  caesar_copy_skb(skb, offset + done, n, shift,
						  rx->to);
		done += out;
		rx->seq += out;
		if (out < n) {
			desc->error = -EFAULT;
			break;
		}
	}
	desc->count -= done;
	return done ? done : desc->error;
}

/*
 * tcp_recvmsg_locked()'s loop, with tcp_read_sock() and our actor for the
 * copy, for a read that has @copied of its @len bytes already. *at_urgent
 * tells the caller that nothing was read because the next byte is an
 * urgent mark, which tcp_read_sock() does not step over.
 */
static int caesar_read(struct sock *sk, struct msghdr *msg, size_t len,
		       int copied, int flags, bool *at_urgent)
{
	struct caesar_rx rx = {
		.to = &msg->msg_iter,
		.trunc = flags & MSG_TRUNC,
	};
	read_descriptor_t desc = { .arg.data = &rx };
	long timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	int target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);
	struct tcp_sock *tp = tcp_sk(sk);
	int err = 0;

	sock_owned_by_me(sk);
	*at_urgent = false;
	if (sk->sk_state == TCP_LISTEN)
		return -ENOTCONN;

	for (;;) {
		int n;

		if (unlikely(READ_ONCE(tp->urg_data)) &&
		    tp->urg_seq == tp->copied_seq) {
			*at_urgent = !copied;
			break;
		}
		/* Again after each wait: a rule may have switched the key. */
		caesar_rx_load(sk, &rx);
		desc.count = len - copied;
		desc.error = 0;
		n = tcp_read_sock(sk, &desc, caesar_recv_actor);
		if (n > 0)
			copied += n;
		if (desc.error || n < 0) {
			err = desc.error ? desc.error : n;
			break;
		}
		if (copied >= target)
			break;

		if (copied) {
			if (!timeo || sk->sk_err || sk->sk_state == TCP_CLOSE ||
			    (sk->sk_shutdown & RCV_SHUTDOWN) ||
			    signal_pending(current))
				break;
		} else {
			if (sock_flag(sk, SOCK_DONE))
				break;
			if (sk->sk_err) {
				err = sock_error(sk);
				break;
			}
			if (sk->sk_shutdown & RCV_SHUTDOWN)
				break;
			if (sk->sk_state == TCP_CLOSE) {
				err = -ENOTCONN;
				break;
			}
			if (!timeo) {
				err = -EAGAIN;
				break;
			}
			if (signal_pending(current)) {
				err = sock_intr_errno(timeo);
				break;
			}
		}
		sk_wait_data(sk, &timeo, NULL);
		/*
		 * A read of nothing: tcp_read_sock() never moves, and
		 * sk_wait_data() returns at once while data is queued. As
		 * tcp_recvmsg(), wait once, then return 0.
		 */
		if (!len)
			break;
	}

	if (err == -EFAULT)
		caesar_stat_add(sk, CAESAR_STAT_RX_ERRORS, 1);
	return copied ? copied : err;
}

/*
 * The key as a read through tcp_recvmsg() will find it, for the bytes from
 * the stream position @seq on. Such a read takes the lock itself, so a
 * rule's switch can come between the two; the next read gets it right.
 */
static void caesar_rx_snapshot(struct sock *sk, struct caesar_rx *rx,
			       int flags)
{
	struct tcp_sock *tp = tcp_sk(sk);

	lock_sock(sk);
	caesar_rx_load(sk, rx);
	if (flags & MSG_OOB)
		rx->seq = tp->urg_seq;
	else if (tp->urg_data && tp->urg_seq == tp->copied_seq &&
		 !sock_flag(sk, SOCK_URGINLINE))
		rx->seq++;	/* tcp_recvmsg() steps over the urgent byte */
	release_sock(sk);
}

/* Decipher @n bytes at @buf, which hold the stream from rx->seq on. */
static void caesar_rx_decipher(struct caesar_rx *rx, u8 *buf, size_t n)
{
	while (n) {
		size_t run = n;
		u8 shift = caesar_rx_shift(rx, &run);

		caesar_shift_copy(buf, buf, run, shift);
		buf += run;
		rx->seq += run;
		n -= run;
	}
}

/*
 * MSG_OOB, and the step over an urgent mark: tcp_recvmsg() into a buffer of
 * ours, then out through the reader's iterator, whatever its kind. At most
 * one chunk.
 */
static int caesar_recv_bounce(struct sock *sk, struct caesar_context *ctx,
			      struct msghdr *msg, size_t len, int flags,
			      int *addr_len)
{
	u8 buf[CAESAR_RX_CHUNK] __aligned(8);
	struct kvec kv = { .iov_base = buf };
	struct iov_iter to = msg->msg_iter;
	struct caesar_rx rx;
	int ret;

	caesar_rx_snapshot(sk, &rx, flags);
	kv.iov_len = min_t(size_t, len, sizeof(buf));
	iov_iter_kvec(&msg->msg_iter, ITER_DEST, &kv, 1, kv.iov_len);
	ret = ctx->sk_proto->recvmsg(sk, msg, kv.iov_len, flags, addr_len);
	msg->msg_iter = to;
	if (ret <= 0 || (flags & MSG_TRUNC))
		return ret;
	caesar_rx_decipher(&rx, buf, ret);
	if (copy_to_iter(buf, ret, &msg->msg_iter) != ret) {
		caesar_stat_add(sk, CAESAR_STAT_RX_ERRORS, 1);
		return -EFAULT;
	}
	return ret;
}

/*
 * Decipher in place the @n bytes that tcp_recvmsg() wrote at @at. @at is
 * read back through a copy of itself turned into a source.
 */
static int caesar_decipher_in_place(struct iov_iter *at, size_t n,
				    struct caesar_rx *rx)
{
	u8 buf[CAESAR_RX_CHUNK] __aligned(8);
	struct iov_iter src = *at;

	src.data_source = ITER_SOURCE;
	while (n) {
		size_t c = min_t(size_t, n, sizeof(buf));

		if (!copy_from_iter_full(buf, c, &src))
			return -EFAULT;
		caesar_rx_decipher(rx, buf, c);
		if (copy_to_iter(buf, c, at) != c)
			return -EFAULT;
		n -= c;
	}
	return 0;
}

static int caesar_recv_peek(struct sock *sk, struct caesar_context *ctx,
			    struct msghdr *msg, size_t len, int flags,
			    int *addr_len)
{
	struct iov_iter at = msg->msg_iter;
	struct caesar_rx rx;
	int ret;

	caesar_rx_snapshot(sk, &rx, flags);
	ret = ctx->sk_proto->recvmsg(sk, msg, len, flags, addr_len);
	if (ret <= 0 || (flags & MSG_TRUNC) || iov_iter_is_discard(&at))
		return ret;
	if (caesar_decipher_in_place(&at, ret, &rx)) {
		caesar_stat_add(sk, CAESAR_STAT_RX_ERRORS, 1);
		return -EFAULT;
	}
	return ret;
}

/*
 * A stream read stops before an urgent mark, as tcp_recvmsg() does. One
 * that starts at the mark steps over it with tcp_recvmsg() reading one
 * byte: the urgent byte itself with SO_OOBINLINE, else the byte after it.
 * The read then goes on as tcp_recvmsg()'s would, as much as was asked,
 * without the bounce buffer: the socket lock is dropped between the two,
 * as tcp_recvmsg() itself drops it to sleep.
 */
static int caesar_recv_stream(struct sock *sk, struct caesar_context *ctx,
			      struct msghdr *msg, size_t len, int flags,
			      int *addr_len)
{
	bool at_urgent;
	int ret;

	lock_sock(sk);
	ret = caesar_read(sk, msg, len, 0, flags, &at_urgent);
	release_sock(sk);
	if (!at_urgent)
		return ret;
	ret = caesar_recv_bounce(sk, ctx, msg, 1, flags, addr_len);
	if (ret <= 0 || len == 1)
		return ret;
	lock_sock(sk);
	ret = caesar_read(sk, msg, len, ret, flags, &at_urgent);
	release_sock(sk);
	return ret;
}

int caesar_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
		   int flags, int *addr_len)
{
	struct caesar_context *ctx = caesar_ctx(sk);
	int ret;

	if (unlikely(!ctx))
		return caesar_refuse(sk);
	/*
	 * With no key, TCP's own: a key set from here on applies from the
	 * next call. But not while connecting, when a rule keys the socket
	 * at the SYN-ACK: a read that waits for the first byte waits in
	 * caesar_read(), which takes the key after each wait. The error
	 * queue holds no stream bytes.
	 */
	if ((!READ_ONCE(ctx->rx_key) &&
	     !((1 << READ_ONCE(sk->sk_state)) & (TCPF_SYN_SENT | TCPF_SYN_RECV))) ||
	    (flags & MSG_ERRQUEUE))
		return ctx->sk_proto->recvmsg(sk, msg, len, flags, addr_len);
	/* Device memory handed out as dmabuf tokens: ciphertext, unread. */
	if (flags & MSG_SOCK_DEVMEM)
		return -EOPNOTSUPP;
	if (flags & MSG_OOB)
		ret = caesar_recv_bounce(sk, ctx, msg, len, flags, addr_len);
	else if (flags & MSG_PEEK)
		ret = caesar_recv_peek(sk, ctx, msg, len, flags, addr_len);
	else
		ret = caesar_recv_stream(sk, ctx, msg, len, flags, addr_len);
	if (ret > 0 && !(flags & (MSG_TRUNC | MSG_PEEK))) {
		atomic64_add(ret, &ctx->rx_bytes);
		caesar_stat_add(sk, CAESAR_STAT_RX_BYTES, ret);
	}
	return ret;
}

/* As many pages as a pipe holds by default: one splice call fills a pipe. */
#define CAESAR_SPLICE_PAGES	PIPE_DEF_BUFFERS

static void caesar_splice_release(struct splice_pipe_desc *spd,
				  unsigned int i)
{
	put_page(spd->pages[i]);
}

/*
 * splice() from the socket: recvmsg into pages of our own, which then go
 * to the pipe whole; the skbs hold ciphertext and are never handed out.
 * The pipe is locked by splice's caller, which waited for room, so the
 * pages read all fit. SPLICE_F_NONBLOCK makes the read itself not wait,
 * as O_NONBLOCK on the socket does and as net/tls's splice_read does.
 */
ssize_t caesar_splice_read(struct socket *sock, struct pipe_inode_info *pipe,
			   size_t len, unsigned int flags)
{
	struct partial_page partial[CAESAR_SPLICE_PAGES];
	struct page *pages[CAESAR_SPLICE_PAGES];
	struct bio_vec bvec[CAESAR_SPLICE_PAGES];
	struct splice_pipe_desc spd = {
		.pages = pages,
		.partial = partial,
		.nr_pages_max = CAESAR_SPLICE_PAGES,
		.ops = &nosteal_pipe_buf_ops,
		.spd_release = caesar_splice_release,
	};
	struct msghdr msg = {};
	unsigned int room, npages, i;
	int ret;

	room = pipe->max_usage - pipe_occupancy(pipe->head, pipe->tail);
	npages = min3(room, (unsigned int)CAESAR_SPLICE_PAGES,
		      (unsigned int)DIV_ROUND_UP(len, PAGE_SIZE));
	len = min_t(size_t, len, npages * PAGE_SIZE);
	if (!len)
		return 0;
	for (i = 0; i < npages; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i])
			break;
		bvec_set_page(&bvec[i], pages[i], PAGE_SIZE, 0);
	}
	if (!i)
		return -ENOMEM;
	npages = i;
	len = min_t(size_t, len, npages * PAGE_SIZE);

	if ((flags & SPLICE_F_NONBLOCK) || (sock->file->f_flags & O_NONBLOCK))
		msg.msg_flags = MSG_DONTWAIT;
	iov_iter_bvec(&msg.msg_iter, ITER_DEST, bvec, npages, len);
	ret = sock_recvmsg(sock, &msg, msg.msg_flags);

	/* The pages the read filled go to the pipe; the rest are freed. */
	for (i = 0; ret > 0 && i * PAGE_SIZE < ret; i++) {
		partial[i].offset = 0;
		partial[i].len = min_t(size_t, ret - i * PAGE_SIZE, PAGE_SIZE);
		partial[i].private = 0;
	}
	spd.nr_pages = i;
	while (i < npages)
		put_page(pages[i++]);
	if (ret <= 0)
		return ret;
	return splice_to_pipe(pipe, &spd);
}
