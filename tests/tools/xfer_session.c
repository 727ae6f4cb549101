// SPDX-License-Identifier: GPL-2.0 OR MIT
/* One connection's transfer: see xfer_session.h. */
#include "xfer_session.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "payload.h"
#include "xfer_socket.h"

struct xfer_side {
	struct xfer_stream stream;
	const struct xfer_method *method;
	const struct xfer_options *opts;
	char label[64];
	int ret;
};

/* Wait for the peer's EOF: more data is an error, a reset after the transfer is not. */
static int expect_eof(struct xfer_stream *s)
{
	unsigned char byte;

	for (;;) {
		ssize_t n = recv(s->fd, &byte, 1, MSG_DONTWAIT);

		if (n == 0)
			return 0;
		if (n > 0)
			return stream_error(s, "received more than the %llu bytes expected",
					    (unsigned long long)s->size);
		if (errno == ECONNRESET) {
			fprintf(stderr, "gaius-xfer: %s: peer reset the connection after the transfer\n",
				s->label);
			return 0;
		}
		if (errno != EAGAIN && errno != EINTR)
			return stream_fail(s, "waiting for EOF");
		if (stream_poll(s, POLLIN))
			return -1;
	}
}

static void *send_side(void *arg)
{
	struct xfer_side *side = arg;

	side->ret = side->method->run(&side->stream);
	return NULL;
}

/* Receive the peer's stream up to the limit; EOF is checked after shutdown. */
static void receive_side(struct xfer_side *side)
{
	struct xfer_stream *s = &side->stream;
	const struct xfer_options *o = side->opts;

	s->limit = o->recv_limit < s->size ? o->recv_limit : s->size;
	s->scratch = malloc(s->chunk);
	if (!s->scratch) {
		side->ret = stream_fail(s, "malloc");
		return;
	}
	if (s->size && (xfer_set_late_rx_key(s->fd, &o->keys, s->size, s->label) ||
			side->method->run(s)))
		side->ret = -1;
	else if (s->done < s->limit)
		side->ret = stream_error(s, "EOF after %llu of %llu bytes",
					 (unsigned long long)s->done,
					 (unsigned long long)s->limit);
	free(s->scratch);
}

/*
 * shutdown(SHUT_WR) and the peer's EOF; or nothing when we stopped reading
 * early (--recv-limit): the caller's close() then finds data unread and
 * resets the connection, which a FIN exchange first would have closed.
 */
static int finish_both_ways(struct xfer_side *tx, struct xfer_side *rx)
{
	if (rx->stream.limit < rx->stream.size)
		return 0;
	if (shutdown(tx->stream.fd, SHUT_WR)) {
		/* Every byte was handed over: the peer may have reset already (--recv-limit). */
		if (errno != ENOTCONN)
			return stream_fail(&tx->stream, "shutdown(SHUT_WR)");
		fprintf(stderr, "gaius-xfer: %s: peer reset the connection before shutdown\n",
			tx->stream.label);
	}
	return expect_eof(&rx->stream);
}

static void side_init(struct xfer_side *side, int fd,
		      const struct xfer_options *o, const char *name,
		      const char *what, enum payload_direction dir, bool active)
{
	side->stream = (struct xfer_stream){
		.fd = fd,
		.seed = payload_stream_seed(o->seed, dir),
		.size = active ? o->size : 0,
		.chunk = o->chunk,
		.label = side->label,
	};
	side->opts = o;
	side->ret = 0;
	snprintf(side->label, sizeof(side->label), "%s %s", name, what);
}

/* Keep the connection established, e.g. for ss or rmmod to see it. */
static void hold(const char *name, unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (long)(ms % 1000) * 1000000 };

	printf("gaius-xfer: %s: holding the connection for %u ms\n", name, ms);
	fflush(stdout);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

struct xfer_result xfer_session(int fd, const struct xfer_options *o,
				enum xfer_role role, unsigned int index)
{
	bool client = role == XFER_CLIENT;
	enum payload_direction out = client ? PAYLOAD_CLIENT_TO_SERVER : PAYLOAD_SERVER_TO_CLIENT;
	unsigned int out_bit = client ? XFER_TO_SERVER : XFER_TO_CLIENT;
	struct xfer_side tx, rx;
	char name[48];
	pthread_t thread;
	bool both = (o->directions & out_bit) && (o->directions & ~out_bit);
	struct xfer_result result;

	snprintf(name, sizeof(name), "%s conn %u", client ? "client" : "server", index);
	side_init(&tx, fd, o, name, "send", out, o->directions & out_bit);
	tx.method = o->send;
	side_init(&rx, fd, o, name, "receive", (enum payload_direction)!out, o->directions & ~out_bit);
	rx.method = o->recv;

	if (both && pthread_create(&thread, NULL, send_side, &tx) == 0) {
		receive_side(&rx);
		pthread_join(thread, NULL);
	} else {
		send_side(&tx);
		receive_side(&rx);
	}
	if (o->reset && xfer_set_reset_on_close(fd, name))
		rx.ret = -1;
	if (!tx.ret && !rx.ret) {
		if (o->hold_ms)
			hold(name, o->hold_ms);
		rx.ret = finish_both_ways(&tx, &rx);
	}
	result = (struct xfer_result){
		.sent = tx.stream.done,
		.received = rx.stream.done,
		.failed = tx.ret || rx.ret,
	};
	printf("gaius-xfer: %s: sent %llu (%s), received %llu (%s): %s\n", name,
	       (unsigned long long)result.sent, o->send->name,
	       (unsigned long long)result.received, o->recv->name,
	       result.failed ? "FAILED" : "ok");
	fflush(stdout);
	return result;
}
