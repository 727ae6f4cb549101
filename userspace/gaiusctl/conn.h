/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The connections gaiusctl lists: one TCP socket each, as sock_diag shows
 * it, with the conntrack state added when there is an entry; and the
 * connections this host forwards whose conntrack entry a rule keyed, one
 * entry each, as ctnetlink shows it.
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

/*
 * One direction of a forwarded connection: its conntrack tuple and, from
 * struct gaius_ct_info (linux/netfilter/xt_GAIUS.h), how it is keyed.
 */
struct gaiusctl_fwd_dir {
	struct gaiusctl_endpoint src;
	struct gaiusctl_endpoint dst;
	uint8_t shift;			/* added to each byte; 0: not keyed */
	bool decrypt;			/* keyed by GAIUSDECRYPT, else GAIUSENCRYPT */
	uint32_t seq;			/* the first sequence number shifted */
	bool counted;			/* conntrack accounting is on: packets, bytes */
	uint64_t packets;
	uint64_t bytes;
};

/* Index in gaiusctl_conn.fwd, as conntrack numbers directions. */
enum { GAIUSCTL_FWD_ORIGINAL, GAIUSCTL_FWD_REPLY, GAIUSCTL_FWD_DIRS };

/*
 * A listed connection. A forwarded one (@forwarded) has no socket: @local
 * and @remote are its original direction's source and destination, @fwd
 * holds both directions, @zone its conntrack zone, @ct_state its entry's
 * state; the socket fields (tcp_state, keys, bytes, uid, inode) are 0.
 */
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
	bool forwarded;
	uint16_t zone;
	struct gaiusctl_fwd_dir fwd[GAIUSCTL_FWD_DIRS];
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

/*
 * Reads @len bytes of a gaius conntrack entry's CTA_HELP_INFO (struct
 * gaius_ct_info) into @conn->fwd: each direction's shift, target and
 * switch sequence number. False when @len is not the struct's size, or
 * when neither direction is keyed (every new TCP connection of a
 * namespace with a rule for forwarded packets has the helper, idle until a
 * rule keys it): such an entry is not listed.
 */
bool gaiusctl_fwd_info_read(struct gaiusctl_conn *conn, const void *info,
			    size_t len);

/*
 * The key of a keyed forwarded direction as far as it is known, its value
 * modulo 256 (the kernel keeps only the shift): the shift for
 * GAIUSENCRYPT, 256 - shift for GAIUSDECRYPT; 0 when not keyed.
 */
uint32_t gaiusctl_fwd_key(const struct gaiusctl_fwd_dir *dir);

#endif /* GAIUSCTL_CONN_H */
