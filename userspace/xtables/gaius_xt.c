// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The iptables side of GAIUSENCRYPT and GAIUSDECRYPT (kernel/gaius_target.c):
 * one option, --key, which fills struct xt_gaius_tginfo
 * (linux/netfilter/xt_GAIUS.h). Both targets take it the same way; they
 * differ in name, direction and chains, which only the help mentions.
 *
 *   iptables -A OUTPUT -p tcp --dport 4242 -j GAIUSENCRYPT --key 12354
 *   iptables -S OUTPUT   ->   ... -j GAIUSENCRYPT --key 12354
 *
 * The key is saved in decimal whatever way it was written, so that
 * iptables-save | iptables-restore gives the same rule back.
 */
#include "gaius_xt.h"

#include <linux/netfilter/xt_GAIUS.h>
#include <stdint.h>
#include <stdio.h>
#include <xtables.h>

#include "gaius_key.h"

#define GAIUS_XT_COUNT(array) (sizeof(array) / sizeof((array)[0]))

enum {
	O_KEY = 0,
};

struct gaius_xt_role {
	const char *name;
	const char *bytes;	/* which bytes the key is for */
	const char *chains;	/* where the kernel allows the target */
};

static const struct gaius_xt_role gaius_xt_roles[] = {
	[GAIUS_XT_ENCRYPT] = { "GAIUSENCRYPT", "sends", "OUTPUT, POSTROUTING" },
	[GAIUS_XT_DECRYPT] = { "GAIUSDECRYPT", "receives", "INPUT, PREROUTING" },
};

/* The role of the one target this plugin registers: help() takes no argument. */
static const struct gaius_xt_role *gaius_xt_role = &gaius_xt_roles[GAIUS_XT_ENCRYPT];

/*
 * A string, parsed in gaius_xt_parse() as every gaius tool reads a key
 * (gaius_key.h): XTTYPE_UINT32 would take " 12" and "+5".
 * xtables_option_parse() refuses a repeated or inverted --key,
 * gaius_xt_check() a missing one (XTOPT_MAND would too, less clearly).
 */
static const struct xt_option_entry gaius_xt_options[] = {
	{ .name = "key", .id = O_KEY, .type = XTTYPE_STRING, .flags = XTOPT_MAND },
	XTOPT_TABLEEND,
};

static void gaius_xt_help(void)
{
	printf("%s target options:\n"
	       "  --key value   Caesar key for what the local socket of a matched TCP\n"
	       "                connection %s: 0 to 4294967295, in decimal, 0x-hex\n"
	       "                or 0-octal. The shift is value mod 256; a shift of 0\n"
	       "                is refused.\n"
	       "                Use with -p tcp in %s; in FORWARD,\n"
	       "                PREROUTING or POSTROUTING for forwarded connections.\n"
	       "                A Caesar shift hides nothing.\n",
	       gaius_xt_role->name, gaius_xt_role->bytes, gaius_xt_role->chains);
}

static void gaius_xt_parse(struct xt_option_call *cb)
{
	struct xt_gaius_tginfo *info = cb->data;
	enum gaius_key_status status;
	uint32_t key = 0;

	/* Refuses a second --key and "! --key". */
	xtables_option_parse(cb);
	status = gaius_key_parse(cb->arg, &key);
	if (status == GAIUS_KEY_OK)
		status = gaius_key_check_shift(key);
	if (status != GAIUS_KEY_OK)
		xtables_error(PARAMETER_PROBLEM, "%s: bad --key \"%s\": %s",
			      cb->ext_name, cb->arg, gaius_key_problem(status));
	info->key = key;
}

/* Runs before libxtables checks XTOPT_MAND: say what --key is for. */
static void gaius_xt_check(struct xt_fcheck_call *cb)
{
	if (!(cb->xflags & (1U << O_KEY)))
		xtables_error(PARAMETER_PROBLEM,
			      "%s: --key is required: the Caesar key, 0 to 4294967295, whose shift (key mod 256) is not 0",
			      cb->ext_name);
}

static void gaius_xt_print(const void *entry, const struct xt_entry_target *target,
			   int numeric)
{
	const struct xt_gaius_tginfo *info = (const void *)target->data;
	char key[GAIUS_KEY_TEXT_SIZE];

	(void)entry;
	(void)numeric;
	printf(" key %s", gaius_key_format(info->key, key));
}

static void gaius_xt_save(const void *entry, const struct xt_entry_target *target)
{
	const struct xt_gaius_tginfo *info = (const void *)target->data;
	char key[GAIUS_KEY_TEXT_SIZE];

	(void)entry;
	printf(" --key %s", gaius_key_format(info->key, key));
}

static const uint16_t gaius_xt_families[] = { NFPROTO_IPV4, NFPROTO_IPV6 };

/* libxtables keeps these: static storage, filled in at registration. */
static struct xtables_target gaius_xt_targets[GAIUS_XT_COUNT(gaius_xt_families)];

void gaius_xt_register(enum gaius_xt_direction direction)
{
	gaius_xt_role = &gaius_xt_roles[direction];
	for (size_t i = 0; i < GAIUS_XT_COUNT(gaius_xt_targets); i++)
		gaius_xt_targets[i] = (struct xtables_target){
			.version	= XTABLES_VERSION,
			.name		= gaius_xt_role->name,
			.revision	= 0,
			.family		= gaius_xt_families[i],
			.size		= XT_ALIGN(sizeof(struct xt_gaius_tginfo)),
			.userspacesize	= XT_ALIGN(sizeof(struct xt_gaius_tginfo)),
			.help		= gaius_xt_help,
			.print		= gaius_xt_print,
			.save		= gaius_xt_save,
			.x6_parse	= gaius_xt_parse,
			.x6_fcheck	= gaius_xt_check,
			.x6_options	= gaius_xt_options,
		};
	xtables_register_targets(gaius_xt_targets, GAIUS_XT_COUNT(gaius_xt_targets));
}
