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

/* How gaius enciphers a connection: the socket's ULP, or conntrack's helper. */
#define VIA_ULP "ulp"
#define VIA_FWD "fwd"
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

/* A forwarded connection's table: both tuples, then each direction's six. */
enum fwd_column {
	FCOL_PROTO, FCOL_ORIGINAL, FCOL_REPLY, FCOL_ZONE, FCOL_CONNTRACK,
	FCOL_VIA, FCOL_DIR, FCOL_ORIG, FCOL_REPLY_DIR = FCOL_ORIG + 6,
	FWD_COLUMNS = FCOL_REPLY_DIR + 6
};

/* Each direction's, from its first column on. */
enum { DIR_TARGET, DIR_KEY, DIR_SHIFT, DIR_SEQ, DIR_PACKETS, DIR_BYTES };

static const char *const fwd_headers[FWD_COLUMNS] = {
	"PROTO", "ORIGINAL", "REPLY", "ZONE", "CONNTRACK", "VIA", "DIR",
	"ORIG-TARGET", "ORIG-KEY", "ORIG-SHIFT", "ORIG-SEQ", "ORIG-PACKETS",
	"ORIG-BYTES", "REPLY-TARGET", "REPLY-KEY", "REPLY-SHIFT", "REPLY-SEQ",
	"REPLY-PACKETS", "REPLY-BYTES",
};

/* A forwarded connection's directions, as the filter's dir names them. */
static const char *const fwd_dir_names[GAIUSCTL_FWD_DIRS] = { "orig", "reply" };

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
	if (conn->forwarded) {
		if (conn->fwd[GAIUSCTL_FWD_ORIGINAL].shift && conn->fwd[GAIUSCTL_FWD_REPLY].shift)
			return "orig,reply";
		return fwd_dir_names[conn->fwd[GAIUSCTL_FWD_ORIGINAL].shift ?
				     GAIUSCTL_FWD_ORIGINAL : GAIUSCTL_FWD_REPLY];
	}
	if (conn->tx_key && conn->rx_key)
		return "tx,rx";
	return conn->tx_key ? "tx" : "rx";
}

static const char *ct_state_text(const struct gaiusctl_conn *conn)
{
	return conn->ct_state == GAIUSCTL_NO_CT_STATE ?
		NO_VALUE : gaiusctl_ct_state_name(conn->ct_state);
}

