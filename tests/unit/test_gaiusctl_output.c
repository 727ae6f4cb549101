// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host unit test of gaiusctl's output and filter (userspace/gaiusctl:
 * list_output.c, stats_output.c, state_names.c, filter.c, conn.c): the
 * exact text and JSON of list and stats for connections and counters made
 * up here, IPv4, IPv6 and IPv4-mapped, with and without conntrack, with
 * the extended and process columns, and forwarded ones beside them (with
 * and without conntrack accounting, after NAT, in a zone); how a gaius
 * conntrack entry's struct gaius_ct_info reads; and which connections
 * each filter keeps.
 * Prints `PASS: output(NAME)` or `FAIL: output(NAME): <reason>`.
 */
#include <arpa/inet.h>
#include <linux/netfilter/xt_GAIUS.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caesar_stat.h"
#include "conn.h"
#include "filter.h"
#include "list_output.h"
#include "stats_output.h"
#include "unit_report.h"

static char reason[4096];
static FILE *stream;
static char *text;
static size_t text_len;

static void begin(void)
{
	stream = open_memstream(&text, &text_len);
}

/* Ends the output begun and compares it with @expected. */
static bool end_is(const char *expected)
{
	bool ok;

	fclose(stream);
	ok = text && !strcmp(text, expected);
	if (!ok)
		snprintf(reason, sizeof(reason), "got <<%s>>, expected <<%s>>",
			 text ? text : "(nothing)", expected);
	free(text);
	text = NULL;
	return ok;
}

static void endpoint(struct gaiusctl_endpoint *ep, const char *addr,
		     uint16_t port)
{
	unsigned char v4[4];

	if (inet_pton(AF_INET, addr, v4) == 1)
		gaiusctl_endpoint_set_v4(ep, v4, port);
	else if (inet_pton(AF_INET6, addr, ep->addr) == 1)
		ep->port = port;
	else
		abort();
}

/*
 * The connections of the list checks: IPv4 tx only, held by two
 * processes; IPv6 both ways, held by none.
 */
static void sample_conns(struct gaiusctl_conns *conns)
{
	struct gaiusctl_conn a = {
		.tcp_state = 1, .ct_state = 3, .tx_key = 12354, .tx_bytes = 7,
		.uid = 0, .inode = 4242,
	};
	struct gaiusctl_conn b = {
		.tcp_state = 8, .ct_state = GAIUSCTL_NO_CT_STATE, .tx_key = 4294967295U,
		.rx_key = 3, .tx_bytes = 100, .rx_bytes = 200, .uid = 65534,
		.inode = 17,
	};
	static const struct gaiusctl_process holders[] = {
		{ 101, 3, "caesar-server" }, { 102, 7, "sh" },
	};

	endpoint(&a.local, "192.0.2.1", 123);
	endpoint(&a.remote, "198.51.100.2", 234);
	endpoint(&b.local, "2001:db8::1", 7101);
	endpoint(&b.remote, "2001:db8::2", 40000);
	if (!gaiusctl_conns_add(conns, &a) || !gaiusctl_conns_add(conns, &b))
		abort();
	conns->items[0].processes = malloc(sizeof(holders));
	if (!conns->items[0].processes)
		abort();
	memcpy(conns->items[0].processes, holders, sizeof(holders));
	conns->items[0].nprocesses = 2;
}

typedef enum gaiusctl_status list_printer(FILE *out,
					  const struct gaiusctl_conns *conns,
					  const struct gaiusctl_list_columns *columns);

/* What @print writes for the sample connections (or for none). */
static bool list_is(list_printer *print, bool sample, bool extended,
		    bool processes, const char *expected)
{
	struct gaiusctl_list_columns columns = { extended, processes };
	struct gaiusctl_conns conns = { 0 };
	enum gaiusctl_status status;

	if (sample)
		sample_conns(&conns);
	begin();
	status = print(stream, &conns, &columns);
	gaiusctl_conns_free(&conns);
	if (status != GAIUSCTL_OK)
		fprintf(stream, "(status %d)", status);
	return end_is(expected);
}

