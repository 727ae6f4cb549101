// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The list of connections and their endpoints: see conn.h. */
#include "conn.h"

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
