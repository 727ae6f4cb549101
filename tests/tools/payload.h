/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The test payload: a deterministic byte stream from a 64-bit seed.
 *
 * Byte n of the stream is byte (n % 8) (little endian) of splitmix64 word
 * n / 8, and word i is splitmix64's output for the state seed + (i + 1) *
 * 0x9e3779b97f4a7c15, i.e. the (i + 1)-th output of the generator seeded
 * with `seed`. Any offset can be produced without generating the bytes
 * before it. tests/tools/wirecheck.py implements the same stream.
 *
 * A transfer uses one stream per direction and connection index:
 * payload_stream_seed() derives it from the --seed given to gaius-xfer.
 */
#ifndef GAIUS_PAYLOAD_H
#define GAIUS_PAYLOAD_H

#include <stddef.h>
#include <stdint.h>

enum payload_direction {
	PAYLOAD_CLIENT_TO_SERVER = 0,
	PAYLOAD_SERVER_TO_CLIENT = 1,
};

/* seed for one direction: client-to-server uses seed, server-to-client seed + 1. */
uint64_t payload_stream_seed(uint64_t seed, enum payload_direction dir);

/* Write stream bytes [offset, offset + len) of the stream `seed` to buf. */
void payload_fill(uint64_t seed, uint64_t offset, unsigned char *buf,
		  size_t len);

#endif /* GAIUS_PAYLOAD_H */
