/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * gaius-pktfuzz: random and spoofed TCP segments into the ports of real
 * connections (see pktfuzz_main.c). Shared by its three parts:
 * pktfuzz_wire.c (the links, frames, checksums, fragments and the parse
 * of sniffed frames), pktfuzz_act.c (the flows it learns and the packets
 * it makes of them) and pktfuzz_main.c.
 */
#ifndef PKTFUZZ_H
#define PKTFUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sockfuzz_rng.h"

/* Every frame the fuzzer sends has this source MAC address, which no real
 * interface has: the scenario's capture leaves these frames out, and the
 * fuzzer's own sniffer ignores them. */
#define PF_MAC { 0x02, 0x67, 0x61, 0x69, 0x75, 0x73 }
#define PF_MAC_TEXT "02:67:61:69:75:73"

#define PF_FLOWS 256
#define PF_KEEP 512		/* payload bytes kept of a flow's last data segment */
#define PF_MAX_L4 1400		/* the most TCP bytes (header and payload) in one packet */

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10
#define TH_URG 0x20

/* Where a packet goes: to the server's namespace (sent on the client's
 * veth, as if from the client side) or to the client's. */
enum pf_side { PF_TO_SERVER, PF_TO_CLIENT };

static inline bool seq_after(uint32_t a, uint32_t b)
{
	return (int32_t)(b - a) < 0;
}

struct pf_link {
	int fd;			/* AF_PACKET, SOCK_RAW, bound to the interface */
	int ifindex;
	unsigned char peer_mac[6];	/* the destination of what is sent here */
};

/* One TCP segment to send. Addresses: 4 bytes (IPv4) or 16 (IPv6). */
struct pf_seg {
	int family;		/* 4 or 6 */
	enum pf_side side;
	unsigned char src[16], dst[16];
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t window, urgent;
	unsigned char opts[40];
	size_t optlen;		/* a multiple of 4 */
	int doff;		/* data offset in words; 0: what the options make it */
	const unsigned char *payload;
	size_t len;
	bool bad_checksum;
	uint8_t ttl;
};

/* What the sniffer saw of one direction of a real connection. */
struct pf_dir {
	bool seen, has_ack, has_wscale, fin;
	uint32_t isn;		/* of its SYN, when seen */
	uint32_t nxt;		/* the sequence number after the last byte sent */
	uint32_t ack;		/* the last acknowledgement sent: its rcv_nxt */
	uint32_t window;	/* in bytes, scaled when the SYN said how */
	uint8_t wscale;
	/* Its last data segment, the first PF_KEEP bytes of it. */
	uint32_t data_seq, data_ack;
	uint16_t data_len;
	unsigned char data[PF_KEEP];
};

/* A real connection: dir[PF_TO_SERVER] is what the client sent. */
struct pf_flow {
	bool used, reset;
	int family;
	unsigned char caddr[16], saddr[16];
	uint16_t cport, sport;
	struct pf_dir dir[2];
	uint64_t last_ns;
};

/* A sniffed TCP segment. */
struct pf_sniffed {
	int family;
	const unsigned char *src, *dst;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t window;
	int wscale;		/* from a SYN's options, -1 without */
	const unsigned char *payload;
	size_t len;
};

enum pf_kind {
	PF_SYN_SPOOFED,		/* a SYN from a documentation address */
	PF_SPOOFED_OTHER,	/* other flags from one, to a port under rules */
	PF_SEGMENT,		/* random flags on a real connection's four-tuple */
	PF_RST,			/* a reset on one, mostly with a wrong sequence number */
	PF_RST_EXACT,		/* a reset at the receiver's rcv_nxt, as last seen */
	PF_FRAGMENTS,		/* a segment in IP fragments */
	PF_DUPLICATE,		/* an acknowledged segment again, its payload altered */
	PF_GARBAGE,		/* broken TCP headers */
	PF_KINDS,
};

struct pf_options {
	uint64_t seed;
	unsigned int seconds;
	unsigned long max_packets;
	unsigned int pps;		/* packets per second; 0: as fast as sent */
	int family;			/* 4, 6, or 0 for both */
	const char *client_netns, *client_if, *server_netns, *server_if;
	unsigned char server4[4], server6[16];
	unsigned int port_lo, port_hi;
	unsigned int exact_rst_permille;	/* of the resets on real four-tuples */
	unsigned long syn_flood;	/* flood mode: this many SYNs to flood_port */
	unsigned int flood_port;
	bool trace;
};

struct pf_state {
	struct pf_options opt;
	struct rng rng;
	struct pf_link link[2];		/* indexed by enum pf_side */
	int sniff_fd;			/* on the client's interface, both ways */
	struct pf_flow flows[PF_FLOWS];
	unsigned long sent[PF_KINDS];
	unsigned long packets, frames, on_real_tuples, sniffed, flows_seen, send_errors;
};

extern const char *const pf_kind_names[PF_KINDS];

/* pktfuzz_wire.c */
int pf_open_link(struct pf_link *l, const char *netns, const char *ifname,
		 const char *peer_netns, const char *peer_ifname, int own_ns);
int pf_open_sniffer(const char *netns, const char *ifname, int own_ns);
/* The TCP bytes (header, options, payload) of s into out; their length. */
size_t pf_tcp_bytes(const struct pf_seg *s, unsigned char *out);
/* Sends s (pf_tcp_bytes of it) as one packet; 0 or -1. */
int pf_send_seg(struct pf_state *st, const struct pf_seg *s);
/* Sends the TCP bytes l4 of s in IP fragments cut as pattern says. */
int pf_send_fragments(struct pf_state *st, const struct pf_seg *s,
		      const unsigned char *l4, size_t len, unsigned int pattern);
#define PF_FRAGMENT_PATTERNS 7
/* Sends an IP packet of s's addresses with l4 as its TCP bytes, as is. */
int pf_send_raw(struct pf_state *st, const struct pf_seg *s,
		const unsigned char *l4, size_t len);
/* Parses a sniffed frame; false when it is not TCP over IPv4 or IPv6. */
bool pf_parse(const unsigned char *frame, size_t len, struct pf_sniffed *out);
/* Whether a sniffed frame is one of the fuzzer's own (by PF_MAC). */
bool pf_from_fuzzer(const unsigned char *frame, size_t len);

/* pktfuzz_act.c */
void pf_learn(struct pf_state *st, const struct pf_sniffed *p, uint64_t now_ns);
void pf_act(struct pf_state *st, uint64_t now_ns);
void pf_flood_syn(struct pf_state *st);

#endif /* PKTFUZZ_H */
