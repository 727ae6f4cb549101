/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The oracle connections: one sender, one receiver, both with the caesar
 * ULP and the same key, moving the payload stream (tests/tools/payload.h)
 * by every send and receive method; every byte received is compared with
 * the stream. The fuzzing threads meanwhile probe their sockets with calls
 * whose outcome is known (sockfuzz_contract.c).
 */
#ifndef SOCKFUZZ_ORACLE_H
#define SOCKFUZZ_ORACLE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "sockfuzz_net.h"
#include "sockfuzz_rng.h"

struct sf_oracle {
	unsigned int id;
	enum sf_transport transport;
	pthread_t thread;
	pthread_rwlock_t lock;	/* probes read-hold it; closing write-holds it */
	/* Under lock: the connection now open, for the probes. */
	bool live;
	int sender, receiver;
	int key;
	int tx_opt, rx_opt;	/* how the keys were set: CAESAR_KEY or one direction */
	atomic_bool rx_key_set;	/* the receiver may set its key late */
	_Atomic(const char *) op;	/* what it is doing, for the watchdog */
	/* Counts, for the summary. */
	atomic_ullong connections, bytes, skipped, zerocopy_done;
	atomic_ullong sends[16], recvs[16];
	/* The buffers, pipes and files its two halves use. */
	struct sf_stream *tx, *rx;
};

extern struct sf_oracle *sf_oracles;

int sf_oracles_start(void);
/* Waits for the oracles to finish their connections; false if one is stuck. */
bool sf_oracles_join(unsigned int grace_seconds);
void sf_oracles_report(void);

/* The send and receive methods' names, for the summary. */
extern const char *const sf_oracle_send_names[];
extern const char *const sf_oracle_recv_names[];

/* sockfuzz_oracle_io.c: one connection's two halves. */
struct sf_stream {
	struct sf_oracle *o;
	int fd;
	uint64_t seed;		/* the payload stream's */
	uint64_t size;
	uint64_t done;		/* bytes sent, or received and checked or skipped */
	struct rng rng;
	bool zerocopy;		/* SO_ZEROCOPY on the sender */
	bool oob;		/* the receiver reads urgent bytes inline */
	bool late_key;		/* the receiver sets its RX key once bytes are queued */
	int rx_opt, key;
	char where[64];		/* "oracle N connection C port P", for messages */
	atomic_bool *abort;	/* the other half failed: stop, quietly */
	int pipe[2];
	int memfd;		/* the sender's, for sendfile */
	unsigned char *buf, *expect;
};

#define SF_ORACLE_CHUNK (256 * 1024)

/* 0 when every byte went, else -1 (the failure is reported). */
int sf_oracle_send(struct sf_stream *s);
/* 0 when exactly s->size bytes arrived as sent and then EOF, else -1. */
int sf_oracle_receive(struct sf_stream *s);

#endif /* SOCKFUZZ_ORACLE_H */
