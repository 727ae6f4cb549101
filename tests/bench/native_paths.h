/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The data paths' work on each byte, as the kernel does it, for the native
 * cost model (native-cost) and its unit test (tests/unit/test_native_paths):
 * one call is one write(), sendfile() or read() of @len bytes, through the
 * ULP or through plain TCP, from the kernel's own loops (native_paths.c).
 *
 * What it leaves out is what a call costs once, not per byte: the system
 * call, the socket lock, the skbs, STAC/CLAC and the speculation barrier
 * around each user access section, kernel_fpu_begin()'s bookkeeping; but
 * it pays the save of the vector registers where the kernel pays it
 * (native_fpu_save()).
 */
#ifndef GAIUS_NATIVE_PATHS_H
#define GAIUS_NATIVE_PATHS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The page_frag that plain TCP and the ULP copy a write into is an order-3
 * page: a chunk ends where the 32 KiB it is aligned to ends.
 */
#define NATIVE_FRAG_SIZE	(32u << 10)

/* The receive path's bounce buffer (CAESAR_RX_CHUNK), and the largest one tried. */
#define NATIVE_RX_CHUNK		1024u
#define NATIVE_RX_CHUNK_MAX	4096u

/* A run of kernel memory: an skb's linear part or one of its frag pages, a page cache page. */
struct native_span {
	const unsigned char *data;
	size_t len;
};

/* What a call reads and writes; each path uses its part. */
struct native_io {
	unsigned char *user;		/* the program's buffer: write()'s source, read()'s destination */
	unsigned char *frag;		/* where the page_frag chunk starts: transmit's destination */
	const struct native_span *pages; /* sendfile()'s page cache pages, in order */
	const struct native_span *skb;	/* the receive queue's runs, in order */
	size_t chunk;			/* the bounce buffer: 1 to NATIVE_RX_CHUNK_MAX bytes, else NATIVE_RX_CHUNK */
	unsigned char shift;
};

typedef void native_path_fn(const struct native_io *io, size_t len);

/*
 * Which vector loop the kernel would run (caesar_shift_init()): AVX2 or
 * SSE2. Returns whether this CPU has XSAVEC, which native_fpu_save() needs;
 * without it the save is not paid.
 */
bool native_paths_init(bool avx2);

/*
 * A stand-in for what the first kernel_fpu_begin() of a system call costs:
 * XSAVES of the task's registers there and XRSTORS on the way out, here
 * XSAVEC and XRSTOR of this task's whole state.
 */
void native_fpu_save(void);

/* Transmit: plain TCP's copy_from_user() into the frag. */
native_path_fn native_tx_plain;
/* The ULP's short write: the shift fused with the read of user memory. */
native_path_fn native_tx_fused;
/* The ULP's long write: copy_from_user(), then the vector shift in place. */
native_path_fn native_tx_copy_shift;
/* The ULP's sendfile(): each page cache page shifted into the frag, as caesar_shift_buf() decides. */
native_path_fn native_tx_sendfile;

/* Receive: plain TCP's copy_to_user() of each run. */
native_path_fn native_rx_plain;
/* The ULP's read() now: the SWAR shift fused with the store to user memory. */
native_path_fn native_rx_fused;
/* The candidate: the vector shift into a bounce buffer of io->chunk bytes, then copy_to_user(). */
native_path_fn native_rx_bounce;

/* One kernel-FPU section of the candidate: the vector shift of @len bytes into @buf. */
void native_vector_section(unsigned char *buf, const unsigned char *src,
			   size_t len, unsigned char shift);

#endif /* GAIUS_NATIVE_PATHS_H */
