// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * gaius-sockfuzz: fuzzes the caesar ULP through the socket system calls.
 *
 *   gaius-sockfuzz [--seed N] [--seconds N] [--threads N] [--oracles N]
 *                  [--slots N] [--no-fork] [--trace]
 *                  [--server-netns PATH --server4 ADDR --server6 ADDR]
 *                  [--fuzz-port N] [--oracle-port N] [--oracle-max BYTES]
 *                  [--sndbuf N] [--rcvbuf N] [--manifest FILE]
 *
 * For --seconds, --threads fuzzing threads run random operations
 * (sockfuzz_ops.c) on --slots pairs of connected TCP sockets, many with
 * the caesar ULP, over loopback and (with --server-netns, a veth peer's
 * namespace) veth, IPv4 and IPv6; they fork children that do the same on
 * the same sockets. Meanwhile --oracles connections move the payload
 * stream and check every byte (sockfuzz_oracle.c), and the threads probe
 * them with calls whose outcome is known (sockfuzz_contract.c).
 *
 * The seed is printed first; the same seed replays the same sequence of
 * calls in every thread and child and the same oracle connections (the
 * scheduler still decides how the threads interleave; --threads 1
 * --no-fork --oracles 0 is one sequence). Exits 0 when nothing failed: no
 * wrong or missing byte, no broken contract, no child killed, no thread
 * stuck; the kernel's own log is the caller's to check.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "sockfuzz.h"
#include "sockfuzz_oracle.h"
#include "sockfuzz_ops.h"

/* After --seconds, how long the threads have to finish what they do. */
#define GRACE_SECONDS 120

struct sockfuzz sf;

static void vlog(const char *prefix, const char *fmt, va_list ap)
{
	char line[8192];
	int n = snprintf(line, sizeof(line), "gaius-sockfuzz: %s", prefix);

	n += vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	/* One write per line: threads and children do not interleave within one. */
	if (write(STDOUT_FILENO, line, (size_t)n) < 0)
		return;
}

void sf_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void sf_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("FAILED: ", fmt, ap);
	va_end(ap);
	atomic_fetch_add(&sf.failures, 1);
	atomic_store(&sf.stop, true);
}

double sf_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: gaius-sockfuzz [--seed N] [--seconds N] [--threads N] [--oracles N]\n"
		"                      [--slots N] [--no-fork] [--trace]\n"
		"                      [--server-netns PATH --server4 ADDR --server6 ADDR]\n"
		"                      [--fuzz-port N] [--oracle-port N] [--oracle-max BYTES]\n"
		"                      [--sndbuf N] [--rcvbuf N] [--manifest FILE]\n");
	exit(status);
}

static unsigned long long number(const char *opt, const char *text, unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(text, &end, 0);
	if (errno || end == text || *end || v > max) {
		fprintf(stderr, "gaius-sockfuzz: %s: bad value \"%s\"\n", opt, text);
		exit(2);
	}
	return v;
}

