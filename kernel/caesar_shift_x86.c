// SPDX-License-Identifier: GPL-2.0
/*
 * The shift between kernel buffers, in vector registers where that pays:
 * the transmit chunk in the page_frag, sendfile()'s pages into it, and the
 * receive path's skb bytes into its bounce buffer. PADDB shifts 16 or 32
 * bytes an instruction where the SWAR loop of caesar_shift_copy() does 8
 * in six; natively that takes the shift from several times the cost of a
 * copy to about one (docs/performance.md).
 *
 * Never the fused copy to or from user memory (caesar_user.c): a kernel-FPU
 * section must not fault, and an access to user memory may.
 */

#include <linux/cache.h>
#include <linux/init.h>
#include <linux/sched.h>
#include <linux/thread_info.h>
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#include <asm/simd.h>
#include <caesar_shift_x86.h>

#include "caesar.h"

static bool caesar_avx2 __ro_after_init;

/* As the kernel's AVX2 crypto: the CPU has it and XSAVE manages the YMM state. */
void __init caesar_shift_init(void)
{
	caesar_avx2 = boot_cpu_has(X86_FEATURE_AVX2) &&
		      cpu_has_xfeatures(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM,
					NULL);
}

/*
 * Whether kernel_fpu_begin() would save no register here: a kernel thread
 * has no user state, and TIF_NEED_FPU_LOAD says the task's state is saved
 * already, by an earlier section of this call or because the task slept.
 */
static bool caesar_fpu_saved(void)
{
	return (current->flags & PF_KTHREAD) ||
	       test_thread_flag(TIF_NEED_FPU_LOAD);
}

/*
 * Whether a run of @len bytes here takes the vector loop: long enough to
 * pay for the registers' save, if it is still to pay, and the registers
 * free. Also what caesar_fill_chunk() asks before it fuses the shift with
 * a copy from user memory instead.
 */
bool caesar_shift_use_vec(size_t len)
{
	return caesar_shift_vec_pays(len, caesar_fpu_saved()) &&
	       may_use_simd();
}

/*
 * Shift @len bytes from @src to @dst, both kernel memory that cannot fault
 * (the page_frag, a page cache page, skb memory, a buffer on the stack);
 * @dst may equal @src.
 *
 * A 64 KiB write's chunks thus shift in vector registers; a 1 KiB write
 * shifts as it is copied in (caesar_fill_chunk()). Sections after the
 * first cost a few instructions each, which CAESAR_SHIFT_VEC_MIN is set
 * against.
 *
 * kernel_fpu_begin() keeps preemption off until kernel_fpu_end(): the
 * longest run, a page_frag of 32 KiB, takes a few microseconds even from
 * DRAM. may_use_simd() is false where the registers are in use already, as
 * in an interrupt that came during another kernel-FPU section; the SWAR
 * loop needs none of them.
 */
void caesar_shift_buf(void *dst, const void *src, size_t len, u8 shift)
{
	if (caesar_shift_use_vec(len)) {
		kernel_fpu_begin();
		caesar_shift_copy_vec(dst, src, len, shift, caesar_avx2);
		kernel_fpu_end();
		return;
	}
	caesar_shift_copy(dst, src, len, shift);
}