static const char list_text[] =
	"PROTO  LOCAL               REMOTE               STATE       CONNTRACK    VIA  DIR    TX-KEY      TX-SHIFT  TX-BYTES  RX-KEY  RX-SHIFT  RX-BYTES\n"
	"tcp    192.0.2.1:123       198.51.100.2:234     ESTAB       ESTABLISHED  ulp  tx     12354       66        7         -       -         -\n"
	"tcp    [2001:db8::1]:7101  [2001:db8::2]:40000  CLOSE-WAIT  -            ulp  tx,rx  4294967295  255       100       3       3         200\n";

static const char list_text_wide[] =
	"PROTO  LOCAL               REMOTE               STATE       CONNTRACK    VIA  DIR    TX-KEY      TX-SHIFT  TX-BYTES  RX-KEY  RX-SHIFT  RX-BYTES  UID    INODE  PROCESS\n"
	"tcp    192.0.2.1:123       198.51.100.2:234     ESTAB       ESTABLISHED  ulp  tx     12354       66        7         -       -         -         0      4242   users:((\"caesar-server\",pid=101,fd=3),(\"sh\",pid=102,fd=7))\n"
	"tcp    [2001:db8::1]:7101  [2001:db8::2]:40000  CLOSE-WAIT  -            ulp  tx,rx  4294967295  255       100       3       3         200       65534  17     -\n";

static const char list_text_processes[] =
	"PROTO  LOCAL               REMOTE               STATE       CONNTRACK    VIA  DIR    TX-KEY      TX-SHIFT  TX-BYTES  RX-KEY  RX-SHIFT  RX-BYTES  PROCESS\n"
	"tcp    192.0.2.1:123       198.51.100.2:234     ESTAB       ESTABLISHED  ulp  tx     12354       66        7         -       -         -         users:((\"caesar-server\",pid=101,fd=3),(\"sh\",pid=102,fd=7))\n"
	"tcp    [2001:db8::1]:7101  [2001:db8::2]:40000  CLOSE-WAIT  -            ulp  tx,rx  4294967295  255       100       3       3         200       -\n";

static const char list_text_empty[] =
	"PROTO  LOCAL  REMOTE  STATE  CONNTRACK  VIA  DIR  TX-KEY  TX-SHIFT  TX-BYTES  RX-KEY  RX-SHIFT  RX-BYTES\n";

#define CONN_A_JSON \
	"{\"protocol\":\"tcp\",\"family\":\"ipv4\"," \
	"\"local\":{\"address\":\"192.0.2.1\",\"port\":123}," \
	"\"remote\":{\"address\":\"198.51.100.2\",\"port\":234}," \
	"\"state\":\"ESTAB\",\"conntrack\":\"ESTABLISHED\",\"via\":\"ulp\"," \
	"\"forwarded\":false,\"directions\":[\"tx\"]," \
	"\"tx\":{\"key\":12354,\"shift\":66,\"bytes\":7},\"rx\":null," \
	"\"uid\":0,\"inode\":4242"
#define CONN_B_JSON \
	"{\"protocol\":\"tcp\",\"family\":\"ipv6\"," \
	"\"local\":{\"address\":\"2001:db8::1\",\"port\":7101}," \
	"\"remote\":{\"address\":\"2001:db8::2\",\"port\":40000}," \
	"\"state\":\"CLOSE-WAIT\",\"conntrack\":null,\"via\":\"ulp\"," \
	"\"forwarded\":false,\"directions\":[\"tx\",\"rx\"]," \
	"\"tx\":{\"key\":4294967295,\"shift\":255,\"bytes\":100}," \
	"\"rx\":{\"key\":3,\"shift\":3,\"bytes\":200}," \
	"\"uid\":65534,\"inode\":17"

static const char list_json[] =
	"{\"connections\":[" CONN_A_JSON "}," CONN_B_JSON "}]}\n";

