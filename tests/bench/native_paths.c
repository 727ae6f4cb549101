// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The data paths of native_paths.h, built as the kernel builds its C
 * (mk/sub/kernel-cflags.mk: the compiler has no vector registers) from the
 * kernel's own loops: the fused loops of caesar_shift_user.h, the SWAR
 * loop of caesar_shift.h, the vector loops of caesar_shift_x86.h and the
 * rule that chooses between them, and `rep movsb` for the kernel's copies.
 * Each loop is called out of line, as the kernel calls
 * caesar_shift_to_user() and copy_to_user().
 *
 * Userspace has no user boundary: an access to the program's buffer is a
 * plain move, and never faults.
 */
#include <cpuid.h>
#include <stdint.h>
#include <string.h>

#define __user
#define unsafe_put_user(x, ptr, label)					\
	do {								\
		__typeof__(*(ptr)) put_val_ = (x);			\
		memcpy((ptr), &put_val_, sizeof(put_val_));		\
		if (0)							\
			goto label;					\
	} while (0)
#define unsafe_get_user(x, ptr, label)					\
	do {								\
		memcpy(&(x), (ptr), sizeof(x));				\
		if (0)							\
			goto label;					\
	} while (0)

#include <caesar_shift_user.h>
#include <caesar_shift_x86.h>

#include "native_paths.h"
#include "rep_movsb.h"

#define NOINLINE __attribute__((noinline))

static bool use_avx2;
static bool have_xsavec;
/* Far larger than this CPU's whole XSAVE state (CPUID 0xd, checked). */
static unsigned char xsave_area[16384] __attribute__((aligned(64)));

/* One system call: whether its vector registers are saved yet. */
struct native_call {
	bool fpu_saved;
};

/* What each path does with one run: @n bytes of @src to @dst. */
typedef void run_fn(unsigned char *dst, const unsigned char *src, size_t n,
		    const struct native_io *io, struct native_call *call);

bool native_paths_init(bool avx2)
{
	unsigned int eax, ebx, ecx, edx;

	use_avx2 = avx2;
	have_xsavec = __get_cpuid_count(0xd, 1, &eax, &ebx, &ecx, &edx) &&
		      (eax & 2) && ebx <= sizeof(xsave_area);
	return have_xsavec;
}

