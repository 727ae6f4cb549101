// SPDX-License-Identifier: GPL-2.0 OR MIT
/* gaiusctl list's output: see list_output.h. JSON through jansson. */
#include "list_output.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "gaius_key.h"
#include "json_output.h"
#include "state_names.h"

/* How gaius enciphers a connection; the socket ULP is the only way yet. */
#define VIA_ULP "ulp"
#define NO_VALUE "-"

enum column {
	COL_PROTO, COL_LOCAL, COL_REMOTE, COL_STATE, COL_CONNTRACK, COL_VIA,
	COL_DIR, COL_TX_KEY, COL_TX_SHIFT, COL_TX_BYTES, COL_RX_KEY,
	COL_RX_SHIFT, COL_RX_BYTES, COL_UID, COL_INODE, COL_PROCESS, COLUMNS
};

static const char *const headers[COLUMNS] = {
	"PROTO", "LOCAL", "REMOTE", "STATE", "CONNTRACK", "VIA", "DIR",
	"TX-KEY", "TX-SHIFT", "TX-BYTES", "RX-KEY", "RX-SHIFT", "RX-BYTES",
	"UID", "INODE", "PROCESS",
};

static const char *family_name(const struct gaiusctl_conn *conn)
{
	return gaiusctl_endpoint_is_v4(&conn->local) ? "ipv4" : "ipv6";
}

static void address_text(const struct gaiusctl_endpoint *ep,
			 char buf[INET6_ADDRSTRLEN])
{
	if (gaiusctl_endpoint_is_v4(ep))
		inet_ntop(AF_INET, ep->addr + 12, buf, INET6_ADDRSTRLEN);
	else
		inet_ntop(AF_INET6, ep->addr, buf, INET6_ADDRSTRLEN);
}

static char *endpoint_text(const struct gaiusctl_endpoint *ep)
{
	char addr[INET6_ADDRSTRLEN], *text;
	bool v4 = gaiusctl_endpoint_is_v4(ep);

	address_text(ep, addr);
	if (asprintf(&text, "%s%s%s:%u", v4 ? "" : "[", addr, v4 ? "" : "]",
		     ep->port) < 0)
		return NULL;
	return text;
}

/* users:(("command",pid=P,fd=F),...), as ss -p writes it. */
static char *processes_text(const struct gaiusctl_conn *conn)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f;

	if (!conn->nprocesses)
		return strdup(NO_VALUE);
	f = open_memstream(&text, &size);
	if (!f)
		return NULL;
	fputs("users:(", f);
	for (size_t i = 0; i < conn->nprocesses; i++)
		fprintf(f, "%s(\"%s\",pid=%d,fd=%d)", i ? "," : "",
			conn->processes[i].command, conn->processes[i].pid,
			conn->processes[i].fd);
	fputc(')', f);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

static const char *directions_text(const struct gaiusctl_conn *conn)
{
	if (conn->tx_key && conn->rx_key)
		return "tx,rx";
	return conn->tx_key ? "tx" : "rx";
}

static char *number_text(uint64_t n)
{
	char *text;

	if (asprintf(&text, "%" PRIu64, n) < 0)
		return NULL;
	return text;
}

/*
 * Key, shift and bytes of one direction from @first on, or "-" when off.
 * The key is written as iptables -S writes --key (gaius_key_format()).
 */
static void direction_cells(char **cells, enum column first, uint32_t key,
			    uint64_t bytes)
{
	char text[GAIUS_KEY_TEXT_SIZE];

	if (!key) {
		for (int i = 0; i < 3; i++)
			cells[first + i] = strdup(NO_VALUE);
		return;
	}
	cells[first] = strdup(gaius_key_format(key, text));
	cells[first + 1] = number_text(gaius_key_shift(key));
	cells[first + 2] = number_text(bytes);
}

static bool shown(int col, const struct gaiusctl_list_columns *columns)
{
	if (col == COL_UID || col == COL_INODE)
		return columns->extended;
	if (col == COL_PROCESS)
		return columns->processes;
	return true;
}

/* One line's cells, each allocated; false when memory runs out. */
static bool fill_row(char **cells, const struct gaiusctl_conn *conn,
		     const struct gaiusctl_list_columns *columns)
{
	cells[COL_PROTO] = strdup("tcp");
	cells[COL_LOCAL] = endpoint_text(&conn->local);
	cells[COL_REMOTE] = endpoint_text(&conn->remote);
	cells[COL_STATE] = strdup(gaiusctl_tcp_state_name(conn->tcp_state));
	cells[COL_CONNTRACK] = strdup(conn->ct_state == GAIUSCTL_NO_CT_STATE ?
				      NO_VALUE : gaiusctl_ct_state_name(conn->ct_state));
	cells[COL_VIA] = strdup(VIA_ULP);
	cells[COL_DIR] = strdup(directions_text(conn));
	direction_cells(cells, COL_TX_KEY, conn->tx_key, conn->tx_bytes);
	direction_cells(cells, COL_RX_KEY, conn->rx_key, conn->rx_bytes);
	if (columns->extended) {
		cells[COL_UID] = number_text(conn->uid);
		cells[COL_INODE] = number_text(conn->inode);
	}
	if (columns->processes)
		cells[COL_PROCESS] = processes_text(conn);
	for (int col = 0; col < COLUMNS; col++)
		if (shown(col, columns) && !cells[col])
			return false;
	return true;
}

