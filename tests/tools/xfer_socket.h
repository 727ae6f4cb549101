/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* gaius-xfer's sockets: addresses, listen, connect, the ULP and its keys. */
#ifndef GAIUS_XFER_SOCKET_H
#define GAIUS_XFER_SOCKET_H

#include <sys/socket.h>

#include "xfer_options.h"

/*
 * The sockets are made with SO_OOBINLINE, so urgent bytes stay in the stream.
 */

/* The listening socket for the server, or -1 after a message. */
int xfer_listen(const struct xfer_options *o);

/* A TCP socket of the family of the client's --address, or -1. */
int xfer_client_socket(const struct xfer_options *o, const char *label);

/* connect() fd to the client's --address; 0, or -1 after a message. */
int xfer_connect(int fd, const struct xfer_options *o, const char *label);

/* connect(AF_UNSPEC): drop the connection, keep the socket and its ULP. */
int xfer_disconnect(int fd, const char *label);

/* Attach the ULP and set the keys (all but a late RX key); 0 or -1. */
int xfer_attach(int fd, const struct xfer_keys *keys, const char *label);

/*
 * Set the late RX key once min(size, 16K) bytes are queued unread (or the
 * peer closed), to check that bytes queued before the key are deciphered.
 */
int xfer_set_late_rx_key(int fd, const struct xfer_keys *keys, uint64_t size,
			 const char *label);

/* Make close() send RST (SO_LINGER 0); 0 or -1. */
int xfer_set_reset_on_close(int fd, const char *label);

#endif /* GAIUS_XFER_SOCKET_H */
