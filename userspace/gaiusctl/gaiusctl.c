// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * gaiusctl: what gaius enciphers in a network namespace.
 *
 *   gaiusctl [OPTIONS] list [FILTER]   the enciphered TCP connections, local
 *                                      and forwarded
 *   gaiusctl [OPTIONS] stats           the counters of /proc/net/caesar_stat
 *
 * This file: the command line, the watch loop and the exit status
 * (gaiusctl_status.h); docs/man/gaiusctl.8 documents them.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "caesar_stat.h"
#include "conntrack.h"
#include "filter.h"
#include "gaius_decimal.h"
#include "gaiusctl_status.h"
#include "list_output.h"
#include "netns.h"
#include "privilege.h"
#include "processes.h"
#include "sock_diag.h"
#include "stats_output.h"

#ifndef GAIUS_VERSION
#define GAIUS_VERSION "unknown"
#endif

/* The longest --watch interval, an hour. */
#define WATCH_MAX 3600

static const struct option long_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "extended", no_argument, NULL, 'e' },
	{ "processes", no_argument, NULL, 'p' },
	{ "netns", required_argument, NULL, 'n' },
	{ "watch", required_argument, NULL, 'w' },
	{ "count", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

struct command_line {
	bool json;
	struct gaiusctl_list_columns columns;
	const char *netns;
	unsigned int watch;		/* seconds between rounds; 0: once */
	unsigned long count;		/* rounds; 0: until interrupted */
	struct gaiusctl_filter filter;
};

static void usage(void)
{
	fputs("usage: gaiusctl [OPTIONS] list [FILTER]\n"
	      "       gaiusctl [OPTIONS] stats\n"
	      "       gaiusctl --help | --version\n"
	      "\n"
	      "  list    the TCP connections gaius enciphers in the network namespace:\n"
	      "          five-tuple, socket and conntrack state, how (ulp), and per\n"
	      "          direction (tx, rx) the key, its shift and the bytes enciphered\n"
	      "          or deciphered; then those it forwards that a rule keyed\n"
	      "          (fwd): both conntrack tuples, zone, state, and per\n"
	      "          direction (orig, reply) the target, key mod 256, shift, first\n"
	      "          sequence number shifted, packets and bytes; needs CAP_NET_ADMIN\n"
	      "  stats   the counters of /proc/net/caesar_stat for the namespace\n"
	      "\n"
	      "  FILTER  terms that must all hold, as ss(8) names them:\n"
	      "          src PREFIX, dst PREFIX (ADDRESS[/LENGTH]: local, remote),\n"
	      "          sport PORT, dport PORT, key KEY, dir tx|rx|orig|reply\n"
	      "\n"
	      "  -j, --json          one JSON object a line instead of text\n"
	      "  -e, --extended      list: the socket's uid and inode (JSON: always)\n"
	      "  -p, --processes     list: the processes that hold the socket\n"
	      "  -n, --netns NAME    in network namespace NAME (/run/netns/NAME, or a\n"
	      "                      path such as /proc/PID/ns/net)\n"
	      "  -w, --watch SECS    again every SECS seconds (1 to 3600), until\n"
	      "                      interrupted or --count rounds\n"
	      "  -c, --count N       with --watch: N rounds\n"
	      "  -h, --help          this text\n"
	      "  -V, --version       the version\n"
	      "\n"
	      "Exit status: 0 ok, 1 usage, 2 the caesar module is not loaded, 3 no\n"
	      "CAP_NET_ADMIN (list) or CAP_SYS_ADMIN (--netns), 4 any other error.\n"
	      "See gaiusctl(8).\n", stdout);
}

static enum gaiusctl_status run_list(const struct command_line *cl)
{
	struct gaiusctl_conns conns = { 0 };
	enum gaiusctl_status status;

	status = gaiusctl_caesar_stat_check(GAIUSCTL_CAESAR_STAT);
	if (status == GAIUSCTL_OK)
		status = gaiusctl_require_net_admin();
	if (status == GAIUSCTL_OK)
		status = gaiusctl_sock_diag_read(&conns);
	if (status == GAIUSCTL_OK)
		status = gaiusctl_conntrack_forwarded(&conns);
	if (status == GAIUSCTL_OK) {
		gaiusctl_conns_keep(&conns, gaiusctl_filter_match, &cl->filter);
		status = gaiusctl_conntrack_fill(&conns);
	}
	if (status == GAIUSCTL_OK && cl->columns.processes)
		status = gaiusctl_processes_fill(&conns);
	if (status == GAIUSCTL_OK)
		status = cl->json ?
			gaiusctl_list_json(stdout, &conns, &cl->columns) :
			gaiusctl_list_text(stdout, &conns, &cl->columns);
	gaiusctl_conns_free(&conns);
	return status;
}

static enum gaiusctl_status run_stats(const struct command_line *cl)
{
	struct gaiusctl_counters counters;
	enum gaiusctl_status status;

	status = gaiusctl_caesar_stat_read(GAIUSCTL_CAESAR_STAT, &counters);
	if (status != GAIUSCTL_OK)
		return status;
	if (cl->json)
		status = gaiusctl_stats_json(stdout, &counters);
	else
		gaiusctl_stats_text(stdout, &counters);
	gaiusctl_counters_free(&counters);
	return status;
}

static enum gaiusctl_status bad_usage(const char *why, const char *what)
{
	fprintf(stderr, "gaiusctl: %s%s%s (see gaiusctl --help)\n", why,
		what ? ": " : "", what ? what : "");
	return GAIUSCTL_USAGE;
}

/* Everything written must have reached stdout. */
static enum gaiusctl_status flushed(enum gaiusctl_status status)
{
	if (fflush(stdout) || ferror(stdout)) {
		perror("gaiusctl: writing the output");
		return status == GAIUSCTL_OK ? GAIUSCTL_ERROR : status;
	}
	return status;
}

/*
 * @run once, or with --watch every cl->watch seconds: text rounds begin
 * with a line "# TIME" (UTC), JSON rounds are one line each.
 */
static enum gaiusctl_status run_rounds(enum gaiusctl_status (*run)(const struct command_line *),
				       const struct command_line *cl)
{
	unsigned long round = 0;

	for (;;) {
		enum gaiusctl_status status;

		if (cl->watch && !cl->json) {
			char when[32];
			time_t now = time(NULL);

			strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
			printf("%s# %s\n", round ? "\n" : "", when);
		}
		status = flushed(run(cl));
		if (status != GAIUSCTL_OK || !cl->watch || ++round == cl->count)
			return status;
		nanosleep(&(struct timespec){ .tv_sec = cl->watch }, NULL);
	}
}

static enum gaiusctl_status read_options(int argc, char **argv,
					 struct command_line *cl, bool *done)
{
	unsigned long n;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":jepn:w:c:hV", long_options,
				  NULL)) != -1) {
		switch (opt) {
		case 'j':
			cl->json = true;
			break;
		case 'e':
			cl->columns.extended = true;
			break;
		case 'p':
			cl->columns.processes = true;
			break;
		case 'n':
			cl->netns = optarg;
			break;
		case 'w':
			if (!gaius_decimal(optarg, WATCH_MAX, &n) || !n)
				return bad_usage("--watch takes seconds from 1 to 3600, not", optarg);
			cl->watch = (unsigned int)n;
			break;
		case 'c':
			if (!gaius_decimal(optarg, 1000000000, &n) || !n)
				return bad_usage("--count takes a number from 1, not", optarg);
			cl->count = n;
			break;
		case 'h':
			usage();
			*done = true;
			return flushed(GAIUSCTL_OK);
		case 'V':
			printf("gaiusctl (gaius) %s\n", GAIUS_VERSION);
			*done = true;
			return flushed(GAIUSCTL_OK);
		case ':':
			return bad_usage("option needs a value", argv[optind - 1]);
		default:
			return bad_usage("unknown option", argv[optind - 1]);
		}
	}
	if (cl->count && !cl->watch)
		return bad_usage("--count goes with --watch", NULL);
	return GAIUSCTL_OK;
}

int main(int argc, char **argv)
{
	struct command_line cl = { 0 };
	enum gaiusctl_status status;
	bool done = false;
	const char *command;

	status = read_options(argc, argv, &cl, &done);
	if (status != GAIUSCTL_OK || done)
		return status;
	if (optind == argc)
		return bad_usage("no command", NULL);
	command = argv[optind++];
	if (!strcmp(command, "list")) {
		const char *wrong = gaiusctl_filter_parse(&cl.filter, argc - optind, argv + optind);
		if (wrong)
			return bad_usage("bad filter, at", wrong);
	} else if (!strcmp(command, "stats")) {
		if (optind < argc)
			return bad_usage("one command only, not also", argv[optind]);
	} else {
		return bad_usage("unknown command", command);
	}
	if (cl.netns) {
		status = gaiusctl_netns_enter(cl.netns);
		if (status != GAIUSCTL_OK)
			return status;
	}
	return run_rounds(strcmp(command, "list") ? run_stats : run_list, &cl);
}
