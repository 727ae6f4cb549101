/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The fuzzing operations. Each takes the thread, a descriptor of a fuzzed
 * pair (which may hold a closed slot's /dev/null) and sets *bad when it
 * passed something invalid on purpose; it returns what the system call
 * returned (-1 with errno on failure). Nothing here judges the result:
 * contract checks are in sockfuzz_contract.c.
 */
#ifndef SOCKFUZZ_OPS_H
#define SOCKFUZZ_OPS_H

#include <stdbool.h>

#include "sockfuzz.h"

typedef long (*sf_op_fn)(struct sf_thread *t, int fd, bool *bad);

/* sockfuzz_ops_opt.c */
long sf_op_setsockopt(struct sf_thread *t, int fd, bool *bad);
long sf_op_getsockopt(struct sf_thread *t, int fd, bool *bad);

/* sockfuzz_ops_io.c */
long sf_op_send(struct sf_thread *t, int fd, bool *bad);
long sf_op_recv(struct sf_thread *t, int fd, bool *bad);
long sf_op_sendfile(struct sf_thread *t, int fd, bool *bad);
long sf_op_splice_to(struct sf_thread *t, int fd, bool *bad);
long sf_op_vmsplice(struct sf_thread *t, int fd, bool *bad);
long sf_op_splice_from(struct sf_thread *t, int fd, bool *bad);

/* sockfuzz_ops_map.c */
long sf_op_zerocopy_receive(struct sf_thread *t, int fd, bool *bad);
long sf_op_mmap(struct sf_thread *t, int fd, bool *bad);
long sf_op_sockmap(struct sf_thread *t, int fd, bool *bad);
int sf_sockmap_create(void);
/* The contract checks' sockmap entry: put @fd there, or take it out. */
int sf_sockmap_hold(int fd);
void sf_sockmap_release(void);

/* sockfuzz_ops_misc.c */
long sf_op_shutdown(struct sf_thread *t, int fd, bool *bad);
long sf_op_disconnect(struct sf_thread *t, int fd, bool *bad);
long sf_op_listen(struct sf_thread *t, int fd, bool *bad);
long sf_op_ioctl(struct sf_thread *t, int fd, bool *bad);
long sf_op_poll(struct sf_thread *t, int fd, bool *bad);
long sf_op_sock_diag(struct sf_thread *t, int fd, bool *bad);
long sf_op_proc_stat(struct sf_thread *t, int fd, bool *bad);

/* sockfuzz_slots.c */
long sf_op_close(struct sf_thread *t, int fd, bool *bad);
long sf_op_replace(struct sf_thread *t, int fd, bool *bad);
int sf_slots_init(void);
int sf_new_pair(struct rng *r, int fds[2]);

/* sockfuzz_contract.c */
long sf_op_ulp_contract(struct sf_thread *t, int fd, bool *bad);
long sf_op_listener_ulp(struct sf_thread *t, int fd, bool *bad);
long sf_op_oracle_probe(struct sf_thread *t, int fd, bool *bad);

/* sockfuzz_ops.c: the table, one step, and the thread's loop. */
long sf_op_fork(struct sf_thread *t, int fd, bool *bad);
void *sf_fuzz_thread(void *arg);
void sf_report_ops(void);

#endif /* SOCKFUZZ_OPS_H */
