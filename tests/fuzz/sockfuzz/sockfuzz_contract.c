// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Calls whose outcome the caesar ULP promises (include/uapi/linux/caesar.h,
 * docs/design.md), made on sockets known to have it, at random moments,
 * racing with everything else. A different outcome is a failure.
 *
 * A fuzzed socket is checked through a dup() of its descriptor, taken
 * before asking TCP_ULP: the socket cannot be closed or swapped under it,
 * and a ULP, once attached, stays. An oracle's sockets are checked under
 * its lock, which holds their closing off; there the keys are known too.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <linux/caesar.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sockfuzz_oracle.h"
#include "sockfuzz_ops.h"

/* One socket at a time in the contract's own sockmap entry. */
static pthread_mutex_t sockmap_lock = PTHREAD_MUTEX_INITIALIZER;

/* A shift-0 key, a short length, no memory: refused, whatever the state. */
#define SHIFT_ZERO_KEY 0x1200

static bool has_caesar(int fd)
{
	char name[16] = "";
	socklen_t len = sizeof(name);

	return !getsockopt(fd, IPPROTO_TCP, TCP_ULP, name, &len) &&
	       !strncmp(name, CAESAR_ULP_NAME, sizeof(name));
}

/*
 * Reports @what when @ret (with errno) is not success (@want 0) or a
 * failure with errno @want. Called with the call as its argument: errno is
 * read once the call has returned.
 */
static bool expect(const char *where, const char *what, long ret, int want)
{
	int err = errno;

	if (want == 0 ? ret >= 0 : (ret < 0 && err == want))
		return true;
	if (want == 0)
		sf_fail("contract: %s: %s failed with %s, expected success", where, what,
			strerror(err));
	else if (ret >= 0)
		sf_fail("contract: %s: %s returned %ld, expected %s", where, what, ret,
			strerror(want));
	else
		sf_fail("contract: %s: %s failed with %s, expected %s", where, what,
			strerror(err), strerror(want));
	return false;
}

/* One check that holds for any socket with the ULP, chosen by @which. */
static bool check_ulp_socket(const char *where, int fd, unsigned int which)
{
	int key = SHIFT_ZERO_KEY;
	socklen_t len = 3;
	struct tcp_zerocopy_receive zc;
	socklen_t zlen = sizeof(zc);
	bool joined;
	void *p;

	switch (which % 9) {
	case 0:
		p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
		if (p != MAP_FAILED) {
			munmap(p, 4096);
			return expect(where, "mmap()", 0, ENODEV);
		}
		return expect(where, "mmap()", -1, ENODEV);
	case 1:
		memset(&zc, 0, sizeof(zc));
		return expect(where, "TCP_ZEROCOPY_RECEIVE",
			      getsockopt(fd, IPPROTO_TCP, TCP_ZEROCOPY_RECEIVE, &zc, &zlen), EOPNOTSUPP);
	case 2:
		return expect(where, "listen()", listen(fd, 1), EINVAL);
	case 3:
		return expect(where, "TCP_ULP caesar again", sf_attach_ulp(fd), EEXIST);
	case 4:
		return expect(where, "TCP_ULP tls",
			      setsockopt(fd, IPPROTO_TCP, TCP_ULP, "tls", 3), EEXIST);
	case 5:
		return expect(where, "CAESAR_KEY with shift 0",
			      setsockopt(fd, IPPROTO_TCP, CAESAR_KEY, &key, sizeof(key)), EINVAL);
	case 6:
		return expect(where, "CAESAR_TX_KEY of 3 bytes",
			      setsockopt(fd, IPPROTO_TCP, CAESAR_TX_KEY, &key, 3), EINVAL) &&
		       expect(where, "getsockopt CAESAR_RX_KEY into 3 bytes",
			      getsockopt(fd, IPPROTO_TCP, CAESAR_RX_KEY, &key, &len), EINVAL);
	case 7:
		return expect(where, "CAESAR_KEY from NULL",
			      setsockopt(fd, IPPROTO_TCP, CAESAR_KEY, NULL, sizeof(int)), EFAULT);
	default:
		/* Our proto has no psock_update_sk_prot: no sockmap. */
		pthread_mutex_lock(&sockmap_lock);
		joined = sf_sockmap_hold(fd) == 0;
		if (joined)
			sf_sockmap_release();
		pthread_mutex_unlock(&sockmap_lock);
		if (joined)
			sf_fail("contract: %s: a socket with the caesar ULP joined a sockmap", where);
		return !joined;
	}
}

