// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * gaius-pktfuzz's flows and packets.
 *
 * The flows are the real connections the sniffer sees on the client's veth
 * (a server address and a port under the rules on one end): per direction,
 * the next sequence number, the last acknowledgement (the sender's
 * rcv_nxt), the window and the last data segment.
 *
 * What goes onto a real four-tuple is made so that a correct TCP never
 * takes it as data, because TCP does not authenticate bytes and a
 * connection that read the fuzzer's bytes would say nothing about gaius:
 * - a segment with ACK carries an acknowledgement 2^24 or more beyond
 *   anything the receiver has sent, which TCP discards before it queues
 *   data (tcp_ack() < 0, and the fast path wants ack <= snd_nxt);
 * - a segment without ACK, RST or SYN is discarded in every synchronized
 *   state; a SYN to the server's end always carries ACK or RST (a bare SYN
 *   could open a new connection on a TIME_WAIT four-tuple);
 * - a duplicate repeats bytes the receiver has acknowledged: old data;
 * - a reset has a sequence number other than the receiver's rcv_nxt
 *   (outside the window, or inside it, which earns a challenge ACK), except
 *   --exact-rst-permille of them, which may reset the connection: the
 *   scenario counts a connection reset as a fault, not a failure, when
 *   nothing wrong was read or sent;
 * - broken headers have a wrong checksum.
 * From the documentation ranges (203.0.113.0/24, 2001:db8:ffff::/48,
 * routed to a dummy device in the scenario) anything goes.
 */
#include <stdio.h>
#include <string.h>

#include "pktfuzz.h"

#define LIVE_NS (3ULL * 1000000000ULL)
#define FUTURE (1U << 24)

const char *const pf_kind_names[PF_KINDS] = {
	[PF_SYN_SPOOFED] = "spoofed-syn",
	[PF_SPOOFED_OTHER] = "spoofed-other",
	[PF_SEGMENT] = "segment",
	[PF_RST] = "rst",
	[PF_RST_EXACT] = "rst-exact",
	[PF_FRAGMENTS] = "fragments",
	[PF_DUPLICATE] = "duplicate",
	[PF_GARBAGE] = "garbage",
};

static const unsigned char *server_addr(const struct pf_state *st, int family)
{
	return family == 4 ? st->opt.server4 : st->opt.server6;
}

static size_t alen(int family)
{
	return family == 4 ? 4 : 16;
}

static bool in_range(const struct pf_state *st, uint16_t port)
{
	return port >= st->opt.port_lo && port <= st->opt.port_hi;
}

static struct pf_flow *find_flow(struct pf_state *st, const struct pf_sniffed *p,
				 enum pf_side *side)
{
	const unsigned char *server = server_addr(st, p->family);
	const unsigned char *caddr;
	uint16_t cport, sport;
	struct pf_flow *oldest = NULL;

	if (!memcmp(p->dst, server, alen(p->family)) && in_range(st, p->dport)) {
		*side = PF_TO_SERVER;
		caddr = p->src, cport = p->sport, sport = p->dport;
	} else if (!memcmp(p->src, server, alen(p->family)) && in_range(st, p->sport)) {
		*side = PF_TO_CLIENT;
		caddr = p->dst, cport = p->dport, sport = p->sport;
	} else {
		return NULL;
	}
	for (size_t i = 0; i < PF_FLOWS; i++) {
		struct pf_flow *f = &st->flows[i];

		if (f->used && f->family == p->family && f->cport == cport && f->sport == sport &&
		    !memcmp(f->caddr, caddr, alen(p->family)))
			return f;
		if (!oldest || (oldest->used && (!f->used || f->last_ns < oldest->last_ns)))
			oldest = f;
	}
	*oldest = (struct pf_flow){ .used = true, .family = p->family, .cport = cport, .sport = sport };
	memcpy(oldest->caddr, caddr, alen(p->family));
	memcpy(oldest->saddr, server, alen(p->family));
	st->flows_seen++;
	return oldest;
}

