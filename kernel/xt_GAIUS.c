// SPDX-License-Identifier: GPL-2.0
/*
 * GAIUSENCRYPT and GAIUSDECRYPT: put the connections a rule matches through
 * the Caesar ULP, by finding the local socket of the matched packet.
 *
 * Deciphering happens when a program reads, so a receive key is in time if
 * it is set before the first read, whenever the bytes arrived; a transmit
 * key must be set before the first write. Each packet the rule matches is a
 * chance to set them:
 *
 * - GAIUSENCRYPT, OUTPUT/POSTROUTING, runs on the sender's path, which holds
 *   the socket: the connecting task inside connect() for a client's SYN, or
 *   the softirq that holds bh_lock_sock(). The key is set right there,
 *   before connect() returns. A server's SYN-ACK comes from a request sock:
 *   the key is left with the listener for the child it will create.
 * - GAIUSDECRYPT, INPUT/PREROUTING, finds the socket as xt_socket does. A
 *   SYN finds the listener: the key is left for the child. A packet for a
 *   client's or an established socket sets the key: at once if the socket
 *   has the ULP already (a client's GAIUSENCRYPT put it there on the SYN),
 *   else under bh_lock_sock(); if a task owns the socket just then, the
 *   packet is dropped, and TCP's retransmission of it tries again.
 *
 * Once set, a key stays: the rule costs a lookup and a comparison per
 * packet (caesar_has_key()). A direction that is shut down is left alone:
 * no program byte can cross it any more, and close() has already put TCP's
 * own proto back while its FIN and last ACKs still match the rule.
 */

#include <linux/module.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter/xt_GAIUS.h>
#include <linux/tcp.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_socket.h>
#include <net/request_sock.h>
#include <net/tcp_states.h>
#include <linux/caesar.h>

#include "caesar.h"

/* The sender of a SYN the rule matched, as the listener's child sees it. */
static bool gaius_skb_peer(const struct sk_buff *skb,
			   const struct xt_action_param *par,
			   struct caesar_peer *peer)
{
	struct tcphdr _th;
	const struct tcphdr *th;

	th = skb_header_pointer(skb, par->thoff, sizeof(_th), &_th);
	if (!th)
		return false;
	if (xt_family(par) == NFPROTO_IPV6)
		peer->addr = ipv6_hdr(skb)->saddr;
	else
		ipv6_addr_set_v4mapped(ip_hdr(skb)->saddr, &peer->addr);
	peer->port = th->source;
	peer->local_port = ntohs(th->dest);
	return true;
}

static void gaius_count(struct sock *sk, int err)
{
	if (err)
		caesar_stat_add(sk, CAESAR_STAT_RULE_FAILS, 1);
}

static unsigned int gaius_encrypt_tg(struct sk_buff *skb,
				     const struct xt_action_param *par)
{
	const struct xt_gaius_tginfo *info = par->targinfo;
	struct sock *sk = skb->sk;
	struct caesar_peer peer = {};
	struct request_sock *req;

	if (!sk || !net_eq(sock_net(sk), xt_net(par)))
		return XT_CONTINUE;

	if (sk->sk_state == TCP_NEW_SYN_RECV) {
		req = inet_reqsk(sk);
		caesar_req_peer(req, &peer);
		gaius_count(req->rsk_listener,
			    caesar_expect(req->rsk_listener, &peer,
					  CAESAR_TX_KEY, info->key));
	} else if (sk_fullsock(sk) && sk->sk_type == SOCK_STREAM &&
		   sk->sk_protocol == IPPROTO_TCP &&
		   sk->sk_state != TCP_LISTEN &&
		   !(READ_ONCE(sk->sk_shutdown) & SEND_SHUTDOWN) &&
		   !caesar_has_key(sk, CAESAR_TX_KEY, info->key)) {
		/* Our caller, the sender, holds the socket. */
		gaius_count(sk, caesar_set_key(sk, CAESAR_TX_KEY, info->key));
	}
	return XT_CONTINUE;
}

/* The local socket a packet is for: early demux's, or a lookup's. */
static struct sock *gaius_lookup(struct sk_buff *skb,
				 const struct xt_action_param *par)
{
	if (skb->sk)
		return skb->sk;
#if IS_ENABLED(CONFIG_NF_SOCKET_IPV6)
	if (xt_family(par) == NFPROTO_IPV6)
		return nf_sk_lookup_slow_v6(xt_net(par), skb, xt_in(par));
#endif
	return nf_sk_lookup_slow_v4(xt_net(par), skb, xt_in(par));
}

