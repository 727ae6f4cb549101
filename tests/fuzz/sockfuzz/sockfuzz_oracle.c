// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The oracles (sockfuzz_oracle.h): each runs connections one after another
 * until the fuzzing stops (one at least), on its own transport (veth IPv4, veth IPv6,
 * loopback IPv4, IPv6, IPv4-mapped, in turn). Connection C of oracle N is
 * drawn from the seed alone: its direction, size (up to --oracle-max),
 * key, how the keys are set (CAESAR_KEY on both ends, CAESAR_TX_KEY and
 * CAESAR_RX_KEY, or the RX key once bytes are queued), whether the client
 * attaches the ULP before connect(), SO_ZEROCOPY, and the payload seed. It
 * listens on port --oracle-port + 1000 N + C, which for C from 0 to 9 no
 * other connection takes (later ones go round ports 10 to 999), so that a
 * capture can pick the first ones out; --manifest lists the veth ones that
 * completed (for wirecheck-many.py).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/caesar.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sockfuzz.h"
#include "sockfuzz_oracle.h"

#define ORACLE_TIMEOUT_MS 5000
/* The first connections of an oracle have ports no later one takes. */
#define OWN_PORTS 10

struct sf_oracle *sf_oracles;
static FILE *manifest;
static pthread_mutex_t manifest_lock = PTHREAD_MUTEX_INITIALIZER;

/* What one connection does, all drawn before it starts. */
struct plan {
	uint64_t index;
	bool to_server;		/* the client sends */
	uint64_t size;
	int key;
	unsigned int keying;	/* 0 CAESAR_KEY, 1 TX and RX, 2 RX once bytes are queued */
	bool ulp_first, zerocopy;
	uint64_t seed;
	unsigned int port;
	uint64_t tx_seed, rx_seed;	/* the halves' generators */
};

static void draw_plan(const struct sf_oracle *o, uint64_t c, struct plan *p)
{
	struct rng r;

	rng_init(&r, rng_derive(sf.opt.seed, 100 + o->id, c));
	p->index = c;
	p->to_server = rng_percent(&r, 50);
	p->size = rng_size(&r, sf.opt.oracle_max);
	do
		p->key = (int)(uint32_t)rng_next(&r);
	while (!(p->key & 0xff));
	p->keying = (unsigned int)rng_below(&r, 3);
	p->ulp_first = rng_percent(&r, 30);
	p->zerocopy = rng_percent(&r, 50);
	p->seed = rng_next(&r) >> 1;	/* gaius-xfer payload --seed takes 63 bits */
	p->port = sf.opt.oracle_port + o->id * 1000 +
		  (unsigned int)(c < OWN_PORTS ? c : OWN_PORTS + (c - OWN_PORTS) % (1000 - OWN_PORTS));
	p->tx_seed = rng_next(&r);
	p->rx_seed = rng_next(&r);
}

static int set_int(int fd, int level, int name, int value)
{
	return setsockopt(fd, level, name, &value, sizeof(value));
}

/* The ULP and keys on both ends, as the plan says. */
static int key_ends(struct sf_oracle *o, const struct plan *p, int client)
{
	int tx_opt = p->keying ? CAESAR_TX_KEY : CAESAR_KEY;
	int rx_opt = p->keying ? CAESAR_RX_KEY : CAESAR_KEY;

	if ((!(p->ulp_first && o->sender == client) && sf_attach_ulp(o->sender)) ||
	    (!(p->ulp_first && o->receiver == client) && sf_attach_ulp(o->receiver)) ||
	    set_int(o->sender, SOL_TCP, tx_opt, p->key) ||
	    (p->keying != 2 && set_int(o->receiver, SOL_TCP, rx_opt, p->key)) ||
	    set_int(o->receiver, SOL_SOCKET, SO_OOBINLINE, 1) ||
	    (p->zerocopy && set_int(o->sender, SOL_SOCKET, SO_ZEROCOPY, 1)))
		return -1;
	o->key = p->key;
	o->tx_opt = tx_opt;
	o->rx_opt = rx_opt;
	atomic_store(&o->rx_key_set, p->keying != 2);
	return 0;
}

