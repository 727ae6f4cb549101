/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The Caesar TCP Upper Layer Protocol: socket interface.
 *
 * Attach:  setsockopt(fd, SOL_TCP, TCP_ULP, CAESAR_ULP_NAME, sizeof(CAESAR_ULP_NAME) - 1);
 * Key:     setsockopt(fd, SOL_TCP, CAESAR_KEY, &key, sizeof(int));
 *
 * Every byte sent becomes (byte + key) mod 256 and the receiver subtracts
 * the key again. Any int is a key; only key mod 256 matters, and a key whose
 * shift is 0 is refused with EINVAL. This hides nothing: see docs/security.md.
 */
#ifndef _UAPI_LINUX_CAESAR_H
#define _UAPI_LINUX_CAESAR_H

/* The name given to TCP_ULP; the module is autoloaded as "tcp-ulp-caesar". */
#define CAESAR_ULP_NAME		"caesar"

/*
 * Options at level SOL_TCP, valid once the ULP is attached; each takes an int.
 * CAESAR_KEY sets both directions. getsockopt() of CAESAR_TX_KEY or
 * CAESAR_RX_KEY returns the key as it was set, or fails with ENOENT while
 * that direction is off; getsockopt() of CAESAR_KEY returns the key when both
 * directions use the same one, and ENOENT otherwise.
 */
#define CAESAR_KEY		100
#define CAESAR_TX_KEY		101
#define CAESAR_RX_KEY		102

/*
 * sock_diag: inside INET_DIAG_ULP_INFO, next to INET_ULP_INFO_NAME "caesar",
 * a nest of this type holds the socket's keys (0: that direction is off) and
 * the bytes it has enciphered and deciphered. Its number is far above the
 * kernel's own INET_ULP_INFO_* values, which tools like ss parse by number
 * (attribute types are 14 bits wide).
 */
#define INET_ULP_INFO_CAESAR	0x0cae

enum {
	CAESAR_INFO_UNSPEC,
	CAESAR_INFO_TX_KEY,	/* s32 */
	CAESAR_INFO_RX_KEY,	/* s32 */
	CAESAR_INFO_TX_BYTES,	/* u64 */
	CAESAR_INFO_RX_BYTES,	/* u64 */
	CAESAR_INFO_PAD,
	__CAESAR_INFO_MAX
};

#define CAESAR_INFO_MAX		(__CAESAR_INFO_MAX - 1)

#endif /* _UAPI_LINUX_CAESAR_H */
