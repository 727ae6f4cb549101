// SPDX-License-Identifier: GPL-2.0 OR MIT
/* gaiusctl list's output: see list_output.h. */
#include "list_output.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>

#include "gaius_key.h"
#include "json.h"
#include "state_names.h"

/* How gaius enciphers a connection; the socket ULP is the only way yet. */
#define VIA_ULP "ulp"
#define NO_VALUE "-"
/* "[IPv6]:port" at the most, with room to spare. */
#define CELL_MAX 64

enum column {
	COL_PROTO, COL_LOCAL, COL_REMOTE, COL_STATE, COL_CONNTRACK, COL_VIA,
	COL_DIR, COL_TX_KEY, COL_TX_SHIFT, COL_TX_BYTES, COL_RX_KEY,
	COL_RX_SHIFT, COL_RX_BYTES, COLUMNS
};

static const char *const headers[COLUMNS] = {
	"PROTO", "LOCAL", "REMOTE", "STATE", "CONNTRACK", "VIA", "DIR",
	"TX-KEY", "TX-SHIFT", "TX-BYTES", "RX-KEY", "RX-SHIFT", "RX-BYTES",
};

static const char *family_name(const struct gaiusctl_conn *conn)
{
	return gaiusctl_endpoint_is_v4(&conn->local) ? "ipv4" : "ipv6";
}

static void address_text(const struct gaiusctl_endpoint *ep, char *buf,
			 size_t size)
{
	if (gaiusctl_endpoint_is_v4(ep))
		inet_ntop(AF_INET, ep->addr + 12, buf, (socklen_t)size);
	else
		inet_ntop(AF_INET6, ep->addr, buf, (socklen_t)size);
}

static void endpoint_text(const struct gaiusctl_endpoint *ep, char *buf,
			  size_t size)
{
	char addr[INET6_ADDRSTRLEN];
	bool v4 = gaiusctl_endpoint_is_v4(ep);

	address_text(ep, addr, sizeof(addr));
	snprintf(buf, size, "%s%s%s:%u", v4 ? "" : "[", addr, v4 ? "" : "]",
		 ep->port);
}

static const char *directions_text(const struct gaiusctl_conn *conn)
{
	if (conn->tx_key && conn->rx_key)
		return "tx,rx";
	return conn->tx_key ? "tx" : "rx";
}

/* One line of the table: its cells, and the text of those that vary. */
struct row {
	const char *cells[COLUMNS];
	char local[CELL_MAX];
	char remote[CELL_MAX];
	char numbers[2][3][24];		/* key, shift, bytes of tx and rx */
};

/*
 * Key, shift and bytes of one direction from @first on, or "-" when off.
 * The key is written as iptables -S writes --key (gaius_key_format()).
 */
static void direction_cells(struct row *row, int dir, enum column first,
			    uint32_t key, uint64_t bytes)
{
	char (*text)[24] = row->numbers[dir];

	gaius_key_format(key, text[0]);
	snprintf(text[1], sizeof(text[1]), "%u", gaius_key_shift(key));
	snprintf(text[2], sizeof(text[2]), "%" PRIu64, bytes);
	for (int i = 0; i < 3; i++)
		row->cells[first + i] = key ? text[i] : NO_VALUE;
}

static void fill_row(struct row *row, const struct gaiusctl_conn *conn)
{
	endpoint_text(&conn->local, row->local, sizeof(row->local));
	endpoint_text(&conn->remote, row->remote, sizeof(row->remote));
	row->cells[COL_PROTO] = "tcp";
	row->cells[COL_LOCAL] = row->local;
	row->cells[COL_REMOTE] = row->remote;
	row->cells[COL_STATE] = gaiusctl_tcp_state_name(conn->tcp_state);
	row->cells[COL_CONNTRACK] = conn->ct_state == GAIUSCTL_NO_CT_STATE ?
				    NO_VALUE : gaiusctl_ct_state_name(conn->ct_state);
	row->cells[COL_VIA] = VIA_ULP;
	row->cells[COL_DIR] = directions_text(conn);
	direction_cells(row, 0, COL_TX_KEY, conn->tx_key, conn->tx_bytes);
	direction_cells(row, 1, COL_RX_KEY, conn->rx_key, conn->rx_bytes);
}

