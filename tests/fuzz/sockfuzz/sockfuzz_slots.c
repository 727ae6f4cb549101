// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The fuzzed pairs. Each slot owns two descriptor numbers for the whole
 * run; a pair is put there with dup2() and "closed" by dup2() of /dev/null
 * over it. So closing races with every operation in flight on the socket,
 * as close() does, but a number is never reused for something else (an
 * oracle's socket, say) while another thread still holds it.
 *
 * A new pair gets a random transport and, on each end, any of: no ULP,
 * the ULP alone, CAESAR_KEY, a TX key, an RX key, both with different
 * keys (the two ends often share one key, so that bytes mean something);
 * SO_ZEROCOPY, SO_OOBINLINE, O_NONBLOCK.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/caesar.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sockfuzz_ops.h"

#define FUZZ_TIMEOUT_MS 20

static int random_key(struct rng *r)
{
	int key;

	if (rng_percent(r, 10))
		return sf_int(r);	/* maybe shift 0, maybe refused */
	do
		key = (int)(uint32_t)rng_next(r);
	while (!(key & 0xff));
	return key;
}

static void set_int(int fd, int level, int name, int value)
{
	/* Refusals are part of the game: the socket stays as it was. */
	(void)setsockopt(fd, level, name, &value, sizeof(value));
}

/* One end's setup, drawn before connecting so that a failed connect()
 * does not change what the generator draws next. */
struct end_config {
	unsigned int how;
	int key, rx_key;
	bool zerocopy, oobinline, nonblock;
};

static void draw_end(struct rng *r, struct end_config *c, int shared_key)
{
	c->how = (unsigned int)rng_below(r, 8);
	c->key = rng_percent(r, 70) ? shared_key : random_key(r);
	c->rx_key = random_key(r);
	c->zerocopy = rng_percent(r, 30);
	c->oobinline = rng_percent(r, 20);
	c->nonblock = rng_percent(r, 10);
}

static void configure_end(int fd, const struct end_config *c)
{
	if (c->how > 0)
		(void)sf_attach_ulp(fd);
	switch (c->how) {
	case 2:
	case 3:
	case 4:
		set_int(fd, SOL_TCP, CAESAR_KEY, c->key);
		break;
	case 5:
		set_int(fd, SOL_TCP, CAESAR_TX_KEY, c->key);
		break;
	case 6:
		set_int(fd, SOL_TCP, CAESAR_RX_KEY, c->key);
		break;
	case 7:
		set_int(fd, SOL_TCP, CAESAR_TX_KEY, c->key);
		set_int(fd, SOL_TCP, CAESAR_RX_KEY, c->rx_key);
		break;
	default:
		break;
	}
	if (c->zerocopy)
		set_int(fd, SOL_SOCKET, SO_ZEROCOPY, 1);
	if (c->oobinline)
		set_int(fd, SOL_SOCKET, SO_OOBINLINE, 1);
	if (c->nonblock)
		(void)fcntl(fd, F_SETFL, O_NONBLOCK);
}

int sf_new_pair(struct rng *r, int fds[2])
{
	struct sf_listener *l = &sf.listeners[rng_below(r, sf.nlisteners)];
	struct sf_pair_setup setup = {
		.ulp_before_connect = rng_percent(r, 15),
		.timeout_ms = FUZZ_TIMEOUT_MS,
	};
	int key = random_key(r), err;
	struct end_config ends[2];

	draw_end(r, &ends[0], key);
	draw_end(r, &ends[1], key);
	pthread_mutex_lock(&l->lock);
	err = sf_connect_pair(l->fd, l->transport, &l->addr, &setup, fds);
	pthread_mutex_unlock(&l->lock);
	if (err)
		return -1;
	configure_end(fds[0], &ends[0]);
	configure_end(fds[1], &ends[1]);
	return 0;
}

int sf_slots_init(void)
{
	struct rng r;

	rng_init(&r, rng_derive(sf.opt.seed, 3, 0));
	for (unsigned int i = 0; i < sf.opt.slots; i++) {
		int fds[2];

		for (int side = 0; side < 2; side++) {
			sf.slots[i].fd[side] = dup(sf.devnull);
			if (sf.slots[i].fd[side] < 0)
				return -1;
		}
		if (sf_new_pair(&r, fds))
			return -1;
		for (int side = 0; side < 2; side++) {
			if (dup2(fds[side], sf.slots[i].fd[side]) < 0)
				return -1;
			close(fds[side]);
		}
	}
	return 0;
}

long sf_op_close(struct sf_thread *t, int fd, bool *bad)
{
	const struct sf_slot *s = &sf.slots[t->slot];
	struct linger reset = { .l_onoff = 1, .l_linger = 0 };

	(void)bad;
	if (rng_percent(&t->rng, 30))
		(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
	if (rng_percent(&t->rng, 40) && dup2(sf.devnull, s->fd[!t->side]) < 0)
		return -1;
	return dup2(sf.devnull, fd) < 0 ? -1 : 0;
}

long sf_op_replace(struct sf_thread *t, int fd, bool *bad)
{
	const struct sf_slot *s = &sf.slots[t->slot];
	long ret = 0;
	int fds[2];

	(void)fd;
	(void)bad;
	if (sf_new_pair(&t->rng, fds))
		return -1;
	for (int side = 0; side < 2; side++) {
		if (dup2(fds[side], s->fd[side]) < 0)
			ret = -1;
		close(fds[side]);
	}
	return ret;
}