static const char list_json_processes[] =
	"{\"connections\":[" CONN_A_JSON ",\"processes\":["
	"{\"command\":\"caesar-server\",\"pid\":101,\"fd\":3},"
	"{\"command\":\"sh\",\"pid\":102,\"fd\":7}]},"
	CONN_B_JSON ",\"processes\":[]}]}\n";

/* What each printer writes, for the sample connections or for none. */
static const struct list_case {
	const char *name;
	list_printer *print;
	bool sample, extended, processes;
	const char *expected;
} list_cases[] = {
	{ "output(list-text)", gaiusctl_list_text, true, false, false, list_text },
	{ "output(list-text-extended-processes)", gaiusctl_list_text, true, true, true,
	  list_text_wide },
	{ "output(list-text-processes)", gaiusctl_list_text, true, false, true,
	  list_text_processes },
	{ "output(list-text-empty)", gaiusctl_list_text, false, false, false, list_text_empty },
	{ "output(list-json)", gaiusctl_list_json, true, false, false, list_json },
	{ "output(list-json-extended-same)", gaiusctl_list_json, true, true, false, list_json },
	{ "output(list-json-processes)", gaiusctl_list_json, true, false, true,
	  list_json_processes },
	{ "output(list-json-empty)", gaiusctl_list_json, false, false, false,
	  "{\"connections\":[]}\n" },
};

/*
 * An IPv6 socket of an IPv4 connection (sock_diag gives ::ffff:a.b.c.d) is
 * shown as the IPv4 connection it is; an rx-only one shows "-" for tx.
 */
static bool check_list_mapped(void)
{
	struct gaiusctl_list_columns columns = { false, false };
	struct gaiusctl_conns conns = { 0 };
	struct gaiusctl_conn c = {
		.tcp_state = 4, .ct_state = 0, .rx_key = 0x3042, .rx_bytes = 1,
	};

	endpoint(&c.local, "::ffff:192.0.2.1", 7101);
	endpoint(&c.remote, "::ffff:192.0.2.2", 33000);
	if (!gaiusctl_conns_add(&conns, &c))
		abort();
	begin();
	gaiusctl_list_text(stream, &conns, &columns);
	gaiusctl_list_json(stream, &conns, &columns);
	gaiusctl_conns_free(&conns);
	return end_is("PROTO  LOCAL           REMOTE           STATE       CONNTRACK  VIA  DIR  TX-KEY  TX-SHIFT  TX-BYTES  RX-KEY  RX-SHIFT  RX-BYTES\n"
		      "tcp    192.0.2.1:7101  192.0.2.2:33000  FIN-WAIT-1  NONE       ulp  rx   -       -         -         12354   66        1\n"
		      "{\"connections\":[{\"protocol\":\"tcp\",\"family\":\"ipv4\","
		      "\"local\":{\"address\":\"192.0.2.1\",\"port\":7101},"
		      "\"remote\":{\"address\":\"192.0.2.2\",\"port\":33000},"
		      "\"state\":\"FIN-WAIT-1\",\"conntrack\":\"NONE\",\"via\":\"ulp\","
		      "\"forwarded\":false,\"directions\":[\"rx\"],\"tx\":null,"
		      "\"rx\":{\"key\":12354,\"shift\":66,\"bytes\":1},"
		      "\"uid\":0,\"inode\":0}]}\n");
}

/*
 * A forwarded connection as the conntrack reader makes it: both tuples,
 * the original direction's as local and remote, and the keys of @info.
 */
static void forwarded(struct gaiusctl_conn *c, const char *tuples[4],
		      const uint16_t ports[4], const struct gaius_ct_info *info)
{
	*c = (struct gaiusctl_conn){ .forwarded = true, .ct_state = 3 };
	for (int i = 0; i < GAIUSCTL_FWD_DIRS; i++) {
		endpoint(&c->fwd[i].src, tuples[2 * i], ports[2 * i]);
		endpoint(&c->fwd[i].dst, tuples[2 * i + 1], ports[2 * i + 1]);
	}
	c->local = c->fwd[GAIUSCTL_FWD_ORIGINAL].src;
	c->remote = c->fwd[GAIUSCTL_FWD_ORIGINAL].dst;
	if (!gaiusctl_fwd_info_read(c, info, sizeof(*info)))
		abort();
}

