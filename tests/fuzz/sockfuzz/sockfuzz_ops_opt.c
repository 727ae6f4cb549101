// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * setsockopt() and getsockopt() with every level and option a TCP socket
 * with the caesar ULP may meet: ours (TCP_ULP, CAESAR_KEY, CAESAR_TX_KEY,
 * CAESAR_RX_KEY), TCP's, the socket's, IP's and IPv6's, kTLS's, and random
 * ones; values, lengths and pointers good and bad.
 *
 * Left out, so that no call can block a thread for long: SO_RCVTIMEO and
 * SO_SNDTIMEO (every socket keeps a short timeout), a lingering
 * SO_LINGER, and busy polling, which spins for as long as it is told. ULP and congestion control names come from short lists: an
 * unknown one makes the kernel run modprobe.
 *
 * SO_PEEK_OFF stays below SF_PEEK_OFF_MAX. Since 6.10 TCP takes a peek
 * offset, and tcp_recvmsg_locked() adds it to copied_seq unchecked: an
 * offset near INT_MAX on a partly read skb wraps the sequence compare and
 * WARNs ("TCP recvmsg seq # bug"), on plain TCP sockets without any
 * module of ours (seen on Debian's 6.12.118 with a 6-byte python test:
 * read 1 byte, SO_PEEK_OFF 0x7fffffff, recv(MSG_PEEK)). That warning is
 * the kernel's, and would fail the suite's kernel-log check.
 */
#include <linux/caesar.h>
#include <netinet/tcp.h>
#include <linux/tls.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "sockfuzz_ops.h"

#ifndef SOL_TLS
#define SOL_TLS 282
#endif

/* Far beyond any receive queue, far below the wrap (see above). */
#define SF_PEEK_OFF_MAX (1 << 24)

struct sockopt {
	int level, name;
};

static const struct sockopt known[] = {
	{ SOL_TCP, CAESAR_KEY }, { SOL_TCP, CAESAR_TX_KEY }, { SOL_TCP, CAESAR_RX_KEY },
	{ SOL_TCP, TCP_ULP }, { SOL_TCP, CAESAR_KEY }, { SOL_TCP, CAESAR_TX_KEY },
	{ SOL_TCP, CAESAR_RX_KEY }, { SOL_TCP, TCP_ULP },
	{ SOL_TCP, TCP_NODELAY }, { SOL_TCP, TCP_MAXSEG }, { SOL_TCP, TCP_CORK },
	{ SOL_TCP, TCP_KEEPIDLE }, { SOL_TCP, TCP_KEEPINTVL }, { SOL_TCP, TCP_KEEPCNT },
	{ SOL_TCP, TCP_SYNCNT }, { SOL_TCP, TCP_LINGER2 }, { SOL_TCP, TCP_DEFER_ACCEPT },
	{ SOL_TCP, TCP_WINDOW_CLAMP }, { SOL_TCP, TCP_INFO }, { SOL_TCP, TCP_QUICKACK },
	{ SOL_TCP, TCP_CONGESTION }, { SOL_TCP, TCP_MD5SIG }, { SOL_TCP, TCP_USER_TIMEOUT },
	{ SOL_TCP, TCP_REPAIR }, { SOL_TCP, TCP_REPAIR_QUEUE }, { SOL_TCP, TCP_QUEUE_SEQ },
	{ SOL_TCP, TCP_REPAIR_OPTIONS }, { SOL_TCP, TCP_FASTOPEN }, { SOL_TCP, TCP_TIMESTAMP },
	{ SOL_TCP, TCP_NOTSENT_LOWAT }, { SOL_TCP, TCP_CC_INFO }, { SOL_TCP, TCP_SAVE_SYN },
	{ SOL_TCP, TCP_SAVED_SYN }, { SOL_TCP, TCP_REPAIR_WINDOW }, { SOL_TCP, TCP_FASTOPEN_CONNECT },
	{ SOL_TCP, TCP_FASTOPEN_NO_COOKIE }, { SOL_TCP, TCP_ZEROCOPY_RECEIVE }, { SOL_TCP, TCP_INQ },
	{ SOL_TCP, TCP_TX_DELAY }, { SOL_TCP, TCP_THIN_LINEAR_TIMEOUTS },
	{ SOL_SOCKET, SO_RCVBUF }, { SOL_SOCKET, SO_SNDBUF }, { SOL_SOCKET, SO_RCVBUFFORCE },
	{ SOL_SOCKET, SO_SNDBUFFORCE }, { SOL_SOCKET, SO_ZEROCOPY }, { SOL_SOCKET, SO_OOBINLINE },
	{ SOL_SOCKET, SO_KEEPALIVE }, { SOL_SOCKET, SO_RCVLOWAT }, { SOL_SOCKET, SO_PRIORITY },
	{ SOL_SOCKET, SO_MARK }, { SOL_SOCKET, SO_TIMESTAMP }, { SOL_SOCKET, SO_TIMESTAMPING },
	{ SOL_SOCKET, SO_DEBUG }, { SOL_SOCKET, SO_PEEK_OFF }, { SOL_SOCKET, SO_ERROR },
	{ SOL_SOCKET, SO_LINGER }, { SOL_SOCKET, SO_ATTACH_FILTER }, { SOL_SOCKET, SO_DETACH_FILTER },
	{ SOL_SOCKET, SO_MEMINFO }, { SOL_SOCKET, SO_TXTIME },
	{ SOL_SOCKET, SO_PEERNAME }, { SOL_SOCKET, SO_INCOMING_CPU },
	{ SOL_IP, IP_TOS }, { SOL_IP, IP_TTL }, { SOL_IP, IP_OPTIONS },
	{ SOL_IP, IP_MTU_DISCOVER }, { SOL_IP, IP_RECVERR }, { SOL_IP, IP_FREEBIND },
	{ SOL_IPV6, IPV6_TCLASS }, { SOL_IPV6, IPV6_MTU_DISCOVER }, { SOL_IPV6, IPV6_RECVERR },
	{ SOL_IPV6, IPV6_V6ONLY }, { SOL_IPV6, IPV6_UNICAST_HOPS },
	{ SOL_TLS, TLS_TX }, { SOL_TLS, TLS_RX },
};

