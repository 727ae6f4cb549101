// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Send methods that move page cache or pipe pages: sendfile and splice. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include "xfer_methods.h"

/* Write the whole payload into a memfd, a file in tmpfs. */
static int payload_memfd(const struct xfer_stream *s)
{
	unsigned char *buf = malloc(s->chunk);
	int fd = memfd_create("gaius-xfer-payload", MFD_CLOEXEC);
	uint64_t off = 0;

	if (fd < 0 || !buf) {
		stream_fail(s, fd < 0 ? "memfd_create" : "malloc");
		goto fail;
	}
	while (off < s->size) {
		size_t want = s->size - off < s->chunk ?
			(size_t)(s->size - off) : s->chunk;
		ssize_t n;

		stream_fill(s, off, buf, want);
		n = pwrite(fd, buf, want, (off_t)off);
		if (n < 0) {
			stream_fail(s, "write to memfd");
			goto fail;
		}
		off += (uint64_t)n;
	}
	free(buf);
	return fd;
fail:
	free(buf);
	if (fd >= 0)
		close(fd);
	return -1;
}

int send_by_sendfile(struct xfer_stream *s)
{
	int file = payload_memfd(s);
	int ret = 0;

	if (file < 0)
		return -1;
	while (s->done < s->size) {
		off_t off = (off_t)s->done;
		ssize_t n = sendfile(s->fd, file, &off, stream_send_want(s));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n ? stream_fail(s, "sendfile") :
				  stream_error(s, "sendfile sent nothing");
			break;
		}
		s->done += (uint64_t)n;
	}
	close(file);
	return ret;
}

/* Fill the pipe with the next bytes, then splice all of them out. */
static int splice_through(struct xfer_stream *s, const int pipefd[2],
			  unsigned char *buf, size_t want)
{
	size_t queued = 0;

	stream_fill(s, s->done, buf, want);
	while (queued < want) {
		ssize_t n = write(pipefd[1], buf + queued, want - queued);

		if (n < 0)
			return stream_fail(s, "write to pipe");
		queued += (size_t)n;
	}
	while (queued) {
		ssize_t n = splice(pipefd[0], NULL, s->fd, NULL, queued,
				   SPLICE_F_MOVE | SPLICE_F_MORE);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? stream_fail(s, "splice pipe to socket") :
				   stream_error(s, "splice sent nothing");
		queued -= (size_t)n;
		s->done += (uint64_t)n;
	}
	return 0;
}

int send_by_splice(struct xfer_stream *s)
{
	unsigned char *buf = malloc(s->chunk);
	int pipefd[2];
	int ret = 0;
	long pipe_size;

	if (!buf)
		return stream_fail(s, "malloc");
	if (pipe2(pipefd, O_CLOEXEC)) {
		free(buf);
		return stream_fail(s, "pipe2");
	}
	pipe_size = fcntl(pipefd[1], F_GETPIPE_SZ);
	while (s->done < s->size && !ret) {
		size_t want = stream_send_want(s);

		if (pipe_size > 0 && want > (size_t)pipe_size)
			want = (size_t)pipe_size;
		ret = splice_through(s, pipefd, buf, want);
	}
	close(pipefd[0]);
	close(pipefd[1]);
	free(buf);
	return ret;
}