static void print_row(FILE *out, const char *const cells[COLUMNS],
		      const size_t widths[COLUMNS])
{
	for (int col = 0; col < COLUMNS - 1; col++)
		fprintf(out, "%-*s  ", (int)widths[col], cells[col]);
	fprintf(out, "%s\n", cells[COLUMNS - 1]);
}

void gaiusctl_list_text(FILE *out, const struct gaiusctl_conns *conns)
{
	struct row row;
	size_t widths[COLUMNS];

	for (int col = 0; col < COLUMNS; col++)
		widths[col] = strlen(headers[col]);
	for (size_t i = 0; i < conns->count; i++) {
		fill_row(&row, &conns->items[i]);
		for (int col = 0; col < COLUMNS; col++) {
			size_t len = strlen(row.cells[col]);

			if (len > widths[col])
				widths[col] = len;
		}
	}
	print_row(out, headers, widths);
	for (size_t i = 0; i < conns->count; i++) {
		fill_row(&row, &conns->items[i]);
		print_row(out, row.cells, widths);
	}
}

static void endpoint_json(FILE *out, const char *name,
			  const struct gaiusctl_endpoint *ep)
{
	char addr[INET6_ADDRSTRLEN];

	address_text(ep, addr, sizeof(addr));
	fprintf(out, "\"%s\": {\"address\": ", name);
	gaiusctl_json_string(out, addr);
	fprintf(out, ", \"port\": %u}, ", ep->port);
}

static void direction_json(FILE *out, const char *name, uint32_t key,
			   uint64_t bytes)
{
	fprintf(out, "\"%s\": ", name);
	if (key) {
		char text[GAIUS_KEY_TEXT_SIZE];

		fprintf(out, "{\"key\": %s, \"shift\": %u, \"bytes\": %" PRIu64 "}",
			gaius_key_format(key, text), gaius_key_shift(key), bytes);
	} else {
		fputs("null", out);
	}
}

static void conn_json(FILE *out, const struct gaiusctl_conn *conn)
{
	fputs("{\"protocol\": \"tcp\", \"family\": ", out);
	gaiusctl_json_string(out, family_name(conn));
	fputs(", ", out);
	endpoint_json(out, "local", &conn->local);
	endpoint_json(out, "remote", &conn->remote);
	fputs("\"state\": ", out);
	gaiusctl_json_string(out, gaiusctl_tcp_state_name(conn->tcp_state));
	fputs(", \"conntrack\": ", out);
	if (conn->ct_state == GAIUSCTL_NO_CT_STATE)
		fputs("null", out);
	else
		gaiusctl_json_string(out, gaiusctl_ct_state_name(conn->ct_state));
	fputs(", \"via\": \"" VIA_ULP "\", \"directions\": [", out);
	if (conn->tx_key)
		fprintf(out, "\"tx\"%s", conn->rx_key ? ", " : "");
	if (conn->rx_key)
		fputs("\"rx\"", out);
	fputs("], ", out);
	direction_json(out, "tx", conn->tx_key, conn->tx_bytes);
	fputs(", ", out);
	direction_json(out, "rx", conn->rx_key, conn->rx_bytes);
	fputs("}", out);
}

void gaiusctl_list_json(FILE *out, const struct gaiusctl_conns *conns)
{
	fputs("{\"connections\": [", out);
	for (size_t i = 0; i < conns->count; i++) {
		fputs(i ? ",\n  " : "\n  ", out);
		conn_json(out, &conns->items[i]);
	}
	fputs(conns->count ? "\n]}\n" : "]}\n", out);
}