/*
 * The forwarded connections of the list and filter checks: IPv4 through
 * DNAT and SNAT, its original direction keyed by GAIUSENCRYPT (12354, of
 * which 66 is known), counted; IPv6 in zone 3, both directions keyed (the
 * reply by GAIUSDECRYPT --key 5, shift 251), accounting off, no state.
 */
static void fwd_conns(struct gaiusctl_conns *conns)
{
	static const char *v4[4] = { "10.0.0.2", "203.0.113.80", "192.168.1.5", "198.51.100.1" };
	static const uint16_t v4_ports[4] = { 40000, 80, 8080, 40001 };
	static const char *v6[4] = { "2001:db8:1::2", "2001:db8:2::1", "2001:db8:2::1", "2001:db8:1::2" };
	static const uint16_t v6_ports[4] = { 41000, 5001, 5001, 41000 };
	const struct gaius_ct_info info4 = { { 1000, 0 }, { 66, 0 }, { 0, 0 } };
	const struct gaius_ct_info info6 = { { 7, 4294967295U }, { 5, 251 }, { 0, 1 } };
	struct gaiusctl_conn c;

	forwarded(&c, v4, v4_ports, &info4);
	c.fwd[0] = (struct gaiusctl_fwd_dir){ c.fwd[0].src, c.fwd[0].dst, 66, false, 1000, true, 12, 70123 };
	c.fwd[1].counted = true;
	c.fwd[1].packets = 9;
	c.fwd[1].bytes = 520;
	if (!gaiusctl_conns_add(conns, &c))
		abort();
	forwarded(&c, v6, v6_ports, &info6);
	c.zone = 3;
	c.ct_state = GAIUSCTL_NO_CT_STATE;
	if (!gaiusctl_conns_add(conns, &c))
		abort();
}

/* A socket's connection, then the two forwarded ones. */
static void mixed_conns(struct gaiusctl_conns *conns)
{
	sample_conns(conns);
	free(conns->items[1].processes);
	conns->count = 1;
	fwd_conns(conns);
}

#define FWD_HEADER \
	"PROTO  ORIGINAL                                     REPLY                                        ZONE  CONNTRACK    VIA  DIR         ORIG-TARGET  ORIG-KEY  ORIG-SHIFT  ORIG-SEQ  ORIG-PACKETS  ORIG-BYTES  REPLY-TARGET  REPLY-KEY  REPLY-SHIFT  REPLY-SEQ   REPLY-PACKETS  REPLY-BYTES\n"
#define FWD_ROWS \
	"tcp    10.0.0.2:40000->203.0.113.80:80              192.168.1.5:8080->198.51.100.1:40001         0     ESTABLISHED  fwd  orig        encrypt      66        66          1000      12            70123       -             -          -            -           9              520\n" \
	"tcp    [2001:db8:1::2]:41000->[2001:db8:2::1]:5001  [2001:db8:2::1]:5001->[2001:db8:1::2]:41000  3     -            fwd  orig,reply  encrypt      5         5           7         -             -           decrypt       5          251          4294967295  -              -\n"

#define FWD_4_JSON \
	"{\"protocol\":\"tcp\",\"family\":\"ipv4\"," \
	"\"orig\":{\"source\":{\"address\":\"10.0.0.2\",\"port\":40000}," \
	"\"destination\":{\"address\":\"203.0.113.80\",\"port\":80}," \
	"\"packets\":12,\"bytes\":70123," \
	"\"cipher\":{\"target\":\"encrypt\",\"key\":66,\"shift\":66,\"seq\":1000}}," \
	"\"reply\":{\"source\":{\"address\":\"192.168.1.5\",\"port\":8080}," \
	"\"destination\":{\"address\":\"198.51.100.1\",\"port\":40001}," \
	"\"packets\":9,\"bytes\":520,\"cipher\":null}," \
	"\"zone\":0,\"conntrack\":\"ESTABLISHED\",\"via\":\"fwd\",\"forwarded\":true," \
	"\"directions\":[\"orig\"]}"