NOINLINE void native_fpu_save(void)
{
	if (!have_xsavec)
		return;
	__asm__ __volatile__("xsavec64 %0\n\t"
			     "xrstor64 %0"
			     : "+m"(xsave_area)
			     : "a"(~0u), "d"(~0u)
			     : "memory");
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* The room left in the page_frag from @frag on. */
static size_t frag_room(const unsigned char *frag)
{
	return NATIVE_FRAG_SIZE - ((uintptr_t)frag & (NATIVE_FRAG_SIZE - 1));
}

/* copy_to_user(), copy_from_user(): `rep movsb` on this CPU. */
static NOINLINE void copy_user(unsigned char *dst, const unsigned char *src,
			       size_t n)
{
	rep_movsb(dst, src, n);
}

/* caesar_shift_to_user() and caesar_shift_from_user() within their sections. */
static NOINLINE size_t shift_to_user(unsigned char *dst,
				     const unsigned char *src, size_t n,
				     unsigned char shift)
{
	return caesar_shift_to_user_loop(dst, src, n, shift);
}

static NOINLINE size_t shift_from_user(unsigned char *dst,
				       const unsigned char *src, size_t n,
				       unsigned char shift)
{
	return caesar_shift_from_user_loop(dst, src, n, shift);
}

NOINLINE void native_vector_section(unsigned char *buf,
				    const unsigned char *src, size_t len,
				    unsigned char shift)
{
	caesar_shift_copy_vec(buf, src, len, shift, use_avx2);
}

/* kernel_fpu_begin(), the vector shift, kernel_fpu_end(). */
static void vector_section(unsigned char *dst, const unsigned char *src,
			   size_t n, unsigned char shift,
			   struct native_call *call)
{
	if (!call->fpu_saved) {
		native_fpu_save();
		call->fpu_saved = true;
	}
	native_vector_section(dst, src, n, shift);
}

/* caesar_shift_buf(): the vector loop where caesar_shift_use_vec() takes it. */
static NOINLINE void shift_buf(unsigned char *dst, const unsigned char *src,
			       size_t n, unsigned char shift,
			       struct native_call *call)
{
	if (caesar_shift_vec_pays(n, call->fpu_saved))
		vector_section(dst, src, n, shift, call);
	else
		caesar_shift_copy(dst, src, n, shift);
}

/*
 * @len bytes of the runs at @span, in order, to @dst, one @run a piece:
 * the walk of caesar_walk_skb() and skb_copy_datagram_iter() (a piece is a
 * run), and, where @frag, of caesar_send() and tcp_sendmsg() (a piece also
 * ends with the frag's page; caesar_shift_from_bvec(): and with a page
 * cache page).
 */
static inline void walk(unsigned char *dst, const struct native_span *span,
			size_t len, bool frag, run_fn *run,
			const struct native_io *io, struct native_call *call)
{
	size_t off = 0;

	for (size_t done = 0, n; done < len; done += n) {
		n = min_size(len - done, span->len - off);
		if (frag)
			n = min_size(n, frag_room(dst + done));
		run(dst + done, span->data + off, n, io, call);
		off += n;
		if (off == span->len) {
			span++;
			off = 0;
		}
	}
}

static void run_copy(unsigned char *dst, const unsigned char *src, size_t n,
		     const struct native_io *io, struct native_call *call)
{
	(void)io;
	(void)call;
	copy_user(dst, src, n);
}

static void run_shift_from_user(unsigned char *dst, const unsigned char *src,
				size_t n, const struct native_io *io,
				struct native_call *call)
{
	(void)call;
	shift_from_user(dst, src, n, io->shift);
}

static void run_copy_shift(unsigned char *dst, const unsigned char *src,
			   size_t n, const struct native_io *io,
			   struct native_call *call)
{
	copy_user(dst, src, n);
	vector_section(dst, dst, n, io->shift, call);
}

static void run_shift_buf(unsigned char *dst, const unsigned char *src,
			  size_t n, const struct native_io *io,
			  struct native_call *call)
{
	shift_buf(dst, src, n, io->shift, call);
}

static void run_shift_to_user(unsigned char *dst, const unsigned char *src,
			      size_t n, const struct native_io *io,
			      struct native_call *call)
{
	(void)call;
	shift_to_user(dst, src, n, io->shift);
}

/*
 * One buffer for every call, as a per-CPU one would be; the kernel's 1 KiB
 * one is on the stack (struct caesar_copy). Either stays in L1.
 */
static unsigned char bounce_buf[NATIVE_RX_CHUNK_MAX] __attribute__((aligned(64)));

/* A kernel-FPU section per chunk, never around the copy, which may fault. */
static void run_bounce(unsigned char *dst, const unsigned char *src, size_t n,
		       const struct native_io *io, struct native_call *call)
{
	size_t chunk = io->chunk - 1 < NATIVE_RX_CHUNK_MAX ? io->chunk :
							    NATIVE_RX_CHUNK;

	for (size_t done = 0, c; done < n; done += c) {
		c = min_size(n - done, chunk);
		vector_section(bounce_buf, src + done, c, io->shift, call);
		copy_user(dst + done, bounce_buf, c);
	}
}

/* A write(): the program's buffer is one run. */
static void tx_write(const struct native_io *io, size_t len, run_fn *run)
{
	const struct native_span whole = { io->user, len };
	struct native_call call = { .fpu_saved = false };

	walk(io->frag, &whole, len, true, run, io, &call);
}

void native_tx_plain(const struct native_io *io, size_t len)
{
	tx_write(io, len, run_copy);
}

void native_tx_fused(const struct native_io *io, size_t len)
{
	tx_write(io, len, run_shift_from_user);
}

void native_tx_copy_shift(const struct native_io *io, size_t len)
{
	tx_write(io, len, run_copy_shift);
}

void native_tx_sendfile(const struct native_io *io, size_t len)
{
	struct native_call call = { .fpu_saved = false };

	walk(io->frag, io->pages, len, true, run_shift_buf, io, &call);
}

/* A read(): the skbs' runs into the program's buffer. */
static void rx_read(const struct native_io *io, size_t len, run_fn *run)
{
	struct native_call call = { .fpu_saved = false };

	walk(io->user, io->skb, len, false, run, io, &call);
}

void native_rx_plain(const struct native_io *io, size_t len)
{
	rx_read(io, len, run_copy);
}

void native_rx_fused(const struct native_io *io, size_t len)
{
	rx_read(io, len, run_shift_to_user);
}

void native_rx_bounce(const struct native_io *io, size_t len)
{
	rx_read(io, len, run_bounce);
}