static void parse_options(int argc, char **argv, struct sockfuzz_options *o)
{
	static const struct option longs[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "seconds", required_argument, NULL, 't' },
		{ "threads", required_argument, NULL, 'j' },
		{ "oracles", required_argument, NULL, 'o' },
		{ "slots", required_argument, NULL, 'n' },
		{ "no-fork", no_argument, NULL, 'F' },
		{ "trace", no_argument, NULL, 'T' },
		{ "server-netns", required_argument, NULL, 'N' },
		{ "server4", required_argument, NULL, '4' },
		{ "server6", required_argument, NULL, '6' },
		{ "fuzz-port", required_argument, NULL, 'p' },
		{ "oracle-port", required_argument, NULL, 'P' },
		{ "oracle-max", required_argument, NULL, 'm' },
		{ "sndbuf", required_argument, NULL, 'S' },
		{ "rcvbuf", required_argument, NULL, 'R' },
		{ "manifest", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool seeded = false;
	int c;

	*o = (struct sockfuzz_options){
		.seconds = 30, .threads = 3, .oracles = 4, .slots = 8, .fork = true,
		.server4 = "192.0.2.1", .server6 = "2001:db8::1",
		.fuzz_port = 19000, .oracle_port = 20000, .oracle_max = 1 << 20,
	};
	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
		switch (c) {
		case 's': o->seed = number("--seed", optarg, ULLONG_MAX); seeded = true; break;
		case 't': o->seconds = (unsigned int)number("--seconds", optarg, 86400); break;
		case 'j': o->threads = (unsigned int)number("--threads", optarg, 64); break;
		case 'o': o->oracles = (unsigned int)number("--oracles", optarg, 30); break;
		case 'n': o->slots = (unsigned int)number("--slots", optarg, 256); break;
		case 'F': o->fork = false; break;
		case 'T': o->trace = true; break;
		case 'N': o->server_netns = optarg; break;
		case '4': o->server4 = optarg; break;
		case '6': o->server6 = optarg; break;
		case 'p': o->fuzz_port = (unsigned int)number("--fuzz-port", optarg, 65530); break;
		case 'P': o->oracle_port = (unsigned int)number("--oracle-port", optarg, 65535 - 30000); break;
		case 'm': o->oracle_max = (size_t)number("--oracle-max", optarg, 1ULL << 34); break;
		case 'S': o->sndbuf = (int)number("--sndbuf", optarg, INT_MAX); break;
		case 'R': o->rcvbuf = (int)number("--rcvbuf", optarg, INT_MAX); break;
		case 'M': o->manifest = optarg; break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (optind != argc || !o->slots || !o->oracle_max)
		usage(2);
	if (!seeded) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		o->seed = (uint64_t)ts.tv_sec * 1000003ULL ^ (uint64_t)ts.tv_nsec ^ (uint64_t)getpid();
	}
}

static int start_listeners(void)
{
	unsigned int n = sf.net.server_ns < 0 ? SF_VETH4 : SF_NTRANSPORTS;

	sf.listeners = calloc(n, sizeof(*sf.listeners));
	if (!sf.listeners)
		return -1;
	for (unsigned int i = 0; i < n; i++) {
		struct sf_listener *l = &sf.listeners[i];

		l->transport = (enum sf_transport)i;
		l->fd = sf_listen(&sf.net, l->transport, sf.opt.fuzz_port + i, &l->addr);
		if (l->fd < 0 || pthread_mutex_init(&l->lock, NULL))
			return -1;
		sf.nlisteners++;
	}
	return 0;
}

static int thread_init(struct sf_thread *t, unsigned int id)
{
	t->id = id;
	rng_init(&t->rng, rng_derive(sf.opt.seed, 1, id));
	atomic_store(&t->op, "starting");
	if (sf_mem_init(&t->mem, &t->rng) || pipe2(t->pipe, O_NONBLOCK | O_CLOEXEC))
		return -1;
	t->child_ops = mmap(NULL, SF_MAX_CHILDREN * sizeof(int), PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (t->child_ops == MAP_FAILED)
		return -1;
	t->memfd = memfd_create("sockfuzz", MFD_CLOEXEC);
	if (t->memfd < 0 || write(t->memfd, t->mem.buf, SF_BUF_SIZE) != SF_BUF_SIZE ||
	    ftruncate(t->memfd, SF_FILE_SIZE))
		return -1;
	return 0;
}

static void show_stack(const struct sf_thread *t)
{
	char path[64], text[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stack", (int)t->tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	text[n > 0 ? n : 0] = '\0';
	sf_log("thread %u's kernel stack:\n%s", t->id, text);
}

static bool join_threads(void)
{
	struct sf_thread *threads = sf.threads;
	pthread_t *ids = sf.thread_ids;
	struct timespec until;
	bool ok = true;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += GRACE_SECONDS;
	for (unsigned int i = 0; i < sf.opt.threads; i++) {
		if (pthread_timedjoin_np(ids[i], NULL, &until)) {
			sf_fail("thread %u is stuck in %s", i, atomic_load(&threads[i].op));
			show_stack(&threads[i]);
			ok = false;
		}
	}
	return ok;
}

/* Sleeps until the deadline, or until the first failure. */
static void run_for(unsigned int seconds)
{
	struct timespec tick = { .tv_nsec = 100000000 };

	for (unsigned int i = 0; i < seconds * 10 && !atomic_load(&sf.stop); i++)
		nanosleep(&tick, NULL);
	atomic_store(&sf.stop, true);
}

static void setup_failed(const char *what)
{
	fprintf(stdout, "gaius-sockfuzz: FAILED: setup: %s: %s\n", what, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	bool joined;

	parse_options(argc, argv, &sf.opt);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	sf_log("seed %llu: %u s, %u threads, %u slots, %u oracles, fork %s, %s",
	       (unsigned long long)sf.opt.seed, sf.opt.seconds, sf.opt.threads, sf.opt.slots,
	       sf.opt.oracles, sf.opt.fork ? "on" : "off",
	       sf.opt.server_netns ? "loopback and veth" : "loopback only");
	if (sf_net_init(&sf.net, sf.opt.server_netns, sf.opt.server4, sf.opt.server6))
		setup_failed("the network namespaces");
	sf.devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	sf.slots = calloc(sf.opt.slots, sizeof(*sf.slots));
	sf.threads = calloc(sf.opt.threads ? sf.opt.threads : 1, sizeof(*sf.threads));
	sf.thread_ids = calloc(sf.opt.threads ? sf.opt.threads : 1, sizeof(*sf.thread_ids));
	if (sf.devnull < 0 || !sf.slots || !sf.threads || !sf.thread_ids)
		setup_failed("memory");
	if (start_listeners())
		setup_failed("the listeners");
	if (sf_slots_init())
		setup_failed("the first socket pairs");
	if (sf_sockmap_create())
		setup_failed("the sockmaps (bpf)");
	if (sf_oracles_start())
		setup_failed("the oracles");
	for (unsigned int i = 0; i < sf.opt.threads; i++)
		if (thread_init(&sf.threads[i], i) ||
		    pthread_create(&sf.thread_ids[i], NULL, sf_fuzz_thread, &sf.threads[i]))
			setup_failed("the fuzzing threads");

	run_for(sf.opt.seconds);
	joined = join_threads();
	joined = sf_oracles_join(GRACE_SECONDS) && joined;
	sf_report_ops();
	sf_oracles_report();
	if (atomic_load(&sf.failures)) {
		sf_log("seed %llu: FAILED: %u failure(s)", (unsigned long long)sf.opt.seed,
		       atomic_load(&sf.failures));
		/* A thread stuck in the kernel would keep exit() waiting. */
		if (!joined)
			_exit(1);
		return 1;
	}
	sf_log("seed %llu: OK: no wrong byte, no broken contract, no lost child",
	       (unsigned long long)sf.opt.seed);
	return 0;
}
