// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libshift_preload.so: the Caesar shift done in userspace, for comparison
 * with the ULP. Preloaded into both ends of a connection:
 *
 *   BENCH_SHIFT_KEY=100 LD_PRELOAD=libshift_preload.so program ...
 *
 * write(), send() and sendfile() on a TCP socket send the bytes shifted by
 * the key (sendfile() by reading the file into a buffer first); read() and
 * recv() shift what they got back. Only what a plain program uses is
 * covered: no writev, sendmsg, splice or MSG_PEEK bookkeeping. At exit it
 * says on stderr how many bytes it shifted each way, so a test can tell
 * that it was in the path.
 */
#include <dlfcn.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <caesar_shift.h>

#define SHIM_EXPORT __attribute__((visibility("default")))
/* fds whose kind is remembered; larger ones are asked every time. */
#define KNOWN_FDS 4096

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*read_fn)(int, void *, size_t);
typedef ssize_t (*send_fn)(int, const void *, size_t, int);
typedef ssize_t (*recv_fn)(int, void *, size_t, int);
typedef int (*close_fn)(int);
typedef ssize_t (*sendfile_fn)(int, int, off_t *, size_t);

static write_fn real_write;
static read_fn real_read;
static send_fn real_send;
static recv_fn real_recv;
static close_fn real_close;
static sendfile_fn real_sendfile;
static unsigned char shift;		/* 0: the shim is off */
static _Atomic unsigned long long sent_bytes, received_bytes;
/* 0 not asked yet, 1 a TCP socket, 2 anything else. */
static _Atomic unsigned char fd_kind[KNOWN_FDS];
static _Thread_local unsigned char *scratch;
static _Thread_local size_t scratch_size;

__attribute__((constructor)) static void shim_init(void)
{
	const char *key = getenv("BENCH_SHIFT_KEY");

	real_write = (write_fn)dlsym(RTLD_NEXT, "write");
	real_read = (read_fn)dlsym(RTLD_NEXT, "read");
	real_send = (send_fn)dlsym(RTLD_NEXT, "send");
	real_recv = (recv_fn)dlsym(RTLD_NEXT, "recv");
	real_close = (close_fn)dlsym(RTLD_NEXT, "close");
	real_sendfile = (sendfile_fn)dlsym(RTLD_NEXT, "sendfile");
	shift = key ? (unsigned char)strtol(key, NULL, 0) : 0;
}

__attribute__((destructor)) static void shim_report(void)
{
	if (shift && (sent_bytes || received_bytes))
		fprintf(stderr, "shift-preload: %llu bytes shifted out, %llu back\n",
			(unsigned long long)sent_bytes,
			(unsigned long long)received_bytes);
}

static int sock_int(int fd, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);

	return getsockopt(fd, SOL_SOCKET, name, &v, &len) ? -1 : v;
}

static int ask_kind(int fd)
{
	int domain = sock_int(fd, SO_DOMAIN);

	return (domain == AF_INET || domain == AF_INET6) &&
	       sock_int(fd, SO_PROTOCOL) == IPPROTO_TCP ? 1 : 2;
}

static bool is_tcp(int fd)
{
	int kind;

	if (!shift || fd < 0)
		return false;
	if (fd >= KNOWN_FDS)
		return ask_kind(fd) == 1;
	kind = fd_kind[fd];
	if (!kind) {
		kind = ask_kind(fd);
		fd_kind[fd] = (unsigned char)kind;
	}
	return kind == 1;
}

static unsigned char *scratch_for(size_t len)
{
	if (len > scratch_size) {
		unsigned char *p = realloc(scratch, len);

		if (!p)
			return NULL;
		scratch = p;
		scratch_size = len;
	}
	return scratch;
}

/* The bytes at @buf, shifted, into the scratch buffer; NULL if out of memory. */
static const void *shifted(const void *buf, size_t len)
{
	unsigned char *out = scratch_for(len);

	if (out)
		caesar_shift_copy(out, buf, len, shift);
	return out;
}

static ssize_t counted_out(ssize_t n)
{
	if (n > 0)
		sent_bytes += (unsigned long long)n;
	return n;
}

static ssize_t unshift_in(void *buf, ssize_t n)
{
	if (n > 0) {
		caesar_shift_copy(buf, buf, (size_t)n, caesar_unshift(shift));
		received_bytes += (unsigned long long)n;
	}
	return n;
}

SHIM_EXPORT ssize_t write(int fd, const void *buf, size_t len)
{
	const void *out;

	if (!is_tcp(fd) || !len)
		return real_write(fd, buf, len);
	out = shifted(buf, len);
	return out ? counted_out(real_write(fd, out, len)) : -1;
}

SHIM_EXPORT ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	const void *out;

	if (!is_tcp(fd) || !len)
		return real_send(fd, buf, len, flags);
	out = shifted(buf, len);
	return out ? counted_out(real_send(fd, out, len, flags)) : -1;
}

SHIM_EXPORT ssize_t read(int fd, void *buf, size_t len)
{
	ssize_t n = real_read(fd, buf, len);

	return is_tcp(fd) ? unshift_in(buf, n) : n;
}

SHIM_EXPORT ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	ssize_t n = real_recv(fd, buf, len, flags);

	return is_tcp(fd) ? unshift_in(buf, n) : n;
}

/* The file's bytes through the scratch buffer: read, shift, write. */
SHIM_EXPORT ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count)
{
	off_t pos = offset ? *offset : lseek(in_fd, 0, SEEK_CUR);
	unsigned char *buf;
	ssize_t got, n;

	if (!is_tcp(out_fd))
		return real_sendfile(out_fd, in_fd, offset, count);
	buf = scratch_for(count);
	if (!buf || pos < 0)
		return -1;
	got = pread(in_fd, buf, count, pos);
	if (got <= 0)
		return got;
	caesar_shift_copy(buf, buf, (size_t)got, shift);
	n = counted_out(real_write(out_fd, buf, (size_t)got));
	if (n > 0) {
		if (offset)
			*offset = pos + n;
		else
			lseek(in_fd, pos + n, SEEK_SET);
	}
	return n;
}

SHIM_EXPORT int close(int fd)
{
	if (fd >= 0 && fd < KNOWN_FDS)
		fd_kind[fd] = 0;
	return real_close(fd);
}
