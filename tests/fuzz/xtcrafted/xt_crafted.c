// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * gaius-xt-crafted: hand-made GAIUSENCRYPT and GAIUSDECRYPT rules, the
 * kind no iptables would write, straight through IPT_SO_SET_REPLACE
 * (--family 4) or IP6T_SO_SET_REPLACE (--family 6) into the filter table
 * of the current network namespace (iptable_filter or ip6table_filter,
 * and xt_GAIUS, loaded). Each case builds a whole table (INPUT, FORWARD
 * and OUTPUT with an ACCEPT policy, maybe a user chain, the closing
 * ERROR entry) around one crafted entry, or with one crafted header
 * field, and expects the kernel's answer: the right errno for a bad one,
 * success for the few valid controls (which show that the images are
 * right, so that a refusal is the refusal of what the case changed).
 * After every case the table must be the default one again: a refused
 * replace changes nothing, and a control's table is replaced back.
 *
 * Prints `PASS: xt-crafted-vF-CASE: ...` or `FAIL: xt-crafted-vF-CASE:
 * ...` per case; exits 1 if any failed. The kernel log (checkentry's and
 * x_tables' messages are expected; a warning is not) is the caller's.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <linux/netfilter.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter/xt_GAIUS.h>
#include <linux/netfilter_ipv6/ip6_tables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xt_blob.h"

#define FILTER_HOOKS ((1 << NF_INET_LOCAL_IN) | (1 << NF_INET_FORWARD) | (1 << NF_INET_LOCAL_OUT))
#define ACCEPT (-NF_ACCEPT - 1)
#define GOOD_KEY 12354
/* A fresh filter table: the three policies and the closing ERROR entry. */
#define DEFAULT_ENTRIES 4

/* Where the crafted entry goes. */
enum place {
	IN_OUTPUT,
	IN_INPUT,
	IN_FORWARD,
	IN_CHAIN_FROM_OUTPUT,	/* a user chain that OUTPUT jumps to */
	IN_CHAIN_FROM_INPUT,
	NOWHERE,		/* the default table: no crafted entry */
};

/* What else is wrong, in the header. */
enum tweak {
	NO_TWEAK,
	SIZE,			/* .value */
	SIZE_PAST_BUFFER,	/* .value bytes more than setsockopt() is given */
	NUM_ENTRIES,		/* .value */
	ONE_ENTRY_MORE,
	NUM_COUNTERS,		/* .value */
	COUNTERS_OFF_BY_ONE,
	VALID_HOOKS,		/* .value */
	UNDERFLOW_AT_RULE,	/* OUTPUT's underflow is the crafted rule */
	NO_SUCH_TABLE,
};

struct crafted {
	const char *name;
	const char *target;	/* NULL: GAIUSENCRYPT */
	uint64_t value;		/* for the tweak */
	int expect;		/* errno, 0 for a valid control */
	enum place place;
	enum tweak tweak;
	uint32_t key;		/* with key_given; else GOOD_KEY */
	int data_len;		/* 0: the key's 4 bytes; -1: none */
	unsigned int target_size, next_offset;	/* 0: right */
	int proto;		/* 0: tcp; -1: any */
	uint8_t revision;
	bool unterminated;
	bool key_given;
	bool inv_proto;
	bool optlen_claims_size;	/* optlen as the size says, not as the buffer is */
};

/* .target_size for a target_size of 0 (0 there means the right size). */
#define TARGET_SIZE_ZERO 0xffff0000U

#define DECRYPT "GAIUSDECRYPT"

static const struct crafted cases[] = {
	{ .name = "control-encrypt-output", .expect = 0 },
	{ .name = "control-decrypt-input", .expect = 0, .place = IN_INPUT, .target = DECRYPT },
	{ .name = "control-encrypt-user-chain-from-output", .expect = 0,
	  .place = IN_CHAIN_FROM_OUTPUT },
	{ .name = "control-key-0xffffffff", .expect = 0, .key = 0xffffffffU, .key_given = true },
	{ .name = "revision-1", .expect = ENOENT, .revision = 1 },
	{ .name = "revision-255", .expect = ENOENT, .revision = 255, .target = DECRYPT,
	  .place = IN_INPUT },
	{ .name = "unknown-name", .expect = ENOENT, .target = "GAIUSENCRYPTX" },
	{ .name = "name-without-nul", .expect = EINVAL, .unterminated = true },
	{ .name = "no-target-data", .expect = EINVAL, .data_len = -1 },
	{ .name = "target-data-16-bytes", .expect = EINVAL, .data_len = 16 },
	{ .name = "target-size-below-its-header", .expect = EINVAL, .target_size = 16 },
	{ .name = "target-size-0", .expect = EINVAL, .target_size = TARGET_SIZE_ZERO },
	{ .name = "target-size-past-the-entry", .expect = EINVAL, .target_size = 0xfff0 },
	{ .name = "target-size-odd", .expect = EINVAL, .target_size = 37 },
	{ .name = "key-0", .expect = EINVAL, .key = 0, .key_given = true },
	{ .name = "key-256", .expect = EINVAL, .key = 256, .key_given = true },
	{ .name = "key-0xffffff00", .expect = EINVAL, .key = 0xffffff00U, .key_given = true,
	  .target = DECRYPT, .place = IN_INPUT },
	{ .name = "encrypt-in-input", .expect = EINVAL, .place = IN_INPUT },
	{ .name = "control-encrypt-forward", .expect = 0, .place = IN_FORWARD },
	{ .name = "decrypt-in-output", .expect = EINVAL, .target = DECRYPT },
	{ .name = "control-decrypt-forward", .expect = 0, .target = DECRYPT, .place = IN_FORWARD },
	{ .name = "encrypt-in-user-chain-from-input", .expect = EINVAL,
	  .place = IN_CHAIN_FROM_INPUT },
	{ .name = "proto-udp", .expect = EINVAL, .proto = IPPROTO_UDP },
	{ .name = "proto-any", .expect = EINVAL, .proto = -1 },
	{ .name = "proto-not-tcp", .expect = EINVAL, .inv_proto = true },
	{ .name = "next-offset-huge", .expect = EINVAL, .next_offset = 0xfff8 },
	{ .name = "next-offset-short", .expect = EINVAL, .next_offset = 8 },
	/* The size is checked against optlen first, then allocated, then copied. */
	{ .name = "size-4GiB", .expect = EINVAL, .tweak = SIZE, .value = 0xffffffffU },
	{ .name = "size-1GiB-past-optlen", .expect = EINVAL, .tweak = SIZE, .value = 1U << 30 },
	{ .name = "size-1GiB", .expect = ENOMEM, .tweak = SIZE, .value = 1U << 30,
	  .optlen_claims_size = true },
	{ .name = "size-0", .expect = EINVAL, .tweak = SIZE, .value = 0 },
	{ .name = "size-past-optlen", .expect = EINVAL, .tweak = SIZE_PAST_BUFFER,
	  .value = 65536 },
	{ .name = "size-past-the-buffer", .expect = EFAULT, .tweak = SIZE_PAST_BUFFER,
	  .value = 65536, .optlen_claims_size = true },
	{ .name = "num-entries-huge", .expect = ENOMEM, .tweak = NUM_ENTRIES,
	  .value = 0xffffffffU },
	{ .name = "num-entries-one-more", .expect = EINVAL, .tweak = ONE_ENTRY_MORE },
	{ .name = "num-counters-0", .expect = EINVAL, .tweak = NUM_COUNTERS, .value = 0 },
	{ .name = "num-counters-huge", .expect = ENOMEM, .tweak = NUM_COUNTERS,
	  .value = 0x7fffffffU },
	{ .name = "num-counters-wrong", .expect = EAGAIN, .tweak = COUNTERS_OFF_BY_ONE },
	{ .name = "valid-hooks-lie", .expect = EINVAL, .tweak = VALID_HOOKS,
	  .value = FILTER_HOOKS | (1 << NF_INET_PRE_ROUTING) },
	{ .name = "underflow-is-the-rule", .expect = EINVAL, .tweak = UNDERFLOW_AT_RULE },
	{ .name = "no-such-table", .expect = ENOENT, .tweak = NO_SUCH_TABLE },
};

struct family {
	int af, level;
	const char *tag;	/* v4, v6 */
};

static int failures;

static void report(const struct family *f, const char *name, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void report(const struct family *f, const char *name, bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s: xt-crafted-%s-%s: ", ok ? "PASS" : "FAIL", f->tag, name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failures += !ok;
}

static int get_info(int fd, const struct family *f, struct ipt_getinfo *info)
{
	socklen_t len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	strcpy(info->name, "filter");
	return getsockopt(fd, f->level, IPT_SO_GET_INFO, info, &len);
}

/* The crafted entry; returns its offset, or -1. */
static long add_crafted(struct xt_blob *b, const struct crafted *c)
{
	struct xt_gaius_tginfo info = { .key = c->key_given ? c->key : GOOD_KEY };
	unsigned char data[16] = { 0 };
	struct xt_entry_spec spec = {
		.name = c->target ? c->target : "GAIUSENCRYPT",
		.unterminated = c->unterminated,
		.revision = c->revision,
		.data = data,
		.data_len = c->data_len < 0 ? 0 : c->data_len ? (size_t)c->data_len : sizeof(info),
		.target_size = c->target_size == TARGET_SIZE_ZERO ? 0 :
			       c->target_size ? (long)c->target_size : -1,
		.next_offset = c->next_offset,
		.proto = (uint16_t)(c->proto < 0 ? 0 : c->proto ? c->proto : IPPROTO_TCP),
		.inv_proto = c->inv_proto,
	};

	memcpy(data, &info, sizeof(info));
	return xt_blob_add(b, &spec);
}

/*
 * The filter table with @c's entry where it says (none for NOWHERE):
 * hook_entry and underflow set, the other header fields left to the caller.
 */
static int build(struct xt_blob *b, const struct crafted *c)
{
	struct ipt_replace *r;
	long in, in_end, fwd, fwd_end, out, out_end, rule = -1, jump = -1;

	in = (long)b->len;
	if (c->place == IN_INPUT)
		rule = add_crafted(b, c);
	if (c->place == IN_CHAIN_FROM_INPUT)
		jump = xt_blob_standard(b, 0);
	in_end = xt_blob_standard(b, ACCEPT);
	fwd = (long)b->len;
	if (c->place == IN_FORWARD)
		rule = add_crafted(b, c);
	fwd_end = xt_blob_standard(b, ACCEPT);
	out = (long)b->len;
	if (c->place == IN_OUTPUT)
		rule = add_crafted(b, c);
	if (c->place == IN_CHAIN_FROM_OUTPUT)
		jump = xt_blob_standard(b, 0);
	out_end = xt_blob_standard(b, ACCEPT);
	if (jump >= 0) {
		xt_blob_error(b, "gaius-crafted");
		rule = add_crafted(b, c);
		xt_blob_standard(b, XT_RETURN);
		xt_blob_set_verdict(b, jump, (int)rule);
	}
	if (xt_blob_error(b, XT_ERROR_TARGET) < 0 || in_end < 0 || fwd_end < 0 || out_end < 0 ||
	    (c->place != NOWHERE && rule < 0))
		return -1;

	r = xt_blob_header(b);
	strcpy(r->name, "filter");
	r->valid_hooks = FILTER_HOOKS;
	r->num_entries = b->entries;
	r->size = (unsigned int)b->len;
	r->hook_entry[NF_INET_LOCAL_IN] = (unsigned int)in;
	r->underflow[NF_INET_LOCAL_IN] = (unsigned int)in_end;
	r->hook_entry[NF_INET_FORWARD] = (unsigned int)fwd;
	r->underflow[NF_INET_FORWARD] = (unsigned int)fwd_end;
	r->hook_entry[NF_INET_LOCAL_OUT] = (unsigned int)out;
	r->underflow[NF_INET_LOCAL_OUT] = (unsigned int)(c->tweak == UNDERFLOW_AT_RULE ? rule : out_end);
	return 0;
}

static void apply_tweak(struct ipt_replace *r, const struct crafted *c)
{
	switch (c->tweak) {
	case SIZE:
	case SIZE_PAST_BUFFER:
		r->size = c->tweak == SIZE ? (unsigned int)c->value : r->size + (unsigned int)c->value;
		break;
	case NUM_ENTRIES:
		r->num_entries = (unsigned int)c->value;
		break;
	case ONE_ENTRY_MORE:
		r->num_entries++;
		break;
	case NUM_COUNTERS:
		r->num_counters = (unsigned int)c->value;
		break;
	case COUNTERS_OFF_BY_ONE:
		r->num_counters++;
		break;
	case VALID_HOOKS:
		r->valid_hooks = (unsigned int)c->value;
		break;
	case NO_SUCH_TABLE:
		strcpy(r->name, "gaius-nosuch");
		break;
	default:
		break;
	}
}

/*
 * setsockopt(SET_REPLACE) with the image at the very end of a mapping, an
 * unmapped page after it: a size (and optlen, with @claim) that says more
 * makes the kernel fault.
 */
static int replace(int fd, const struct family *f, struct xt_blob *b, bool claim)
{
	size_t size = xt_blob_size(b), page = (size_t)sysconf(_SC_PAGESIZE);
	size_t span = (size + page - 1) / page * page;
	unsigned char *area, *at;
	int ret, err;

	area = mmap(NULL, span + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		return -1;
	mprotect(area + span, page, PROT_NONE);
	at = area + span - size;
	memcpy(at, b->buf, size);
	ret = setsockopt(fd, f->level, IPT_SO_SET_REPLACE, at,
			 (socklen_t)(claim ? offsetof(struct ipt_replace, entries) +
					     xt_blob_header(b)->size : size));
	err = errno;
	munmap(area, span + page);
	errno = err;
	return ret;
}

static int replace_with(int fd, const struct family *f, const struct crafted *c,
			unsigned int current, struct xt_counters *counters)
{
	struct xt_blob b;
	struct ipt_replace *r;
	int ret;

	if (xt_blob_init(&b, f->af))
		return -1;
	if (build(&b, c)) {
		xt_blob_free(&b);
		errno = ENOMEM;
		return -1;
	}
	r = xt_blob_header(&b);
	r->num_counters = current;
	r->counters = counters;
	apply_tweak(r, c);
	ret = replace(fd, f, &b, c->optlen_claims_size);
	xt_blob_free(&b);
	return ret;
}

static const char *errno_name(int e)
{
	switch (e) {
	case 0: return "success";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case ENOMEM: return "ENOMEM";
	case EFAULT: return "EFAULT";
	case EAGAIN: return "EAGAIN";
	case ELOOP: return "ELOOP";
	case EPROTOTYPE: return "EPROTOTYPE";
	case EPERM: return "EPERM";
	default: return strerror(e);
	}
}

static void run_case(int fd, const struct family *f, const struct crafted *c,
		     const struct ipt_getinfo *fresh, struct xt_counters *counters)
{
	static const struct crafted restore = { .name = "restore", .place = NOWHERE };
	struct ipt_getinfo now;
	int got = 0;

	if (replace_with(fd, f, c, fresh->num_entries, counters))
		got = errno;
	if (got != c->expect) {
		report(f, c->name, false, "%s, expected %s", errno_name(got), errno_name(c->expect));
	} else if (get_info(fd, f, &now)) {
		report(f, c->name, false, "%s as expected, then IPT_SO_GET_INFO: %s",
		       errno_name(got), strerror(errno));
		return;
	} else if (!got && now.num_entries == fresh->num_entries) {
		report(f, c->name, false, "accepted, but the table still has %u entries",
		       now.num_entries);
	} else if (got && (now.num_entries != fresh->num_entries || now.size != fresh->size)) {
		report(f, c->name, false, "%s, but the table changed: %u entries, %u bytes (was %u, %u)",
		       errno_name(got), now.num_entries, now.size, fresh->num_entries, fresh->size);
	} else if (got) {
		report(f, c->name, true, "refused with %s, the table unchanged", errno_name(got));
	} else {
		report(f, c->name, true, "accepted (%u entries)", now.num_entries);
	}
	if (!got) {
		if (get_info(fd, f, &now) ||
		    replace_with(fd, f, &restore, now.num_entries, counters))
			report(f, c->name, false, "putting the default table back: %s",
			       strerror(errno));
	}
}

int main(int argc, char **argv)
{
	static const struct family families[] = {
		{ AF_INET, IPPROTO_IP, "v4" },
		{ AF_INET6, IPPROTO_IPV6, "v6" },
	};
	const struct family *f;
	struct ipt_getinfo fresh, after;
	struct xt_counters *counters;
	unsigned int refused = 0;
	int fd;

	if (argc != 3 || strcmp(argv[1], "--family") || (strcmp(argv[2], "4") && strcmp(argv[2], "6"))) {
		fprintf(stderr, "usage: gaius-xt-crafted --family 4|6\n");
		return 2;
	}
	f = &families[argv[2][0] == '6'];
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = socket(f->af, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0 || get_info(fd, f, &fresh)) {
		report(f, "setup", false, "the filter table: %s", strerror(errno));
		return 1;
	}
	/* It replaces the whole table: only ever a fresh one, never real rules. */
	if (fresh.num_entries != DEFAULT_ENTRIES) {
		report(f, "setup", false, "the filter table has %u entries, not the default %d: run this in a namespace of its own",
		       fresh.num_entries, DEFAULT_ENTRIES);
		return 1;
	}
	/* Room for the counters of any table built here. */
	counters = calloc(64, sizeof(*counters));
	if (!counters)
		return 1;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_case(fd, f, &cases[i], &fresh, counters);
		refused += cases[i].expect != 0;
	}
	if (get_info(fd, f, &after) || after.num_entries != fresh.num_entries ||
	    after.size != fresh.size)
		report(f, "table-at-the-end", false, "%u entries, %u bytes; it had %u, %u",
		       after.num_entries, after.size, fresh.num_entries, fresh.size);
	else
		report(f, "table-at-the-end", true, "the default table, %u entries", after.num_entries);
	printf("gaius-xt-crafted: %s: %zu crafted tables (%u invalid), %d failure(s)\n", f->tag,
	       sizeof(cases) / sizeof(cases[0]), refused, failures);
	/* What tests/run-all adds up over the suite (tests/netns/lib.sh's tally). */
	printf("TALLY: inputs %zu\nTALLY: bad-inputs %u\n", sizeof(cases) / sizeof(cases[0]), refused);
	close(fd);
	free(counters);
	return failures ? 1 : 0;
}
