// SPDX-License-Identifier: GPL-2.0
/*
 * Forwarded connections: the key of each direction lives with the
 * connection's conntrack entry, and each packet of a keyed direction has
 * its payload rewritten as conntrack confirms it.
 *
 * A module cannot add a conntrack extension of its own, and an extension
 * can only be added to an entry before it is confirmed. The one area a
 * module may own on an entry is a conntrack helper's private data (struct
 * nf_conn_help's data[]): gaius is the helper "gaius", which expects no
 * related connection and rewrites. Its help() runs at confirm, after NAT,
 * on every packet of the connection whichever rule accepted it, so that an
 * "ESTABLISHED first" ruleset stays enciphered; `conntrack -L` shows it as
 * helper=gaius; and flowtable offload, which would bypass it, leaves every
 * connection that has a helper to the slow path.
 *
 * The helper must be on the entry before its first packet is confirmed,
 * yet the rule that keys a direction may see the other direction only (a
 * rule for a server's answers). So once a namespace has a rule that may
 * see forwarded packets, a hook right after conntrack in PREROUTING gives
 * every new TCP connection there the helper, idle until a rule keys one of
 * its directions. It stays on in that namespace until the module goes.
 *
 * A direction may only be keyed from a sequence number: its first payload
 * byte when its SYN was seen, else where gaius_ct_switch_seq() says. An
 * entry made from a packet in mid-stream (conntrack picked the connection
 * up after `conntrack -F`, say) never saw the SYN, cannot tell which bytes
 * went out plain, and is refused: its matched packets are dropped.
 *
 * Each direction's state is one 64-bit word (struct gaius_ct_dir), which
 * the targets write with cmpxchg from softirq, on any CPU, packets of both
 * directions at once, and help() reads: no lock, one consistent word, and
 * a racing second writer retries against the winner's. A keyed direction
 * keeps its key for the life of the connection.
 */

#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/xt_GAIUS.h>
#include <linux/tcp.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_core.h>
#include <net/netfilter/nf_conntrack_helper.h>
#include <net/netns/generic.h>
#include <net/tcp.h>

#include "caesar_api.h"
#include "gaius_ct.h"

struct gaius_ct {
	atomic64_t dir[IP_CT_DIR_MAX];	/* struct gaius_ct_dir, packed */
	unsigned long flags;
};

/* The entry holds a reference on this module: see gaius_ct_pin(). */
#define GAIUS_CT_PINNED	0

static u64 gaius_ct_pack(const struct gaius_ct_dir *d)
{
	return d->seq | (u64)d->shift << 32 | (u64)d->flags << 40;
}

static void gaius_ct_unpack(u64 word, struct gaius_ct_dir *d)
{
	d->seq = lower_32_bits(word);
	d->shift = word >> 32;
	d->flags = word >> 40;
}

static void gaius_ct_read(const struct gaius_ct *st,
			  enum ip_conntrack_dir dir, struct gaius_ct_dir *d)
{
	gaius_ct_unpack(atomic64_read(&st->dir[dir]), d);
}

/* One helper a family; both own the same private data. */
static const struct nf_conntrack_expect_policy gaius_ct_expect_policy;
static struct nf_conntrack_helper gaius_ct_helpers[2] __read_mostly;

static struct gaius_ct *gaius_ct_of(const struct nf_conn *ct)
{
	const struct nf_conn_help *help = nfct_help(ct);
	const struct nf_conntrack_helper *helper;

	if (!help)
		return NULL;
	helper = rcu_dereference(help->helper);
	if (helper != &gaius_ct_helpers[0] && helper != &gaius_ct_helpers[1])
		return NULL;
	return nfct_help_data(ct);
}

/*
 * Give @ct, not confirmed yet and so still this packet's alone, the
 * helper; as nft's "ct helper set" does. An entry that has a helper
 * already, or a template's, is left as it is.
 */
static void gaius_ct_adopt(struct nf_conn *ct)
{
	struct nf_conn_help *help;

	if (nf_ct_is_confirmed(ct) || nf_ct_is_template(ct) ||
	    nf_ct_protonum(ct) != IPPROTO_TCP ||
	    test_bit(IPS_HELPER_BIT, &ct->status) || nfct_help(ct))
		return;
	help = nf_ct_helper_ext_add(ct, GFP_ATOMIC);
	if (!help)
		return;
	rcu_assign_pointer(help->helper,
			   &gaius_ct_helpers[nf_ct_l3num(ct) == NFPROTO_IPV6]);
	set_bit(IPS_HELPER_BIT, &ct->status);
}

