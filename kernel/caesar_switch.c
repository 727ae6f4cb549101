// SPDX-License-Identifier: GPL-2.0
/*
 * A rule's key for a connection that is already carrying bytes.
 *
 * A rule added while a connection is open gives a direction its key
 * mid-stream. Each end computes the switch point, a sequence number, from
 * the first packet of that direction its rule sees (gaius_target.c says how,
 * docs/design.md when both ends agree): the bytes before it keep the shift
 * they were sent with, the bytes from it on take the new key.
 *
 * Until the ULP's own data path takes over, a program may still be inside
 * TCP's, which knows nothing of keys:
 *
 * - Transmit: when the rule sees the packet, the program may be in the
 *   middle of a write that TCP is copying, and what that write and earlier
 *   ones left in the write queue carries the old shift. The ULP takes over
 *   at its first send, which records where (caesar_tx_switch_close()); the
 *   bytes between the switch point and there are enciphered by GAIUSENCRYPT
 *   in each packet that carries them, each time TCP sends them. The write
 *   queue keeps them as written, so a retransmission is enciphered once
 *   again, never twice.
 * - Receive: a reader blocked in TCP's recvmsg() when the rule comes
 *   copies whatever arrives next as it is. So until the ULP's first read
 *   (caesar_rx_switch_close()), GAIUSDECRYPT deciphers the bytes from the
 *   switch point on in the packets as they arrive, and the ULP's reader
 *   later copies that range as it is: each byte deciphered once, by one of
 *   the two. A retransmission of those bytes is deciphered in its packet
 *   again, so TCP keeps the same bytes whichever copy it keeps.
 *
 * These are the only places where a packet's payload is rewritten, and
 * only for those ranges: normally the rest of one write.
 *
 * Locking: switching and the transmit side run with the socket held, by its
 * owner (lock_sock()) or under bh_lock_sock() with no owner: GAIUSENCRYPT
 * runs in the sender's path, which holds it; GAIUSDECRYPT takes
 * bh_lock_sock(). The receive side's packets arrive while the reader may
 * own the socket, so the receive switch has a spinlock of its own.
 */

#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <net/tcp.h>
#include <caesar_shift.h>
#include <linux/caesar.h>

#include "caesar.h"

/*
 * @first: the direction has carried nothing, and a reader can only be in
 * the ULP's own path (caesar_recvmsg()), which takes the key as it comes:
 * the key applies from the first byte, with no range for the packets.
 */
static int caesar_switch_rx(struct sock *sk, struct caesar_context *ctx,
			    int key, u32 seq, bool first)
{
	struct caesar_rx_switch *sw = &ctx->rx_switch;
	int err = 0;

	spin_lock_bh(&sw->lock);
	/* The reader has not passed the previous switch yet. */
	if (sw->state != CAESAR_SWITCH_NONE) {
		err = -EAGAIN;
		goto out;
	}
	if (first) {
		WRITE_ONCE(ctx->rx_key, key);
		goto out;
	}
	sw->seq = seq;
	sw->plain_end = seq;
	sw->prev_shift = caesar_shift_of(ctx->rx_key);
	sw->state = CAESAR_SWITCH_OPEN;
	WRITE_ONCE(ctx->rx_key, key);
	caesar_stat_add(sk, CAESAR_STAT_RULE_SWITCHES, 1);
out:
	spin_unlock_bh(&sw->lock);
	return err;
}

static int caesar_switch_tx(struct sock *sk, struct caesar_context *ctx,
			    int key, u32 seq)
{
	struct caesar_tx_switch *sw = &ctx->tx_switch;

	/* Bytes of the previous switch are still unacknowledged. */
	if (sw->state != CAESAR_SWITCH_NONE)
		return -EAGAIN;
	sw->from = seq;
	sw->shift = caesar_shift_of(key) - caesar_shift_of(ctx->tx_key);
	sw->counted = false;
	sw->state = CAESAR_SWITCH_OPEN;
	WRITE_ONCE(ctx->tx_key, key);
	caesar_stat_add(sk, CAESAR_STAT_RULE_SWITCHES, 1);
	return 0;
}

