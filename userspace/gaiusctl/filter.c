// SPDX-License-Identifier: GPL-2.0 OR MIT
/* gaiusctl list's filter: see filter.h. */
#include "filter.h"

#include <arpa/inet.h>
#include <string.h>

#include "gaius_decimal.h"
#include "gaius_key.h"

static const char *const dir_names[] = {
	[GAIUSCTL_DIR_TX] = "tx", [GAIUSCTL_DIR_RX] = "rx",
	[GAIUSCTL_DIR_ORIG] = "orig", [GAIUSCTL_DIR_REPLY] = "reply",
};

static const char *const term_names[] = {
	[GAIUSCTL_TERM_SRC] = "src", [GAIUSCTL_TERM_DST] = "dst",
	[GAIUSCTL_TERM_SPORT] = "sport", [GAIUSCTL_TERM_DPORT] = "dport",
	[GAIUSCTL_TERM_KEY] = "key", [GAIUSCTL_TERM_DIR] = "dir",
};

/* ADDRESS or ADDRESS/LENGTH; an IPv4 one as its IPv4-mapped /96 + LENGTH. */
static bool parse_prefix(const char *text, struct gaiusctl_term *term)
{
	char addr[INET6_ADDRSTRLEN];
	const char *slash = strchr(text, '/');
	size_t len = slash ? (size_t)(slash - text) : strlen(text);
	unsigned char v4[4];
	unsigned int max, bits;

	if (len >= sizeof(addr))
		return false;
	memcpy(addr, text, len);
	addr[len] = '\0';
	if (inet_pton(AF_INET, addr, v4) == 1) {
		gaiusctl_endpoint_set_v4(&term->prefix, v4, 0);
		max = 32;
	} else if (inet_pton(AF_INET6, addr, term->prefix.addr) == 1) {
		max = 128;
	} else {
		return false;
	}
	bits = max;
	if (slash) {
		unsigned long n;

		if (!gaius_decimal(slash + 1, max, &n))
			return false;
		bits = (unsigned int)n;
	}
	term->prefix_len = bits + 128 - max;
	return true;
}

static bool parse_port(const char *text, uint32_t *port)
{
	unsigned long n;

	if (!gaius_decimal(text, 65535, &n))
		return false;
	*port = (uint32_t)n;
	return true;
}

static bool parse_value(struct gaiusctl_term *term, const char *text)
{
	switch (term->kind) {
	case GAIUSCTL_TERM_SRC:
	case GAIUSCTL_TERM_DST:
		return parse_prefix(text, term);
	case GAIUSCTL_TERM_SPORT:
	case GAIUSCTL_TERM_DPORT:
		return parse_port(text, &term->value);
	case GAIUSCTL_TERM_KEY:
		/* A key of shift 0 is never live: 0 is a direction off. */
		return gaius_key_parse(text, &term->value) == GAIUS_KEY_OK &&
		       gaius_key_check_shift(term->value) == GAIUS_KEY_OK;
	case GAIUSCTL_TERM_DIR:
		for (term->value = 0; term->value < sizeof(dir_names) / sizeof(dir_names[0]);
		     term->value++)
			if (!strcmp(text, dir_names[term->value]))
				return true;
		return false;
	}
	return false;
}

const char *gaiusctl_filter_parse(struct gaiusctl_filter *filter, int argc,
				  char *const argv[])
{
	filter->count = 0;
	for (int i = 0; i < argc; i += 2) {
		struct gaiusctl_term *term = &filter->terms[filter->count];
		size_t kind = 0;

		while (kind < sizeof(term_names) / sizeof(term_names[0]) &&
		       strcmp(argv[i], term_names[kind]))
			kind++;
		if (kind == sizeof(term_names) / sizeof(term_names[0]) ||
		    filter->count == GAIUSCTL_FILTER_MAX)
			return argv[i];
		if (i + 1 == argc)
			return argv[i];
		term->kind = (enum gaiusctl_term_kind)kind;
		if (!parse_value(term, argv[i + 1]))
			return argv[i + 1];
		filter->count++;
	}
	return NULL;
}

