/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Cutting a buffer into odd-length iovecs (writev, readv) or messages (sendmmsg, recvmmsg). */
#ifndef GAIUS_XFER_IOV_H
#define GAIUS_XFER_IOV_H

#include <limits.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/uio.h>

#define XFER_IOV_MAX IOV_MAX
#define XFER_MMSG_MAX 4

/* Fill iov (XFER_IOV_MAX entries) to cover [buf, buf + len); returns the count. */
int xfer_iov_split(struct iovec *iov, unsigned char *buf, size_t len);

/*
 * Fill msgs and iov (XFER_MMSG_MAX entries each) with messages of uneven
 * lengths, one iovec each, that cover [buf, buf + len); returns the count.
 */
unsigned int xfer_mmsg_split(struct mmsghdr *msgs, struct iovec *iov,
			     unsigned char *buf, size_t len);

#endif /* GAIUS_XFER_IOV_H */
