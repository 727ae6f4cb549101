// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The fuzzing loop: each thread draws an operation (by weight), a slot and
 * an end, and runs it, until told to stop. What it draws depends only on
 * its seed, never on what the calls return, so a seed replays the same
 * sequence of calls per thread (the threads' interleaving is the
 * scheduler's). A forked child runs its own sequence on the same sockets
 * for a while, and must exit cleanly.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sockfuzz_ops.h"

#define CHILD_OPS 200
#define CHILD_WAIT_SECONDS 60

struct op {
	const char *name;
	sf_op_fn fn;
	unsigned int weight;
	bool in_child;		/* safe after fork(): takes no lock, forks not */
	atomic_ullong calls, ok, bad;
};

#define OP(n, f, w, c) { .name = (n), .fn = (f), .weight = (w), .in_child = (c) }

static struct op ops[] = {
	OP("setsockopt", sf_op_setsockopt, 20, true),
	OP("getsockopt", sf_op_getsockopt, 10, true),
	OP("send", sf_op_send, 14, true),
	OP("recv", sf_op_recv, 14, true),
	OP("sendfile", sf_op_sendfile, 4, true),
	OP("splice-to-socket", sf_op_splice_to, 4, true),
	OP("vmsplice", sf_op_vmsplice, 3, true),
	OP("splice-from-socket", sf_op_splice_from, 4, true),
	OP("zerocopy-receive", sf_op_zerocopy_receive, 3, true),
	OP("mmap", sf_op_mmap, 2, true),
	OP("sockmap", sf_op_sockmap, 2, true),
	OP("shutdown", sf_op_shutdown, 2, true),
	OP("disconnect", sf_op_disconnect, 1, true),
	OP("listen-accept", sf_op_listen, 1, true),
	OP("ioctl", sf_op_ioctl, 3, true),
	OP("poll", sf_op_poll, 2, true),
	OP("sock-diag", sf_op_sock_diag, 1, true),
	OP("proc-caesar-stat", sf_op_proc_stat, 1, true),
	OP("close", sf_op_close, 2, true),
	OP("replace", sf_op_replace, 4, false),
	OP("ulp-contract", sf_op_ulp_contract, 4, false),
	OP("listener-ulp", sf_op_listener_ulp, 1, false),
	OP("oracle-probe", sf_op_oracle_probe, 6, false),
	OP("fork", sf_op_fork, 1, false),
};

static const struct op *pick(struct rng *r, bool child)
{
	unsigned int total = 0, x;

	for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
		total += ops[i].weight;
	x = (unsigned int)rng_below(r, total);
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		if (x < ops[i].weight) {
			if ((child && !ops[i].in_child) || (ops[i].fn == sf_op_fork && !sf.opt.fork))
				return NULL;
			return &ops[i];
		}
		x -= ops[i].weight;
	}
	return NULL;
}

/* One operation; in a child, without counting (its counts die with it). */
static void step(struct sf_thread *t)
{
	struct op *op = (struct op *)pick(&t->rng, t->child);
	unsigned int slot = (unsigned int)rng_below(&t->rng, sf.opt.slots);
	unsigned int side = (unsigned int)rng_below(&t->rng, 2);
	bool bad = false;
	long ret;
	int err;

	if (!op)
		return;
	t->slot = slot;
	t->side = side;
	atomic_store(&t->op, op->name);
	if (t->child)
		t->child_ops[t->child_slot] = (int)(op - ops);
	ret = op->fn(t, sf.slots[slot].fd[side], &bad);
	err = errno;
	atomic_store(&t->op, "between calls");
	t->calls++;
	if (sf.opt.trace)
		sf_log("%s%u #%llu %s slot %u.%u%s -> %ld%s%s", t->child ? "child of t" : "t",
		       t->id, (unsigned long long)t->calls, op->name, slot, side,
		       bad ? " (bad input)" : "", ret, ret < 0 ? " " : "",
		       ret < 0 ? strerror(err) : "");
	if (t->child)
		return;
	atomic_fetch_add(&op->calls, 1);
	if (ret >= 0)
		atomic_fetch_add(&op->ok, 1);
	if (bad)
		atomic_fetch_add(&op->bad, 1);
}