/*
 * A keyed entry holds a reference on the module until it is destroyed:
 * unloading the module would take the helper off it, and its packets
 * would leave plain. gaius_ct_destroy() drops it, inside the RCU read
 * section of nf_ct_helper_destroy(), which the helper's unregistering
 * waits for before the module's text can go.
 */
static void gaius_ct_pin(struct gaius_ct *st)
{
	if (!test_and_set_bit(GAIUS_CT_PINNED, &st->flags))
		__module_get(THIS_MODULE);
}

static void gaius_ct_destroy(struct nf_conn *ct)
{
	struct gaius_ct *st = nfct_help_data(ct);

	if (test_bit(GAIUS_CT_PINNED, &st->flags))
		module_put(THIS_MODULE);
}

/*
 * A packet conntrack gave no entry: one its TCP tracking calls invalid (a
 * retransmission of bytes below the window, a segment beyond it), or one
 * a rule exempted from tracking. No help() will rewrite it: if it belongs
 * to a keyed direction, it is dropped rather than forwarded plain. The
 * lookup is in the default zone (a template's zone went with the entry).
 */
static unsigned int gaius_ct_untracked(struct sk_buff *skb,
				       const struct nf_hook_state *state)
{
	const struct nf_conntrack_tuple_hash *h;
	struct nf_conntrack_tuple tuple;
	unsigned int verdict = NF_ACCEPT;
	struct gaius_ct_dir d;
	struct gaius_ct *st;
	struct nf_conn *ct;

	if (!nf_ct_get_tuplepr(skb, skb_network_offset(skb), state->pf,
			       state->net, &tuple) ||
	    tuple.dst.protonum != IPPROTO_TCP)
		return NF_ACCEPT;
	h = nf_conntrack_find_get(state->net, &nf_ct_zone_dflt, &tuple);
	if (!h)
		return NF_ACCEPT;
	ct = nf_ct_tuplehash_to_ctrack(h);
	st = gaius_ct_of(ct);
	if (st) {
		gaius_ct_read(st, NF_CT_DIRECTION(h), &d);
		if (d.shift) {
			caesar_net_stat_add(state->net,
					    CAESAR_STAT_FWD_UNTRACKED, 1);
			verdict = NF_DROP;
		}
	}
	nf_ct_put(ct);
	return verdict;
}

/*
 * Right after conntrack in PREROUTING: every new TCP connection gets the
 * helper, and a packet of a keyed one that conntrack did not track does
 * not pass.
 */
static unsigned int gaius_ct_adopt_hook(void *priv, struct sk_buff *skb,
					const struct nf_hook_state *state)
{
	enum ip_conntrack_info ctinfo;
	struct nf_conn *ct = nf_ct_get(skb, &ctinfo);

	if (unlikely(!ct))
		return gaius_ct_untracked(skb, state);
	if (ctinfo == IP_CT_NEW)
		gaius_ct_adopt(ct);
	return NF_ACCEPT;
}

static const struct nf_hook_ops gaius_ct_adopt_ops[2] = {
	{
		.hook		= gaius_ct_adopt_hook,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= NF_IP_PRI_CONNTRACK + 1,
	},
	{
		.hook		= gaius_ct_adopt_hook,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= NF_IP6_PRI_CONNTRACK + 1,
	},
};

/*
 * Per namespace: which families (bit 0 IPv4, bit 1 IPv6) have conntrack
 * and the hook on for us, and which a forwarded packet asked for.
 */
struct gaius_ct_net {
	struct net *net;
	unsigned long families;
	unsigned long wanted;
	struct work_struct enable_work;
};

static unsigned int gaius_ct_net_id __read_mostly;
/* Serialises turning the families on with the namespace's exit. */
static DEFINE_MUTEX(gaius_ct_mutex);

static int gaius_ct_family(u8 family)
{
	return family == NFPROTO_IPV6;
}

static int gaius_ct_enable_locked(struct gaius_ct_net *cn, int i)
{
	int err;

	lockdep_assert_held(&gaius_ct_mutex);
	if (test_bit(i, &cn->families))
		return 0;
	err = nf_ct_netns_get(cn->net, gaius_ct_adopt_ops[i].pf);
	if (err)
		return err;
	err = nf_register_net_hook(cn->net, &gaius_ct_adopt_ops[i]);
	if (err) {
		nf_ct_netns_put(cn->net, gaius_ct_adopt_ops[i].pf);
		return err;
	}
	set_bit(i, &cn->families);
	return 0;
}

