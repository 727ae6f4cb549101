// SPDX-License-Identifier: GPL-2.0 OR MIT
/* gaius-xfer's command line: see usage() for what each option does. */
#include "xfer_options.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gaius_key.h"

enum long_only_option {
	OPT_TX_KEY = 256,
	OPT_RX_KEY,
	OPT_ULP,
	OPT_LATE_RX_KEY,
	OPT_ULP_BEFORE_CONNECT,
	OPT_SEED,
	OPT_SEND,
	OPT_RECV,
	OPT_CONCURRENT,
	OPT_RECONNECT,
	OPT_RECV_LIMIT,
	OPT_HOLD,
	OPT_RESET,
	OPT_TIMEOUT,
	OPT_CONNECT_TIMEOUT,
};

static const struct option long_options[] = {
	{ "address", required_argument, NULL, 'a' },
	{ "port", required_argument, NULL, 'p' },
	{ "key", required_argument, NULL, 'k' },
	{ "tx-key", required_argument, NULL, OPT_TX_KEY },
	{ "rx-key", required_argument, NULL, OPT_RX_KEY },
	{ "ulp", no_argument, NULL, OPT_ULP },
	{ "late-rx-key", no_argument, NULL, OPT_LATE_RX_KEY },
	{ "ulp-before-connect", no_argument, NULL, OPT_ULP_BEFORE_CONNECT },
	{ "size", required_argument, NULL, 's' },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "send", required_argument, NULL, OPT_SEND },
	{ "recv", required_argument, NULL, OPT_RECV },
	{ "chunk", required_argument, NULL, 'c' },
	{ "connections", required_argument, NULL, 'n' },
	{ "concurrent", no_argument, NULL, OPT_CONCURRENT },
	{ "direction", required_argument, NULL, 'd' },
	{ "reconnect", no_argument, NULL, OPT_RECONNECT },
	{ "recv-limit", required_argument, NULL, OPT_RECV_LIMIT },
	{ "hold", required_argument, NULL, OPT_HOLD },
	{ "reset", no_argument, NULL, OPT_RESET },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void print_methods(FILE *out, const char *title,
			  const struct xfer_method *table)
{
	fprintf(out, "\n%s:\n", title);
	for (; table->name; table++)
		fprintf(out, "  %-10s %s\n", table->name, table->help);
}

static _Noreturn void usage(FILE *out, int status)
{
	fputs("usage: gaius-xfer server [OPTIONS]\n"
	      "       gaius-xfer client --address ADDR [OPTIONS]\n"
	      "       gaius-xfer payload [--seed N] [--size BYTES]\n"
	      "\n"
	      "Moves a deterministic payload over TCP, optionally through the caesar ULP,\n"
	      "and checks every byte on the receiving side. Exits 0 only when every\n"
	      "connection moved and verified every byte. `payload` writes the stream to\n"
	      "stdout instead.\n"
	      "\n"
	      "  -a, --address ADDR   client: the server, IPv4 or IPv6 (::ffff:a.b.c.d for\n"
	      "                       IPv4-mapped IPv6); server: where to listen (default ::,\n"
	      "                       which takes IPv4 too)\n"
	      "  -p, --port PORT      TCP port (default 7100)\n"
	      "  -k, --key KEY        attach the caesar ULP and set CAESAR_KEY\n"
	      "      --tx-key KEY     attach the ULP and set CAESAR_TX_KEY\n"
	      "      --rx-key KEY     attach the ULP and set CAESAR_RX_KEY\n"
	      "      --ulp            attach the ULP even with no key\n"
	      "      --late-rx-key    set --rx-key only once received data is queued\n"
	      "      --ulp-before-connect  client: attach the ULP and keys before connect()\n"
	      "  -s, --size BYTES     bytes per direction and connection (default 1M)\n"
	      "      --seed N         payload seed (default 1)\n"
	      "      --send METHOD    how to send (default write)\n"
	      "      --recv METHOD    how to receive (default read)\n"
	      "  -c, --chunk BYTES    bytes per send or receive call (default 65536)\n"
	      "  -n, --connections N  connections to make or accept (default 1)\n"
	      "      --concurrent     run them at once (default: one after another)\n"
	      "  -d, --direction DIR  client-to-server (default), server-to-client or both\n"
	      "      --reconnect      client: one socket for all connections, disconnected\n"
	      "                       with connect(AF_UNSPEC) in between\n"
	      "      --recv-limit BYTES  receive this many bytes, then close with the rest\n"
	      "                       unread\n"
	      "      --hold MS        keep each connection established MS ms once its\n"
	      "                       data has moved, before shutdown\n"
	      "      --reset          close with SO_LINGER 0: RST, no TIME_WAIT\n"
	      "      --timeout SEC    fail after SEC seconds (default 120)\n"
	      "      --connect-timeout SEC  client: a connect() not done in SEC seconds\n"
	      "                       fails that connection (the others go on)\n"
	      "  -h, --help           this text\n"
	      "\n"
	      "KEY is 0 to 4294967295, decimal, 0x hex or 0 octal, as iptables' --key;\n"
	      "BYTES take a K, M or G suffix (binary).\n"
	      "Keys off: plain TCP. Receivers always set SO_OOBINLINE.\n"
	      "\n"
	      "Payload: byte n of a stream is byte n % 8 (little endian) of splitmix64\n"
	      "output n / 8 + 1 for the generator seeded with the stream seed; the stream\n"
	      "seed is --seed client-to-server and --seed + 1 server-to-client, the same\n"
	      "for every connection. tests/tools/wirecheck.py implements the same stream.\n",
	      out);
	print_methods(out, "send methods", xfer_send_methods);
	print_methods(out, "receive methods", xfer_recv_methods);
	exit(status);
}

