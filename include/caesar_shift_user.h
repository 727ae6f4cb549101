/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The shift fused with the copy across the user boundary, both ways, one
 * copy for the kernel (kernel/caesar_user.c) and the host-side cost model
 * (tests/bench/native_paths.c), as caesar_shift.h is: one pass over each
 * byte, where plain TCP makes one, its copy. Eight bytes a word, in
 * general registers: a kernel-FPU section must not fault, and user memory
 * may. The loops take eight words a step, so that loop control is paid
 * once per 64 bytes and the shifts can run side by side.
 *
 * The kernel runs them between user_access_begin() and user_access_end(),
 * where nothing may call a function (objtool checks it): so they are
 * __always_inline. A page that is not present is faulted in there as in
 * copy_to_user(); an access that cannot be, ends the loop at its fault
 * label, and the loop returns the bytes of the steps before it. The
 * caller goes on from there through the kernel's own copy, which counts
 * to the exact byte.
 *
 * Userspace has no user boundary: its includer defines __user,
 * unsafe_put_user() and unsafe_get_user() as plain moves first.
 */
#ifndef _CAESAR_SHIFT_USER_H
#define _CAESAR_SHIFT_USER_H

#include <caesar_shift.h>
#ifdef __KERNEL__
#include <linux/uaccess.h>
#else
#include <sys/cdefs.h>
#endif

#define CAESAR_USER_WORD	sizeof(__u64)
#define CAESAR_USER_STEP	(8 * CAESAR_USER_WORD)

/* Unaligned words, in plain moves on x86 and arm64, as caesar_shift.h. */
static __always_inline __u64 caesar_user_load(const void *src)
{
	__u64 w;

	__builtin_memcpy(&w, src, sizeof(w));
	return w;
}

static __always_inline void caesar_user_store(void *dst, __u64 w)
{
	__builtin_memcpy(dst, &w, sizeof(w));
}

/* The word at @src, shifted by the word @k, to the user word at @dst. */
#define caesar_put_word(dst, src, k, label)				\
	unsafe_put_user(caesar_shift_word(caesar_user_load(src), k), dst, \
			label)

/* The user word at @src, shifted by the word @k, to the word at @dst. */
#define caesar_get_word(dst, src, k, label)				\
	do {								\
		__u64 __w;						\
									\
		unsafe_get_user(__w, src, label);			\
		caesar_user_store(dst, caesar_shift_word(__w, k));	\
	} while (0)

/*
 * @len bytes of @src, shifted by @shift, to the user memory at @dst.
 * Returns how many bytes that was; fewer than @len means a fault.
 */
static __always_inline size_t caesar_shift_to_user_loop(__u8 __user *dst,
							const __u8 *src,
							size_t len, __u8 shift)
{
	const __u64 k = shift * CAESAR_SHIFT_BYTES;
	size_t done = 0, end;

	for (end = len & ~(CAESAR_USER_STEP - 1); done < end;
	     done += CAESAR_USER_STEP) {
		__u64 __user *d = (__u64 __user *)(dst + done);
		const __u64 *s = (const __u64 *)(src + done);

		caesar_put_word(d + 0, s + 0, k, fault);
		caesar_put_word(d + 1, s + 1, k, fault);
		caesar_put_word(d + 2, s + 2, k, fault);
		caesar_put_word(d + 3, s + 3, k, fault);
		caesar_put_word(d + 4, s + 4, k, fault);
		caesar_put_word(d + 5, s + 5, k, fault);
		caesar_put_word(d + 6, s + 6, k, fault);
		caesar_put_word(d + 7, s + 7, k, fault);
	}
	for (; len - done >= CAESAR_USER_WORD; done += CAESAR_USER_WORD)
		caesar_put_word((__u64 __user *)(dst + done),
				(const __u64 *)(src + done), k, fault);
	for (; done < len; done++)
		unsafe_put_user((__u8)(src[done] + shift), dst + done, fault);
fault:
	return done;
}

/* The same, from the user memory at @src to @dst. */
static __always_inline size_t caesar_shift_from_user_loop(__u8 *dst,
							  const __u8 __user *src,
							  size_t len,
							  __u8 shift)
{
	const __u64 k = shift * CAESAR_SHIFT_BYTES;
	size_t done = 0, end;

	for (end = len & ~(CAESAR_USER_STEP - 1); done < end;
	     done += CAESAR_USER_STEP) {
		__u64 *d = (__u64 *)(dst + done);
		const __u64 __user *s = (const __u64 __user *)(src + done);

		caesar_get_word(d + 0, s + 0, k, fault);
		caesar_get_word(d + 1, s + 1, k, fault);
		caesar_get_word(d + 2, s + 2, k, fault);
		caesar_get_word(d + 3, s + 3, k, fault);
		caesar_get_word(d + 4, s + 4, k, fault);
		caesar_get_word(d + 5, s + 5, k, fault);
		caesar_get_word(d + 6, s + 6, k, fault);
		caesar_get_word(d + 7, s + 7, k, fault);
	}
	for (; len - done >= CAESAR_USER_WORD; done += CAESAR_USER_WORD)
		caesar_get_word((__u64 *)(dst + done),
				(const __u64 __user *)(src + done), k, fault);
	for (; done < len; done++) {
		__u8 b;

		unsafe_get_user(b, src + done, fault);
		dst[done] = b + shift;
	}
fault:
	return done;
}

#endif /* _CAESAR_SHIFT_USER_H */
