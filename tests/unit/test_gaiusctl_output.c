// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Host unit test of gaiusctl's output (userspace/gaiusctl: json.c,
 * list_output.c, stats_output.c, state_names.c): JSON string escaping, and
 * the exact text and JSON of list and stats for connections and counters
 * made up here, IPv4, IPv6 and IPv4-mapped, with and without conntrack.
 * Prints `PASS: output(NAME)` or `FAIL: output(NAME): <reason>`.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caesar_stat.h"
#include "conn.h"
#include "json.h"
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

static bool json_string_is(const char *s, const char *expected)
{
	begin();
	gaiusctl_json_string(stream, s);
	return end_is(expected);
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

/* The connections of the list checks: IPv4 tx only, IPv6 both ways. */
static void sample_conns(struct gaiusctl_conns *conns)
{
	struct gaiusctl_conn a = {
		.tcp_state = 1, .ct_state = 3, .tx_key = 12354, .tx_bytes = 7,
	};
	struct gaiusctl_conn b = {
		.tcp_state = 8, .ct_state = GAIUSCTL_NO_CT_STATE, .tx_key = 4294967295U,
		.rx_key = 3, .tx_bytes = 100, .rx_bytes = 200,
	};

	endpoint(&a.local, "192.0.2.1", 123);
	endpoint(&a.remote, "198.51.100.2", 234);
	endpoint(&b.local, "2001:db8::1", 7101);
	endpoint(&b.remote, "2001:db8::2", 40000);
	if (!gaiusctl_conns_add(conns, &a) || !gaiusctl_conns_add(conns, &b))
		abort();
}

typedef void list_printer(FILE *out, const struct gaiusctl_conns *conns);

/* What @print writes for the sample connections (or for none). */
static bool list_is(list_printer *print, bool sample, const char *expected)
{
	struct gaiusctl_conns conns = { 0 };

	if (sample)
		sample_conns(&conns);
	begin();
	print(stream, &conns);
	gaiusctl_conns_free(&conns);
	return end_is(expected);
}

static const char list_text[] =
	"PROTO  LOCAL               REMOTE               STATE       CONNTRACK    VIA  DIR    TX-KEY      TX-SHIFT  TX-BYTES  RX-KEY  RX-SHIFT  RX-BYTES\n"
	"tcp    192.0.2.1:123       198.51.100.2:234     ESTAB       ESTABLISHED  ulp  tx     12354       66        7         -       -         -\n"
	"tcp    [2001:db8::1]:7101  [2001:db8::2]:40000  CLOSE-WAIT  -            ulp  tx,rx  4294967295  255       100       3       3         200\n";

static const char list_text_empty[] =
	"PROTO  LOCAL  REMOTE  STATE  CONNTRACK  VIA  DIR  TX-KEY  TX-SHIFT  TX-BYTES  RX-KEY  RX-SHIFT  RX-BYTES\n";

static const char list_json[] =
	"{\"connections\": [\n"
	"  {\"protocol\": \"tcp\", \"family\": \"ipv4\", "
	"\"local\": {\"address\": \"192.0.2.1\", \"port\": 123}, "
	"\"remote\": {\"address\": \"198.51.100.2\", \"port\": 234}, "
	"\"state\": \"ESTAB\", \"conntrack\": \"ESTABLISHED\", \"via\": \"ulp\", "
	"\"directions\": [\"tx\"], "
	"\"tx\": {\"key\": 12354, \"shift\": 66, \"bytes\": 7}, \"rx\": null},\n"
	"  {\"protocol\": \"tcp\", \"family\": \"ipv6\", "
	"\"local\": {\"address\": \"2001:db8::1\", \"port\": 7101}, "
	"\"remote\": {\"address\": \"2001:db8::2\", \"port\": 40000}, "
	"\"state\": \"CLOSE-WAIT\", \"conntrack\": null, \"via\": \"ulp\", "
	"\"directions\": [\"tx\", \"rx\"], "
	"\"tx\": {\"key\": 4294967295, \"shift\": 255, \"bytes\": 100}, "
	"\"rx\": {\"key\": 3, \"shift\": 3, \"bytes\": 200}}\n"
	"]}\n";

/*
 * An IPv6 socket of an IPv4 connection (sock_diag gives ::ffff:a.b.c.d) is
 * shown as the IPv4 connection it is; an rx-only one shows "-" for tx.
 */
static bool check_list_mapped(void)
{
	struct gaiusctl_conns conns = { 0 };
	struct gaiusctl_conn c = {
		.tcp_state = 4, .ct_state = 0, .rx_key = 0x3042, .rx_bytes = 1,
	};

	endpoint(&c.local, "::ffff:192.0.2.1", 7101);
	endpoint(&c.remote, "::ffff:192.0.2.2", 33000);
	if (!gaiusctl_conns_add(&conns, &c))
		abort();
	begin();
	gaiusctl_list_text(stream, &conns);
	gaiusctl_list_json(stream, &conns);
	gaiusctl_conns_free(&conns);
	return end_is("PROTO  LOCAL           REMOTE           STATE       CONNTRACK  VIA  DIR  TX-KEY  TX-SHIFT  TX-BYTES  RX-KEY  RX-SHIFT  RX-BYTES\n"
		      "tcp    192.0.2.1:7101  192.0.2.2:33000  FIN-WAIT-1  NONE       ulp  rx   -       -         -         12354   66        1\n"
		      "{\"connections\": [\n"
		      "  {\"protocol\": \"tcp\", \"family\": \"ipv4\", "
		      "\"local\": {\"address\": \"192.0.2.1\", \"port\": 7101}, "
		      "\"remote\": {\"address\": \"192.0.2.2\", \"port\": 33000}, "
		      "\"state\": \"FIN-WAIT-1\", \"conntrack\": \"NONE\", \"via\": \"ulp\", "
		      "\"directions\": [\"rx\"], \"tx\": null, "
		      "\"rx\": {\"key\": 12354, \"shift\": 66, \"bytes\": 1}}\n"
		      "]}\n");
}

static bool check_stats(void)
{
	struct gaiusctl_counter items[] = {
		{ "CaesarCurrSockets", 2 },
		{ "CaesarTxBytes", 1000003 },
		{ "CaesarRx\"Odd\\", -1 },
	};
	struct gaiusctl_counters counters = { items, 3 };

	begin();
	gaiusctl_stats_text(stream, &counters);
	gaiusctl_stats_json(stream, &counters);
	return end_is("CaesarCurrSockets  2\n"
		      "CaesarTxBytes      1000003\n"
		      "CaesarRx\"Odd\\      -1\n"
		      "{\n"
		      "  \"CaesarCurrSockets\": 2,\n"
		      "  \"CaesarTxBytes\": 1000003,\n"
		      "  \"CaesarRx\\\"Odd\\\\\": -1\n"
		      "}\n");
}

static bool check_stats_empty(void)
{
	struct gaiusctl_counters counters = { NULL, 0 };

	begin();
	gaiusctl_stats_text(stream, &counters);
	gaiusctl_stats_json(stream, &counters);
	return end_is("{}\n");
}

int main(void)
{
	int failed = 0;

	failed += unit_report("output(json-plain)",
			      json_string_is("CaesarTxBytes", "\"CaesarTxBytes\""), reason);
	failed += unit_report("output(json-empty)", json_string_is("", "\"\""), reason);
	failed += unit_report("output(json-quote-backslash)",
			      json_string_is("a\"b\\c/", "\"a\\\"b\\\\c/\""), reason);
	failed += unit_report("output(json-control)",
			      json_string_is("\n\t\x01\x1f", "\"\\u000a\\u0009\\u0001\\u001f\""),
			      reason);
	failed += unit_report("output(json-non-ascii)",
			      json_string_is("\x7f\xc3\xa9", "\"\\u007f\\u00c3\\u00a9\""), reason);
	failed += unit_report("output(list-text)",
			      list_is(gaiusctl_list_text, true, list_text), reason);
	failed += unit_report("output(list-text-empty)",
			      list_is(gaiusctl_list_text, false, list_text_empty), reason);
	failed += unit_report("output(list-json)",
			      list_is(gaiusctl_list_json, true, list_json), reason);
	failed += unit_report("output(list-json-empty)",
			      list_is(gaiusctl_list_json, false, "{\"connections\": []}\n"), reason);
	failed += unit_report("output(list-mapped-rx-only)", check_list_mapped(), reason);
	failed += unit_report("output(stats)", check_stats(), reason);
	failed += unit_report("output(stats-empty)", check_stats_empty(), reason);
	return failed ? 1 : 0;
}
