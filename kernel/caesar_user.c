// SPDX-License-Identifier: GPL-2.0
/*
 * The shift fused with the copy across the user boundary, both ways: one
 * pass over each byte, where plain TCP makes one, its copy. Eight bytes a
 * word, in general registers: a kernel-FPU section must not fault, and
 * user memory may. The loops take eight words a step, so that loop control
 * is paid once per 64 bytes and the shifts can run side by side.
 *
 * Nothing between user_access_begin() and user_access_end() may call a
 * function (objtool checks it). A page that is not present is faulted in
 * there as in copy_to_user(); an address that cannot be, ends the loop at
 * the fault label. Every caller then goes on from the last whole step
 * through the kernel's own copy, which counts to the exact byte.
 *
 * Process context: these may fault and sleep.
 */

#include <linux/thread_info.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "caesar.h"

/* get_unaligned() and put_unaligned() come from compat.h: 6.12 moved them. */
#define CAESAR_WORD	sizeof(u64)
#define CAESAR_STEP	(8 * CAESAR_WORD)

size_t caesar_user_run(const struct iov_iter *i, void __user **run)
{
	if (!iov_iter_count(i))
		return 0;
	if (iter_is_ubuf(i)) {
		*run = i->ubuf + i->iov_offset;
		return iov_iter_count(i);
	}
	if (!iter_is_iovec(i))
		return 0;
	*run = iter_iov_addr(i);
	return min(iov_iter_count(i), iter_iov_len(i));
}

/* The word at @src, shifted by the word @k, to the word at @dst. */
#define caesar_put_word(dst, src, k, label)				\
	unsafe_put_user(caesar_shift_word(get_unaligned(src), k), dst, label)

size_t caesar_shift_to_user(u8 __user *dst, const u8 *src, size_t len,
			    u8 shift)
{
	const u64 k = shift * CAESAR_SHIFT_BYTES;
	size_t done = 0, end;

	might_fault();
	/* The hardening copy_to_user() gives the source, skb memory here. */
	check_object_size(src, len, true);
	if (!user_access_begin(dst, len))
		return 0;
	for (end = len & ~(CAESAR_STEP - 1); done < end; done += CAESAR_STEP) {
		u64 __user *d = (u64 __user *)(dst + done);
		const u64 *s = (const u64 *)(src + done);

		caesar_put_word(d + 0, s + 0, k, fault);
		caesar_put_word(d + 1, s + 1, k, fault);
		caesar_put_word(d + 2, s + 2, k, fault);
		caesar_put_word(d + 3, s + 3, k, fault);
		caesar_put_word(d + 4, s + 4, k, fault);
		caesar_put_word(d + 5, s + 5, k, fault);
		caesar_put_word(d + 6, s + 6, k, fault);
		caesar_put_word(d + 7, s + 7, k, fault);
	}
	for (; len - done >= CAESAR_WORD; done += CAESAR_WORD)
		caesar_put_word((u64 __user *)(dst + done),
				(const u64 *)(src + done), k, fault);
	for (; done < len; done++)
		unsafe_put_user((u8)(src[done] + shift), dst + done, fault);
fault:
	user_access_end();
	return done;
}

/* The same, from user memory. */
#define caesar_get_word(dst, src, k, label)				\
	do {								\
		u64 __w;						\
									\
		unsafe_get_user(__w, src, label);			\
		put_unaligned(caesar_shift_word(__w, k), dst);		\
	} while (0)

size_t caesar_shift_from_user(u8 *dst, const u8 __user *src, size_t len,
			      u8 shift)
{
	const u64 k = shift * CAESAR_SHIFT_BYTES;
	size_t done = 0, end;

	might_fault();
	/* As copy_from_user(): the destination is the page_frag here. */
	check_object_size(dst, len, false);
	if (!user_read_access_begin(src, len))
		return 0;
	for (end = len & ~(CAESAR_STEP - 1); done < end; done += CAESAR_STEP) {
		u64 *d = (u64 *)(dst + done);
		const u64 __user *s = (const u64 __user *)(src + done);

		caesar_get_word(d + 0, s + 0, k, fault);
		caesar_get_word(d + 1, s + 1, k, fault);
		caesar_get_word(d + 2, s + 2, k, fault);
		caesar_get_word(d + 3, s + 3, k, fault);
		caesar_get_word(d + 4, s + 4, k, fault);
		caesar_get_word(d + 5, s + 5, k, fault);
		caesar_get_word(d + 6, s + 6, k, fault);
		caesar_get_word(d + 7, s + 7, k, fault);
	}
	for (; len - done >= CAESAR_WORD; done += CAESAR_WORD)
		caesar_get_word((u64 *)(dst + done),
				(const u64 __user *)(src + done), k, fault);
	for (; done < len; done++) {
		u8 b;

		unsafe_get_user(b, src + done, fault);
		dst[done] = b + shift;
	}
fault:
	user_read_access_end();
	return done;
}