void pf_learn(struct pf_state *st, const struct pf_sniffed *p, uint64_t now_ns)
{
	enum pf_side side;
	struct pf_flow *f = find_flow(st, p, &side);
	struct pf_dir *d;
	uint32_t end;

	if (!f)
		return;
	d = &f->dir[side];
	/* A client's new SYN on a known four-tuple: a new connection. */
	if (side == PF_TO_SERVER && (p->flags & (TH_SYN | TH_ACK)) == TH_SYN &&
	    !(d->seen && d->isn == p->seq)) {
		struct pf_flow fresh = { .used = true, .family = f->family,
					 .cport = f->cport, .sport = f->sport };

		memcpy(fresh.caddr, f->caddr, sizeof(fresh.caddr));
		memcpy(fresh.saddr, f->saddr, sizeof(fresh.saddr));
		*f = fresh;
	}
	f->last_ns = now_ns;
	if (p->flags & TH_RST)
		f->reset = true;
	if (p->flags & TH_SYN) {
		d->isn = p->seq;
		if (p->wscale >= 0) {
			d->wscale = (uint8_t)p->wscale;
			d->has_wscale = true;
		}
	}
	end = p->seq + (uint32_t)p->len + !!(p->flags & TH_SYN) + !!(p->flags & TH_FIN);
	if (!d->seen || seq_after(end, d->nxt))
		d->nxt = end;
	d->seen = true;
	if (p->flags & TH_ACK && (!d->has_ack || seq_after(p->ack, d->ack))) {
		d->ack = p->ack;
		d->has_ack = true;
	}
	if (!(p->flags & TH_SYN))
		d->window = (uint32_t)p->window << (d->has_wscale ? d->wscale : 0);
	if (p->flags & TH_FIN)
		d->fin = true;
	if (p->len && !(p->flags & TH_SYN)) {
		d->data_seq = p->seq;
		d->data_ack = p->ack;
		d->data_len = (uint16_t)(p->len < PF_KEEP ? p->len : PF_KEEP);
		memcpy(d->data, p->payload, d->data_len);
	}
}

static int pick_family(struct pf_state *st)
{
	if (st->opt.family)
		return st->opt.family;
	return rng_percent(&st->rng, 50) ? 4 : 6;
}

static bool live(const struct pf_state *st, const struct pf_flow *f, uint64_t now_ns)
{
	return f->used && !f->reset && f->dir[0].seen && f->dir[1].seen &&
	       now_ns - f->last_ns < LIVE_NS && (!st->opt.family || st->opt.family == f->family);
}

static struct pf_flow *pick_flow(struct pf_state *st, uint64_t now_ns)
{
	struct pf_flow *cands[PF_FLOWS];
	size_t n = 0;

	for (size_t i = 0; i < PF_FLOWS; i++)
		if (live(st, &st->flows[i], now_ns))
			cands[n++] = &st->flows[i];
	return n ? cands[rng_below(&st->rng, n)] : NULL;
}

static uint16_t target_port(struct pf_state *st, int family, uint64_t now_ns)
{
	struct pf_flow *f = rng_percent(&st->rng, 50) ? pick_flow(st, now_ns) : NULL;

	if (f && f->family == family)
		return f->sport;
	return (uint16_t)(st->opt.port_lo + rng_below(&st->rng, st->opt.port_hi - st->opt.port_lo + 1));
}

static void spoofed_source(struct pf_state *st, struct pf_seg *s)
{
	if (s->family == 4) {
		static const unsigned char net[3] = { 203, 0, 113 };

		memcpy(s->src, net, 3);
		s->src[3] = (unsigned char)(1 + rng_below(&st->rng, 254));
	} else {
		static const unsigned char net[6] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff };

		memcpy(s->src, net, 6);
		rng_fill(&st->rng, s->src + 6, 10);
	}
	s->sport = (uint16_t)(1024 + rng_below(&st->rng, 64512));
}

static void opt_put(struct pf_seg *s, const unsigned char *o, size_t n)
{
	if (s->optlen + n <= sizeof(s->opts)) {
		memcpy(s->opts + s->optlen, o, n);
		s->optlen += n;
	}
}

/* What a SYN of Linux carries: MSS, SACK permitted, timestamps, window scale. */
static void syn_options(struct pf_state *st, struct pf_seg *s)
{
	unsigned char o[20] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 3, 7 };

	rng_fill(&st->rng, o + 8, 4);
	opt_put(s, o, sizeof(o));
}

