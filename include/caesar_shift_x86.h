/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The Caesar byte shift in x86-64 vector registers, one copy for the kernel
 * and the host-side tests and benchmark, as caesar_shift.h is. PADDB adds
 * modulo 256 in every byte lane, so one instruction shifts 16 bytes (SSE2)
 * or 32 (AVX2, VPADDB).
 *
 * The loops are asm, not intrinsics: the kernel compiles with -mno-sse
 * -mno-avx, where the compiler has no vector registers and no intrinsics,
 * and the same text must build there. The kernel runs them only between
 * kernel_fpu_begin() and kernel_fpu_end(), which save the task's registers
 * first; so nothing here may fault or sleep, and only kernel memory may be
 * passed in. Userspace may call them anywhere.
 *
 * Each loop shifts the whole blocks of @len and returns how many bytes that
 * was; caesar_shift_copy_vec() hands the rest, under a block, to
 * caesar_shift_copy(). @dst may equal @src: every block is loaded before
 * it is stored. Other overlaps are not allowed.
 */
#ifndef _CAESAR_SHIFT_X86_H
#define _CAESAR_SHIFT_X86_H

#include <caesar_shift.h>
#ifndef __KERNEL__
#include <stdbool.h>
#endif

/*
 * The shortest run the kernel gives the vector loop. The loops alone beat
 * the SWAR loop from 32 bytes on, but in the kernel each run also pays for
 * may_use_simd(), kernel_fpu_begin() and kernel_fpu_end(). At 512 bytes
 * AVX2 saves about 80 cycles of the SWAR loop's 90 (docs/performance.md),
 * more than those three calls should cost; at 256, about 40, which they
 * could eat.
 */
#define CAESAR_SHIFT_VEC_MIN	512

/*
 * The shortest run worth saving the task's vector registers for. The
 * first kernel_fpu_begin() of a system call saves them (XSAVES) and the
 * return to userspace restores them: about 430 cycles on the machine
 * docs/performance.md measured, what AVX2 saves over the SWAR loop on
 * about 2.8 KiB. Shorter runs take the vector loop only once that price is
 * paid.
 */
#define CAESAR_SHIFT_VEC_COLD_MIN	3072

/*
 * Whether a run of @len bytes is worth the vector loop: long enough to pay
 * for the registers' save, if @saved says it is still to pay. The kernel
 * asks it with the task's state (caesar_shift_use_vec()), the host's cost
 * model with the state of the call it plays.
 */
static inline bool caesar_shift_vec_pays(size_t len, bool saved)
{
	return len >= (saved ? CAESAR_SHIFT_VEC_MIN : CAESAR_SHIFT_VEC_COLD_MIN);
}

/*
 * Where the compiler allocates vector registers (userspace), it must know
 * which ones the asm takes: xmm0-4, and with AVX the upper halves of all
 * sixteen, which VZEROUPPER clears. Where it has none (the kernel's
 * -mno-sse), it refuses to hear of them, and there is nothing to protect.
 */
#if defined(__AVX__)
#define CAESAR_SHIFT_VEC_CLOBBERS	"xmm0", "xmm1", "xmm2", "xmm3", "xmm4", \
	"xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", \
	"xmm13", "xmm14", "xmm15",
#elif defined(__SSE2__)
#define CAESAR_SHIFT_VEC_CLOBBERS	"xmm0", "xmm1", "xmm2", "xmm3", "xmm4",
#else
#define CAESAR_SHIFT_VEC_CLOBBERS
#endif