/*
 * A socket in a sockmap (sk_user_data is its psock) stays out of ours:
 * EBUSY, or ENOTCONN for a listener (a sockmap takes those too), which
 * caesar_init() refuses first.
 */
static bool check_sockmap_first(int fd)
{
	bool ok = true;

	pthread_mutex_lock(&sockmap_lock);
	if (sf_sockmap_hold(fd) == 0) {
		if (sf_attach_ulp(fd) == 0) {
			sf_fail("contract: a fuzzed socket in a sockmap: TCP_ULP caesar succeeded");
			ok = false;
		} else if (errno != EBUSY && errno != ENOTCONN) {
			sf_fail("contract: a fuzzed socket in a sockmap: TCP_ULP caesar failed with %s, expected EBUSY or ENOTCONN",
				strerror(errno));
			ok = false;
		}
		sf_sockmap_release();
	}
	pthread_mutex_unlock(&sockmap_lock);
	return ok;
}

long sf_op_ulp_contract(struct sf_thread *t, int fd, bool *bad)
{
	unsigned int which = (unsigned int)rng_next(&t->rng);
	int d = dup(fd);
	long ret = 0;

	(void)bad;
	if (d < 0)
		return -1;
	if (has_caesar(d))
		ret = check_ulp_socket("a fuzzed socket", d, which) ? 0 : -1;
	else if (which % 2)
		ret = check_sockmap_first(d) ? 0 : -1;
	close(d);
	return ret;
}

long sf_op_listener_ulp(struct sf_thread *t, int fd, bool *bad)
{
	const struct sf_listener *l = &sf.listeners[rng_below(&t->rng, sf.nlisteners)];

	(void)fd;
	(void)bad;
	/* No context on a listener: children would share it (CVE-2023-0461). */
	return expect("a listener", "TCP_ULP caesar", sf_attach_ulp(l->fd), ENOTCONN) ? 0 : -1;
}

/* The keys an oracle's sockets report: exactly those it set. */
static bool check_oracle_keys(const char *where, const struct sf_oracle *o, bool sender)
{
	int fd = sender ? o->sender : o->receiver;
	int opt = sender ? CAESAR_TX_KEY : CAESAR_RX_KEY;
	int key = 0;
	socklen_t len = sizeof(key);
	/*
	 * Read before the key: the receiver may set it between the two, and
	 * only a flag read first says the key was not set when we asked.
	 */
	bool rx_set = atomic_load(&o->rx_key_set);
	long ret = getsockopt(fd, IPPROTO_TCP, opt, &key, &len);

	if (!sender && !rx_set && ret < 0 && errno == ENOENT)
		return true;	/* not set yet */
	if (ret < 0) {
		sf_fail("contract: %s: getsockopt(%s) failed with %s, expected key %d", where,
			sender ? "CAESAR_TX_KEY" : "CAESAR_RX_KEY", strerror(errno), o->key);
		return false;
	}
	if (key != o->key || len != sizeof(key)) {
		sf_fail("contract: %s: getsockopt(%s) gave %d (%u bytes), expected %d", where,
			sender ? "CAESAR_TX_KEY" : "CAESAR_RX_KEY", key, len, o->key);
		return false;
	}
	return true;
}

long sf_op_oracle_probe(struct sf_thread *t, int fd, bool *bad)
{
	struct sf_oracle *o = &sf_oracles[rng_below(&t->rng, sf.opt.oracles)];
	unsigned int which = (unsigned int)rng_next(&t->rng);
	bool sender = which & 1, ok = true;
	char where[48];
	int key;

	(void)fd;
	(void)bad;
	if (!sf.opt.oracles || pthread_rwlock_tryrdlock(&o->lock))
		return 0;
	if (!o->live)
		goto out;
	snprintf(where, sizeof(where), "oracle %u's %s", o->id, sender ? "sender" : "receiver");
	key = o->key;
	switch ((which >> 1) % 4) {
	case 0:
		ok = check_oracle_keys(where, o, sender);
		break;
	case 1:
		/* The same key again, for the direction it is used in. */
		if (sender)
			ok = expect(where, "the same TX key again",
				    setsockopt(o->sender, IPPROTO_TCP, CAESAR_TX_KEY, &key, sizeof(key)), 0);
		else if (atomic_load(&o->rx_key_set))
			ok = expect(where, "the same RX key again",
				    setsockopt(o->receiver, IPPROTO_TCP, CAESAR_RX_KEY, &key, sizeof(key)), 0);
		break;
	default:
		ok = check_ulp_socket(where, sender ? o->sender : o->receiver, which >> 3);
		break;
	}
out:
	pthread_rwlock_unlock(&o->lock);
	return ok ? 0 : -1;
}