static const char *target_name(const struct gaiusctl_fwd_dir *dir)
{
	return dir->decrypt ? "decrypt" : "encrypt";
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

/* "SOURCE->DESTINATION", each as endpoint_text() writes it. */
static char *tuple_text(const struct gaiusctl_fwd_dir *dir)
{
	char *src = endpoint_text(&dir->src), *dst = endpoint_text(&dir->dst);
	char *text = NULL;

	if (src && dst && asprintf(&text, "%s->%s", src, dst) < 0)
		text = NULL;
	free(src);
	free(dst);
	return text;
}

/* A forwarded direction's six cells from @first on; "-" where unknown. */
static void fwd_direction_cells(char **cells, int first,
				const struct gaiusctl_fwd_dir *dir)
{
	char **c = cells + first;

	if (dir->shift) {
		c[DIR_TARGET] = strdup(target_name(dir));
		c[DIR_KEY] = number_text(gaiusctl_fwd_key(dir));
		c[DIR_SHIFT] = number_text(dir->shift);
		c[DIR_SEQ] = number_text(dir->seq);
	} else {
		for (int i = DIR_TARGET; i <= DIR_SEQ; i++)
			c[i] = strdup(NO_VALUE);
	}
	c[DIR_PACKETS] = dir->counted ? number_text(dir->packets) : strdup(NO_VALUE);
	c[DIR_BYTES] = dir->counted ? number_text(dir->bytes) : strdup(NO_VALUE);
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
	cells[COL_CONNTRACK] = strdup(ct_state_text(conn));
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

static bool fwd_shown(int col, const struct gaiusctl_list_columns *columns)
{
	(void)col;
	(void)columns;
	return true;
}

static bool fill_fwd_row(char **cells, const struct gaiusctl_conn *conn,
			 const struct gaiusctl_list_columns *columns)
{
	cells[FCOL_PROTO] = strdup("tcp");
	cells[FCOL_ORIGINAL] = tuple_text(&conn->fwd[GAIUSCTL_FWD_ORIGINAL]);
	cells[FCOL_REPLY] = tuple_text(&conn->fwd[GAIUSCTL_FWD_REPLY]);
	cells[FCOL_ZONE] = number_text(conn->zone);
	cells[FCOL_CONNTRACK] = strdup(ct_state_text(conn));
	cells[FCOL_VIA] = strdup(VIA_FWD);
	cells[FCOL_DIR] = strdup(directions_text(conn));
	fwd_direction_cells(cells, FCOL_ORIG, &conn->fwd[GAIUSCTL_FWD_ORIGINAL]);
	fwd_direction_cells(cells, FCOL_REPLY_DIR, &conn->fwd[GAIUSCTL_FWD_REPLY]);
	for (int col = 0; col < FWD_COLUMNS; col++)
		if (fwd_shown(col, columns) && !cells[col])
			return false;
	return true;
}

/* A table of one kind of connection: local sockets, or forwarded ones. */
struct table {
	bool forwarded;			/* the connections it shows */
	int columns;
	const char *const *headers;
	bool (*shown)(int col, const struct gaiusctl_list_columns *columns);
	bool (*fill)(char **cells, const struct gaiusctl_conn *conn,
		     const struct gaiusctl_list_columns *columns);
};

static const struct table local_table = {
	false, COLUMNS, headers, shown, fill_row,
};

static const struct table fwd_table = {
	true, FWD_COLUMNS, fwd_headers, fwd_shown, fill_fwd_row,
};

static void print_row(FILE *out, const struct table *table, char *const *cells,
		      const size_t *widths,
		      const struct gaiusctl_list_columns *columns)
{
	const char *sep = "";
	int last = table->columns - 1;

	while (!table->shown(last, columns))
		last--;
	for (int col = 0; col <= last; col++) {
		if (!table->shown(col, columns))
			continue;
		if (col == last)
			fprintf(out, "%s%s\n", sep, cells[col]);
		else
			fprintf(out, "%s%-*s", sep, (int)widths[col], cells[col]);
		sep = "  ";
	}
}

/* The header, then a line for each of @table's connections in @conns. */
static enum gaiusctl_status print_table(FILE *out, const struct table *table,
					const struct gaiusctl_conns *conns,
					const struct gaiusctl_list_columns *columns)
{
	size_t ncols = (size_t)table->columns, nrows = 1;
	enum gaiusctl_status status = GAIUSCTL_OK;
	size_t *widths;
	char **cells;

	widths = calloc(ncols, sizeof(*widths));
	cells = calloc((conns->count + 1) * ncols, sizeof(*cells));
	if (!widths || !cells) {
		status = GAIUSCTL_ERROR;
		nrows = 0;
	}
	for (size_t col = 0; status == GAIUSCTL_OK && col < ncols; col++) {
		cells[col] = (char *)table->headers[col];
		widths[col] = strlen(cells[col]);
	}
	for (size_t i = 0; status == GAIUSCTL_OK && i < conns->count; i++) {
		char **row = cells + nrows * ncols;

		if (conns->items[i].forwarded != table->forwarded)
			continue;
		nrows++;
		if (!table->fill(row, &conns->items[i], columns)) {
			status = GAIUSCTL_ERROR;
			break;
		}
		for (size_t col = 0; col < ncols; col++) {
			size_t len = row[col] ? strlen(row[col]) : 0;

			if (len > widths[col])
				widths[col] = len;
		}
	}
	for (size_t i = 0; status == GAIUSCTL_OK && i < nrows; i++)
		print_row(out, table, cells + i * ncols, widths, columns);
	for (size_t i = ncols; i < nrows * ncols; i++)
		free(cells[i]);
	free(cells);
	free(widths);
	if (status != GAIUSCTL_OK)
		fputs("gaiusctl: out of memory\n", stderr);
	return status;
}

enum gaiusctl_status gaiusctl_list_text(FILE *out,
					const struct gaiusctl_conns *conns,
					const struct gaiusctl_list_columns *columns)
{
	enum gaiusctl_status status = print_table(out, &local_table, conns, columns);

	for (size_t i = 0; status == GAIUSCTL_OK && i < conns->count; i++) {
		if (conns->items[i].forwarded) {
			fputc('\n', out);
			return print_table(out, &fwd_table, conns, columns);
		}
	}
	return status;
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

	if (conn->forwarded) {
		for (int i = 0; dirs && i < GAIUSCTL_FWD_DIRS; i++)
			if (conn->fwd[i].shift)
				json_array_append_new(dirs, json_string(fwd_dir_names[i]));
		return dirs;
	}
	if (dirs && conn->tx_key)
		json_array_append_new(dirs, json_string("tx"));
	if (dirs && conn->rx_key)
		json_array_append_new(dirs, json_string("rx"));
	return dirs;
}

/*
 * A forwarded direction: its tuple, conntrack's packets and bytes (only
 * with accounting on), and how it is keyed, or null for "cipher".
 */
static json_t *fwd_direction_json(const struct gaiusctl_fwd_dir *dir)
{
	json_t *obj, *cipher;

	obj = json_pack("{s:o, s:o}", "source", endpoint_json(&dir->src),
			"destination", endpoint_json(&dir->dst));
	if (!obj)
		return NULL;
	if (dir->counted &&
	    (json_object_set_new(obj, "packets", json_integer((json_int_t)dir->packets)) ||
	     json_object_set_new(obj, "bytes", json_integer((json_int_t)dir->bytes)))) {
		json_decref(obj);
		return NULL;
	}
	cipher = !dir->shift ? json_null() :
		json_pack("{s:s, s:I, s:i, s:I}", "target", target_name(dir),
			  "key", (json_int_t)gaiusctl_fwd_key(dir),
			  "shift", (int)dir->shift, "seq", (json_int_t)dir->seq);
	/* json_object_set_new() takes @cipher, also when it fails. */
	if (json_object_set_new(obj, "cipher", cipher)) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

static json_t *fwd_conn_json(const struct gaiusctl_conn *conn)
{
	return json_pack("{s:s, s:s, s:o, s:o, s:i, s:o, s:s, s:b, s:o}",
			 "protocol", "tcp",
			 "family", family_name(conn),
			 "orig", fwd_direction_json(&conn->fwd[GAIUSCTL_FWD_ORIGINAL]),
			 "reply", fwd_direction_json(&conn->fwd[GAIUSCTL_FWD_REPLY]),
			 "zone", (int)conn->zone,
			 "conntrack", conn->ct_state == GAIUSCTL_NO_CT_STATE ?
				json_null() :
				json_string(gaiusctl_ct_state_name(conn->ct_state)),
			 "via", VIA_FWD,
			 "forwarded", 1,
			 "directions", directions_json(conn));
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

	if (conn->forwarded)
		return fwd_conn_json(conn);
	obj = json_pack("{s:s, s:s, s:o, s:o, s:s, s:o, s:s, s:b, s:o, s:o, s:o, s:I, s:I}",
			"protocol", "tcp",
			"family", family_name(conn),
			"local", endpoint_json(&conn->local),
			"remote", endpoint_json(&conn->remote),
			"state", gaiusctl_tcp_state_name(conn->tcp_state),
			"conntrack", conn->ct_state == GAIUSCTL_NO_CT_STATE ?
				json_null() :
				json_string(gaiusctl_ct_state_name(conn->ct_state)),
			"via", VIA_ULP,
			"forwarded", 0,
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
