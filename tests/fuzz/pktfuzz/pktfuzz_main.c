// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * gaius-pktfuzz: the packet side's adversary. Sends random and spoofed TCP
 * segments into the ports under GAIUS rules while real connections run
 * there (tests/netns/97-fuzz-packets.sh checks them).
 *
 *   gaius-pktfuzz --client-netns PATH --client-if IF --server-netns PATH
 *                 --server-if IF --server4 ADDR --server6 ADDR --ports LO-HI
 *                 [--seed N] [--seconds N] [--max-packets N] [--pps N]
 *                 [--family 4|6] [--exact-rst-permille N] [--trace]
 *                 [--syn-flood N --flood-port PORT]
 *
 * Two packet sockets, one on each end of the veth pair, send Ethernet
 * frames from a MAC address of their own (PF_MAC: a capture can leave them
 * out) to the other end; a third sniffs the client's end and learns the
 * real connections to --ports on the server's addresses (pktfuzz_act.c).
 * At --pps, until --seconds or --max-packets: SYNs and other segments from
 * spoofed documentation addresses, random flags, sequence and
 * acknowledgement numbers in and out of the window of real connections,
 * random and malformed options, IP fragments (first, non-first, out of
 * order, overlapping, duplicated), resets, duplicates of acknowledged
 * segments with their payload altered, and broken headers; IPv4 and IPv6
 * (--family: one). pktfuzz_act.c says why none of it should change the
 * bytes a correct TCP delivers.
 *
 * --syn-flood N sends N SYNs from spoofed sources (each its own address
 * and port) to --flood-port on the server's address of --family, and
 * nothing else.
 *
 * The seed is printed first ("packet fuzzer seed N"). What the fuzzer
 * sends to real connections depends on what it sniffed of them, so a seed
 * replays the same choices, not the same packets; --trace prints each.
 * Exits 0 unless it could not set up; whether the connections survived
 * is the caller's to check.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "pktfuzz.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static _Noreturn void usage(FILE *out, int status)
{
	fputs("usage: gaius-pktfuzz --client-netns PATH --client-if IF --server-netns PATH\n"
	      "                     --server-if IF --server4 ADDR --server6 ADDR --ports LO-HI\n"
	      "                     [--seed N] [--seconds N] [--max-packets N] [--pps N]\n"
	      "                     [--family 4|6] [--exact-rst-permille N] [--trace]\n"
	      "                     [--syn-flood N --flood-port PORT]\n"
	      "Random and spoofed TCP segments into the ports of real connections;\n"
	      "see tests/fuzz/pktfuzz/pktfuzz_main.c.\n", out);
	exit(status);
}

static unsigned long number(const char *option, const char *text, unsigned long max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(text, &end, 0);
	if (errno || end == text || *end || *text == '-' || v > max) {
		fprintf(stderr, "gaius-pktfuzz: %s %s: not a number up to %lu\n", option, text, max);
		exit(2);
	}
	return (unsigned long)v;
}

static void address(const char *option, const char *text, int family, unsigned char *out)
{
	if (inet_pton(family == 4 ? AF_INET : AF_INET6, text, out) != 1) {
		fprintf(stderr, "gaius-pktfuzz: %s %s: not an IPv%d address\n", option, text, family);
		exit(2);
	}
}

static void ports(const char *text, struct pf_options *o)
{
	char lo[16];
	const char *dash = strchr(text, '-');

	if (!dash || (size_t)(dash - text) >= sizeof(lo)) {
		fprintf(stderr, "gaius-pktfuzz: --ports %s: not LO-HI\n", text);
		exit(2);
	}
	memcpy(lo, text, (size_t)(dash - text));
	lo[dash - text] = '\0';
	o->port_lo = (unsigned int)number("--ports", lo, 65535);
	o->port_hi = (unsigned int)number("--ports", dash + 1, 65535);
	if (o->port_lo > o->port_hi)
		usage(stderr, 2);
}

static void parse(int argc, char **argv, struct pf_options *o)
{
	static const struct option longs[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "seconds", required_argument, NULL, 't' },
		{ "max-packets", required_argument, NULL, 'm' },
		{ "pps", required_argument, NULL, 'r' },
		{ "family", required_argument, NULL, 'f' },
		{ "client-netns", required_argument, NULL, 'C' },
		{ "client-if", required_argument, NULL, 'c' },
		{ "server-netns", required_argument, NULL, 'S' },
		{ "server-if", required_argument, NULL, 'i' },
		{ "server4", required_argument, NULL, '4' },
		{ "server6", required_argument, NULL, '6' },
		{ "ports", required_argument, NULL, 'p' },
		{ "exact-rst-permille", required_argument, NULL, 'x' },
		{ "syn-flood", required_argument, NULL, 'F' },
		{ "flood-port", required_argument, NULL, 'P' },
		{ "trace", no_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool seeded = false, have4 = false, have6 = false;
	int c;

	*o = (struct pf_options){ .seconds = 10, .max_packets = ULONG_MAX, .pps = 300,
				  .exact_rst_permille = 5 };
	while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
		switch (c) {
		case 's': o->seed = strtoull(optarg, NULL, 0); seeded = true; break;
		case 't': o->seconds = (unsigned int)number("--seconds", optarg, 86400); break;
		case 'm': o->max_packets = number("--max-packets", optarg, ULONG_MAX); break;
		case 'r': o->pps = (unsigned int)number("--pps", optarg, 1000000); break;
		case 'f': o->family = (int)number("--family", optarg, 6); break;
		case 'C': o->client_netns = optarg; break;
		case 'c': o->client_if = optarg; break;
		case 'S': o->server_netns = optarg; break;
		case 'i': o->server_if = optarg; break;
		case '4': address("--server4", optarg, 4, o->server4); have4 = true; break;
		case '6': address("--server6", optarg, 6, o->server6); have6 = true; break;
		case 'p': ports(optarg, o); break;
		case 'x': o->exact_rst_permille = (unsigned int)number("--exact-rst-permille", optarg, 1000); break;
		case 'F': o->syn_flood = number("--syn-flood", optarg, ULONG_MAX); break;
		case 'P': o->flood_port = (unsigned int)number("--flood-port", optarg, 65535); break;
		case 'h': usage(stdout, 0);
		default: usage(stderr, 2);
		}
	}
	if (optind != argc || !o->client_if || !o->server_if || !have4 || !have6 ||
	    !o->port_hi || (o->family && o->family != 4 && o->family != 6) ||
	    (o->syn_flood && (!o->flood_port || !o->family)))
		usage(stderr, 2);
	if (!seeded) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		o->seed = (uint64_t)ts.tv_sec * 1000003ULL ^ (uint64_t)ts.tv_nsec ^ (uint64_t)getpid();
	}
}