static const char *const ulp_names[] = {
	"caesar", "caesar", "caesar", "tls", "", "caesar\0tls", "caesarcaesarcaesarcaesar",
	"CAESAR", "caesa",
};

static const char *const congestion_names[] = { "reno", "cubic", "", "x" };

/* What no call may change: see the top of the file. */
static bool blocks(int level, int name)
{
	return level == SOL_SOCKET &&
	       (name == SO_RCVTIMEO_OLD || name == SO_SNDTIMEO_OLD ||
		name == SO_RCVTIMEO_NEW || name == SO_SNDTIMEO_NEW || name == SO_LINGER ||
		name == SO_BUSY_POLL || name == SO_PREFER_BUSY_POLL ||
		name == SO_BUSY_POLL_BUDGET);
}

static struct sockopt pick_sockopt(struct rng *r, bool *bad)
{
	struct sockopt o;

	if (rng_percent(r, 85))
		return RNG_PICK(r, known);
	*bad = true;
	do {
		o.level = rng_percent(r, 50) ? RNG_PICK(r, ((const int[]){ SOL_TCP, SOL_SOCKET,
									SOL_IP, SOL_IPV6, SOL_TLS })) :
					       sf_int(r);
		o.name = rng_percent(r, 70) ? (int)rng_below(r, 128) : sf_int(r);
	} while (blocks(o.level, o.name));
	return o;
}

/* The option's value in buf: the right shape most of the time. */
static size_t fill_value(struct sf_thread *t, struct sockopt o, unsigned char *buf,
			 bool *bad)
{
	struct rng *r = &t->rng;
	const char *name;
	int v;

	if (o.level == SOL_TCP && o.name == TCP_ULP) {
		name = RNG_PICK(r, ulp_names);
		/* Our names are short; the NUL is or is not counted. */
		memcpy(buf, name, strlen(name) + 1);
		return strlen(name) + rng_below(r, 2);
	}
	if (o.level == SOL_TCP && o.name == TCP_CONGESTION) {
		name = RNG_PICK(r, congestion_names);
		memcpy(buf, name, strlen(name) + 1);
		return strlen(name);
	}
	if (o.level == SOL_SOCKET && o.name == SO_LINGER) {
		/* Only "reset at close" or "off": never a lingering close. */
		struct linger l = { .l_onoff = (int)rng_below(r, 2), .l_linger = 0 };

		memcpy(buf, &l, sizeof(l));
		return sizeof(l);
	}
	if (rng_percent(r, 70) ||
	    (o.level == SOL_SOCKET && o.name == SO_PEEK_OFF)) {
		v = sf_int(r);
		if (o.level == SOL_SOCKET && o.name == SO_PEEK_OFF && v > SF_PEEK_OFF_MAX)
			v %= SF_PEEK_OFF_MAX;
		memcpy(buf, &v, sizeof(v));
		return sizeof(v);
	}
	rng_fill(r, buf, 512);
	return sf_len(r, 512, bad);
}

long sf_op_setsockopt(struct sf_thread *t, int fd, bool *bad)
{
	struct rng *r = &t->rng;
	struct sockopt o = pick_sockopt(r, bad);
	unsigned char value[512];
	size_t len = fill_value(t, o, value, bad);
	const void *ptr = value;
	/* Values these take from memory other than value[] are not fuzzed. */
	bool fixed = o.level == SOL_SOCKET &&
		     (o.name == SO_LINGER || o.name == SO_PEEK_OFF);

	if (rng_percent(r, 10)) {
		len = sf_len(r, SF_BUF_SIZE, bad);
		if (o.level == SOL_SOCKET && o.name == SO_LINGER)
			len = len < sizeof(struct linger) ? len : sizeof(struct linger);
	}
	if (len > sizeof(value) && fixed)
		len = sizeof(value);
	if (len > sizeof(value))
		ptr = t->mem.buf;	/* large lengths read the scratch buffer */
	if (rng_percent(r, 8) && !fixed)
		ptr = sf_ptr(&t->mem, r, len, false, bad);
	if (len > 0x7fffffff)
		len = (size_t)rng_below(r, 1u << 20);	/* optlen is an unsigned int */
	return setsockopt(fd, o.level, o.name, ptr, (socklen_t)len);
}

long sf_op_getsockopt(struct sf_thread *t, int fd, bool *bad)
{
	struct rng *r = &t->rng;
	struct sockopt o = pick_sockopt(r, bad);
	socklen_t len = (socklen_t)RNG_PICK(r, ((const unsigned int[]){
		4, 4, 4, 0, 1, 3, 8, 16, 64, 256, 4096, 0xffffffffU, 0x80000000U }));
	void *val = sf_ptr(&t->mem, r, len < SF_BUF_SIZE ? len : SF_BUF_SIZE, true, bad);
	socklen_t *lenp = &len;

	if (len >= 0x80000000U)
		*bad = true;
	if (rng_percent(r, 5))
		lenp = sf_ptr(&t->mem, r, sizeof(*lenp), true, bad);
	return getsockopt(fd, o.level, o.name, val, lenp);
}
