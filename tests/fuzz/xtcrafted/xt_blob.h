/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A table image for IPT_SO_SET_REPLACE (IPv4) or IP6T_SO_SET_REPLACE
 * (IPv6), built entry by entry with any field as wrong as a test wants:
 * the replace header (struct ipt_replace and struct ip6t_replace have the
 * same layout), then the entries, each an ipt_entry or ip6t_entry with no
 * match and one target.
 */
#ifndef XT_BLOB_H
#define XT_BLOB_H

/* glibc's netinet/in.h first: the uapi headers then leave its types alone. */
#include <netinet/in.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct xt_blob {
	int family;		/* AF_INET or AF_INET6 */
	unsigned char *buf;	/* struct ipt_replace, then the entries */
	size_t len;		/* bytes of entries */
	size_t cap;
	unsigned int entries;
};

/* One entry's target and what the entry says about it. */
struct xt_entry_spec {
	const char *name;	/* copied into the target's 29 bytes */
	bool unterminated;	/* fill all 29 bytes: no NUL */
	uint8_t revision;
	const void *data;
	size_t data_len;	/* bytes of target data in the entry */
	long target_size;	/* < 0: the right one for data_len */
	unsigned int next_offset;	/* 0: the right one */
	uint16_t proto;		/* -p: 0 is any protocol */
	bool inv_proto;		/* ! -p */
};

int xt_blob_init(struct xt_blob *b, int family);
void xt_blob_free(struct xt_blob *b);

/* Appends an entry; returns its offset among the entries, or -1. */
long xt_blob_add(struct xt_blob *b, const struct xt_entry_spec *spec);
/* An unconditional standard target: a verdict (-NF_ACCEPT - 1, XT_RETURN) or a jump. */
long xt_blob_standard(struct xt_blob *b, int verdict);
/* An ERROR target: a user chain's head, or the table's end ("ERROR"). */
long xt_blob_error(struct xt_blob *b, const char *name);

/* Points the standard target of the entry at @offset to @verdict (a jump
 * written before its destination was known). */
void xt_blob_set_verdict(struct xt_blob *b, long offset, int verdict);

struct ipt_replace *xt_blob_header(struct xt_blob *b);
/* The header and the entries: what setsockopt() gets. */
size_t xt_blob_size(const struct xt_blob *b);

#endif /* XT_BLOB_H */