/* Random options, some of them malformed; padded to a multiple of 4. */
static void random_options(struct pf_state *st, struct pf_seg *s)
{
	unsigned int items = (unsigned int)rng_below(&st->rng, 6);

	for (unsigned int i = 0; i < items; i++) {
		unsigned char o[40] = { 0 };
		size_t n;

		rng_fill(&st->rng, o, sizeof(o));
		switch (rng_below(&st->rng, 12)) {
		case 0: o[0] = 2; o[1] = 4; n = 4; break;		/* MSS */
		case 1: o[0] = 3; o[1] = 3; n = 3; break;		/* window scale */
		case 2: o[0] = 4; o[1] = 2; n = 2; break;		/* SACK permitted */
		case 3: o[0] = 8; o[1] = 10; n = 10; break;		/* timestamps */
		case 4: n = 2 + 8 * (1 + rng_below(&st->rng, 4));	/* SACK blocks */
			o[0] = 5; o[1] = (unsigned char)n; break;
		case 5: o[0] = 19; o[1] = 18; n = 18; break;		/* TCP-MD5 */
		case 6: n = 4 + rng_below(&st->rng, 17);		/* MPTCP */
			o[0] = 30; o[1] = (unsigned char)n; break;
		case 7: n = RNG_PICK(&st->rng, ((const size_t[]){ 2, 6, 10, 18 }));
			o[0] = 34; o[1] = (unsigned char)n; break;	/* Fast Open */
		case 8: o[0] = 1; n = 1; break;				/* NOP */
		case 9: o[0] = 0; n = 1; break;				/* end of options */
		case 10: n = 2 + rng_below(&st->rng, 9);		/* any kind */
			o[1] = (unsigned char)n; break;
		default: n = 2 + rng_below(&st->rng, 6);		/* a wrong length */
			o[0] = (unsigned char)(2 + rng_below(&st->rng, 40));
			o[1] = (unsigned char)RNG_PICK(&st->rng, ((const int[]){ 0, 1, 41, 255 }));
			break;
		}
		opt_put(s, o, n);
	}
	while (s->optlen % 4)
		s->opts[s->optlen++] = 1;
}

static void some_options(struct pf_state *st, struct pf_seg *s, bool syn)
{
	unsigned int r = (unsigned int)rng_below(&st->rng, 100);

	if (syn && r < 70)
		syn_options(st, s);
	else if (r < 85)
		random_options(st, s);
	else if (r < 92) {	/* timestamps alone, as on established connections */
		unsigned char o[12] = { 1, 1, 8, 10 };

		rng_fill(&st->rng, o + 4, 8);
		opt_put(s, o, sizeof(o));
	}
}

static void payload(struct pf_state *st, struct pf_seg *s, unsigned char *buf, size_t max,
		    unsigned int none_percent)
{
	if (rng_percent(&st->rng, none_percent))
		return;
	s->len = rng_size(&st->rng, max);
	rng_fill(&st->rng, buf, s->len);
	s->payload = buf;
}

static void base_seg(struct pf_state *st, struct pf_seg *s, int family, enum pf_side side)
{
	*s = (struct pf_seg){ .family = family, .side = side };
	s->ttl = (uint8_t)RNG_PICK(&st->rng, ((const int[]){ 1, 2, 63, 65, 128, 255 }));
	s->window = (uint16_t)rng_next(&st->rng);
	s->seq = (uint32_t)rng_next(&st->rng);
	s->ack = (uint32_t)rng_next(&st->rng);
	s->bad_checksum = rng_percent(&st->rng, 3);
}

/* A SYN from a documentation address to a port under the rules. */
static void spoofed_syn(struct pf_state *st, struct pf_seg *s, uint16_t port, unsigned char *buf)
{
	base_seg(st, s, pick_family(st), PF_TO_SERVER);
	spoofed_source(st, s);
	memcpy(s->dst, server_addr(st, s->family), alen(s->family));
	s->dport = port;
	s->flags = TH_SYN;
	if (rng_percent(&st->rng, 15))
		s->flags |= (uint8_t)(rng_next(&st->rng) & (TH_FIN | TH_PSH | TH_URG | 0xc0));
	some_options(st, s, true);
	payload(st, s, buf, 200, 90);
}

/* The addresses and ports of flow f, sent towards side. */
static void flow_seg(struct pf_state *st, struct pf_seg *s, const struct pf_flow *f,
		     enum pf_side side)
{
	size_t n = alen(f->family);