int caesar_switch_key(struct sock *sk, int optname, int key, u32 seq)
{
	struct caesar_context *ctx;
	bool attached = caesar_owns(sk);
	int err;

	if (!caesar_shift_of(key))
		return -EINVAL;
	/* Only the receive switch has a lock of its own. */
	if (optname == CAESAR_TX_KEY || !attached) {
		lockdep_assert(lockdep_sock_is_held(sk));
		err = caesar_set_ulp_atomic(sk);
		if (err)
			return err;
	}
	/* Without the socket held, close() may have taken it already. */
	ctx = caesar_ctx_lockless(sk);
	if (!ctx && attached && sk->sk_state != TCP_SYN_SENT) {
		/*
		 * The rules hold it, and close() cannot be halfway while they
		 * do: ours with no context is a refused child (caesar_refuse()).
		 * Only the receive side may end it; a sender is inside TCP's
		 * transmit path.
		 */
		if (optname == CAESAR_RX_KEY)
			caesar_refuse_held(sk);
		return -ECONNABORTED;
	}
	if (!ctx)
		return -ENOENT;
	if (optname == CAESAR_TX_KEY)
		err = caesar_switch_tx(sk, ctx, key, seq);
	else
		/*
		 * A connecting socket that had the ULP already: any reader
		 * is in the ULP's path (caesar_recvmsg()).
		 */
		err = caesar_switch_rx(sk, ctx, key, seq,
				       attached && sk->sk_state == TCP_SYN_SENT);
	if (err)
		return err;
	caesar_stat_add(sk, CAESAR_STAT_RULE_KEYS, 1);
	return 0;
}
EXPORT_SYMBOL_GPL(caesar_switch_key);

/*
 * The ULP's first send since the switch: every byte from here on is its
 * own, enciphered with the new key. Process context, socket owned.
 */
void caesar_tx_switch_close(struct sock *sk, struct caesar_context *ctx)
{
	struct caesar_tx_switch *sw = &ctx->tx_switch;

	if (likely(sw->state != CAESAR_SWITCH_OPEN))
		return;
	sw->to = tcp_sk(sk)->write_seq;
	sw->state = sw->to == sw->from ? CAESAR_SWITCH_NONE :
					 CAESAR_SWITCH_CLOSED;
}

/*
 * The ULP's reader is here, under the socket lock, at @copied_seq: what the
 * packets deciphered so far is the whole plain range. Once the reader is
 * past it, the switch is over. Called with @sw->lock held.
 */
void caesar_rx_switch_close(struct caesar_rx_switch *sw, u32 copied_seq)
{
	lockdep_assert_held(&sw->lock);
	if (sw->state == CAESAR_SWITCH_OPEN)
		sw->state = CAESAR_SWITCH_CLOSED;
	if (sw->state == CAESAR_SWITCH_CLOSED &&
	    !before(copied_seq, sw->plain_end))
		sw->state = CAESAR_SWITCH_NONE;
}

/*
 * Where @skb's payload is: its first byte's sequence number (a SYN's data
 * follows the SYN's own number), how many bytes, and their offset.
 */
static bool caesar_skb_payload(const struct sk_buff *skb, unsigned int thoff,
			       u32 *seq, u32 *len, unsigned int *off)
{
	const struct tcphdr *th;
	struct tcphdr _th;

	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (!th)
		return false;
	*off = thoff + __tcp_hdrlen(th);
	if (skb->len < *off)
		return false;
	*seq = ntohl(th->seq) + th->syn;
	*len = skb->len - *off;
	return true;
}

/*
 * Shift the payload bytes [@lo, @hi) of @skb, whose payload starts at
 * sequence number @seq and offset @off. Its data may be shared (the write
 * queue's skb, a clone for a packet socket): the bytes are made private
 * first, never written where others see them.
 */
static int caesar_skb_shift(struct sk_buff *skb, u32 seq, unsigned int off,
			    u32 lo, u32 hi, u8 shift)
{
	off += lo - seq;
	if (skb_ensure_writable(skb, off + (hi - lo)))
		return -ENOMEM;
	caesar_shift_copy(skb->data + off, skb->data + off, hi - lo, shift);
	return 0;
}

/*
 * The part of [@seq, @end) that the transmit range covers, as [*lo, *hi);
 * false when there is none. A closed range whose bytes are all
 * acknowledged is forgotten: no packet can carry them any more.
 */
static bool caesar_tx_switch_overlap(struct sock *sk,
				     struct caesar_tx_switch *sw, u32 seq,
				     u32 end, u32 *lo, u32 *hi)
{
	bool closed = sw->state == CAESAR_SWITCH_CLOSED;

	*lo = after(sw->from, seq) ? sw->from : seq;
	*hi = closed && before(sw->to, end) ? sw->to : end;
	if (before(*lo, *hi))
		return true;
	if (closed && !before(tcp_sk(sk)->snd_una, sw->to))
		sw->state = CAESAR_SWITCH_NONE;
	return false;
}

