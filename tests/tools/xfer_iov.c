// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Odd-length iovecs and messages: see xfer_iov.h. */
#include "xfer_iov.h"

/* The pieces cycle through these lengths; the last piece takes the rest. */
static const size_t iov_pieces[] = { 1, 3, 7, 61, 509, 4093, 3, 32771 };

int xfer_iov_split(struct iovec *iov, unsigned char *buf, size_t len)
{
	size_t off = 0;
	int count = 0;

	while (off < len && count < XFER_IOV_MAX) {
		size_t piece = iov_pieces[count % (int)(sizeof(iov_pieces) /
							sizeof(iov_pieces[0]))];

		if (piece > len - off || count == XFER_IOV_MAX - 1)
			piece = len - off;
		iov[count].iov_base = buf + off;
		iov[count].iov_len = piece;
		off += piece;
		count++;
	}
	return count;
}

unsigned int xfer_mmsg_split(struct mmsghdr *msgs, struct iovec *iov,
			     unsigned char *buf, size_t len)
{
	unsigned int count = 0;
	size_t off = 0;

	while (off < len && count < XFER_MMSG_MAX) {
		size_t piece = count == XFER_MMSG_MAX - 1 ?
			len - off : (len - off) / 3 + 1;

		iov[count].iov_base = buf + off;
		iov[count].iov_len = piece;
		msgs[count].msg_hdr.msg_iov = &iov[count];
		msgs[count].msg_hdr.msg_iovlen = 1;
		off += piece;
		count++;
	}
	return count;
}