	base_seg(st, s, f->family, side);
	memcpy(s->src, side == PF_TO_SERVER ? f->caddr : f->saddr, n);
	memcpy(s->dst, side == PF_TO_SERVER ? f->saddr : f->caddr, n);
	s->sport = side == PF_TO_SERVER ? f->cport : f->sport;
	s->dport = side == PF_TO_SERVER ? f->sport : f->cport;
}

/* An acknowledgement the receiver towards side has not sent anything for. */
static uint32_t future_ack(struct pf_state *st, const struct pf_flow *f, enum pf_side side)
{
	return f->dir[!side].nxt + FUTURE + (uint32_t)rng_below(&st->rng, 1U << 28);
}

static uint32_t receive_window(const struct pf_flow *f, enum pf_side side)
{
	uint32_t w = f->dir[!side].window;

	return w ? (w > (1U << 30) ? 1U << 30 : w) : 1;
}

/* A sequence number for a segment towards side: at, inside, before or far
 * from the receiver's window; never its rcv_nxt when exact is false. */
static uint32_t pick_seq(struct pf_state *st, const struct pf_flow *f, enum pf_side side, bool exact)
{
	uint32_t nxt = f->dir[side].nxt, win = receive_window(f, side);

	switch (rng_below(&st->rng, exact ? 6 : 5)) {
	case 0: return nxt + 1 + (uint32_t)rng_below(&st->rng, win);	/* in the window */
	case 1: return nxt - 1 - (uint32_t)rng_below(&st->rng, win);	/* just before it */
	case 2: return nxt + win + (uint32_t)rng_below(&st->rng, 1U << 20);	/* just after */
	case 3: return nxt + FUTURE + (uint32_t)rng_below(&st->rng, 1U << 30);	/* far */
	case 4: return f->dir[!side].ack - FUTURE - (uint32_t)rng_below(&st->rng, 1U << 30);
	default: return nxt;	/* (the sender's next byte, >= the receiver's rcv_nxt) */
	}
}

/* Random flags on a real four-tuple, made safe as the file's comment says. */
static void flow_segment(struct pf_state *st, struct pf_seg *s, const struct pf_flow *f,
			 unsigned char *buf)
{
	enum pf_side side = rng_percent(&st->rng, 60) ? PF_TO_SERVER : PF_TO_CLIENT;

	flow_seg(st, s, f, side);
	s->flags = (uint8_t)rng_next(&st->rng);
	if (s->flags & TH_SYN && !(s->flags & (TH_ACK | TH_RST)) &&
	    (side == PF_TO_SERVER || rng_percent(&st->rng, 80)))
		s->flags |= TH_ACK;
	s->seq = pick_seq(st, f, side, !(s->flags & TH_RST));
	if (s->flags & TH_ACK)
		s->ack = future_ack(st, f, side);
	if (s->flags & TH_URG)
		s->urgent = (uint16_t)rng_below(&st->rng, 2000);
	some_options(st, s, false);
	payload(st, s, buf, 600, 40);
}

/* A reset: mostly at a wrong sequence number; --exact-rst-permille of them
 * at the receiver's last acknowledgement. Returns the kind. */
static enum pf_kind flow_reset(struct pf_state *st, struct pf_seg *s, const struct pf_flow *f)
{
	enum pf_side side = rng_percent(&st->rng, 60) ? PF_TO_SERVER : PF_TO_CLIENT;

	flow_seg(st, s, f, side);
	s->flags = rng_percent(&st->rng, 60) ? TH_RST : TH_RST | TH_ACK;
	if (s->flags & TH_ACK)
		s->ack = future_ack(st, f, side);
	if (f->dir[!side].has_ack && rng_below(&st->rng, 1000) < st->opt.exact_rst_permille) {
		s->seq = f->dir[!side].ack;
		s->bad_checksum = false;
		return PF_RST_EXACT;
	}
	s->seq = pick_seq(st, f, side, false);
	return PF_RST;
}

/* A direction of a live flow whose last data segment the receiver has
 * acknowledged. */
static bool pick_acked(struct pf_state *st, uint64_t now_ns, struct pf_flow **flow,
		       enum pf_side *side)
{
	struct { struct pf_flow *f; enum pf_side side; } cands[2 * PF_FLOWS];
	size_t n = 0;