static _Noreturn void bad_value(const char *option, const char *value,
				const char *why)
{
	fprintf(stderr, "gaius-xfer: %s %s: %s (see --help)\n", option, value,
		why);
	exit(2);
}

static long long parse_integer(const char *option, const char *text,
			       long long min, long long max)
{
	char *end;
	long long value;

	errno = 0;
	value = strtoll(text, &end, 0);
	if (errno || end == text || *end || value < min || value > max)
		bad_value(option, text, "not an integer in range");
	return value;
}

static uint64_t parse_bytes(const char *option, const char *text)
{
	static const char suffixes[] = "KMG";
	char *end;
	unsigned long long value;

	errno = 0;
	value = strtoull(text, &end, 10);
	if (errno || end == text || *text == '-')
		bad_value(option, text, "not a byte count");
	if (*end) {
		const char *unit = strchr(suffixes, *end);

		if (!unit || end[1])
			bad_value(option, text, "unknown suffix");
		value <<= 10 * (unit - suffixes + 1);
	}
	return value;
}

static const struct xfer_method *parse_method(const char *option,
					      const struct xfer_method *table,
					      const char *name)
{
	const struct xfer_method *m = xfer_method_find(table, name);

	if (!m)
		bad_value(option, name, "unknown method");
	return m;
}

static unsigned int parse_directions(const char *text)
{
	if (!strcmp(text, "client-to-server"))
		return XFER_TO_SERVER;
	if (!strcmp(text, "server-to-client"))
		return XFER_TO_CLIENT;
	if (!strcmp(text, "both"))
		return XFER_TO_SERVER | XFER_TO_CLIENT;
	bad_value("--direction", text, "not client-to-server, server-to-client or both");
	return 0;
}

/*
 * A key as every gaius tool reads one (gaius_key.h), so that a scenario
 * writes the keys of its rules, of GAIUS_KEY and of gaius-xfer alike; its
 * 32 bits are the int CAESAR_KEY takes (4294967295 is -1 there).
 */
static int parse_key(const char *option, const char *text)
{
	enum gaius_key_status status;
	uint32_t key = 0;
	int value;

	status = gaius_key_parse(text, &key);
	if (status != GAIUS_KEY_OK)
		bad_value(option, text, gaius_key_problem(status));
	memcpy(&value, &key, sizeof(value));
	return value;
}