/* 64 bytes a step, then 16; unaligned loads and stores (MOVDQU). */
static inline size_t caesar_shift_sse2(void *dst, const void *src, size_t len,
				       __u8 shift)
{
	size_t done = len & ~(size_t)15;
	size_t n = done;

	if (!n)
		return 0;
	__asm__ __volatile__("movd %[k], %%xmm0\n\t"
			     "pshufd $0, %%xmm0, %%xmm0\n\t"
			     "cmp $64, %[n]\n\t"
			     "jb 2f\n"
			     "1:\n\t"
			     "movdqu (%[s]), %%xmm1\n\t"
			     "movdqu 16(%[s]), %%xmm2\n\t"
			     "movdqu 32(%[s]), %%xmm3\n\t"
			     "movdqu 48(%[s]), %%xmm4\n\t"
			     "paddb %%xmm0, %%xmm1\n\t"
			     "paddb %%xmm0, %%xmm2\n\t"
			     "paddb %%xmm0, %%xmm3\n\t"
			     "paddb %%xmm0, %%xmm4\n\t"
			     "movdqu %%xmm1, (%[d])\n\t"
			     "movdqu %%xmm2, 16(%[d])\n\t"
			     "movdqu %%xmm3, 32(%[d])\n\t"
			     "movdqu %%xmm4, 48(%[d])\n\t"
			     "add $64, %[s]\n\t"
			     "add $64, %[d]\n\t"
			     "sub $64, %[n]\n\t"
			     "cmp $64, %[n]\n\t"
			     "jae 1b\n"
			     "2:\n\t"
			     "test %[n], %[n]\n\t"
			     "jz 4f\n"
			     "3:\n\t"
			     "movdqu (%[s]), %%xmm1\n\t"
			     "paddb %%xmm0, %%xmm1\n\t"
			     "movdqu %%xmm1, (%[d])\n\t"
			     "add $16, %[s]\n\t"
			     "add $16, %[d]\n\t"
			     "sub $16, %[n]\n\t"
			     "jnz 3b\n"
			     "4:\n"
			     : [d] "+r" (dst), [s] "+r" (src), [n] "+r" (n)
			     : [k] "r" (shift * 0x01010101u)
			     : CAESAR_SHIFT_VEC_CLOBBERS "cc", "memory");
	return done;
}

/*
 * 128 bytes a step, then 32. VZEROUPPER at the end: code that runs SSE
 * instructions next (the kernel's other FPU users, glibc) would otherwise
 * pay for the dirty upper halves.
 */
static inline size_t caesar_shift_avx2(void *dst, const void *src, size_t len,
				       __u8 shift)
{
	size_t done = len & ~(size_t)31;
	size_t n = done;

	if (!n)
		return 0;
	__asm__ __volatile__("vmovd %[k], %%xmm0\n\t"
			     "vpbroadcastb %%xmm0, %%ymm0\n\t"
			     "cmp $128, %[n]\n\t"
			     "jb 2f\n"
			     "1:\n\t"
			     "vpaddb (%[s]), %%ymm0, %%ymm1\n\t"
			     "vpaddb 32(%[s]), %%ymm0, %%ymm2\n\t"
			     "vpaddb 64(%[s]), %%ymm0, %%ymm3\n\t"
			     "vpaddb 96(%[s]), %%ymm0, %%ymm4\n\t"
			     "vmovdqu %%ymm1, (%[d])\n\t"
			     "vmovdqu %%ymm2, 32(%[d])\n\t"
			     "vmovdqu %%ymm3, 64(%[d])\n\t"
			     "vmovdqu %%ymm4, 96(%[d])\n\t"
			     "add $128, %[s]\n\t"
			     "add $128, %[d]\n\t"
			     "sub $128, %[n]\n\t"
			     "cmp $128, %[n]\n\t"
			     "jae 1b\n"
			     "2:\n\t"
			     "test %[n], %[n]\n\t"
			     "jz 4f\n"
			     "3:\n\t"
			     "vpaddb (%[s]), %%ymm0, %%ymm1\n\t"
			     "vmovdqu %%ymm1, (%[d])\n\t"
			     "add $32, %[s]\n\t"
			     "add $32, %[d]\n\t"
			     "sub $32, %[n]\n\t"
			     "jnz 3b\n"
			     "4:\n\t"
			     "vzeroupper\n"
			     : [d] "+r" (dst), [s] "+r" (src), [n] "+r" (n)
			     : [k] "r" ((__u32)shift)
			     : CAESAR_SHIFT_VEC_CLOBBERS "cc", "memory");
	return done;
}

/*
 * Shift @len bytes: the whole blocks with the vector loop the CPU has, the
 * rest with caesar_shift_copy(). @avx2 says whether the CPU (and, in the
 * kernel, its XSAVE setup) has AVX2; every x86-64 CPU has SSE2.
 */
static inline void caesar_shift_copy_vec(void *dst, const void *src,
					 size_t len, __u8 shift, bool avx2)
{
	size_t done = avx2 ? caesar_shift_avx2(dst, src, len, shift) :
			     caesar_shift_sse2(dst, src, len, shift);

	caesar_shift_copy((unsigned char *)dst + done,
			  (const unsigned char *)src + done, len - done, shift);
}

#endif /* _CAESAR_SHIFT_X86_H */