int gaius_ct_enable(struct net *net, u8 family)
{
	struct gaius_ct_net *cn = net_generic(net, gaius_ct_net_id);
	int err;

	mutex_lock(&gaius_ct_mutex);
	err = gaius_ct_enable_locked(cn, gaius_ct_family(family));
	mutex_unlock(&gaius_ct_mutex);
	return err;
}

/*
 * A rule whose hooks its checkentry was not told (a chain of nft's compat
 * layer that no hook calls directly) turns the family on with the first
 * forwarded packet it sees: that packet is dropped, and TCP sends it
 * again, by then with conntrack's entry and the helper.
 */
static void gaius_ct_enable_work(struct work_struct *work)
{
	struct gaius_ct_net *cn = container_of(work, struct gaius_ct_net,
					       enable_work);
	int i;

	mutex_lock(&gaius_ct_mutex);
	for (i = 0; i < ARRAY_SIZE(gaius_ct_adopt_ops); i++)
		if (test_and_clear_bit(i, &cn->wanted))
			gaius_ct_enable_locked(cn, i);
	mutex_unlock(&gaius_ct_mutex);
}

/* Softirq: whether @family is on in @net, asking for it if not. */
static bool gaius_ct_enabled(struct net *net, u8 family)
{
	struct gaius_ct_net *cn = net_generic(net, gaius_ct_net_id);
	int i = gaius_ct_family(family);

	if (likely(test_bit(i, &cn->families)))
		return true;
	if (!test_and_set_bit(i, &cn->wanted))
		schedule_work(&cn->enable_work);
	return false;
}

static int __net_init gaius_ct_net_init(struct net *net)
{
	struct gaius_ct_net *cn = net_generic(net, gaius_ct_net_id);

	cn->net = net;
	INIT_WORK(&cn->enable_work, gaius_ct_enable_work);
	return 0;
}

static void __net_exit gaius_ct_net_exit(struct net *net)
{
	struct gaius_ct_net *cn = net_generic(net, gaius_ct_net_id);
	int i;

	cancel_work_sync(&cn->enable_work);
	mutex_lock(&gaius_ct_mutex);
	for (i = 0; i < ARRAY_SIZE(gaius_ct_adopt_ops); i++) {
		if (!test_and_clear_bit(i, &cn->families))
			continue;
		nf_unregister_net_hook(net, &gaius_ct_adopt_ops[i]);
		nf_ct_netns_put(net, gaius_ct_adopt_ops[i].pf);
	}
	mutex_unlock(&gaius_ct_mutex);
}

static struct pernet_operations gaius_ct_net_ops = {
	.init	= gaius_ct_net_init,
	.exit	= gaius_ct_net_exit,
	.id	= &gaius_ct_net_id,
	.size	= sizeof(struct gaius_ct_net),
};