/* Learns from every frame the sniffer holds now. */
static void drain(struct pf_state *st)
{
	static unsigned char frame[65536 + 64];
	struct pf_sniffed p;
	ssize_t n;

	if (st->sniff_fd < 0)
		return;
	while ((n = recv(st->sniff_fd, frame, sizeof(frame), MSG_TRUNC)) > 0) {
		size_t len = (size_t)n < sizeof(frame) ? (size_t)n : sizeof(frame);

		if (pf_from_fuzzer(frame, len) || !pf_parse(frame, len, &p))
			continue;
		st->sniffed++;
		pf_learn(st, &p, now_ns());
	}
}

static void fuzz(struct pf_state *st)
{
	uint64_t start = now_ns(), next = start;
	uint64_t end = start + (uint64_t)st->opt.seconds * 1000000000ULL;
	uint64_t interval = st->opt.pps ? 1000000000ULL / st->opt.pps : 0;
	struct pollfd pfd = { .fd = st->sniff_fd, .events = POLLIN };

	while (st->packets < st->opt.max_packets) {
		uint64_t now = now_ns();

		if (now >= end)
			break;
		if (now < next) {
			poll(&pfd, 1, (int)((next - now) / 1000000 + 1));
			drain(st);
			continue;
		}
		drain(st);
		pf_act(st, now);
		next += interval;
		if (next + 1000000000ULL < now)	/* the VM stalled: no burst after */
			next = now;
	}
}

static void flood(struct pf_state *st)
{
	uint64_t interval = st->opt.pps ? 1000000000ULL / st->opt.pps : 0, next = now_ns();

	for (unsigned long i = 0; i < st->opt.syn_flood; i++) {
		pf_flood_syn(st);
		if (interval) {
			next += interval;
			while (now_ns() < next)
				sched_yield();
		} else if (i % 64 == 63) {
			sched_yield();
		}
	}
}

int main(int argc, char **argv)
{
	static struct pf_state st;
	uint64_t started;
	int own_ns;

	parse(argc, argv, &st.opt);
	setvbuf(stdout, NULL, _IOLBF, 0);
	rng_init(&st.rng, st.opt.seed);
	printf("gaius-pktfuzz: packet fuzzer seed %llu: %s, ports %u-%u, %s, %u packets/s\n",
	       (unsigned long long)st.opt.seed,
	       st.opt.syn_flood ? "SYN flood" : "fuzzing", st.opt.port_lo, st.opt.port_hi,
	       st.opt.family == 4 ? "IPv4" : st.opt.family == 6 ? "IPv6" : "IPv4 and IPv6",
	       st.opt.pps);
	own_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	st.sniff_fd = -1;
	if (own_ns < 0 ||
	    pf_open_link(&st.link[PF_TO_SERVER], st.opt.client_netns, st.opt.client_if,
			 st.opt.server_netns, st.opt.server_if, own_ns) ||
	    pf_open_link(&st.link[PF_TO_CLIENT], st.opt.server_netns, st.opt.server_if,
			 st.opt.client_netns, st.opt.client_if, own_ns) ||
	    (!st.opt.syn_flood &&
	     (st.sniff_fd = pf_open_sniffer(st.opt.client_netns, st.opt.client_if, own_ns)) < 0)) {
		fprintf(stderr, "gaius-pktfuzz: cannot set up: FAILED\n");
		return 1;
	}
	started = now_ns();
	if (st.opt.syn_flood) {
		st.opt.port_lo = st.opt.port_hi = st.opt.flood_port;
		flood(&st);
	} else {
		fuzz(&st);
	}
	printf("gaius-pktfuzz: seed %llu: %lu packets (%lu frames, %lu send errors) in %.1f s,"
	       " %lu on real four-tuples; sniffed %lu segments of %lu connections\n",
	       (unsigned long long)st.opt.seed, st.packets, st.frames, st.send_errors,
	       (double)(now_ns() - started) / 1e9, st.on_real_tuples, st.sniffed, st.flows_seen);
	for (int k = 0; k < PF_KINDS; k++)
		printf("gaius-pktfuzz: sent %s %lu\n", pf_kind_names[k], st.sent[k]);
	return 0;
}
