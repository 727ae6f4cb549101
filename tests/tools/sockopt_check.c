// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * gaius-sockopt-check: the caesar ULP's socket options given bad input, and
 * their answers given good input. Every check makes its own sockets over
 * 127.0.0.1 and prints `PASS: sockopt_<check>` or `FAIL: sockopt_<check>:
 * <reason>`; exits 1 when any check failed. Needs the module loadable (the
 * first TCP_ULP autoloads it) and a loopback interface that is up.
 */
#include <errno.h>
#include <linux/caesar.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define UNKNOWN_CAESAR_OPTION (CAESAR_RX_KEY + 1)

static int failures;

/* One check's line: a pass when why is NULL. */
static void verdict(const char *name, const char *why)
{
	if (!why) {
		printf("PASS: sockopt_%s\n", name);
		return;
	}
	failures++;
	printf("FAIL: sockopt_%s: %s\n", name, why);
}

/* A call that must fail with errno want. */
static void expect_errno(const char *name, int ret, int want)
{
	char why[160];
	int got = errno;

	if (ret < 0 && got == want) {
		verdict(name, NULL);
		return;
	}
	snprintf(why, sizeof(why), "returned %d (%s), expected %s", ret,
		 ret < 0 ? strerror(got) : "no error", strerror(want));
	verdict(name, why);
}

/* A call that must succeed. */
static void expect_ok(const char *name, int ret)
{
	verdict(name, ret ? strerror(errno) : NULL);
}

static int attach(int fd)
{
	return setsockopt(fd, SOL_TCP, TCP_ULP, CAESAR_ULP_NAME,
			  sizeof(CAESAR_ULP_NAME) - 1);
}

static int set_key(int fd, int opt, int key)
{
	return setsockopt(fd, SOL_TCP, opt, &key, sizeof(key));
}

static int get_key(int fd, int opt, int *key)
{
	socklen_t len = sizeof(*key);

	return getsockopt(fd, SOL_TCP, opt, key, &len);
}

/* getsockopt(opt) must return want. */
static void expect_key(const char *name, int fd, int opt, int want)
{
	char why[160];
	int key = 0;
	int failed = get_key(fd, opt, &key);

	if (failed)
		snprintf(why, sizeof(why), "getsockopt(%d): %s; expected %d", opt,
			 strerror(errno), want);
	else
		snprintf(why, sizeof(why), "getsockopt(%d) returned %d, expected %d",
			 opt, key, want);
	verdict(name, !failed && key == want ? NULL : why);
}