	for (size_t i = 0; i < PF_FLOWS; i++) {
		struct pf_flow *f = &st->flows[i];

		if (!live(st, f, now_ns))
			continue;
		for (int sd = 0; sd < 2; sd++) {
			const struct pf_dir *d = &f->dir[sd], *r = &f->dir[!sd];

			if (d->data_len && r->has_ack &&
			    !seq_after(d->data_seq + d->data_len, r->ack)) {
				cands[n].f = f;
				cands[n++].side = (enum pf_side)sd;
			}
		}
	}
	if (!n)
		return false;
	n = rng_below(&st->rng, n);
	*flow = cands[n].f;
	*side = cands[n].side;
	return true;
}

/* Bytes the receiver has acknowledged, again, altered: old data to TCP. */
static bool duplicate(struct pf_state *st, struct pf_seg *s, uint64_t now_ns, unsigned char *buf)
{
	struct pf_flow *f;
	enum pf_side side;
	const struct pf_dir *d;
	size_t off;

	if (!pick_acked(st, now_ns, &f, &side))
		return false;
	d = &f->dir[side];
	flow_seg(st, s, f, side);
	s->bad_checksum = false;
	off = rng_below(&st->rng, d->data_len);
	s->len = 1 + rng_below(&st->rng, d->data_len - off);
	s->seq = d->data_seq + (uint32_t)off;
	s->ack = rng_percent(&st->rng, 50) ? d->data_ack : future_ack(st, f, side);
	s->flags = TH_ACK | TH_PSH;
	s->window = 502;
	memcpy(buf, d->data + off, s->len);
	switch (rng_below(&st->rng, 3)) {
	case 0:
		for (size_t i = 0; i < 1 + s->len / 16; i++)
			buf[rng_below(&st->rng, s->len)] ^= (unsigned char)(1 + rng_below(&st->rng, 255));
		break;
	case 1: {
		unsigned char k = (unsigned char)(1 + rng_below(&st->rng, 255));

		for (size_t i = 0; i < s->len; i++)
			buf[i] = (unsigned char)(buf[i] + k);
		break;
	}
	default:
		rng_fill(&st->rng, buf, s->len);
	}
	s->payload = buf;
	if (rng_percent(&st->rng, 30))
		some_options(st, s, false);
	return true;
}

/* Not a SYN, from a documentation address: to a port under the rules on
 * the server, or to a client's port. */
static void spoofed_other(struct pf_state *st, struct pf_seg *s, uint64_t now_ns, unsigned char *buf)
{
	struct pf_flow *f = pick_flow(st, now_ns);
	bool to_client = f && rng_percent(&st->rng, 30);

	base_seg(st, s, to_client ? f->family : pick_family(st), to_client ? PF_TO_CLIENT : PF_TO_SERVER);
	spoofed_source(st, s);
	if (to_client) {
		memcpy(s->dst, f->caddr, alen(s->family));
		s->dport = f->cport;
		s->sport = f->sport;
	} else {
		memcpy(s->dst, server_addr(st, s->family), alen(s->family));
		s->dport = target_port(st, s->family, now_ns);
	}
	s->flags = (uint8_t)(rng_next(&st->rng) & ~TH_SYN);
	if (rng_percent(&st->rng, 70))
		s->flags |= TH_ACK;
	some_options(st, s, false);
	payload(st, s, buf, 600, 50);
}

static void trace(const struct pf_state *st, enum pf_kind kind, const struct pf_seg *s)
{
	if (st->opt.trace)
		printf("gaius-pktfuzz: %lu %s v%d %s port %u -> %u flags 0x%02x seq %u ack %u len %zu\n",
		       st->packets, pf_kind_names[kind], s->family,
		       s->side == PF_TO_SERVER ? "to-server" : "to-client", s->sport, s->dport,
		       s->flags, s->seq, s->ack, s->len);
}

static void sent(struct pf_state *st, enum pf_kind kind, const struct pf_seg *s, bool real)
{
	trace(st, kind, s);
	st->sent[kind]++;
	st->packets++;
	st->on_real_tuples += real;
}