int caesar_encipher_skb(struct sock *sk, struct sk_buff *skb,
			unsigned int thoff)
{
	struct caesar_context *ctx;
	struct caesar_tx_switch *sw;
	unsigned int off;
	u32 seq, len, lo, hi;
	int err;

	/* Not caesar_owns(): close() gave TCP its proto back already. */
	if (inet_csk(sk)->icsk_ulp_ops != &caesar_ulp_ops)
		return 0;
	ctx = caesar_ctx(sk);
	if (!ctx || ctx->kind != CAESAR_SOCKET)
		return 0;
	lockdep_assert(lockdep_sock_is_held(sk));
	sw = &ctx->tx_switch;
	if (likely(sw->state == CAESAR_SWITCH_NONE))
		return 0;
	if (!caesar_skb_payload(skb, thoff, &seq, &len, &off))
		return -EINVAL;
	if (!caesar_tx_switch_overlap(sk, sw, seq, seq + len, &lo, &hi))
		return 0;

	/*
	 * TCP hands every packet over with CHECKSUM_PARTIAL (tcp_v4_send_check,
	 * tcp_v6_send_check): the checksum is computed after us, over the
	 * bytes as we leave them.
	 */
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return -EPROTO;
	err = caesar_skb_shift(skb, seq, off, lo, hi, sw->shift);
	if (err)
		return err;
	if (!sw->counted) {
		sw->counted = true;
		caesar_stat_add(sk, CAESAR_STAT_HOOK_SOCKETS, 1);
	}
	caesar_stat_add(sk, CAESAR_STAT_HOOK_BYTES, hi - lo);
	return 0;
}
EXPORT_SYMBOL_GPL(caesar_encipher_skb);

bool caesar_rule_settled(const struct sock *sk, int optname, int key)
{
	const struct caesar_context *ctx = caesar_ctx_lockless(sk);

	if (!ctx)
		return false;
	if (optname == CAESAR_TX_KEY)
		return READ_ONCE(ctx->tx_key) == key &&
		       READ_ONCE(ctx->tx_switch.state) == CAESAR_SWITCH_NONE;
	return READ_ONCE(ctx->rx_key) == key &&
	       READ_ONCE(ctx->rx_switch.state) == CAESAR_SWITCH_NONE;
}
EXPORT_SYMBOL_GPL(caesar_rule_settled);

bool caesar_rx_switching(const struct sock *sk)
{
	const struct caesar_context *ctx = caesar_ctx_lockless(sk);

	return ctx && READ_ONCE(ctx->rx_switch.state) != CAESAR_SWITCH_NONE;
}
EXPORT_SYMBOL_GPL(caesar_rx_switching);

int caesar_decipher_skb(struct sock *sk, struct sk_buff *skb,
			unsigned int thoff)
{
	struct caesar_context *ctx = caesar_ctx_lockless(sk);
	struct caesar_rx_switch *sw;
	unsigned int off;
	u32 seq, len, lo, hi;
	bool open;
	int err = 0;

	if (!ctx || !caesar_skb_payload(skb, thoff, &seq, &len, &off))
		return 0;
	sw = &ctx->rx_switch;

	spin_lock_bh(&sw->lock);
	open = sw->state == CAESAR_SWITCH_OPEN;
	lo = after(sw->seq, seq) ? sw->seq : seq;
	hi = !open && before(sw->plain_end, seq + len) ? sw->plain_end :
							 seq + len;
	if (sw->state == CAESAR_SWITCH_NONE || !before(lo, hi))
		goto out;
	/*
	 * A reader in TCP's own recvmsg() would copy these bytes as they
	 * came: the packet must not reach TCP, which gets it again.
	 */
	err = caesar_skb_shift(skb, seq, off, lo, hi,
			       caesar_unshift(caesar_shift_of(ctx->rx_key)));
	if (err)
		goto out;
	/* Not the checksum TCP would verify any more: verified before us. */
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		skb->ip_summed = CHECKSUM_UNNECESSARY;
	if (open && after(hi, sw->plain_end))
		sw->plain_end = hi;
	caesar_stat_add(sk, CAESAR_STAT_HOOK_BYTES, hi - lo);
out:
	spin_unlock_bh(&sw->lock);
	return err;
}
EXPORT_SYMBOL_GPL(caesar_decipher_skb);
