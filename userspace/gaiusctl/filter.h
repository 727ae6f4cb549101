/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * gaiusctl list's filter, in ss(8)'s words: every term must hold.
 *
 *   src PREFIX    the local address is in PREFIX (ADDRESS or ADDRESS/LENGTH,
 *                 IPv4 or IPv6; an IPv4 prefix also holds the IPv4
 *                 connections of IPv6 sockets)
 *   dst PREFIX    the remote address is in PREFIX
 *   sport PORT    the local port is PORT
 *   dport PORT    the remote port is PORT
 *   key KEY       a direction has the key KEY (as iptables reads --key)
 *   dir tx|rx     that direction of a local socket is enciphered
 *   dir orig|reply  that direction of a forwarded connection is
 *
 * For a forwarded connection, "local" is the side that opened it, as the
 * original direction's source or the reply's destination (either side of
 * NAT), "remote" the other; and its key is known modulo 256 only, so KEY
 * matches it modulo 256.
 */
#ifndef GAIUSCTL_FILTER_H
#define GAIUSCTL_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "conn.h"

#define GAIUSCTL_FILTER_MAX 16

enum gaiusctl_term_kind {
	GAIUSCTL_TERM_SRC, GAIUSCTL_TERM_DST, GAIUSCTL_TERM_SPORT,
	GAIUSCTL_TERM_DPORT, GAIUSCTL_TERM_KEY, GAIUSCTL_TERM_DIR,
};

/* dir's values. */
enum gaiusctl_dir { GAIUSCTL_DIR_TX, GAIUSCTL_DIR_RX, GAIUSCTL_DIR_ORIG, GAIUSCTL_DIR_REPLY };

struct gaiusctl_term {
	enum gaiusctl_term_kind kind;
	struct gaiusctl_endpoint prefix;	/* src, dst: the address */
	unsigned int prefix_len;		/* of the 128 bits of prefix.addr */
	uint32_t value;				/* port, key, or enum gaiusctl_dir */
};

struct gaiusctl_filter {
	struct gaiusctl_term terms[GAIUSCTL_FILTER_MAX];
	size_t count;
};

/*
 * Reads the words @argv[0 .. @argc - 1] into @filter, which matches every
 * connection when @argc is 0. Returns NULL, or the word that is wrong
 * (an unknown term, a term without its value, a value that does not read,
 * one term too many).
 */
const char *gaiusctl_filter_parse(struct gaiusctl_filter *filter, int argc,
				  char *const argv[]);

/* Whether @conn holds every term of @filter (a struct gaiusctl_filter). */
bool gaiusctl_filter_match(const struct gaiusctl_conn *conn, const void *filter);

#endif /* GAIUSCTL_FILTER_H */