static unsigned int gaius_decrypt_sock(struct sock *sk, int key)
{
	unsigned int verdict = XT_CONTINUE;

	if (caesar_has_key(sk, CAESAR_RX_KEY, key))
		return XT_CONTINUE;
	/* With the ULP there (a transmit rule put it there), no lock needed. */
	if (caesar_owns(sk)) {
		gaius_count(sk, caesar_set_key(sk, CAESAR_RX_KEY, key));
		return XT_CONTINUE;
	}
	local_bh_disable();
	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		/* TCP resends the packet, and we try again then. */
		caesar_stat_add(sk, CAESAR_STAT_RULE_RETRIES, 1);
		verdict = NF_DROP;
	} else {
		gaius_count(sk, caesar_set_key(sk, CAESAR_RX_KEY, key));
	}
	bh_unlock_sock(sk);
	local_bh_enable();
	return verdict;
}

static unsigned int gaius_decrypt_tg(struct sk_buff *skb,
				     const struct xt_action_param *par)
{
	const struct xt_gaius_tginfo *info = par->targinfo;
	unsigned int verdict = XT_CONTINUE;
	struct caesar_peer peer = {};
	struct request_sock *req;
	struct sock *sk;

	sk = gaius_lookup(skb, par);
	if (!sk)
		return XT_CONTINUE;
	if (!net_eq(sock_net(sk), xt_net(par)))
		goto out;

	switch (sk->sk_state) {
	case TCP_LISTEN:
		if (gaius_skb_peer(skb, par, &peer))
			gaius_count(sk, caesar_expect(sk, &peer, CAESAR_RX_KEY,
						      info->key));
		break;
	case TCP_NEW_SYN_RECV:
		/*
		 * The handshake's last ACK. Its SYN left the key already,
		 * unless it found a TIME_WAIT socket of the same four-tuple
		 * (TCP then hands it to the listener): record it here too.
		 */
		req = inet_reqsk(sk);
		caesar_req_peer(req, &peer);
		gaius_count(req->rsk_listener,
			    caesar_expect(req->rsk_listener, &peer,
					  CAESAR_RX_KEY, info->key));
		break;
	case TCP_TIME_WAIT:
		break;
	default:
		if (sk->sk_type == SOCK_STREAM &&
		    !(READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN))
			verdict = gaius_decrypt_sock(sk, info->key);
		break;
	}
out:
	if (sk != skb->sk)
		sock_gen_put(sk);
	return verdict;
}

static int gaius_tg_check(const struct xt_tgchk_param *par)
{
	const struct xt_gaius_tginfo *info = par->targinfo;

	if (!caesar_shift_of(info->key)) {
		pr_info_ratelimited("%s: --key %u shifts by 0: it would send plaintext\n",
				    par->target->name, info->key);
		return -EINVAL;
	}
	return 0;
}

#define GAIUS_TARGET(_name, _family, _hooks, _fn)			\
	{								\
		.name		= _name,				\
		.revision	= 0,					\
		.family		= _family,				\
		.hooks		= _hooks,				\
		.proto		= IPPROTO_TCP,				\
		.target		= _fn,					\
		.targetsize	= sizeof(struct xt_gaius_tginfo),	\
		.checkentry	= gaius_tg_check,			\
		.me		= THIS_MODULE,				\
	}

#define GAIUS_OUT_HOOKS	((1 << NF_INET_LOCAL_OUT) | (1 << NF_INET_POST_ROUTING))
#define GAIUS_IN_HOOKS	((1 << NF_INET_LOCAL_IN) | (1 << NF_INET_PRE_ROUTING))

static struct xt_target gaius_tg_reg[] __read_mostly = {
	GAIUS_TARGET("GAIUSENCRYPT", NFPROTO_IPV4, GAIUS_OUT_HOOKS,
		     gaius_encrypt_tg),
	GAIUS_TARGET("GAIUSDECRYPT", NFPROTO_IPV4, GAIUS_IN_HOOKS,
		     gaius_decrypt_tg),
#if IS_ENABLED(CONFIG_IP6_NF_IPTABLES)
	GAIUS_TARGET("GAIUSENCRYPT", NFPROTO_IPV6, GAIUS_OUT_HOOKS,
		     gaius_encrypt_tg),
	GAIUS_TARGET("GAIUSDECRYPT", NFPROTO_IPV6, GAIUS_IN_HOOKS,
		     gaius_decrypt_tg),
#endif
};

static int __init gaius_tg_init(void)
{
	return xt_register_targets(gaius_tg_reg, ARRAY_SIZE(gaius_tg_reg));
}

static void __exit gaius_tg_exit(void)
{
	xt_unregister_targets(gaius_tg_reg, ARRAY_SIZE(gaius_tg_reg));
}

module_init(gaius_tg_init);
module_exit(gaius_tg_exit);

MODULE_AUTHOR("The gaius developers");
MODULE_DESCRIPTION("Xtables: encipher matched TCP connections with the Caesar ULP");
MODULE_LICENSE("GPL");
MODULE_ALIAS("ipt_GAIUSENCRYPT");
MODULE_ALIAS("ipt_GAIUSDECRYPT");
MODULE_ALIAS("ip6t_GAIUSENCRYPT");
MODULE_ALIAS("ip6t_GAIUSDECRYPT");