#define FWD_6_JSON \
	"{\"protocol\":\"tcp\",\"family\":\"ipv6\"," \
	"\"orig\":{\"source\":{\"address\":\"2001:db8:1::2\",\"port\":41000}," \
	"\"destination\":{\"address\":\"2001:db8:2::1\",\"port\":5001}," \
	"\"cipher\":{\"target\":\"encrypt\",\"key\":5,\"shift\":5,\"seq\":7}}," \
	"\"reply\":{\"source\":{\"address\":\"2001:db8:2::1\",\"port\":5001}," \
	"\"destination\":{\"address\":\"2001:db8:1::2\",\"port\":41000}," \
	"\"cipher\":{\"target\":\"decrypt\",\"key\":5,\"shift\":251,\"seq\":4294967295}}," \
	"\"zone\":3,\"conntrack\":null,\"via\":\"fwd\",\"forwarded\":true," \
	"\"directions\":[\"orig\",\"reply\"]}"

/* What each printer writes for the mixed list, or the forwarded alone. */
static const struct fwd_list_case {
	const char *name;
	list_printer *print;
	bool local, processes;
	const char *expected;
} fwd_list_cases[] = {
	{ "output(fwd-text)", gaiusctl_list_text, true, false,
	  "PROTO  LOCAL          REMOTE            STATE  CONNTRACK    VIA  DIR  TX-KEY  TX-SHIFT  TX-BYTES  RX-KEY  RX-SHIFT  RX-BYTES\n"
	  "tcp    192.0.2.1:123  198.51.100.2:234  ESTAB  ESTABLISHED  ulp  tx   12354   66        7         -       -         -\n"
	  "\n" FWD_HEADER FWD_ROWS },
	/* The socket columns -e and -p add are not the forwarded table's. */
	{ "output(fwd-text-extended-processes)", gaiusctl_list_text, false, true,
	  "PROTO  LOCAL  REMOTE  STATE  CONNTRACK  VIA  DIR  TX-KEY  TX-SHIFT  TX-BYTES  RX-KEY  RX-SHIFT  RX-BYTES  UID  INODE  PROCESS\n"
	  "\n" FWD_HEADER FWD_ROWS },
	{ "output(fwd-json)", gaiusctl_list_json, true, false,
	  "{\"connections\":[" CONN_A_JSON "}," FWD_4_JSON "," FWD_6_JSON "]}\n" },
	{ "output(fwd-json-processes)", gaiusctl_list_json, false, true,
	  "{\"connections\":[" FWD_4_JSON "," FWD_6_JSON "]}\n" },
};

static bool fwd_list_is(const struct fwd_list_case *c)
{
	struct gaiusctl_list_columns columns = { c->processes, c->processes };
	struct gaiusctl_conns conns = { 0 };
	enum gaiusctl_status status;

	if (c->local)
		mixed_conns(&conns);
	else
		fwd_conns(&conns);
	begin();
	status = c->print(stream, &conns, &columns);
	gaiusctl_conns_free(&conns);
	if (status != GAIUSCTL_OK)
		fprintf(stream, "(status %d)", status);
	return end_is(c->expected);
}

/*
 * A gaius entry's CTA_HELP_INFO of @len bytes (-1, 0, +1: the struct's
 * size and one less or more) read into a connection: whether it is listed,
 * and each direction's key (modulo 256), shift, target and sequence number.
 */