static void run_child(struct sf_thread *t, uint64_t seed)
{
	unsigned int before = atomic_load(&sf.failures);

	t->child = true;
	rng_init(&t->rng, seed);
	for (unsigned int i = 0; i < CHILD_OPS && !atomic_load(&sf.stop); i++)
		step(t);
	_exit(atomic_load(&sf.failures) != before ? 1 : 0);
}

/* The child's state and kernel stack, for a report that it hangs. */
static void show_child(pid_t pid)
{
	char path[64], text[4096];
	size_t n;

	for (int i = 0; i < 2; i++) {
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, i ? "stack" : "stat");
		f = fopen(path, "r");
		if (!f)
			continue;
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
		text[n] = '\0';
		sf_log("child %d's %s:\n%s", (int)pid, i ? "kernel stack (empty when running)" :
							  "stat (the third field is its state)", text);
	}
}

/* Whether the child in slot @i is done (reported if it failed); one still
 * running after CHILD_WAIT_SECONDS is reported, shown and killed. */
static bool reap_child(struct sf_thread *t, unsigned int i)
{
	pid_t pid = t->children[i];
	int status;
	pid_t got = waitpid(pid, &status, WNOHANG);

	if (got == 0 && sf_now() - t->child_started[i] < CHILD_WAIT_SECONDS)
		return false;
	if (got == 0) {
		sf_fail("a forked child (pid %d) still runs after %d s, in %s", (int)pid,
			CHILD_WAIT_SECONDS, ops[t->child_ops[i]].name);
		show_child(pid);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	} else if (got < 0) {
		sf_fail("waitpid(%d): %s", (int)pid, strerror(errno));
	} else if (WIFSIGNALED(status)) {
		sf_fail("a forked child (pid %d) was killed by signal %d (%s)", (int)pid,
			WTERMSIG(status), strsignal(WTERMSIG(status)));
	} else if (WEXITSTATUS(status)) {
		sf_fail("a forked child (pid %d) exited %d", (int)pid, WEXITSTATUS(status));
	}
	return true;
}

/* Reaps the children that are done; with @all, waits for every one. */
static void reap_children(struct sf_thread *t, bool all)
{
	struct timespec tick = { .tv_nsec = 10000000 };
	bool left;

	do {
		left = false;
		for (unsigned int i = 0; i < SF_MAX_CHILDREN; i++) {
			if (t->children[i] && reap_child(t, i))
				t->children[i] = 0;
			left |= t->children[i] != 0;
		}
		if (all && left)
			nanosleep(&tick, NULL);
	} while (all && left);
}

/*
 * A child that runs its own sequence on the same sockets, while this
 * thread goes on; at most SF_MAX_CHILDREN per thread at a time (the call
 * does nothing when there are, after drawing what it would have).
 */
long sf_op_fork(struct sf_thread *t, int fd, bool *bad)
{
	uint64_t seed = rng_next(&t->rng);
	unsigned int i;
	pid_t pid;

	(void)fd;
	(void)bad;
	reap_children(t, false);
	for (i = 0; i < SF_MAX_CHILDREN && t->children[i]; i++)
		;
	if (i == SF_MAX_CHILDREN)
		return 0;
	t->child_slot = i;
	t->child_ops[i] = 0;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		run_child(t, seed);
	t->children[i] = pid;
	t->child_started[i] = sf_now();
	return 0;
}

void *sf_fuzz_thread(void *arg)
{
	struct sf_thread *t = arg;

	t->tid = gettid();
	while (!atomic_load(&sf.stop))
		step(t);
	atomic_store(&t->op, "waiting for its children");
	reap_children(t, true);
	atomic_store(&t->op, "done");
	return NULL;
}

void sf_report_ops(void)
{
	unsigned long long calls = 0, bad = 0;

	sf_log("%-20s %10s %10s %10s", "operation", "calls", "succeeded", "bad input");
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		sf_log("%-20s %10llu %10llu %10llu", ops[i].name, atomic_load(&ops[i].calls),
		       atomic_load(&ops[i].ok), atomic_load(&ops[i].bad));
		calls += atomic_load(&ops[i].calls);
		bad += atomic_load(&ops[i].bad);
	}
	sf_log("fuzzing: %llu calls, %llu of them with bad input on purpose", calls, bad);
}
