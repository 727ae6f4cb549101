// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace counters, shown in /proc/net/caesar_stat the way
 * net/tls shows /proc/net/tls_stat. Per-CPU, so any context may count
 * without a lock; the file sums them when it is read.
 */

#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/ip.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "caesar.h"

struct caesar_mib {
	unsigned long mibs[CAESAR_STAT_MAX];
};

struct caesar_net {
	struct caesar_mib __percpu *mib;
};

static unsigned int caesar_net_id __read_mostly;

static const struct snmp_mib caesar_mib_list[] = {
	SNMP_MIB_ITEM("CaesarCurrSockets", CAESAR_STAT_CURR_SOCKETS),
	SNMP_MIB_ITEM("CaesarAttached", CAESAR_STAT_ATTACHED),
	SNMP_MIB_ITEM("CaesarAttachFail", CAESAR_STAT_ATTACH_FAIL),
	SNMP_MIB_ITEM("CaesarTxBytes", CAESAR_STAT_TX_BYTES),
	SNMP_MIB_ITEM("CaesarRxBytes", CAESAR_STAT_RX_BYTES),
	SNMP_MIB_ITEM("CaesarTxErrors", CAESAR_STAT_TX_ERRORS),
	SNMP_MIB_ITEM("CaesarRxErrors", CAESAR_STAT_RX_ERRORS),
	SNMP_MIB_ITEM("CaesarRuleKeys", CAESAR_STAT_RULE_KEYS),
	SNMP_MIB_ITEM("CaesarRuleChildren", CAESAR_STAT_RULE_CHILDREN),
	SNMP_MIB_ITEM("CaesarRuleRetries", CAESAR_STAT_RULE_RETRIES),
	SNMP_MIB_ITEM("CaesarRuleFails", CAESAR_STAT_RULE_FAILS),
	SNMP_MIB_ITEM("CaesarRuleSwitches", CAESAR_STAT_RULE_SWITCHES),
	SNMP_MIB_ITEM("CaesarHookSockets", CAESAR_STAT_HOOK_SOCKETS),
	SNMP_MIB_ITEM("CaesarHookBytes", CAESAR_STAT_HOOK_BYTES),
	SNMP_MIB_ITEM("CaesarFwdKeys", CAESAR_STAT_FWD_KEYS),
	SNMP_MIB_ITEM("CaesarFwdBytes", CAESAR_STAT_FWD_BYTES),
	SNMP_MIB_ITEM("CaesarFwdCopies", CAESAR_STAT_FWD_COPIES),
	SNMP_MIB_ITEM("CaesarFwdRefused", CAESAR_STAT_FWD_REFUSED),
	SNMP_MIB_ITEM("CaesarFwdErrors", CAESAR_STAT_FWD_ERRORS),
	SNMP_MIB_ITEM("CaesarFwdUntracked", CAESAR_STAT_FWD_UNTRACKED),
	SNMP_MIB_SENTINEL
};

/* Any context. xt_GAIUS.ko counts what its rules do here too. */
void caesar_net_stat_add(const struct net *net, enum caesar_stat field,
			 long n)
{
	struct caesar_net *cn = net_generic(net, caesar_net_id);

	this_cpu_add(cn->mib->mibs[field], n);
}
EXPORT_SYMBOL_GPL(caesar_net_stat_add);

static int caesar_stat_show(struct seq_file *seq, void *v)
{
	struct caesar_net *cn = net_generic(seq_file_single_net(seq),
					    caesar_net_id);
	unsigned long buf[CAESAR_STAT_MAX] = {};
	int i;

	snmp_get_cpu_field_batch(buf, caesar_mib_list, cn->mib);
	for (i = 0; caesar_mib_list[i].name; i++)
		seq_printf(seq, "%-32s\t%ld\n", caesar_mib_list[i].name,
			   (long)buf[i]);
	return 0;
}

static int __net_init caesar_net_init(struct net *net)
{
	struct caesar_net *cn = net_generic(net, caesar_net_id);

	cn->mib = alloc_percpu(struct caesar_mib);
	if (!cn->mib)
		return -ENOMEM;
	if (!proc_create_net_single("caesar_stat", 0444, net->proc_net,
				    caesar_stat_show, NULL)) {
		free_percpu(cn->mib);
		return -ENOMEM;
	}
	return 0;
}

static void __net_exit caesar_net_exit(struct net *net)
{
	struct caesar_net *cn = net_generic(net, caesar_net_id);

	remove_proc_entry("caesar_stat", net->proc_net);
	free_percpu(cn->mib);
}

static struct pernet_operations caesar_net_ops = {
	.init = caesar_net_init,
	.exit = caesar_net_exit,
	.id = &caesar_net_id,
	.size = sizeof(struct caesar_net),
};

int caesar_stats_init(void)
{
	return register_pernet_subsys(&caesar_net_ops);
}

void caesar_stats_exit(void)
{
	unregister_pernet_subsys(&caesar_net_ops);
}