static const struct info_case {
	const char *name;
	struct gaius_ct_info info;
	int len;
	bool listed;
	uint32_t key[2];
	uint8_t shift[2];
	bool decrypt[2];
	uint32_t seq[2];
} info_cases[] = {
	{ "info(encrypt-orig)", { { 1000, 0 }, { 66, 0 }, { 0, 0 } }, 0, true,
	  { 66, 0 }, { 66, 0 }, { false, false }, { 1000, 0 } },
	{ "info(decrypt-reply)", { { 0, 123456 }, { 0, 190 }, { 0, 1 } }, 0, true,
	  { 0, 66 }, { 0, 190 }, { false, true }, { 0, 123456 } },
	{ "info(both)", { { 1, 4294967295U }, { 5, 251 }, { 0, 1 } }, 0, true,
	  { 5, 5 }, { 5, 251 }, { false, true }, { 1, 4294967295U } },
	{ "info(decrypt-shift-1)", { { 9, 0 }, { 1, 0 }, { 1, 0 } }, 0, true,
	  { 255, 0 }, { 1, 0 }, { true, false }, { 9, 0 } },
	{ "info(encrypt-shift-255)", { { 0, 9 }, { 0, 255 }, { 0, 0 } }, 0, true,
	  { 0, 255 }, { 0, 255 }, { false, false }, { 0, 9 } },
	/* A direction that is not keyed says nothing, whatever else it holds. */
	{ "info(one-keyed-other-noise)", { { 5, 77 }, { 3, 0 }, { 0, 1 } }, 0, true,
	  { 3, 0 }, { 3, 0 }, { false, false }, { 5, 0 } },
	{ "info(idle)", { { 0, 0 }, { 0, 0 }, { 0, 0 } }, 0, false,
	  { 0, 0 }, { 0, 0 }, { false, false }, { 0, 0 } },
	{ "info(idle-noise)", { { 123, 456 }, { 0, 0 }, { 1, 1 } }, 0, false,
	  { 0, 0 }, { 0, 0 }, { false, false }, { 0, 0 } },
	{ "info(short)", { { 1, 2 }, { 66, 66 }, { 0, 0 } }, -1, false,
	  { 0, 0 }, { 0, 0 }, { false, false }, { 0, 0 } },
	{ "info(long)", { { 1, 2 }, { 66, 66 }, { 0, 0 } }, 1, false,
	  { 0, 0 }, { 0, 0 }, { false, false }, { 0, 0 } },
};

static bool info_case_holds(const struct info_case *c)
{
	unsigned char buf[sizeof(struct gaius_ct_info) + 1] = { 0 };
	struct gaiusctl_conn conn = { .forwarded = true };
	bool listed;

	memcpy(buf, &c->info, sizeof(c->info));
	listed = gaiusctl_fwd_info_read(&conn, buf, sizeof(c->info) + (size_t)(ssize_t)c->len);
	if (listed != c->listed) {
		snprintf(reason, sizeof(reason), "listed %d, expected %d", listed, c->listed);
		return false;
	}
	for (int i = 0; listed && i < GAIUSCTL_FWD_DIRS; i++) {
		const struct gaiusctl_fwd_dir *d = &conn.fwd[i];

		if (gaiusctl_fwd_key(d) != c->key[i] || d->shift != c->shift[i] ||
		    d->decrypt != c->decrypt[i] || d->seq != c->seq[i]) {
			snprintf(reason, sizeof(reason),
				 "direction %d: key %u shift %u decrypt %d seq %u, expected %u %u %d %u",
				 i, gaiusctl_fwd_key(d), d->shift, d->decrypt, d->seq,
				 c->key[i], c->shift[i], c->decrypt[i], c->seq[i]);
			return false;
		}
	}
	return true;
}

static bool check_stats(void)
{
	struct gaiusctl_counter items[] = {
		{ "CaesarCurrSockets", 2 },
		{ "CaesarTxBytes", 1000003 },
		{ "CaesarRxMin", -1 },
	};
	struct gaiusctl_counters counters = { items, 3 };

	begin();
	gaiusctl_stats_text(stream, &counters);
	if (gaiusctl_stats_json(stream, &counters) != GAIUSCTL_OK)
		fputs("(failed)", stream);
	return end_is("CaesarCurrSockets  2\n"
		      "CaesarTxBytes      1000003\n"
		      "CaesarRxMin        -1\n"
		      "{\"CaesarCurrSockets\":2,\"CaesarTxBytes\":1000003,"
		      "\"CaesarRxMin\":-1}\n");
}