/* A TCP-MD5 or TCP-AO signature covers the payload this would change. */
static bool gaius_ct_signed(const struct sk_buff *skb, unsigned int thoff,
			    const struct tcphdr *th)
{
	u8 _opts[MAX_TCP_OPTION_SPACE];
	unsigned int len = __tcp_hdrlen(th) - sizeof(*th);
	const u8 *opt;
	unsigned int i = 0;

	if (!len)
		return false;
	opt = skb_header_pointer(skb, thoff + sizeof(*th), len, _opts);
	if (!opt)
		return true;
	while (i < len) {
		if (opt[i] == TCPOPT_EOL)
			break;
		if (opt[i] == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (opt[i] == TCPOPT_MD5SIG || opt[i] == TCPOPT_AO)
			return true;
		if (i + 1 >= len || opt[i + 1] < 2)
			break;
		i += opt[i + 1];
	}
	return false;
}

/*
 * No byte can be in flight further behind the highest one a direction has
 * sent than TCP's largest window: past that, no byte before a switch can
 * come again.
 */
#define GAIUS_CT_MAX_WINDOW	(65535U << TCP_MAX_WSCALE)

/*
 * The highest sequence number conntrack has seen the direction reach, in
 * segments its window tracking took (an injected one outside the window
 * does not move it). Lockless: one u32, only compared.
 */
static u32 gaius_ct_reached(const struct nf_conn *ct,
			    enum ip_conntrack_dir dir)
{
	return READ_ONCE(ct->proto.tcp.seen[dir].td_end);
}

/*
 * Where a direction that has carried bytes already switches, as the
 * socket targets choose (gaius_switch_seq() in gaius_target.c): the end of
 * the first segment (one MSS of a GRO packet) of the first packet the rule
 * sees, or the highest sequence number conntrack has seen, if the packet
 * is a retransmission behind it. Both ends and every gateway agree when no
 * byte is in flight as the rule comes. A direction whose first payload
 * byte this packet carries, and nothing after it yet, starts there, whole.
 */
static bool gaius_ct_switch_seq(struct nf_conn *ct, enum ip_conntrack_dir dir,
				const struct sk_buff *skb,
				const struct tcphdr *th, unsigned int thoff,
				u32 isn, u32 *at)
{
	u32 seq = ntohl(th->seq);
	u32 len = skb->len - min(skb->len, thoff + __tcp_hdrlen(th));
	u32 end = seq + len + th->fin;
	u32 next = gaius_ct_reached(ct, dir);

	if (seq == isn + 1 && !after(next, end)) {
		*at = seq;
		return true;
	}
	if (after(next, end)) {
		*at = next;
		return false;
	}
	if (skb_is_gso(skb))
		len = min_t(u32, len, skb_shinfo(skb)->gso_size);
	*at = seq + len;
	return false;
}

int gaius_ct_key(struct sk_buff *skb, const struct xt_action_param *par,
		 u8 shift, u8 flags)
{
	enum ip_conntrack_info ctinfo;
	enum ip_conntrack_dir dir;
	struct gaius_ct_dir d, k;
	const struct tcphdr *th;
	struct tcphdr _th;
	struct nf_conn *ct;
	struct gaius_ct *st;
	u64 old;

	if (!gaius_ct_enabled(xt_net(par), xt_family(par)))
		return -EINPROGRESS;
	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || nf_ct_is_template(ct))
		return -ENOTCONN;
	dir = CTINFO2DIR(ctinfo);
	st = gaius_ct_of(ct);
	if (!st) {
		/* Began before the hook was on, or raced it. */
		gaius_ct_adopt(ct);
		st = gaius_ct_of(ct);
		if (!st)
			return nfct_help(ct) ? -EBUSY : -EPROTO;
	}
	th = skb_header_pointer(skb, par->thoff, sizeof(_th), &_th);
	if (!th)
		return -EINVAL;
again:
	old = atomic64_read(&st->dir[dir]);
	gaius_ct_unpack(old, &d);
	if (d.shift)
		return 0;
	if (gaius_ct_signed(skb, par->thoff, th))
		return -EPERM;
	k.shift = shift;
	k.flags = d.flags | GAIUS_CT_SYN | flags;
	if (th->syn) {
		k.seq = ntohl(th->seq) + 1;
		k.flags |= GAIUS_CT_WHOLE;
	} else if (!(d.flags & GAIUS_CT_SYN)) {
		return -EPROTO;
	} else if (gaius_ct_switch_seq(ct, dir, skb, th, par->thoff, d.seq,
				       &k.seq)) {
		k.flags |= GAIUS_CT_WHOLE;
	}

	/* Lost to another CPU: whatever it wrote is the word now. */
	if (atomic64_cmpxchg(&st->dir[dir], old, gaius_ct_pack(&k)) != old)
		goto again;
	gaius_ct_pin(st);
	caesar_net_stat_add(xt_net(par), CAESAR_STAT_FWD_KEYS, 1);
	return 0;
}

/*
 * A direction switched in mid-stream, once conntrack has seen it reach
 * further past its switch than any window: every byte it can still carry
 * takes the key. Until then, sequence numbers are compared with the switch
 * point, which after 2 GiB more would read as behind it again.
 */
static void gaius_ct_settle(struct gaius_ct *st, const struct nf_conn *ct,
			    enum ip_conntrack_dir dir, struct gaius_ct_dir *d)
{
	u64 old = gaius_ct_pack(d);

	if (!after(gaius_ct_reached(ct, dir), d->seq + GAIUS_CT_MAX_WINDOW))
		return;
	d->flags |= GAIUS_CT_WHOLE;
	/* A keyed word changes no other way: the loser's d is the same. */
	atomic64_cmpxchg(&st->dir[dir], old, gaius_ct_pack(d));
}

/* A direction's SYN: until a rule keys it, where its bytes start. */
static void gaius_ct_note_syn(struct gaius_ct *st, enum ip_conntrack_dir dir,
			      u32 seq)
{
	struct gaius_ct_dir d;
	u64 old;

	do {
		old = atomic64_read(&st->dir[dir]);
		gaius_ct_unpack(old, &d);
		if (d.shift || (d.flags & GAIUS_CT_SYN))
			return;
		d.seq = seq;
		d.flags |= GAIUS_CT_SYN;
	} while (atomic64_cmpxchg(&st->dir[dir], old, gaius_ct_pack(&d)) != old);
}