static int open_connection(struct sf_oracle *o, const struct plan *p, const char *where)
{
	struct sf_pair_setup setup = {
		.ulp_before_connect = p->ulp_first,
		.sndbuf = sf.opt.sndbuf,
		.rcvbuf = sf.opt.rcvbuf,
		.timeout_ms = ORACLE_TIMEOUT_MS,
	};
	struct sockaddr_storage addr;
	int listener, fds[2], err;

	listener = sf_listen(&sf.net, o->transport, p->port, &addr);
	if (listener < 0) {
		sf_fail("%s: listen: %s", where, strerror(errno));
		return -1;
	}
	err = sf_connect_pair(listener, o->transport, &addr, &setup, fds);
	close(listener);
	if (err) {
		sf_fail("%s: connect: %s", where, strerror(errno));
		return -1;
	}
	pthread_rwlock_wrlock(&o->lock);
	o->sender = p->to_server ? fds[0] : fds[1];
	o->receiver = p->to_server ? fds[1] : fds[0];
	err = key_ends(o, p, fds[0]);
	o->live = !err;
	pthread_rwlock_unlock(&o->lock);
	if (err) {
		sf_fail("%s: setting up the ULP and keys: %s", where, strerror(errno));
		close(fds[0]);
		close(fds[1]);
	}
	return err;
}

static void close_connection(struct sf_oracle *o)
{
	pthread_rwlock_wrlock(&o->lock);
	o->live = false;
	close(o->sender);
	close(o->receiver);
	pthread_rwlock_unlock(&o->lock);
}

static void *send_half(void *arg)
{
	struct sf_stream *tx = arg;

	return (void *)(intptr_t)sf_oracle_send(tx);
}

static void write_manifest(const struct sf_oracle *o, const struct plan *p)
{
	if (!manifest || !sf_transport_is_veth(o->transport))
		return;
	pthread_mutex_lock(&manifest_lock);
	fprintf(manifest, "%u %llu %u %s %llu %llu %d\n", o->id, (unsigned long long)p->index,
		p->port, p->to_server ? "client-to-server" : "server-to-client",
		(unsigned long long)p->seed, (unsigned long long)p->size, p->key);
	fflush(manifest);
	pthread_mutex_unlock(&manifest_lock);
}

/* One connection, start to end; -1 once it failed (already reported). */
static int run_connection(struct sf_oracle *o, uint64_t c)
{
	struct sf_stream *tx = o->tx, *rx = o->rx;
	atomic_bool abort_flag = false;
	char where[sizeof(tx->where)];
	struct plan p;
	pthread_t sender;
	void *sent;
	int received;

	draw_plan(o, c, &p);
	snprintf(where, sizeof(where), "oracle %u (%s) connection %llu port %u", o->id,
		 sf_transport_name(o->transport), (unsigned long long)c, p.port);
	atomic_store(&o->op, "connecting");
	if (open_connection(o, &p, where))
		return -1;
	*tx = (struct sf_stream){ .o = o, .fd = o->sender, .seed = p.seed, .size = p.size,
				  .zerocopy = p.zerocopy, .oob = true, .abort = &abort_flag,
				  .pipe = { tx->pipe[0], tx->pipe[1] }, .memfd = tx->memfd,
				  .buf = tx->buf, .expect = tx->expect };
	*rx = (struct sf_stream){ .o = o, .fd = o->receiver, .seed = p.seed, .size = p.size,
				  .late_key = p.keying == 2, .rx_opt = o->rx_opt, .key = p.key,
				  .abort = &abort_flag, .pipe = { rx->pipe[0], rx->pipe[1] },
				  .memfd = -1, .buf = rx->buf, .expect = rx->expect };
	memcpy(tx->where, where, sizeof(where));
	memcpy(rx->where, where, sizeof(where));
	rng_init(&tx->rng, p.tx_seed);
	rng_init(&rx->rng, p.rx_seed);

	if (pthread_create(&sender, NULL, send_half, tx)) {
		sf_fail("%s: pthread_create failed", rx->where);
		close_connection(o);
		return -1;
	}
	received = sf_oracle_receive(rx);
	pthread_join(sender, &sent);
	close_connection(o);
	if (received || sent)
		return -1;
	atomic_fetch_add(&o->connections, 1);
	write_manifest(o, &p);
	return 0;
}

