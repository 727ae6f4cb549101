// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The ways around the socket's copy: mmap() of the socket and
 * TCP_ZEROCOPY_RECEIVE into that mapping (which a caesar socket refuses:
 * the pages hold ciphertext), and a sockmap (which a caesar socket cannot
 * join: its proto has no psock_update_sk_prot). On a plain socket both
 * work, and the fuzzed pairs have plain ends too.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sockfuzz_ops.h"

#define SOCKMAP_ENTRIES 16

/* The fuzzing threads' sockmap, and one for the contract checks alone. */
static int fuzz_map = -1, contract_map = -1;

static long bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int create_map(void)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_SOCKMAP;
	attr.key_size = sizeof(uint32_t);
	attr.value_size = sizeof(uint32_t);
	attr.max_entries = SOCKMAP_ENTRIES;
	return (int)bpf(BPF_MAP_CREATE, &attr);
}

int sf_sockmap_create(void)
{
	fuzz_map = create_map();
	contract_map = create_map();
	return fuzz_map < 0 || contract_map < 0 ? -1 : 0;
}

static long map_update(int map, uint32_t key, int fd)
{
	uint32_t value = (uint32_t)fd;
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)map;
	attr.key = (uintptr_t)&key;
	attr.value = (uintptr_t)&value;
	attr.flags = BPF_ANY;
	return bpf(BPF_MAP_UPDATE_ELEM, &attr);
}

static long map_delete(int map, uint32_t key)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = (uint32_t)map;
	attr.key = (uintptr_t)&key;
	return bpf(BPF_MAP_DELETE_ELEM, &attr);
}

int sf_sockmap_hold(int fd)
{
	return map_update(contract_map, 0, fd) < 0 ? -1 : 0;
}

void sf_sockmap_release(void)
{
	(void)map_delete(contract_map, 0);
}

long sf_op_sockmap(struct sf_thread *t, int fd, bool *bad)
{
	uint32_t key = (uint32_t)rng_below(&t->rng, SOCKMAP_ENTRIES + 1);

	*bad = key >= SOCKMAP_ENTRIES;
	if (rng_percent(&t->rng, 30))
		return map_delete(fuzz_map, key);
	return map_update(fuzz_map, key, fd);
}

long sf_op_mmap(struct sf_thread *t, int fd, bool *bad)
{
	struct rng *r = &t->rng;
	size_t len = t->mem.page * (1 + rng_below(r, 16));
	int prot = rng_percent(r, 80) ? PROT_READ : (int)rng_below(r, 8);
	int flags = rng_percent(r, 80) ? MAP_SHARED : MAP_PRIVATE;
	void *p;

	if (prot != PROT_READ || flags != MAP_SHARED)
		*bad = true;
	p = mmap(NULL, len, prot, flags, fd, 0);
	if (p == MAP_FAILED)
		return -1;
	munmap(p, len);
	return 0;
}

long sf_op_zerocopy_receive(struct sf_thread *t, int fd, bool *bad)
{
	struct rng *r = &t->rng;
	size_t len = t->mem.page * (1 + rng_below(r, 32));
	struct tcp_zerocopy_receive zc;
	socklen_t zlen = sizeof(zc);
	void *map, *arg = &zc;
	bool elsewhere_bad = false;
	void *elsewhere = sf_ptr(&t->mem, r, len, true, &elsewhere_bad);
	long ret;

	map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	memset(&zc, 0, sizeof(zc));
	/* Without a mapping of the socket: memory that is not one. */
	zc.address = (uintptr_t)(map == MAP_FAILED ? elsewhere : map);
	*bad |= map == MAP_FAILED && elsewhere_bad;
	zc.length = rng_percent(r, 80) ? (uint32_t)len : (uint32_t)sf_int(r);
	if (rng_percent(r, 30)) {
		zc.copybuf_len = (int)rng_size(r, 65536);
		zc.copybuf_address = (uintptr_t)sf_ptr(&t->mem, r, (size_t)zc.copybuf_len, true, bad);
	}
	if (rng_percent(r, 10))
		zc.flags = (uint32_t)rng_next(r);
	if (rng_percent(r, 10))
		zlen = (socklen_t)RNG_PICK(r, ((const unsigned int[]){ 0, 8, 16, 24, 36, 40, 200 }));
	if (rng_percent(r, 3))
		arg = sf_ptr(&t->mem, r, sizeof(zc), true, bad);
	ret = getsockopt(fd, IPPROTO_TCP, TCP_ZEROCOPY_RECEIVE, arg, &zlen);
	if (map != MAP_FAILED)
		munmap(map, len);
	return ret;
}
