// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * gaius-pktfuzz's wire: packet sockets on the two ends of the veth pair,
 * Ethernet frames of IPv4 or IPv6 packets (whole or in fragments) with
 * TCP checksums, and the parse of the frames the sniffer sees.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pktfuzz.h"

#define ETH_HLEN_ 14
#define IP4_HLEN 20
#define IP6_HLEN 40
#define FRAG6_HLEN 8
#define FRAME_MAX 1600

static const unsigned char fuzz_mac[6] = PF_MAC;

/* Runs in namespace netns (a path; NULL: this one) from here on. */
static int enter(const char *netns)
{
	int fd, ret;

	if (!netns)
		return 0;
	fd = open(netns, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "gaius-pktfuzz: %s: %s\n", netns, strerror(errno));
		return -1;
	}
	ret = setns(fd, CLONE_NEWNET);
	if (ret)
		fprintf(stderr, "gaius-pktfuzz: setns %s: %s\n", netns, strerror(errno));
	close(fd);
	return ret;
}

static int leave(int own_ns)
{
	if (setns(own_ns, CLONE_NEWNET)) {
		perror("gaius-pktfuzz: setns back");
		return -1;
	}
	return 0;
}

static int mac_of(const char *netns, const char *ifname, int own_ns, unsigned char mac[6])
{
	struct ifreq ifr = { 0 };
	int fd, ret = -1;

	if (enter(netns))
		return -1;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (fd >= 0 && ioctl(fd, SIOCGIFHWADDR, &ifr) == 0) {
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
		ret = 0;
	} else {
		fprintf(stderr, "gaius-pktfuzz: the MAC address of %s: %s\n", ifname, strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	return leave(own_ns) ? -1 : ret;
}

static int packet_socket(const char *netns, const char *ifname, int own_ns,
			 int protocol, int *ifindex)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = (uint16_t)protocol };
	int fd;

	if (enter(netns))
		return -1;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, protocol);
	*ifindex = (int)if_nametoindex(ifname);
	sll.sll_ifindex = *ifindex;
	if (fd < 0 || !*ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		fprintf(stderr, "gaius-pktfuzz: a packet socket on %s: %s\n", ifname, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	if (leave(own_ns)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

int pf_open_link(struct pf_link *l, const char *netns, const char *ifname,
		 const char *peer_netns, const char *peer_ifname, int own_ns)
{
	/* Protocol 0: this socket only sends. */
	l->fd = packet_socket(netns, ifname, own_ns, 0, &l->ifindex);
	if (l->fd < 0)
		return -1;
	return mac_of(peer_netns, peer_ifname, own_ns, l->peer_mac);
}

int pf_open_sniffer(const char *netns, const char *ifname, int own_ns)
{
	int ifindex, size = 4 << 20;
	int fd = packet_socket(netns, ifname, own_ns, htons(ETH_P_ALL), &ifindex);

	if (fd >= 0) {
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
		fcntl(fd, F_SETFL, O_NONBLOCK);
	}
	return fd;
}

static uint32_t sum16(uint32_t sum, const unsigned char *p, size_t len)
{
	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static size_t addr_len(int family)
{
	return family == 4 ? 4 : 16;
}

size_t pf_tcp_bytes(const struct pf_seg *s, unsigned char *out)
{
	size_t hlen = 20 + s->optlen, total = hlen + s->len;
	size_t alen = addr_len(s->family);
	unsigned char pseudo[40];
	uint32_t sum;
	uint16_t csum;
	int doff = s->doff ? s->doff : (int)(hlen / 4);

	put16(out, s->sport);
	put16(out + 2, s->dport);
	put32(out + 4, s->seq);
	put32(out + 8, s->ack);
	out[12] = (unsigned char)(doff << 4);
	out[13] = s->flags;
	put16(out + 14, s->window);
	put16(out + 16, 0);
	put16(out + 18, s->urgent);
	memcpy(out + 20, s->opts, s->optlen);
	if (s->len)
		memcpy(out + hlen, s->payload, s->len);
	/* The pseudo-header: addresses, protocol, TCP length. */
	memcpy(pseudo, s->src, alen);
	memcpy(pseudo + alen, s->dst, alen);
	sum = sum16(0, pseudo, 2 * alen);
	sum += IPPROTO_TCP + (uint32_t)(total & 0xffff) + (uint32_t)(total >> 16);
	csum = fold(sum16(sum, out, total));
	if (s->bad_checksum)
		csum ^= 0x0101;
	put16(out + 16, csum);
	return total;
}

/* The Ethernet and IP headers of s's packet, for l4len bytes after them
 * (after a fragment header too, with frag); the bytes written. */
static size_t headers(const struct pf_link *l, const struct pf_seg *s, unsigned char *f,
		      size_t l4len, uint16_t id, const unsigned char *frag)
{
	memcpy(f, l->peer_mac, 6);
	memcpy(f + 6, fuzz_mac, 6);
	if (s->family == 4) {
		unsigned char *ip = f + ETH_HLEN_;

		put16(f + 12, ETH_P_IP);
		memset(ip, 0, IP4_HLEN);
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(IP4_HLEN + l4len));
		put16(ip + 4, id);
		if (frag)	/* offset in 8-byte units and MF, as given */
			memcpy(ip + 6, frag, 2);
		ip[8] = s->ttl;
		ip[9] = IPPROTO_TCP;
		memcpy(ip + 12, s->src, 4);
		memcpy(ip + 16, s->dst, 4);
		put16(ip + 10, fold(sum16(0, ip, IP4_HLEN)));
		return ETH_HLEN_ + IP4_HLEN;
	}
	unsigned char *ip6 = f + ETH_HLEN_;

	put16(f + 12, ETH_P_IPV6);
	put32(ip6, 0x60000000u | id);
	put16(ip6 + 4, (uint16_t)(l4len + (frag ? FRAG6_HLEN : 0)));
	ip6[6] = frag ? 44 : IPPROTO_TCP;
	ip6[7] = s->ttl;
	memcpy(ip6 + 8, s->src, 16);
	memcpy(ip6 + 24, s->dst, 16);
	if (!frag)
		return ETH_HLEN_ + IP6_HLEN;
	memcpy(ip6 + IP6_HLEN, frag, FRAG6_HLEN);
	return ETH_HLEN_ + IP6_HLEN + FRAG6_HLEN;
}

static int send_frame(struct pf_state *st, enum pf_side side, const unsigned char *f, size_t len)
{
	const struct pf_link *l = &st->link[side];
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_ifindex = l->ifindex,
		.sll_halen = 6,
	};

	memcpy(sll.sll_addr, l->peer_mac, 6);
	st->frames++;
	if (sendto(l->fd, f, len, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		st->send_errors++;
		return -1;
	}
	return 0;
}

int pf_send_raw(struct pf_state *st, const struct pf_seg *s, const unsigned char *l4, size_t len)
{
	unsigned char f[FRAME_MAX];
	size_t h;

	if (len > PF_MAX_L4 + 60)
		len = PF_MAX_L4 + 60;
	h = headers(&st->link[s->side], s, f, len, (uint16_t)rng_next(&st->rng), NULL);
	memcpy(f + h, l4, len);
	return send_frame(st, s->side, f, h + len);
}

int pf_send_seg(struct pf_state *st, const struct pf_seg *s)
{
	unsigned char l4[PF_MAX_L4 + 60];
	size_t len = pf_tcp_bytes(s, l4);

	return pf_send_raw(st, s, l4, len);
}

struct piece {
	size_t off, len;
	bool more;
	bool junk;	/* other bytes than the packet's own at this offset */
};

static int send_piece(struct pf_state *st, const struct pf_seg *s, const unsigned char *l4,
		      const struct piece *p, uint32_t id)
{
	unsigned char f[FRAME_MAX], frag[FRAG6_HLEN] = { 0 };
	uint16_t offlg;
	size_t h;

	if (s->family == 4) {
		offlg = (uint16_t)((p->off / 8) | (p->more ? 0x2000 : 0));
		put16(frag, offlg);
	} else {
		offlg = (uint16_t)((p->off & ~(size_t)7) | (p->more ? 1 : 0));
		frag[0] = IPPROTO_TCP;
		put16(frag + 2, offlg);
		put32(frag + 4, id);
	}
	h = headers(&st->link[s->side], s, f, p->len, (uint16_t)id, frag);
	if (p->junk)
		rng_fill(&st->rng, f + h, p->len);
	else
		memcpy(f + h, l4 + p->off, p->len);
	return send_frame(st, s->side, f, h + p->len);
}

/*
 * Patterns: 0 in order; 1 last first; 2 in order, then a fragment of other
 * bytes over an earlier one; 3 the first fragment alone; 4 all but the
 * first; 5 a first fragment of 8 bytes (the TCP header cut in two), then
 * the rest in order; 6 in order, one of them twice.
 */
int pf_send_fragments(struct pf_state *st, const struct pf_seg *s,
		      const unsigned char *l4, size_t len, unsigned int pattern)
{
	struct piece pieces[PF_MAX_L4 / 8 + 2];
	size_t n = 0, off = 0, size = 8 * (1 + rng_below(&st->rng, len / 16 + 1));
	uint32_t id = (uint32_t)rng_next(&st->rng);
	int ret = 0;

	while (off < len && n < PF_MAX_L4 / 8) {
		size_t plen = pattern == 5 && off == 0 ? 8 : size;

		if (plen > len - off)
			plen = len - off;
		pieces[n++] = (struct piece){ off, plen, off + plen < len, false };
		off += plen;
	}
	if (n && off < len)	/* cut short: the last piece says so */
		pieces[n - 1].more = true;
	for (size_t i = 0; i < n; i++) {
		size_t at = pattern == 1 ? n - 1 - i : i;

		if ((pattern == 3 && at > 0) || (pattern == 4 && at == 0))
			continue;
		ret |= send_piece(st, s, l4, &pieces[at], id);
		if (pattern == 6 && at == n / 2)
			ret |= send_piece(st, s, l4, &pieces[at], id);
	}
	if (pattern == 2 && n > 1) {
		struct piece over = pieces[rng_below(&st->rng, n - 1)];

		over.more = true;
		over.junk = true;
		over.len = over.len > 8 ? 8 * (1 + rng_below(&st->rng, over.len / 8)) : over.len;
		ret |= send_piece(st, s, l4, &over, id);
	}
	return ret;
}

static int syn_wscale(const unsigned char *opt, size_t len)
{
	size_t i = 0;

	while (i < len) {
		if (opt[i] == 0)
			break;
		if (opt[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= len || opt[i + 1] < 2)
			break;
		if (opt[i] == 3 && opt[i + 1] == 3 && i + 2 < len)
			return opt[i + 2] > 14 ? 14 : opt[i + 2];
		i += opt[i + 1];
	}
	return -1;
}

bool pf_parse(const unsigned char *f, size_t len, struct pf_sniffed *p)
{
	const unsigned char *ip = f + ETH_HLEN_, *tcp;
	size_t iplen, hlen, doff;
	uint16_t type;

	if (len < ETH_HLEN_ + IP4_HLEN)
		return false;
	type = (uint16_t)(f[12] << 8 | f[13]);
	len -= ETH_HLEN_;
	if (type == ETH_P_IP) {
		hlen = (size_t)(ip[0] & 0x0f) * 4;
		iplen = (size_t)(ip[2] << 8 | ip[3]);
		if (ip[9] != IPPROTO_TCP || (((ip[6] << 8) | ip[7]) & 0x3fff) || hlen < IP4_HLEN)
			return false;
		p->family = 4;
		p->src = ip + 12;
		p->dst = ip + 16;
	} else if (type == ETH_P_IPV6 && len >= IP6_HLEN) {
		if (ip[6] != IPPROTO_TCP)
			return false;
		hlen = IP6_HLEN;
		iplen = IP6_HLEN + (size_t)(ip[4] << 8 | ip[5]);
		p->family = 6;
		p->src = ip + 8;
		p->dst = ip + 24;
	} else {
		return false;
	}
	if (iplen == IP6_HLEN || iplen > len || iplen == 0)	/* GSO: no length */
		iplen = len;
	if (iplen < hlen + 20)
		return false;
	tcp = ip + hlen;
	doff = (size_t)(tcp[12] >> 4) * 4;
	if (doff < 20 || hlen + doff > iplen)
		return false;
	p->sport = (uint16_t)(tcp[0] << 8 | tcp[1]);
	p->dport = (uint16_t)(tcp[2] << 8 | tcp[3]);
	p->seq = (uint32_t)tcp[4] << 24 | (uint32_t)tcp[5] << 16 | (uint32_t)tcp[6] << 8 | tcp[7];
	p->ack = (uint32_t)tcp[8] << 24 | (uint32_t)tcp[9] << 16 | (uint32_t)tcp[10] << 8 | tcp[11];
	p->flags = tcp[13];
	p->window = (uint16_t)(tcp[14] << 8 | tcp[15]);
	p->wscale = p->flags & TH_SYN ? syn_wscale(tcp + 20, doff - 20) : -1;
	p->payload = tcp + doff;
	p->len = iplen - hlen - doff;
	return true;
}

bool pf_from_fuzzer(const unsigned char *frame, size_t len)
{
	return len >= 12 && !memcmp(frame + 6, fuzz_mac, 6);
}