static bool check_stats_empty(void)
{
	struct gaiusctl_counters counters = { NULL, 0 };

	begin();
	gaiusctl_stats_text(stream, &counters);
	if (gaiusctl_stats_json(stream, &counters) != GAIUSCTL_OK)
		fputs("(failed)", stream);
	return end_is("{}\n");
}

/*
 * The filter's connections: the sample's two, an IPv4 connection of an
 * IPv6 socket, rx only; and the two forwarded ones (3: IPv4 through NAT,
 * orig keyed; 4: IPv6, both directions keyed).
 */
static void filter_conns(struct gaiusctl_conns *conns)
{
	struct gaiusctl_conn c = { .rx_key = 12354, .rx_bytes = 1 };

	sample_conns(conns);
	endpoint(&c.local, "::ffff:192.0.2.200", 234);
	endpoint(&c.remote, "::ffff:203.0.113.9", 50000);
	if (!gaiusctl_conns_add(conns, &c))
		abort();
	fwd_conns(conns);
}

/*
 * A filter: its words (blank-separated), and either the indexes of the
 * connections of filter_conns() it keeps ("0,2"; "" for none) or, when it
 * is refused, the word it is refused at.
 */
struct filter_case {
	const char *name, *words, *kept, *refused_at;
};

static const struct filter_case filter_cases[] = {
	{ "filter(none)", "", "0,1,2,3,4", NULL },
	{ "filter(src-v4-host)", "src 192.0.2.1", "0", NULL },
	{ "filter(src-v4-prefix)", "src 192.0.2.0/24", "0,2", NULL },
	{ "filter(src-v4-prefix-odd)", "src 192.0.2.192/27", "2", NULL },
	{ "filter(src-v4-zero)", "src 0.0.0.0/0", "0,2,3", NULL },
	{ "filter(src-v6-prefix)", "src 2001:db8::/32", "1,4", NULL },
	{ "filter(src-v6-all)", "src ::/0", "0,1,2,3,4", NULL },
	{ "filter(dst-v4)", "dst 203.0.113.9", "2", NULL },
	{ "filter(dst-v6-host)", "dst 2001:db8::2/128", "1", NULL },
	{ "filter(sport)", "sport 234", "2", NULL },
	{ "filter(dport)", "dport 234", "0", NULL },
	{ "filter(key-tx)", "key 12354", "0,2,3", NULL },
	{ "filter(key-hex)", "key 0xffffffff", "1", NULL },
	{ "filter(key-rx)", "key 3", "1", NULL },
	{ "filter(dir-tx)", "dir tx", "0,1", NULL },
	{ "filter(dir-rx)", "dir rx", "1,2", NULL },
	{ "filter(and)", "key 12354 dir rx", "2", NULL },
	{ "filter(and-empty)", "src 192.0.2.1 dport 9", "", NULL },
	/* Forwarded: either side of NAT, keys modulo 256, orig and reply. */
	{ "filter(fwd-src-original)", "src 10.0.0.2", "3", NULL },
	{ "filter(fwd-src-after-snat)", "src 198.51.100.1", "3", NULL },
	{ "filter(fwd-dst-original)", "dst 203.0.113.80/32", "3", NULL },
	{ "filter(fwd-dst-after-dnat)", "dst 192.168.1.0/24", "3", NULL },
	{ "filter(fwd-dst-not-the-opener)", "dst 10.0.0.2", "", NULL },
	{ "filter(fwd-sport)", "sport 40000", "3", NULL },
	{ "filter(fwd-sport-after-snat)", "sport 40001", "3", NULL },
	{ "filter(fwd-dport-after-dnat)", "dport 8080", "3", NULL },
	{ "filter(fwd-dst-v6)", "dst 2001:db8:2::/48 dport 5001", "4", NULL },
	{ "filter(fwd-key-mod-256)", "key 66", "3", NULL },
	{ "filter(fwd-key-decrypt)", "key 0x105 dir reply", "4", NULL },
	{ "filter(fwd-dir-orig)", "dir orig", "3,4", NULL },
	{ "filter(fwd-dir-reply)", "dir reply", "4", NULL },
	{ "filter(refuse-term)", "from 192.0.2.1", NULL, "from" },
	{ "filter(refuse-no-value)", "sport", NULL, "sport" },
	{ "filter(refuse-prefix-len)", "src 192.0.2.0/33", NULL, "192.0.2.0/33" },
	{ "filter(refuse-prefix-empty)", "src 192.0.2.0/", NULL, "192.0.2.0/" },
	{ "filter(refuse-address)", "dst 192.0.2", NULL, "192.0.2" },
	{ "filter(refuse-port)", "dport 65536", NULL, "65536" },
	{ "filter(refuse-port-sign)", "dport +80", NULL, "+80" },
	{ "filter(refuse-key-off)", "key 0", NULL, "0" },
	{ "filter(refuse-key-256)", "key 256", NULL, "256" },
	{ "filter(refuse-key-negative)", "key -1", NULL, "-1" },
	{ "filter(refuse-dir)", "dir both", NULL, "both" },
	{ "filter(refuse-dir-original)", "dir original", NULL, "original" },
};