/* A segment in fragments: a spoofed SYN, or a segment on a real four-tuple. */
static void fragments(struct pf_state *st, uint64_t now_ns, unsigned char *buf)
{
	struct pf_flow *f = rng_percent(&st->rng, 60) ? pick_flow(st, now_ns) : NULL;
	unsigned char l4[PF_MAX_L4 + 60];
	struct pf_seg s;
	size_t len;

	if (f)
		flow_segment(st, &s, f, buf);
	else
		spoofed_syn(st, &s, target_port(st, pick_family(st), now_ns), buf);
	if (s.len < 8) {
		s.len = 8 + rng_size(&st->rng, 600);
		rng_fill(&st->rng, buf, s.len);
		s.payload = buf;
	}
	len = pf_tcp_bytes(&s, l4);
	pf_send_fragments(st, &s, l4, len, (unsigned int)rng_below(&st->rng, PF_FRAGMENT_PATTERNS));
	sent(st, PF_FRAGMENTS, &s, f);
}

/* Broken TCP headers: cut short, a wrong data offset, bytes flipped. On a
 * real four-tuple, always with a wrong checksum. */
static void garbage(struct pf_state *st, uint64_t now_ns, unsigned char *buf)
{
	struct pf_flow *f = rng_percent(&st->rng, 50) ? pick_flow(st, now_ns) : NULL;
	unsigned char l4[PF_MAX_L4 + 60];
	struct pf_seg s;
	size_t len;

	if (f) {
		flow_segment(st, &s, f, buf);
		s.bad_checksum = true;
	} else {
		spoofed_syn(st, &s, target_port(st, pick_family(st), now_ns), buf);
		s.flags = (uint8_t)rng_next(&st->rng);
	}
	switch (rng_below(&st->rng, 3)) {
	case 0:	/* a data offset below 5 or past the end */
		s.doff = (int)RNG_PICK(&st->rng, ((const int[]){ 0, 1, 4, 15 }));
		len = pf_tcp_bytes(&s, l4);
		break;
	case 1:	/* the header cut short */
		(void)pf_tcp_bytes(&s, l4);
		len = rng_below(&st->rng, 20);
		break;
	default: /* bytes flipped after the checksum was made */
		len = pf_tcp_bytes(&s, l4);
		for (int i = 0; i < 3; i++)
			l4[rng_below(&st->rng, len)] ^= (unsigned char)(1 + rng_below(&st->rng, 255));
		break;
	}
	pf_send_raw(st, &s, l4, len);
	sent(st, PF_GARBAGE, &s, f);
}

void pf_act(struct pf_state *st, uint64_t now_ns)
{
	static unsigned char buf[PF_MAX_L4];
	unsigned int r = (unsigned int)rng_below(&st->rng, 100);
	struct pf_flow *f = r >= 24 && r < 64 ? pick_flow(st, now_ns) : NULL;
	struct pf_seg s;

	if (r < 18 || (r >= 24 && r < 64 && !f)) {
		spoofed_syn(st, &s, target_port(st, pick_family(st), now_ns), buf);
		pf_send_seg(st, &s);
		sent(st, PF_SYN_SPOOFED, &s, false);
	} else if (r < 24) {
		spoofed_other(st, &s, now_ns, buf);
		pf_send_seg(st, &s);
		sent(st, PF_SPOOFED_OTHER, &s, false);
	} else if (r < 54) {
		flow_segment(st, &s, f, buf);
		pf_send_seg(st, &s);
		sent(st, PF_SEGMENT, &s, true);
	} else if (r < 64) {
		enum pf_kind kind = flow_reset(st, &s, f);

		pf_send_seg(st, &s);
		sent(st, kind, &s, true);
	} else if (r < 76) {
		fragments(st, now_ns, buf);
	} else if (r < 90) {
		if (duplicate(st, &s, now_ns, buf)) {
			pf_send_seg(st, &s);
			sent(st, PF_DUPLICATE, &s, true);
		} else {
			garbage(st, now_ns, buf);
		}
	} else {
		garbage(st, now_ns, buf);
	}
}

void pf_flood_syn(struct pf_state *st)
{
	static unsigned char buf[PF_MAX_L4];
	struct pf_seg s;

	spoofed_syn(st, &s, (uint16_t)st->opt.flood_port, buf);
	s.flags = TH_SYN;
	s.bad_checksum = false;
	s.len = 0;
	pf_send_seg(st, &s);
	sent(st, PF_SYN_SPOOFED, &s, false);
}
