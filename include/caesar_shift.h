/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The Caesar byte shift, one copy for the kernel and the host-side tests.
 *
 * caesar_shift_copy() adds @shift to every byte modulo 256 while copying,
 * eight bytes per step (SWAR, Hacker's Delight 2-17): the low seven bits of
 * each byte are added with no carry leaving the byte, and the top bit is
 * the XOR of both top bits with the carry that reached it. Decryption adds
 * the inverse shift, (256 - shift) & 0xff. @dst may equal @src; other
 * overlaps are not allowed. Unaligned words are read and written with
 * __builtin_memcpy, which compiles to plain moves on x86 and arm64.
 */
#ifndef _CAESAR_SHIFT_H
#define _CAESAR_SHIFT_H

#include <linux/types.h>
#ifndef __KERNEL__
#include <stddef.h>
#endif

#define CAESAR_SHIFT_H_BITS	0x8080808080808080ULL
#define CAESAR_SHIFT_BYTES	0x0101010101010101ULL

static inline __u64 caesar_shift_word(__u64 x, __u64 k)
{
	return ((x & ~CAESAR_SHIFT_H_BITS) + (k & ~CAESAR_SHIFT_H_BITS)) ^
	       ((x ^ k) & CAESAR_SHIFT_H_BITS);
}

static inline void caesar_shift_copy(void *dst, const void *src, size_t len,
				     __u8 shift)
{
	const __u64 k = shift * CAESAR_SHIFT_BYTES;
	const unsigned char *s = src;
	unsigned char *d = dst;
	__u64 w[4];

	/* Four independent words per step keep both ALUs busy. */
	for (; len >= sizeof(w); len -= sizeof(w), s += sizeof(w),
	     d += sizeof(w)) {
		__builtin_memcpy(w, s, sizeof(w));
		w[0] = caesar_shift_word(w[0], k);
		w[1] = caesar_shift_word(w[1], k);
		w[2] = caesar_shift_word(w[2], k);
		w[3] = caesar_shift_word(w[3], k);
		__builtin_memcpy(d, w, sizeof(w));
	}
	for (; len >= sizeof(w[0]); len -= sizeof(w[0]), s += sizeof(w[0]),
	     d += sizeof(w[0])) {
		__builtin_memcpy(w, s, sizeof(w[0]));
		w[0] = caesar_shift_word(w[0], k);
		__builtin_memcpy(d, w, sizeof(w[0]));
	}
	while (len--)
		*d++ = (unsigned char)(*s++ + shift);
}

/* The shift that undoes @shift. */
static inline __u8 caesar_unshift(__u8 shift)
{
	return (__u8)(0x100 - shift);
}

#endif /* _CAESAR_SHIFT_H */
