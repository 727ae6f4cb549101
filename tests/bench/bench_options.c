// SPDX-License-Identifier: GPL-2.0 OR MIT
/* gaius-bench's command line: see usage(). */
#include "bench_options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: gaius-bench server --port PORT [--attach HOW --key KEY] [--cpu N]\n"
	"       gaius-bench client --address ADDR --port PORT --test TEST [OPTIONS]\n"
	"\n"
	"Measures one path of TCP data: the server reads and checks every byte.\n"
	"Prints one JSON record per measurement on stdout; exits 1 if a byte was\n"
	"wrong, a connection failed or an end's TCP_ULP was not --expect-ulp.\n"
	"\n"
	"  --attach HOW       none (default), caesar (TCP_ULP caesar and CAESAR_KEY)\n"
	"                     or ktls (TCP_ULP tls, AES-128-GCM, static keys); the\n"
	"                     client and the server must attach the same way\n"
	"  --key KEY          the caesar key (default 100)\n"
	"  --cpu N            run on CPU N only\n"

	"  --test LIST        comma separated, each of\n"
	"                     stream: a single stream per size and method;\n"
	"                     rr: --count 64-byte round trips, p50 and p99;\n"
	"                     crr: connect, one 64-byte exchange, close, for\n"
	"                     --seconds; mem: --count connections, then kernel\n"
	"                     memory and allocations of attaching to them;\n"
	"                     quit: stop the server\n"
	"  --sizes LIST       stream: bytes per write and read (default 64K);\n"
	"                     comma separated, K and M suffixes\n"
	"  --methods LIST     stream: write, sendfile (default write)\n"
	"  --seconds S        stream and crr: how long each runs (default 2)\n"
	"  --count N          rr: round trips; mem: connections\n"
	"  --trace SIDE       stream: count the kmem events of the send or the recv\n"
	"                     side's calls that move 1 MiB (16 at least), once 1 MiB\n"
	"                     (8 calls at least) has moved; tracefs set up by the\n"
	"                     caller\n"
	"  --tracefs DIR      where tracefs is mounted (default /sys/kernel/tracing)\n"
	"  --label NAME       the records' \"path\"\n"
	"  --round N          the records' \"round\"\n"
	"  --expect-ulp NAME  both ends' TCP_ULP, or none\n";

static _Noreturn void usage(FILE *out, int status)
{
	fputs(usage_text, out);
	exit(status);
}

static _Noreturn void bad(const char *option, const char *value)
{
	fprintf(stderr, "gaius-bench: %s %s: invalid (see --help)\n", option, value);
	exit(2);
}

static long number(const char *option, const char *text, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || end == text || v < 0 || v > max)
		bad(option, text);
	if (*end == 'K' && !end[1])
		return v << 10;
	if (*end == 'M' && !end[1])
		return v << 20;
	if (*end)
		bad(option, text);
	return v;
}

static void add_size(struct bench_options *o, const char *item)
{
	long v = number("--sizes", item, BENCH_MAX_SIZE);

	if (o->n_sizes == BENCH_MAX_LIST || v < 1)
		bad("--sizes", item);
	o->sizes[o->n_sizes++] = (uint32_t)v;
}

static void add_method(struct bench_options *o, const char *item)
{
	if (o->n_methods == BENCH_MAX_LIST)
		bad("--methods", item);
	if (!strcmp(item, "write"))
		o->methods[o->n_methods++] = METHOD_WRITE;
	else if (!strcmp(item, "sendfile"))
		o->methods[o->n_methods++] = METHOD_SENDFILE;
	else
		bad("--methods", item);
}

/* Each item of a comma-separated @list, to @add. */
static void parse_list(struct bench_options *o, char *list,
		       void (*add)(struct bench_options *o, const char *item))
{
	char *save = NULL;

	for (char *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
		add(o, t);
}

static enum bench_attach parse_attach(const char *how)
{
	if (!strcmp(how, "none"))
		return ATTACH_NONE;
	if (!strcmp(how, "caesar"))
		return ATTACH_CAESAR;
	if (!strcmp(how, "ktls"))
		return ATTACH_KTLS;
	bad("--attach", how);
}

static enum bench_trace_side parse_trace(const char *side)
{
	if (!strcmp(side, "send"))
		return TRACE_SEND;
	if (!strcmp(side, "recv"))
		return TRACE_RECV;
	bad("--trace", side);
}

static const struct option long_options[] = {
	{ "address", required_argument, NULL, 'a' },
	{ "port", required_argument, NULL, 'p' },
	{ "cpu", required_argument, NULL, 'C' },
	{ "attach", required_argument, NULL, 'A' },
	{ "key", required_argument, NULL, 'k' },
	{ "test", required_argument, NULL, 't' },
	{ "sizes", required_argument, NULL, 's' },
	{ "methods", required_argument, NULL, 'm' },
	{ "seconds", required_argument, NULL, 'S' },
	{ "count", required_argument, NULL, 'n' },
	{ "trace", required_argument, NULL, 'T' },
	{ "tracefs", required_argument, NULL, 'F' },
	{ "label", required_argument, NULL, 'l' },
	{ "round", required_argument, NULL, 'r' },
	{ "expect-ulp", required_argument, NULL, 'u' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void parse_one(struct bench_options *o, int opt)
{
	switch (opt) {
	case 'a': o->address = optarg; break;
	case 'p': o->port = (int)number("--port", optarg, 65535); break;
	case 'C': o->cpu = (int)number("--cpu", optarg, 1023); break;
	case 'A': o->attach = parse_attach(optarg); break;
	case 'k': o->key = (int)number("--key", optarg, 0x7fffffff); break;
	case 't': o->test = optarg; break;
	case 's': o->n_sizes = 0; parse_list(o, optarg, add_size); break;
	case 'm': o->n_methods = 0; parse_list(o, optarg, add_method); break;
	case 'S': o->seconds = (double)number("--seconds", optarg, 3600); break;
	case 'n': o->count = (uint32_t)number("--count", optarg, 10000000); break;
	case 'T': o->trace = parse_trace(optarg); break;
	case 'F': o->tracefs = optarg; break;
	case 'l': o->label = optarg; break;
	case 'r': o->round = (unsigned int)number("--round", optarg, 1000); break;
	case 'u': o->expect_ulp = optarg; break;
	case 'h': usage(stdout, 0);
	default: usage(stderr, 2);
	}
}

void bench_parse_options(int argc, char **argv, struct bench_options *o)
{
	int opt;

	*o = (struct bench_options){
		.cpu = -1,
		.key = 100,
		.sizes = { 64 << 10 },
		.n_sizes = 1,
		.methods = { METHOD_WRITE },
		.n_methods = 1,
		.seconds = 2,
		.count = 1000,
		.label = "unnamed",
	};
	if (argc < 2)
		usage(stderr, 2);
	if (!strcmp(argv[1], "server"))
		o->server = true;
	else if (strcmp(argv[1], "client"))
		usage(strcmp(argv[1], "--help") ? stderr : stdout, strcmp(argv[1], "--help") ? 2 : 0);
	while ((opt = getopt_long(argc - 1, argv + 1, "", long_options, NULL)) != -1)
		parse_one(o, opt);
	if (optind != argc - 1 || !o->port || (!o->server && (!o->address || !o->test)))
		usage(stderr, 2);
}

const char *bench_method_name(enum bench_method m)
{
	return m == METHOD_SENDFILE ? "sendfile" : "write";
}