static void *oracle_thread(void *arg)
{
	struct sf_oracle *o = arg;
	uint64_t c = 0;

	/* One connection at least: --seconds 0 makes one each. */
	do {
		if (run_connection(o, c++))
			break;
	} while (!atomic_load(&sf.stop));
	atomic_store(&o->op, "done");
	return NULL;
}

static int stream_init(struct sf_stream *s, bool with_file)
{
	/* Room for a chunk at any of 64 alignments. */
	s->buf = malloc(SF_ORACLE_CHUNK + 64);
	s->expect = malloc(SF_ORACLE_CHUNK + 64);
	s->memfd = with_file ? memfd_create("sockfuzz-oracle", MFD_CLOEXEC) : -1;
	if (!s->buf || !s->expect || (with_file && s->memfd < 0))
		return -1;
	return pipe2(s->pipe, O_CLOEXEC);
}

int sf_oracles_start(void)
{
	static const enum sf_transport veth_first[] = {
		SF_VETH4, SF_VETH6, SF_LO4, SF_LO6, SF_LO_MAPPED,
	};
	unsigned int skip = sf.net.server_ns < 0 ? 2 : 0;

	if (sf.opt.manifest) {
		manifest = fopen(sf.opt.manifest, "w");
		if (!manifest)
			return -1;
	}
	sf_oracles = calloc(sf.opt.oracles ? sf.opt.oracles : 1, sizeof(*sf_oracles));
	if (!sf_oracles)
		return -1;
	for (unsigned int i = 0; i < sf.opt.oracles; i++) {
		struct sf_oracle *o = &sf_oracles[i];

		o->id = i;
		o->transport = veth_first[skip + i % (ARRAY_SIZE(veth_first) - skip)];
		o->tx = calloc(1, sizeof(*o->tx));
		o->rx = calloc(1, sizeof(*o->rx));
		if (!o->tx || !o->rx || stream_init(o->tx, true) || stream_init(o->rx, false) ||
		    pthread_rwlock_init(&o->lock, NULL) ||
		    pthread_create(&o->thread, NULL, oracle_thread, o))
			return -1;
	}
	return 0;
}

bool sf_oracles_join(unsigned int grace_seconds)
{
	struct timespec until;
	bool ok = true;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += grace_seconds;
	for (unsigned int i = 0; i < sf.opt.oracles; i++) {
		if (pthread_timedjoin_np(sf_oracles[i].thread, NULL, &until)) {
			sf_fail("oracle %u is stuck in %s", i, atomic_load(&sf_oracles[i].op));
			ok = false;
		}
	}
	return ok;
}

void sf_oracles_report(void)
{
	unsigned long long conns = 0, bytes = 0, skipped = 0, zc = 0;
	unsigned long long sends[16] = { 0 }, recvs[16] = { 0 };
	char line[512];
	int n;

	for (unsigned int i = 0; i < sf.opt.oracles; i++) {
		const struct sf_oracle *o = &sf_oracles[i];

		conns += atomic_load(&o->connections);
		bytes += atomic_load(&o->bytes);
		skipped += atomic_load(&o->skipped);
		zc += atomic_load(&o->zerocopy_done);
		for (int m = 0; m < 16; m++) {
			sends[m] += atomic_load(&o->sends[m]);
			recvs[m] += atomic_load(&o->recvs[m]);
		}
		sf_log("oracle %u (%s): %llu connections, %llu bytes compared", i,
		       sf_transport_name(o->transport), (unsigned long long)atomic_load(&o->connections),
		       (unsigned long long)atomic_load(&o->bytes));
		if (!atomic_load(&o->connections))
			sf_fail("oracle %u (%s) completed no connection", i,
				sf_transport_name(o->transport));
	}
	n = snprintf(line, sizeof(line), "oracle sends:");
	for (int m = 0; sf_oracle_send_names[m]; m++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " %s %llu", sf_oracle_send_names[m], sends[m]);
	sf_log("%s", line);
	n = snprintf(line, sizeof(line), "oracle reads:");
	for (int m = 0; sf_oracle_recv_names[m]; m++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " %s %llu", sf_oracle_recv_names[m], recvs[m]);
	sf_log("%s", line);
	sf_log("oracles: %llu connections completed, %llu bytes compared, %llu skipped by MSG_TRUNC, %llu MSG_ZEROCOPY sends completed (all copied)",
	       conns, bytes, skipped, zc);
}
