/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * gaius-sockfuzz: random system calls on TCP sockets with the caesar ULP,
 * from several threads and forked children at once, next to "oracle"
 * connections whose every byte is checked. See sockfuzz_main.c.
 */
#ifndef SOCKFUZZ_H
#define SOCKFUZZ_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "sockfuzz_mem.h"
#include "sockfuzz_net.h"
#include "sockfuzz_rng.h"

struct sockfuzz_options {
	uint64_t seed;
	unsigned int seconds;
	unsigned int threads;		/* fuzzing threads */
	unsigned int oracles;		/* oracle connections at a time */
	unsigned int slots;		/* fuzzed socket pairs */
	bool fork;			/* fork children that share the sockets */
	bool trace;			/* every call on stderr */
	const char *server_netns;	/* the veth peer's namespace, or NULL */
	const char *server4, *server6;	/* its addresses */
	unsigned int fuzz_port;		/* first of the fuzzed pairs' listeners */
	unsigned int oracle_port;	/* first of the oracles' ports */
	size_t oracle_max;		/* bytes per oracle connection, at most */
	int sndbuf, rcvbuf;		/* oracle sockets' SO_SNDBUF/RCVBUF, 0: default */
	const char *manifest;		/* where the oracles list their veth connections */
};

#define SF_MAX_CHILDREN 2

/* One fuzzing thread, or the child it forked. */
struct sf_thread {
	unsigned int id;
	struct rng rng;
	struct sf_mem mem;
	int pipe[2];			/* non-blocking, for splice and vmsplice */
	int memfd;			/* SF_FILE_SIZE bytes, for sendfile */
	bool child;			/* running in a forked child */
	_Atomic(const char *) op;	/* what it is doing, for the watchdog */
	pid_t tid;
	uint64_t calls;
	unsigned int slot, side;	/* where the current operation's fd is from */
	/* Forked children not reaped yet (pid 0: a free slot), and what each
	 * is doing (an operation's index, in memory shared with it). */
	pid_t children[SF_MAX_CHILDREN];
	double child_started[SF_MAX_CHILDREN];
	volatile int *child_ops;
	unsigned int child_slot;	/* in a child: its slot */
};

#define SF_FILE_SIZE (1 << 20)

/* A fuzzed pair: its two descriptor numbers never change (see sockfuzz_ops.c). */
struct sf_slot {
	int fd[2];
};

struct sockfuzz {
	struct sockfuzz_options opt;
	struct sf_net net;
	struct sf_listener *listeners;	/* one per transport, for the fuzzed pairs */
	unsigned int nlisteners;
	struct sf_slot *slots;
	struct sf_thread *threads;	/* the fuzzing threads */
	pthread_t *thread_ids;
	int devnull;			/* what a closed slot holds */
	atomic_bool stop;
	atomic_uint failures;		/* wrong bytes, broken contracts, lost children */
};

extern struct sockfuzz sf;

/* A failure: printed at once with one write() (forked children use it too). */
void sf_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A progress or trace line, same constraints. */
void sf_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* CLOCK_MONOTONIC, in seconds. */
double sf_now(void);

#endif /* SOCKFUZZ_H */
