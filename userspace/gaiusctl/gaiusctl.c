// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * gaiusctl: what gaius enciphers in this network namespace.
 *
 *   gaiusctl list [--json]    the enciphered TCP connections
 *   gaiusctl stats [--json]   the counters of /proc/net/caesar_stat
 *
 * This file: the command line and the exit status (gaiusctl_status.h);
 * docs/man/gaiusctl.8 documents both.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "caesar_stat.h"
#include "conntrack.h"
#include "gaiusctl_status.h"
#include "list_output.h"
#include "privilege.h"
#include "sock_diag.h"
#include "stats_output.h"

#ifndef GAIUS_VERSION
#define GAIUS_VERSION "unknown"
#endif

static const struct option long_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage(void)
{
	fputs("usage: gaiusctl list [--json]\n"
	      "       gaiusctl stats [--json]\n"
	      "       gaiusctl --help | --version\n"
	      "\n"
	      "  list    the TCP connections gaius enciphers in this network namespace:\n"
	      "          five-tuple, socket and conntrack state, how (ulp), and per\n"
	      "          direction (tx, rx) the key, its shift and the bytes enciphered\n"
	      "          or deciphered; needs CAP_NET_ADMIN\n"
	      "  stats   the counters of /proc/net/caesar_stat for this namespace\n"
	      "\n"
	      "  -j, --json     one JSON object instead of text\n"
	      "  -h, --help     this text\n"
	      "  -V, --version  the version\n"
	      "\n"
	      "Exit status: 0 ok, 1 usage, 2 the caesar module is not loaded, 3 no\n"
	      "CAP_NET_ADMIN (list), 4 any other error. See gaiusctl(8).\n", stdout);
}

static enum gaiusctl_status run_list(bool json)
{
	struct gaiusctl_conns conns = { 0 };
	enum gaiusctl_status status;

	status = gaiusctl_caesar_stat_check(GAIUSCTL_CAESAR_STAT);
	if (status == GAIUSCTL_OK)
		status = gaiusctl_require_net_admin();
	if (status == GAIUSCTL_OK)
		status = gaiusctl_sock_diag_read(&conns);
	if (status == GAIUSCTL_OK)
		status = gaiusctl_conntrack_fill(&conns);
	if (status == GAIUSCTL_OK) {
		if (json)
			gaiusctl_list_json(stdout, &conns);
		else
			gaiusctl_list_text(stdout, &conns);
	}
	gaiusctl_conns_free(&conns);
	return status;
}

static enum gaiusctl_status run_stats(bool json)
{
	struct gaiusctl_counters counters;
	enum gaiusctl_status status;

	status = gaiusctl_caesar_stat_read(GAIUSCTL_CAESAR_STAT, &counters);
	if (status != GAIUSCTL_OK)
		return status;
	if (json)
		gaiusctl_stats_json(stdout, &counters);
	else
		gaiusctl_stats_text(stdout, &counters);
	gaiusctl_counters_free(&counters);
	return GAIUSCTL_OK;
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

int main(int argc, char **argv)
{
	bool json = false;
	const char *command;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "jhV", long_options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'h':
			usage();
			return flushed(GAIUSCTL_OK);
		case 'V':
			printf("gaiusctl (gaius) %s\n", GAIUS_VERSION);
			return flushed(GAIUSCTL_OK);
		default:
			return bad_usage("unknown option", argv[optind - 1]);
		}
	}
	if (optind == argc)
		return bad_usage("no command", NULL);
	if (optind < argc - 1)
		return bad_usage("one command only, not also", argv[optind + 1]);
	command = argv[optind];
	if (!strcmp(command, "list"))
		return flushed(run_list(json));
	if (!strcmp(command, "stats"))
		return flushed(run_stats(json));
	return bad_usage("unknown command", command);
}