/*
 * Every packet of a connection that has the helper, at confirm: after NAT
 * in POSTROUTING, or in LOCAL_IN. Only forwarded packets can belong to a
 * keyed direction (only a rule in FORWARD keys one). ICMP errors about
 * the connection (IP_CT_RELATED) are left as they are.
 */
static int gaius_ct_help(struct sk_buff *skb, unsigned int protoff,
			 struct nf_conn *ct, enum ip_conntrack_info ctinfo)
{
	enum ip_conntrack_dir dir = CTINFO2DIR(ctinfo);
	struct gaius_ct *st = nfct_help_data(ct);
	const struct tcphdr *th;
	struct gaius_ct_dir d;
	struct tcphdr _th;

	if (ctinfo == IP_CT_RELATED || ctinfo == IP_CT_RELATED_REPLY)
		return NF_ACCEPT;
	th = skb_header_pointer(skb, protoff, sizeof(_th), &_th);
	if (!th)
		return NF_ACCEPT;
	if (unlikely(th->syn))
		gaius_ct_note_syn(st, dir, ntohl(th->seq));
	gaius_ct_read(st, dir, &d);
	if (!d.shift)
		return NF_ACCEPT;
	if (unlikely(!(d.flags & GAIUS_CT_WHOLE)))
		gaius_ct_settle(st, ct, dir, &d);
	if (gaius_ct_rewrite(nf_ct_net(ct), skb, protoff, &d)) {
		caesar_net_stat_add(nf_ct_net(ct), CAESAR_STAT_FWD_ERRORS, 1);
		return NF_DROP;
	}
	return NF_ACCEPT;
}

/* ctnetlink's dump or event of an entry: the keys, inside CTA_HELP. */
static int gaius_ct_to_nlattr(struct sk_buff *skb, const struct nf_conn *ct)
{
	const struct gaius_ct *st = nfct_help_data(ct);
	struct gaius_ct_info info = {};
	struct gaius_ct_dir d;
	int dir;

	for (dir = 0; dir < IP_CT_DIR_MAX; dir++) {
		gaius_ct_read(st, dir, &d);
		if (!d.shift)
			continue;
		info.seq[dir] = d.seq;
		info.shift[dir] = d.shift;
		info.decrypt[dir] = !!(d.flags & GAIUS_CT_DECRYPT);
	}
	return nla_put(skb, CTA_HELP_INFO, sizeof(info), &info);
}

static void gaius_ct_helper_init(struct nf_conntrack_helper *helper,
				 u16 l3num)
{
	strscpy(helper->name, GAIUS_CT_HELPER_NAME, sizeof(helper->name));
	helper->me = THIS_MODULE;
	helper->tuple.src.l3num = l3num;
	helper->tuple.dst.protonum = IPPROTO_TCP;
	helper->data_len = sizeof(struct gaius_ct);
	helper->expect_policy = &gaius_ct_expect_policy;
	helper->help = gaius_ct_help;
	helper->destroy = gaius_ct_destroy;
	helper->to_nlattr = gaius_ct_to_nlattr;
}

int gaius_ct_init(void)
{
	int err;

	BUILD_BUG_ON(sizeof(struct gaius_ct) >
		     sizeof_field(struct nf_conn_help, data));
	gaius_ct_helper_init(&gaius_ct_helpers[0], NFPROTO_IPV4);
	gaius_ct_helper_init(&gaius_ct_helpers[1], NFPROTO_IPV6);
	err = nf_conntrack_helpers_register(gaius_ct_helpers,
					    ARRAY_SIZE(gaius_ct_helpers));
	if (err)
		return err;
	err = register_pernet_subsys(&gaius_ct_net_ops);
	if (err)
		nf_conntrack_helpers_unregister(gaius_ct_helpers,
						ARRAY_SIZE(gaius_ct_helpers));
	return err;
}

/*
 * No keyed entry is left (each holds the module), and no rule: the hooks
 * go first, so that no new entry takes the helper while it goes.
 */
void gaius_ct_exit(void)
{
	unregister_pernet_subsys(&gaius_ct_net_ops);
	nf_conntrack_helpers_unregister(gaius_ct_helpers,
					ARRAY_SIZE(gaius_ct_helpers));
}
