// SPDX-License-Identifier: GPL-2.0
/*
 * The shift fused with the copy across the user boundary, both ways: the
 * user access sections around the loops of caesar_shift_user.h, which the
 * host-side cost model (tests/bench) runs too. One pass over each byte,
 * where plain TCP makes one, its copy.
 *
 * Nothing between user_access_begin() and user_access_end() may call a
 * function (objtool checks it): the loops are always inlined. A page that
 * is not present is faulted in there as in copy_to_user(); an address that
 * cannot be, ends the loop. Every caller then goes on from the last whole
 * step through the kernel's own copy, which counts to the exact byte.
 *
 * Process context: these may fault and sleep.
 */

#include <linux/thread_info.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <caesar_shift_user.h>

#include "caesar.h"

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

size_t caesar_shift_to_user(u8 __user *dst, const u8 *src, size_t len,
			    u8 shift)
{
	size_t done;

	might_fault();
	/* The hardening copy_to_user() gives the source, skb memory here. */
	check_object_size(src, len, true);
	if (!user_access_begin(dst, len))
		return 0;
	done = caesar_shift_to_user_loop(dst, src, len, shift);
	user_access_end();
	return done;
}

/* The same, from user memory. */
size_t caesar_shift_from_user(u8 *dst, const u8 __user *src, size_t len,
			      u8 shift)
{
	size_t done;

	might_fault();
	/* As copy_from_user(): the destination is the page_frag here. */
	check_object_size(dst, len, false);
	if (!user_read_access_begin(src, len))
		return 0;
	done = caesar_shift_from_user_loop(dst, src, len, shift);
	user_read_access_end();
	return done;
}
