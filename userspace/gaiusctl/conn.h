/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The connections gaiusctl lists: one TCP socket each, as sock_diag shows
 * it, with the conntrack state added when there is an entry.
 */
#ifndef GAIUSCTL_CONN_H
#define GAIUSCTL_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* No conntrack entry for the connection (or conntrack is not loaded). */
#define GAIUSCTL_NO_CT_STATE (-1)

/*
 * IPv6, or IPv4 as ::ffff:a.b.c.d: an IPv6 socket talking to an IPv4-mapped
 * peer is an IPv4 connection, as it is on the wire.
 */
struct gaiusctl_endpoint {
	unsigned char addr[16];
	uint16_t port;			/* host order */
};

/* A process holding the socket open, as ss -p shows it. */
struct gaiusctl_process {
	int pid;
	int fd;
	char command[16];		/* /proc/PID/comm: TASK_COMM_LEN */
};

struct gaiusctl_conn {
	struct gaiusctl_endpoint local;
	struct gaiusctl_endpoint remote;
	uint8_t tcp_state;		/* the socket's, TCP_ESTABLISHED ... */
	int ct_state;			/* enum tcp_conntrack, or GAIUSCTL_NO_CT_STATE */
	uint32_t tx_key;		/* as set; 0: that direction is off */
	uint32_t rx_key;
	uint64_t tx_bytes;		/* enciphered */
	uint64_t rx_bytes;		/* deciphered */
	uint32_t uid;			/* the socket's owner */
	uint32_t inode;			/* its inode, as ss -e and ls -l /proc/PID/fd show it */
	struct gaiusctl_process *processes;	/* gaiusctl_processes_fill(), or NULL */
	size_t nprocesses;
};

struct gaiusctl_conns {
	struct gaiusctl_conn *items;
	size_t count;
	size_t capacity;
};

/* Appends a copy of @conn, which has no processes; false when memory runs out. */
bool gaiusctl_conns_add(struct gaiusctl_conns *conns,
			const struct gaiusctl_conn *conn);
/* Frees the list and every connection's processes. */
void gaiusctl_conns_free(struct gaiusctl_conns *conns);

/* Removes the connections @keep says no to, in place, keeping the order. */
void gaiusctl_conns_keep(struct gaiusctl_conns *conns,
			 bool (*keep)(const struct gaiusctl_conn *conn, const void *arg),
			 const void *arg);

/* Whether two endpoints are the same address and port. */
bool gaiusctl_endpoint_equal(const struct gaiusctl_endpoint *a,
			     const struct gaiusctl_endpoint *b);

/* Sets @ep to an IPv4 address (network order bytes) and port. */
void gaiusctl_endpoint_set_v4(struct gaiusctl_endpoint *ep,
			      const void *addr4, uint16_t port);

/* Whether @ep holds an IPv4 address (::ffff:a.b.c.d). */
bool gaiusctl_endpoint_is_v4(const struct gaiusctl_endpoint *ep);

#endif /* GAIUSCTL_CONN_H */