static bool filter_case_holds(const struct filter_case *c)
{
	struct gaiusctl_conns conns = { 0 };
	struct gaiusctl_filter filter;
	char buf[200], *argv[32], kept[32] = "";
	const char *wrong;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", c->words);
	for (char *w = strtok(buf, " "); w && argc < 32; w = strtok(NULL, " "))
		argv[argc++] = w;
	wrong = gaiusctl_filter_parse(&filter, argc, argv);
	if (c->refused_at || wrong) {
		if (c->refused_at && wrong && !strcmp(wrong, c->refused_at))
			return true;
		snprintf(reason, sizeof(reason), "\"%s\": refused at <%s>, expected <%s>",
			 c->words, wrong ? wrong : "(accepted)",
			 c->refused_at ? c->refused_at : "(accepted)");
		return false;
	}
	filter_conns(&conns);
	for (size_t i = 0; i < conns.count; i++)
		if (gaiusctl_filter_match(&conns.items[i], &filter))
			snprintf(kept + strlen(kept), sizeof(kept) - strlen(kept), "%s%zu",
				 kept[0] ? "," : "", i);
	gaiusctl_conns_free(&conns);
	if (strcmp(kept, c->kept)) {
		snprintf(reason, sizeof(reason), "\"%s\" kept <%s>, expected <%s>", c->words,
			 kept, c->kept);
		return false;
	}
	return true;
}

int main(void)
{
	int failed = 0;

	for (size_t i = 0; i < sizeof(list_cases) / sizeof(list_cases[0]); i++) {
		const struct list_case *c = &list_cases[i];

		failed += unit_report(c->name, list_is(c->print, c->sample, c->extended,
						       c->processes, c->expected),
				      reason);
	}
	failed += unit_report("output(list-mapped-rx-only)", check_list_mapped(), reason);
	for (size_t i = 0; i < sizeof(fwd_list_cases) / sizeof(fwd_list_cases[0]); i++)
		failed += unit_report(fwd_list_cases[i].name, fwd_list_is(&fwd_list_cases[i]),
				      reason);
	for (size_t i = 0; i < sizeof(info_cases) / sizeof(info_cases[0]); i++)
		failed += unit_report(info_cases[i].name, info_case_holds(&info_cases[i]),
				      reason);
	failed += unit_report("output(stats)", check_stats(), reason);
	failed += unit_report("output(stats-empty)", check_stats_empty(), reason);
	for (size_t i = 0; i < sizeof(filter_cases) / sizeof(filter_cases[0]); i++)
		failed += unit_report(filter_cases[i].name,
				      filter_case_holds(&filter_cases[i]), reason);
	return failed ? 1 : 0;
}
