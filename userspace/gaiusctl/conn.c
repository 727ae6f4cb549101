// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The list of connections and their endpoints: see conn.h. */
#include "conn.h"

#include <linux/netfilter/xt_GAIUS.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char v4_mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

bool gaiusctl_conns_add(struct gaiusctl_conns *conns,
			const struct gaiusctl_conn *conn)
{
	if (conns->count == conns->capacity) {
		size_t capacity = conns->capacity ? 2 * conns->capacity : 16;
		struct gaiusctl_conn *items;

		items = realloc(conns->items, capacity * sizeof(*items));
		if (!items)
			return false;
		conns->items = items;
		conns->capacity = capacity;
	}
	conns->items[conns->count++] = *conn;
	return true;
}

void gaiusctl_conns_free(struct gaiusctl_conns *conns)
{
	for (size_t i = 0; i < conns->count; i++)
		free(conns->items[i].processes);
	free(conns->items);
	*conns = (struct gaiusctl_conns){ 0 };
}

void gaiusctl_conns_keep(struct gaiusctl_conns *conns,
			 bool (*keep)(const struct gaiusctl_conn *conn, const void *arg),
			 const void *arg)
{
	size_t kept = 0;

	for (size_t i = 0; i < conns->count; i++) {
		if (keep(&conns->items[i], arg))
			conns->items[kept++] = conns->items[i];
		else
			free(conns->items[i].processes);
	}
	conns->count = kept;
}

bool gaiusctl_endpoint_equal(const struct gaiusctl_endpoint *a,
			     const struct gaiusctl_endpoint *b)
{
	return a->port == b->port && !memcmp(a->addr, b->addr, sizeof(a->addr));
}

void gaiusctl_endpoint_set_v4(struct gaiusctl_endpoint *ep,
			      const void *addr4, uint16_t port)
{
	memcpy(ep->addr, v4_mapped_prefix, sizeof(v4_mapped_prefix));
	memcpy(ep->addr + sizeof(v4_mapped_prefix), addr4, 4);
	ep->port = port;
}

bool gaiusctl_endpoint_is_v4(const struct gaiusctl_endpoint *ep)
{
	return !memcmp(ep->addr, v4_mapped_prefix, sizeof(v4_mapped_prefix));
}

bool gaiusctl_fwd_info_read(struct gaiusctl_conn *conn, const void *info,
			    size_t len)
{
	struct gaius_ct_info ci;

	if (len != sizeof(ci))
		return false;
	memcpy(&ci, info, sizeof(ci));
	for (int i = 0; i < GAIUSCTL_FWD_DIRS; i++) {
		struct gaiusctl_fwd_dir *dir = &conn->fwd[i];

		dir->shift = ci.shift[i];
		dir->decrypt = dir->shift && ci.decrypt[i];
		dir->seq = dir->shift ? ci.seq[i] : 0;
	}
	return conn->fwd[GAIUSCTL_FWD_ORIGINAL].shift ||
	       conn->fwd[GAIUSCTL_FWD_REPLY].shift;
}

uint32_t gaiusctl_fwd_key(const struct gaiusctl_fwd_dir *dir)
{
	return dir->decrypt ? (256U - dir->shift) % 256U : dir->shift;
}
