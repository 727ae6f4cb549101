// SPDX-License-Identifier: GPL-2.0 OR MIT
/* gaius-xfer's server and client: see xfer_run.h. */
#include "xfer_run.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xfer_session.h"
#include "xfer_socket.h"

struct xfer_totals {
	pthread_mutex_t lock;
	unsigned int connections;
	unsigned int failed;
	unsigned long long sent, received;
};

struct xfer_conn {
	const struct xfer_options *opts;
	struct xfer_totals *totals;
	unsigned int index;
	int fd;		/* server: the accepted socket; client: -1 */
};

static void count(struct xfer_totals *t, struct xfer_result r)
{
	pthread_mutex_lock(&t->lock);
	t->connections++;
	t->failed += r.failed ? 1 : 0;
	t->sent += r.sent;
	t->received += r.received;
	pthread_mutex_unlock(&t->lock);
}

static void count_failure(struct xfer_totals *t)
{
	count(t, (struct xfer_result){ .failed = 1 });
}

/* Server: the accepted socket gets the ULP, then the transfer. */
static void *serve(void *arg)
{
	struct xfer_conn *c = arg;
	char label[32];

	snprintf(label, sizeof(label), "server conn %u", c->index);
	if (xfer_attach(c->fd, &c->opts->keys, label))
		count_failure(c->totals);
	else
		count(c->totals, xfer_session(c->fd, c->opts, XFER_SERVER, c->index));
	close(c->fd);
	return NULL;
}

/* Client: a socket, the ULP before or after connect(), then the transfer. */
static void *dial(void *arg)
{
	struct xfer_conn *c = arg;
	const struct xfer_options *o = c->opts;
	char label[32];
	int fd;

	snprintf(label, sizeof(label), "client conn %u", c->index);
	fd = xfer_client_socket(o, label);
	if (fd < 0 ||
	    (o->ulp_before_connect && xfer_attach(fd, &o->keys, label)) ||
	    xfer_connect(fd, o, label) ||
	    (!o->ulp_before_connect && xfer_attach(fd, &o->keys, label)))
		count_failure(c->totals);
	else
		count(c->totals, xfer_session(fd, o, XFER_CLIENT, c->index));
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* Client --reconnect: one socket, connect(AF_UNSPEC) between connections. */
static void redial(const struct xfer_options *o, struct xfer_totals *t)
{
	int fd = xfer_client_socket(o, "client");

	if (fd < 0 || (o->ulp_before_connect && xfer_attach(fd, &o->keys, "client"))) {
		count_failure(t);
		goto out;
	}
	for (unsigned int i = 0; i < o->connections; i++) {
		if (xfer_connect(fd, o, "client") ||
		    (i == 0 && !o->ulp_before_connect &&
		     xfer_attach(fd, &o->keys, "client"))) {
			count_failure(t);
			break;
		}
		count(t, xfer_session(fd, o, XFER_CLIENT, i));
		if (i + 1 < o->connections && xfer_disconnect(fd, "client")) {
			count_failure(t);
			break;
		}
	}
out:
	if (fd >= 0)
		close(fd);
}

/* Server: accept each connection; client: make each one. */
static void run_connections(const struct xfer_options *o, struct xfer_totals *t,
			    int listener)
{
	struct xfer_conn *conns = calloc(o->connections, sizeof(*conns));
	pthread_t *threads = calloc(o->connections, sizeof(*threads));
	void *(*handler)(void *) = listener >= 0 ? serve : dial;
	unsigned int started = 0;

	for (unsigned int i = 0; conns && threads && i < o->connections; i++) {
		conns[i] = (struct xfer_conn){ o, t, i, -1 };
		if (listener >= 0) {
			conns[i].fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
			if (conns[i].fd < 0) {
				label_fail("server", "accept");
				count_failure(t);
				break;
			}
		}
		if (!o->concurrent)
			handler(&conns[i]);
		else if (pthread_create(&threads[started], NULL, handler, &conns[i]) == 0)
			started++;
		else
			count_failure(t);
	}
	if (!conns || !threads)
		count_failure(t);
	for (unsigned int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	free(conns);
	free(threads);
}

int xfer_run(const struct xfer_options *o)
{
	struct xfer_totals t = { .lock = PTHREAD_MUTEX_INITIALIZER };
	bool server = o->role == XFER_SERVER;
	int listener = -1;

	if (server) {
		listener = xfer_listen(o);
		if (listener < 0)
			return 1;
	}
	if (!server && o->reconnect)
		redial(o, &t);
	else
		run_connections(o, &t, listener);
	if (listener >= 0)
		close(listener);
	if (t.connections < o->connections && !t.failed)
		t.failed = 1;
	printf("gaius-xfer: %s: %u connection(s), %llu bytes sent, %llu received and verified: %s\n",
	       server ? "server" : "client", t.connections, t.sent, t.received,
	       t.failed ? "FAILED" : "OK");
	return t.failed ? 1 : 0;
}
