// SPDX-License-Identifier: GPL-2.0
/*
 * The payload rewrite of a forwarded packet, for any skb a router meets.
 *
 * The bytes are written where they are when they are the router's own:
 * the head of an skb that is no clone, and page frags that nothing else
 * holds a reference to. Everything else may be read by someone else as we
 * write: a clone (a capture's, or a local sender's whose pages sit in its
 * retransmit queue), a pskb_copy() whose frags are a sender's, pages
 * spliced from a file (SKBFL_SHARED_FRAG), a frag_list. Its data is made
 * private first by skb_ensure_writable() over the whole packet, which
 * copies it into one new head: one allocation and one copy of the packet,
 * counted in CaesarFwdCopies.
 *
 * The TCP checksum follows the bytes. Under CHECKSUM_PARTIAL it is yet to
 * be computed, over the bytes as we leave them. Otherwise the field moves
 * by the difference of the bytes' sums (RFC 1624), so that a packet whose
 * checksum was wrong stays wrong; and since the field moves by as much as
 * the bytes, the other way, a CHECKSUM_COMPLETE sum would stay right
 * (forwarding has made it CHECKSUM_NONE already, skb_forward_csum()).
 */

#include <linux/highmem.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/tcp.h>
#include <caesar_shift.h>

#include "caesar_api.h"
#include "gaius_ct.h"

/* Whether every byte of @skb may be written in place. */
static bool gaius_ct_owned(struct sk_buff *skb)
{
	struct skb_shared_info *shinfo = skb_shinfo(skb);
	int i;

	if (skb_cloned(skb) || skb_has_frag_list(skb) ||
	    skb_has_shared_frag(skb) || skb_zcopy(skb))
		return false;
	for (i = 0; i < shinfo->nr_frags; i++)
		if (page_count(skb_frag_page(&shinfo->frags[i])) != 1)
			return false;
	return true;
}

/*
 * Shift @n bytes at @p; with @sum, add the change of their sum to @diff,
 * as the bytes sit @pos bytes into the checksummed range.
 */
static __wsum gaius_ct_shift_mem(u8 *p, int n, u8 shift, bool sum, int pos,
				 __wsum diff)
{
	__wsum before = 0;

	if (sum)
		before = csum_partial(p, n, 0);
	caesar_shift_copy(p, p, n, shift);
	if (!sum)
		return diff;
	return csum_block_add(diff, csum_sub(csum_partial(p, n, 0), before),
			      pos);
}

/*
 * Shift the @len bytes at @off of @skb's head and frags (it has no
 * frag_list); the change of their sum as seen from offset @base.
 */
static __wsum gaius_ct_shift_skb(struct sk_buff *skb, int off, int len,
				 u8 shift, int base, bool sum)
{
	int start = skb_headlen(skb);
	__wsum diff = 0;
	int i, n;

	if (off < start) {
		n = min(start - off, len);
		diff = gaius_ct_shift_mem(skb->data + off, n, shift, sum,
					  off - base, diff);
		off += n;
		len -= n;
	}
	for (i = 0; len > 0 && i < skb_shinfo(skb)->nr_frags; i++) {
		skb_frag_t *frag = &skb_shinfo(skb)->frags[i];
		int end = start + skb_frag_size(frag);
		u32 p_off, p_len, done;
		struct page *p;

		if (off < end) {
			n = min(end - off, len);
			skb_frag_foreach_page(frag,
					      skb_frag_off(frag) + off - start,
					      n, p, p_off, p_len, done) {
				u8 *vaddr = kmap_local_page(p);

				diff = gaius_ct_shift_mem(vaddr + p_off, p_len,
							  shift, sum,
							  off + done - base,
							  diff);
				kunmap_local(vaddr);
			}
			off += n;
			len -= n;
		}
		start = end;
	}
	return diff;
}

int gaius_ct_rewrite(struct net *net, struct sk_buff *skb, unsigned int thoff,
		     const struct gaius_ct_dir *dir)
{
	bool sum = skb->ip_summed != CHECKSUM_PARTIAL;
	unsigned int off, len, skip;
	const struct tcphdr *th;
	struct tcphdr _th;
	__wsum diff;
	u32 seq;

	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (!th)
		return -EINVAL;
	off = thoff + __tcp_hdrlen(th);
	if (skb->len <= off)
		return 0;
	len = skb->len - off;
	seq = ntohl(th->seq) + th->syn;
	/* The bytes before the switch stay as they are. */
	skip = 0;
	if (!(dir->flags & GAIUS_CT_WHOLE) && after(dir->seq, seq))
		skip = min(dir->seq - seq, len);
	if (skip == len)
		return 0;
	if (!skb_frags_readable(skb))
		return -EFAULT;

	if (gaius_ct_owned(skb)) {
		if (skb_ensure_writable(skb, off))
			return -ENOMEM;
	} else {
		if (skb_ensure_writable(skb, skb->len))
			return -ENOMEM;
		caesar_net_stat_add(net, CAESAR_STAT_FWD_COPIES, 1);
	}
	diff = gaius_ct_shift_skb(skb, off + skip, len - skip, dir->shift,
				  thoff, sum);
	if (sum)
		csum_replace_by_diff(&((struct tcphdr *)(skb->data + thoff))->check,
				     diff);
	caesar_net_stat_add(net, CAESAR_STAT_FWD_BYTES, len - skip);
	return 0;
}
