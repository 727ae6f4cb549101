// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The splitmix64 payload stream: see payload.h. */
#include "payload.h"

#define SPLITMIX64_GAMMA 0x9e3779b97f4a7c15ULL

static uint64_t splitmix64_word(uint64_t seed, uint64_t index)
{
	uint64_t z = seed + (index + 1) * SPLITMIX64_GAMMA;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t payload_stream_seed(uint64_t seed, enum payload_direction dir)
{
	return seed + (uint64_t)dir;
}

void payload_fill(uint64_t seed, uint64_t offset, unsigned char *buf,
		  size_t len)
{
	uint64_t index = offset / 8;
	unsigned int byte = (unsigned int)(offset % 8);
	uint64_t word = splitmix64_word(seed, index);

	for (size_t i = 0; i < len; i++) {
		buf[i] = (unsigned char)(word >> (8 * byte));
		if (++byte == 8) {
			byte = 0;
			word = splitmix64_word(seed, ++index);
		}
	}
}