static int listener_on_loopback(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) || listen(fd, 4)) {
		perror("gaius-sockopt-check: listen on 127.0.0.1");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* A connected client socket (the accepted end is closed: not needed). */
static int connected_socket(void)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int lfd = listener_on_loopback();
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int peer = -1;

	if (lfd < 0 || fd < 0 || getsockname(lfd, (struct sockaddr *)&ss, &len) ||
	    connect(fd, (struct sockaddr *)&ss, len) ||
	    (peer = accept(lfd, NULL, NULL)) < 0) {
		perror("gaius-sockopt-check: connect over loopback");
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	if (peer >= 0)
		close(peer);
	if (lfd >= 0)
		close(lfd);
	return fd;
}

static void check_bad_optlen(int fd)
{
	static const int opts[] = { CAESAR_KEY, CAESAR_TX_KEY, CAESAR_RX_KEY };
	static const socklen_t lens[] = { 0, 1, sizeof(int) - 1 };
	int key = 5;
	char name[64];

	for (unsigned int i = 0; i < 3; i++) {
		for (unsigned int j = 0; j < 3; j++) {
			snprintf(name, sizeof(name), "set_%d_optlen_%u_einval", opts[i], lens[j]);
			expect_errno(name, setsockopt(fd, SOL_TCP, opts[i], &key, lens[j]), EINVAL);
		}
		snprintf(name, sizeof(name), "set_%d_bad_pointer_efault", opts[i]);
		expect_errno(name, setsockopt(fd, SOL_TCP, opts[i], NULL, sizeof(int)), EFAULT);
	}
}

static void check_bad_keys(int fd)
{
	static const int keys[] = { 0, 256, -256, 512 };
	static const int opts[] = { CAESAR_KEY, CAESAR_TX_KEY, CAESAR_RX_KEY };
	char name[64];

	for (unsigned int i = 0; i < 4; i++)
		for (unsigned int j = 0; j < 3; j++) {
			snprintf(name, sizeof(name), "set_%d_key_%d_einval", opts[j], keys[i]);
			expect_errno(name, set_key(fd, opts[j], keys[i]), EINVAL);
		}
}

static void check_short_getsockopt(int fd)
{
	static const int opts[] = { CAESAR_KEY, CAESAR_TX_KEY, CAESAR_RX_KEY };
	char name[64];
	int key;

	for (unsigned int i = 0; i < 3; i++) {
		socklen_t len = sizeof(int) - 2;

		snprintf(name, sizeof(name), "get_%d_short_optlen_einval", opts[i]);
		expect_errno(name, getsockopt(fd, SOL_TCP, opts[i], &key, &len), EINVAL);
	}
}

/* The ULP attached to a connected socket: its options, good and bad. */
static void check_attached(void)
{
	int fd = connected_socket();
	int one = 1, value = 0;
	socklen_t len = sizeof(value);
	char ulp[16] = "";
	socklen_t ulp_len = sizeof(ulp);

	if (fd < 0)
		return;
	expect_ok("attach_connected", attach(fd));
	expect_errno("attach_twice_eexist", attach(fd), EEXIST);
	expect_ok("tcp_ulp_reads_caesar",
		  getsockopt(fd, SOL_TCP, TCP_ULP, ulp, &ulp_len) ||
		  strcmp(ulp, CAESAR_ULP_NAME) ? -1 : 0);
	expect_errno("get_key_unset_enoent", get_key(fd, CAESAR_KEY, &value), ENOENT);
	expect_errno("get_tx_key_unset_enoent", get_key(fd, CAESAR_TX_KEY, &value), ENOENT);
	expect_errno("get_rx_key_unset_enoent", get_key(fd, CAESAR_RX_KEY, &value), ENOENT);
	check_bad_optlen(fd);
	check_bad_keys(fd);
	check_short_getsockopt(fd);
	expect_errno("set_unknown_option_enoprotoopt",
		     set_key(fd, UNKNOWN_CAESAR_OPTION, 5), ENOPROTOOPT);
	expect_errno("get_unknown_option_enoprotoopt",
		     get_key(fd, UNKNOWN_CAESAR_OPTION, &value), ENOPROTOOPT);
	expect_ok("tcp_nodelay_passes_through",
		  setsockopt(fd, SOL_TCP, TCP_NODELAY, &one, sizeof(one)) ||
		  getsockopt(fd, SOL_TCP, TCP_NODELAY, &value, &len) || !value ? -1 : 0);

	expect_ok("set_key_12354", set_key(fd, CAESAR_KEY, 12354));
	expect_key("get_key_after_set", fd, CAESAR_KEY, 12354);
	expect_key("get_tx_key_after_set", fd, CAESAR_TX_KEY, 12354);
	expect_key("get_rx_key_after_set", fd, CAESAR_RX_KEY, 12354);
	expect_ok("set_tx_key_7", set_key(fd, CAESAR_TX_KEY, 7));
	expect_key("get_tx_key_after_tx_set", fd, CAESAR_TX_KEY, 7);
	expect_key("get_rx_key_kept", fd, CAESAR_RX_KEY, 12354);
	expect_errno("get_key_when_keys_differ_enoent", get_key(fd, CAESAR_KEY, &value), ENOENT);
	expect_ok("set_negative_key", set_key(fd, CAESAR_RX_KEY, -1));
	expect_key("get_negative_key_as_set", fd, CAESAR_RX_KEY, -1);
	expect_ok("set_key_257", set_key(fd, CAESAR_KEY, 257));
	expect_key("get_key_257_as_set", fd, CAESAR_KEY, 257);
	close(fd);
}

/* The options on sockets the ULP cannot be on, or is not on. */
static void check_refusals(void)
{
	int plain = connected_socket();
	int lfd = listener_on_loopback();
	int early = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int value;

	if (plain >= 0) {
		expect_errno("set_key_without_ulp_enoprotoopt",
			     set_key(plain, CAESAR_KEY, 5), ENOPROTOOPT);
		expect_errno("get_tx_key_without_ulp_enoprotoopt",
			     get_key(plain, CAESAR_TX_KEY, &value), ENOPROTOOPT);
		close(plain);
	}
	if (lfd >= 0) {
		expect_errno("attach_listening_enotconn", attach(lfd), ENOTCONN);
		close(lfd);
	}
	if (early >= 0) {
		expect_ok("attach_before_connect", attach(early));
		expect_ok("set_key_before_connect", set_key(early, CAESAR_KEY, 3));
		expect_errno("listen_with_ulp_einval", listen(early, 1), EINVAL);
		close(early);
	}
}

int main(void)
{
	check_attached();
	check_refusals();
	printf("gaius-sockopt-check: %s\n", failures ? "FAILED" : "all checks passed");
	return failures ? 1 : 0;
}