static void parse_role(struct xfer_options *o, const char *role)
{
	if (!strcmp(role, "server"))
		o->role = XFER_SERVER;
	else if (!strcmp(role, "client"))
		o->role = XFER_CLIENT;
	else if (!strcmp(role, "payload"))
		o->role = XFER_PAYLOAD;
	else if (!strcmp(role, "-h") || !strcmp(role, "--help"))
		usage(stdout, 0);
	else
		bad_value("role", role, "not server, client or payload");
}

static void parse_one(struct xfer_options *o, int opt)
{
	switch (opt) {
	case 'a': o->address = optarg; break;
	case 'p': o->port = optarg; break;
	case 'k': o->keys.has_key = o->keys.attach = true;
		o->keys.key = parse_key("--key", optarg); break;
	case OPT_TX_KEY: o->keys.has_tx = o->keys.attach = true;
		o->keys.tx = parse_key("--tx-key", optarg); break;
	case OPT_RX_KEY: o->keys.has_rx = o->keys.attach = true;
		o->keys.rx = parse_key("--rx-key", optarg); break;
	case OPT_ULP: o->keys.attach = true; break;
	case OPT_LATE_RX_KEY: o->keys.late_rx = true; break;
	case OPT_ULP_BEFORE_CONNECT: o->ulp_before_connect = true; break;
	case 's': o->size = parse_bytes("--size", optarg); break;
	case OPT_SEED: o->seed = (uint64_t)parse_integer("--seed", optarg, 0, LLONG_MAX); break;
	case OPT_SEND: o->send = parse_method("--send", xfer_send_methods, optarg); break;
	case OPT_RECV: o->recv = parse_method("--recv", xfer_recv_methods, optarg); break;
	case 'c': o->chunk = (size_t)parse_bytes("--chunk", optarg); break;
	case 'n': o->connections = (unsigned int)parse_integer("--connections", optarg, 1, 10000); break;
	case OPT_CONCURRENT: o->concurrent = true; break;
	case 'd': o->directions = parse_directions(optarg); break;
	case OPT_RECONNECT: o->reconnect = true; break;
	case OPT_RECV_LIMIT: o->recv_limit = parse_bytes("--recv-limit", optarg); break;
	case OPT_HOLD: o->hold_ms = (unsigned int)parse_integer("--hold", optarg, 0, INT_MAX); break;
	case OPT_RESET: o->reset = true; break;
	case OPT_TIMEOUT: o->timeout = (unsigned int)parse_integer("--timeout", optarg, 1, 86400); break;
	case OPT_CONNECT_TIMEOUT: o->connect_timeout =
		(unsigned int)parse_integer("--connect-timeout", optarg, 1, 86400); break;
	case 'h': usage(stdout, 0); break;
	default: usage(stderr, 2); break;
	}
}

static void check_combination(const struct xfer_options *o)
{
	const char *why = NULL;

	if (o->role == XFER_CLIENT && !o->address)
		why = "client needs --address";
	else if (o->chunk == 0 || o->chunk > (64u << 20))
		why = "--chunk must be 1 byte to 64M";
	else if (o->keys.late_rx && !o->keys.has_rx)
		why = "--late-rx-key needs --rx-key";
	else if (o->reconnect && o->concurrent)
		why = "--reconnect runs connections one after another, not --concurrent";
	if (why) {
		fprintf(stderr, "gaius-xfer: %s (see --help)\n", why);
		exit(2);
	}
}

void xfer_parse_options(int argc, char **argv, struct xfer_options *o)
{
	int opt;

	*o = (struct xfer_options){
		.port = "7100",
		.size = 1 << 20,
		.seed = 1,
		.send = &xfer_send_methods[0],
		.recv = &xfer_recv_methods[0],
		.chunk = 65536,
		.connections = 1,
		.directions = XFER_TO_SERVER,
		.recv_limit = UINT64_MAX,
		.timeout = 120,
	};
	if (argc < 2)
		usage(stderr, 2);
	parse_role(o, argv[1]);
	while ((opt = getopt_long(argc - 1, argv + 1, "a:p:k:s:c:n:d:h",
				  long_options, NULL)) != -1)
		parse_one(o, opt);
	if (optind != argc - 1) {
		fprintf(stderr, "gaius-xfer: unexpected argument %s (see --help)\n",
			argv[optind + 1]);
		exit(2);
	}
	check_combination(o);
}
