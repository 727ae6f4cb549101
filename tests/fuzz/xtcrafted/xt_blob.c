// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Table images for IPT_SO_SET_REPLACE: see xt_blob.h. */
#include "xt_blob.h"

#include <linux/netfilter/x_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

_Static_assert(offsetof(struct ipt_replace, entries) == offsetof(struct ip6t_replace, entries),
	       "the IPv4 and IPv6 replace headers differ");

#define HEADER offsetof(struct ipt_replace, entries)

int xt_blob_init(struct xt_blob *b, int family)
{
	b->family = family;
	b->len = 0;
	b->entries = 0;
	b->cap = 4096;
	b->buf = calloc(1, HEADER + b->cap);
	return b->buf ? 0 : -1;
}

void xt_blob_free(struct xt_blob *b)
{
	free(b->buf);
	b->buf = NULL;
}

static size_t entry_header(int family)
{
	return family == AF_INET ? sizeof(struct ipt_entry) : sizeof(struct ip6t_entry);
}

/* Room for @more bytes of entries, zeroed. */
static unsigned char *reserve(struct xt_blob *b, size_t more)
{
	unsigned char *p;

	if (b->len + more > b->cap) {
		size_t cap = 2 * (b->len + more);

		p = realloc(b->buf, HEADER + cap);
		if (!p)
			return NULL;
		memset(p + HEADER + b->cap, 0, cap - b->cap);
		b->buf = p;
		b->cap = cap;
	}
	return b->buf + HEADER + b->len;
}

long xt_blob_add(struct xt_blob *b, const struct xt_entry_spec *spec)
{
	size_t hdr = entry_header(b->family);
	size_t tsize = XT_ALIGN(sizeof(struct xt_entry_target) + spec->data_len);
	long offset = (long)b->len;
	struct xt_entry_target *t;
	unsigned char *e = reserve(b, hdr + tsize);
	uint16_t next = (uint16_t)(spec->next_offset ? spec->next_offset : hdr + tsize);

	if (!e)
		return -1;
	if (b->family == AF_INET) {
		struct ipt_entry *ie = (struct ipt_entry *)e;

		ie->ip.proto = spec->proto;
		ie->ip.invflags = spec->inv_proto ? IPT_INV_PROTO : 0;
		ie->target_offset = (uint16_t)hdr;
		ie->next_offset = next;
	} else {
		struct ip6t_entry *ie = (struct ip6t_entry *)e;

		ie->ipv6.proto = spec->proto;
		ie->ipv6.flags = spec->proto ? IP6T_F_PROTO : 0;
		ie->ipv6.invflags = spec->inv_proto ? IP6T_INV_PROTO : 0;
		ie->target_offset = (uint16_t)hdr;
		ie->next_offset = next;
	}
	t = (struct xt_entry_target *)(e + hdr);
	t->u.user.target_size = (uint16_t)(spec->target_size >= 0 ? (size_t)spec->target_size : tsize);
	if (spec->unterminated)
		memset(t->u.user.name, 'G', sizeof(t->u.user.name));
	else
		strncpy(t->u.user.name, spec->name, sizeof(t->u.user.name) - 1);
	t->u.user.revision = spec->revision;
	if (spec->data_len)
		memcpy(t->data, spec->data, spec->data_len);
	b->len += hdr + tsize;
	b->entries++;
	return offset;
}

long xt_blob_standard(struct xt_blob *b, int verdict)
{
	struct xt_entry_spec spec = {
		.name = XT_STANDARD_TARGET, .data = &verdict, .data_len = sizeof(verdict),
		.target_size = -1,
	};

	return xt_blob_add(b, &spec);
}

long xt_blob_error(struct xt_blob *b, const char *name)
{
	char errorname[XT_FUNCTION_MAXNAMELEN] = "";
	struct xt_entry_spec spec = {
		.name = XT_ERROR_TARGET, .data = errorname, .data_len = sizeof(errorname),
		.target_size = -1,
	};

	strncpy(errorname, name, sizeof(errorname) - 1);
	return xt_blob_add(b, &spec);
}

void xt_blob_set_verdict(struct xt_blob *b, long offset, int verdict)
{
	unsigned char *e = b->buf + HEADER + offset;
	struct xt_entry_target *t = (struct xt_entry_target *)(e + entry_header(b->family));

	memcpy(t->data, &verdict, sizeof(verdict));
}

struct ipt_replace *xt_blob_header(struct xt_blob *b)
{
	return (struct ipt_replace *)b->buf;
}

size_t xt_blob_size(const struct xt_blob *b)
{
	return HEADER + b->len;
}