static bool in_prefix(const struct gaiusctl_endpoint *ep,
		      const struct gaiusctl_term *term)
{
	unsigned int bytes = term->prefix_len / 8, bits = term->prefix_len % 8;
	unsigned char mask = (unsigned char)(0xff00U >> bits);

	if (memcmp(ep->addr, term->prefix.addr, bytes))
		return false;
	return !bits || !((ep->addr[bytes] ^ term->prefix.addr[bytes]) & mask);
}

/* The ends of a forwarded connection: the opener's (@local) or the other's. */
static bool fwd_end_holds(const struct gaiusctl_conn *conn, bool local,
			  const struct gaiusctl_term *term)
{
	const struct gaiusctl_endpoint *orig, *reply;

	orig = local ? &conn->fwd[GAIUSCTL_FWD_ORIGINAL].src : &conn->fwd[GAIUSCTL_FWD_ORIGINAL].dst;
	reply = local ? &conn->fwd[GAIUSCTL_FWD_REPLY].dst : &conn->fwd[GAIUSCTL_FWD_REPLY].src;
	if (term->kind == GAIUSCTL_TERM_SRC || term->kind == GAIUSCTL_TERM_DST)
		return in_prefix(orig, term) || in_prefix(reply, term);
	return orig->port == term->value || reply->port == term->value;
}

static bool fwd_term_holds(const struct gaiusctl_conn *conn,
			   const struct gaiusctl_term *term)
{
	const struct gaiusctl_fwd_dir *dirs = conn->fwd;

	switch (term->kind) {
	case GAIUSCTL_TERM_SRC:
	case GAIUSCTL_TERM_SPORT:
		return fwd_end_holds(conn, true, term);
	case GAIUSCTL_TERM_DST:
	case GAIUSCTL_TERM_DPORT:
		return fwd_end_holds(conn, false, term);
	case GAIUSCTL_TERM_KEY:
		for (int i = 0; i < GAIUSCTL_FWD_DIRS; i++)
			if (dirs[i].shift &&
			    gaiusctl_fwd_key(&dirs[i]) == gaius_key_shift(term->value))
				return true;
		return false;
	case GAIUSCTL_TERM_DIR:
		if (term->value == GAIUSCTL_DIR_ORIG)
			return dirs[GAIUSCTL_FWD_ORIGINAL].shift;
		return term->value == GAIUSCTL_DIR_REPLY && dirs[GAIUSCTL_FWD_REPLY].shift;
	}
	return false;
}

static bool term_holds(const struct gaiusctl_conn *conn,
		       const struct gaiusctl_term *term)
{
	if (conn->forwarded)
		return fwd_term_holds(conn, term);
	switch (term->kind) {
	case GAIUSCTL_TERM_SRC:
		return in_prefix(&conn->local, term);
	case GAIUSCTL_TERM_DST:
		return in_prefix(&conn->remote, term);
	case GAIUSCTL_TERM_SPORT:
		return conn->local.port == term->value;
	case GAIUSCTL_TERM_DPORT:
		return conn->remote.port == term->value;
	case GAIUSCTL_TERM_KEY:
		return conn->tx_key == term->value || conn->rx_key == term->value;
	case GAIUSCTL_TERM_DIR:
		if (term->value == GAIUSCTL_DIR_TX)
			return conn->tx_key;
		return term->value == GAIUSCTL_DIR_RX && conn->rx_key;
	}
	return false;
}

bool gaiusctl_filter_match(const struct gaiusctl_conn *conn, const void *filter)
{
	const struct gaiusctl_filter *f = filter;

	for (size_t i = 0; i < f->count; i++)
		if (!term_holds(conn, &f->terms[i]))
			return false;
	return true;
}