static void print_row(FILE *out, char *const cells[COLUMNS],
		      const size_t widths[COLUMNS],
		      const struct gaiusctl_list_columns *columns)
{
	const char *sep = "";
	int last = COLUMNS - 1;

	while (!shown(last, columns))
		last--;
	for (int col = 0; col <= last; col++) {
		if (!shown(col, columns))
			continue;
		if (col == last)
			fprintf(out, "%s%s\n", sep, cells[col]);
		else
			fprintf(out, "%s%-*s", sep, (int)widths[col], cells[col]);
		sep = "  ";
	}
}

enum gaiusctl_status gaiusctl_list_text(FILE *out,
					const struct gaiusctl_conns *conns,
					const struct gaiusctl_list_columns *columns)
{
	enum gaiusctl_status status = GAIUSCTL_OK;
	size_t widths[COLUMNS];
	char *(*rows)[COLUMNS];

	rows = calloc(conns->count + 1, sizeof(*rows));
	if (!rows)
		goto no_memory;
	for (int col = 0; col < COLUMNS; col++) {
		rows[0][col] = (char *)headers[col];
		widths[col] = strlen(headers[col]);
	}
	for (size_t i = 0; i < conns->count; i++) {
		if (!fill_row(rows[i + 1], &conns->items[i], columns)) {
			status = GAIUSCTL_ERROR;
			break;
		}
		for (int col = 0; col < COLUMNS; col++) {
			size_t len = rows[i + 1][col] ? strlen(rows[i + 1][col]) : 0;

			if (len > widths[col])
				widths[col] = len;
		}
	}
	for (size_t i = 0; status == GAIUSCTL_OK && i <= conns->count; i++)
		print_row(out, rows[i], widths, columns);
	for (size_t i = 1; i <= conns->count; i++)
		for (int col = 0; col < COLUMNS; col++)
			free(rows[i][col]);
	free(rows);
	if (status == GAIUSCTL_OK)
		return status;
no_memory:
	fputs("gaiusctl: out of memory\n", stderr);
	return GAIUSCTL_ERROR;
}

static json_t *endpoint_json(const struct gaiusctl_endpoint *ep)
{
	char addr[INET6_ADDRSTRLEN];

	address_text(ep, addr);
	return json_pack("{s:s, s:i}", "address", addr, "port", (int)ep->port);
}

static json_t *direction_json(uint32_t key, uint64_t bytes)
{
	if (!key)
		return json_null();
	return json_pack("{s:I, s:i, s:I}", "key", (json_int_t)key, "shift",
			 (int)gaius_key_shift(key), "bytes", (json_int_t)bytes);
}

static json_t *directions_json(const struct gaiusctl_conn *conn)
{
	json_t *dirs = json_array();

	if (dirs && conn->tx_key)
		json_array_append_new(dirs, json_string("tx"));
	if (dirs && conn->rx_key)
		json_array_append_new(dirs, json_string("rx"));
	return dirs;
}

static json_t *processes_json(const struct gaiusctl_conn *conn)
{
	json_t *procs = json_array();

	for (size_t i = 0; procs && i < conn->nprocesses; i++) {
		const struct gaiusctl_process *p = &conn->processes[i];

		if (json_array_append_new(procs, json_pack("{s:s, s:i, s:i}",
				"command", p->command, "pid", p->pid, "fd", p->fd))) {
			json_decref(procs);
			return NULL;
		}
	}
	return procs;
}

static json_t *conn_json(const struct gaiusctl_conn *conn,
			 const struct gaiusctl_list_columns *columns)
{
	json_t *obj;

	obj = json_pack("{s:s, s:s, s:o, s:o, s:s, s:o, s:s, s:o, s:o, s:o, s:I, s:I}",
			"protocol", "tcp",
			"family", family_name(conn),
			"local", endpoint_json(&conn->local),
			"remote", endpoint_json(&conn->remote),
			"state", gaiusctl_tcp_state_name(conn->tcp_state),
			"conntrack", conn->ct_state == GAIUSCTL_NO_CT_STATE ?
				json_null() :
				json_string(gaiusctl_ct_state_name(conn->ct_state)),
			"via", VIA_ULP,
			"directions", directions_json(conn),
			"tx", direction_json(conn->tx_key, conn->tx_bytes),
			"rx", direction_json(conn->rx_key, conn->rx_bytes),
			"uid", (json_int_t)conn->uid,
			"inode", (json_int_t)conn->inode);
	if (obj && columns->processes &&
	    json_object_set_new(obj, "processes", processes_json(conn))) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

enum gaiusctl_status gaiusctl_list_json(FILE *out,
					const struct gaiusctl_conns *conns,
					const struct gaiusctl_list_columns *columns)
{
	json_t *list = json_array();

	for (size_t i = 0; list && i < conns->count; i++) {
		if (json_array_append_new(list, conn_json(&conns->items[i], columns))) {
			json_decref(list);
			list = NULL;
		}
	}
	return gaiusctl_json_print(out, json_pack("{s:o}", "connections", list));
}
