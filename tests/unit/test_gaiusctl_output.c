// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host unit test of gaiusctl's output and filter (userspace/gaiusctl:
 * list_output.c, stats_output.c, state_names.c, filter.c): the exact text
 * and JSON of list and stats for connections and counters made up here,
 * IPv4, IPv6 and IPv4-mapped, with and without conntrack, with the
 * extended and process columns; and which of them each filter keeps.
 * Prints `PASS: output(NAME)` or `FAIL: output(NAME): <reason>`.
 */
#include <arpa/inet.h>
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

static char reason[600];
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
	"\"directions\":[\"tx\"]," \
	"\"tx\":{\"key\":12354,\"shift\":66,\"bytes\":7},\"rx\":null," \
	"\"uid\":0,\"inode\":4242"
#define CONN_B_JSON \
	"{\"protocol\":\"tcp\",\"family\":\"ipv6\"," \
	"\"local\":{\"address\":\"2001:db8::1\",\"port\":7101}," \
	"\"remote\":{\"address\":\"2001:db8::2\",\"port\":40000}," \
	"\"state\":\"CLOSE-WAIT\",\"conntrack\":null,\"via\":\"ulp\"," \
	"\"directions\":[\"tx\",\"rx\"]," \
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
		      "\"directions\":[\"rx\"],\"tx\":null,"
		      "\"rx\":{\"key\":12354,\"shift\":66,\"bytes\":1},"
		      "\"uid\":0,\"inode\":0}]}\n");
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
 * The filter's connections: the sample's two, and an IPv4 connection of an
 * IPv6 socket, rx only.
 */
static void filter_conns(struct gaiusctl_conns *conns)
{
	struct gaiusctl_conn c = { .rx_key = 12354, .rx_bytes = 1 };

	sample_conns(conns);
	endpoint(&c.local, "::ffff:192.0.2.200", 234);
	endpoint(&c.remote, "::ffff:203.0.113.9", 50000);
	if (!gaiusctl_conns_add(conns, &c))
		abort();
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
	{ "filter(none)", "", "0,1,2", NULL },
	{ "filter(src-v4-host)", "src 192.0.2.1", "0", NULL },
	{ "filter(src-v4-prefix)", "src 192.0.2.0/24", "0,2", NULL },
	{ "filter(src-v4-prefix-odd)", "src 192.0.2.192/27", "2", NULL },
	{ "filter(src-v4-zero)", "src 0.0.0.0/0", "0,2", NULL },
	{ "filter(src-v6-prefix)", "src 2001:db8::/32", "1", NULL },
	{ "filter(src-v6-all)", "src ::/0", "0,1,2", NULL },
	{ "filter(dst-v4)", "dst 203.0.113.9", "2", NULL },
	{ "filter(dst-v6-host)", "dst 2001:db8::2/128", "1", NULL },
	{ "filter(sport)", "sport 234", "2", NULL },
	{ "filter(dport)", "dport 234", "0", NULL },
	{ "filter(key-tx)", "key 12354", "0,2", NULL },
	{ "filter(key-hex)", "key 0xffffffff", "1", NULL },
	{ "filter(key-rx)", "key 3", "1", NULL },
	{ "filter(dir-tx)", "dir tx", "0,1", NULL },
	{ "filter(dir-rx)", "dir rx", "1,2", NULL },
	{ "filter(and)", "key 12354 dir rx", "2", NULL },
	{ "filter(and-empty)", "src 192.0.2.1 dport 9", "", NULL },
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
	failed += unit_report("output(stats)", check_stats(), reason);
	failed += unit_report("output(stats-empty)", check_stats_empty(), reason);
	for (size_t i = 0; i < sizeof(filter_cases) / sizeof(filter_cases[0]); i++)
		failed += unit_report(filter_cases[i].name,
				      filter_case_holds(&filter_cases[i]), reason);
	return failed ? 1 : 0;
}
