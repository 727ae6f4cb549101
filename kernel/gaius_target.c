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
 * A SYN-ACK answering from a SYN cookie has no socket: the listener that
 * sent it is looked up, as the SYN found it, and keeps the key for the child
 * the cookie will make.
 *
 * A connection that was already open when the rule came switches each
 * matched direction at a sequence number (gaius_switch_seq()), the same one
 * on both ends when the direction is idle as both rules come into place
 * (docs/design.md). Until the ULP's data path takes over on each end, the
 * bytes from that point on are rewritten here, in each packet that carries
 * them: enciphered on the sender (a write TCP was copying as the rule came),
 * deciphered on the receiver (a read blocked in TCP's recvmsg()); see
 * caesar_switch.c.
 *
 * In FORWARD, there is no local socket: the key goes to the connection's
 * conntrack entry, and conntrack's confirm rewrites its packets, after
 * NAT (gaius_ct.c).
 *
 * Once set, a key stays: on an attached flow the rule costs one call per
 * packet (caesar_rule_settled()), on the socket early demux found. A
 * direction that is shut down gets no new key: no program byte can cross it
 * any more, and close() has already put TCP's own proto back while its FIN
 * and last ACKs still match the rule.
 */

#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter/xt_GAIUS.h>
#include <linux/tcp.h>
#include <net/addrconf.h>
#include <net/inet6_hashtables.h>
#include <net/inet_hashtables.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include <net/netfilter/nf_socket.h>
#include <net/request_sock.h>
#include <net/route.h>
#include <net/tcp.h>
#include <net/tcp_states.h>
#include <linux/caesar.h>
#include <caesar_shift.h>

#include "caesar_api.h"
#include "gaius_ct.h"

/*
 * The verdict on a packet after trying to key or rewrite what it belongs
 * to, which failed with @err: a connection a rule matches is enciphered or
 * carries nothing, so the packet is dropped, counted in CaesarRuleFails
 * and said in the kernel log (rate-limited). TCP resends it and the rule
 * tries again; a handshake that cannot be keyed does not complete.
 * -EAGAIN is a key change waiting for the previous switch of that
 * direction: the connection keeps the key it has meanwhile.
 */
static unsigned int gaius_verdict(struct net *net,
				  const struct xt_action_param *par, int err)
{
	if (likely(!err) || err == -EAGAIN)
		return XT_CONTINUE;
	caesar_net_stat_add(net, CAESAR_STAT_RULE_FAILS, 1);
	pr_info_ratelimited("%s: cannot key or rewrite a matched connection (error %d): packet dropped\n",
			    par->target->name, err);
	return NF_DROP;
}

/*
 * A packet for @listener: if it is a SYN, the key waits for the child,
 * which will see the SYN's sender as its peer. Nothing else a listener
 * receives makes a child that needs it (a cookie's final ACK follows a SYN
 * that recorded it), so nothing else may fill the listener's table.
 */
static int gaius_expect_syn(struct sock *listener, const struct sk_buff *skb,
			    const struct xt_action_param *par, int key)
{
	struct caesar_peer peer = {};
	struct tcphdr _th;
	const struct tcphdr *th;

	th = skb_header_pointer(skb, par->thoff, sizeof(_th), &_th);
	if (!th)
		return -EINVAL;
	if (!th->syn || th->ack)
		return 0;
	if (xt_family(par) == NFPROTO_IPV6) {
		peer.addr = ipv6_hdr(skb)->saddr;
		peer.local_addr = ipv6_hdr(skb)->daddr;
	} else {
		ipv6_addr_set_v4mapped(ip_hdr(skb)->saddr, &peer.addr);
		ipv6_addr_set_v4mapped(ip_hdr(skb)->daddr, &peer.local_addr);
	}
	peer.port = th->source;
	peer.local_port = ntohs(th->dest);
	return caesar_expect(listener, &peer, CAESAR_RX_KEY, key);
}

/*
 * Where a direction switches: the end of the first segment (one MSS of
 * payload: a GSO or GRO packet carries several) of the first packet of that
 * direction the rule sees, or @next, the first byte not yet sent (received),
 * if that is later; @next itself if the direction has carried no byte yet
 * (@fresh). Both ends see the same packet, and the same first segment, when
 * no byte is in flight.
 */
static u32 gaius_payload_len(const struct sk_buff *skb,
			     const struct xt_action_param *par,
			     const struct tcphdr *th)
{
	unsigned int hdrs = par->thoff + __tcp_hdrlen(th);

	return skb->len > hdrs ? skb->len - hdrs : 0;
}

static u32 gaius_switch_seq(const struct sk_buff *skb,
			    const struct xt_action_param *par,
			    const struct tcphdr *th, u32 next, bool fresh)
{
	u32 len = gaius_payload_len(skb, par, th);
	u32 end;

	if (fresh)
		return next;
	if (skb_is_gso(skb))
		len = min_t(u32, len, skb_shinfo(skb)->gso_size);
	end = ntohl(th->seq) + th->syn + len;
	return after(end, next) ? end : next;
}

/* The listener that sent a SYN-ACK, found as the SYN found it. RCU. */
static struct sock *gaius_synack_listener(struct sk_buff *skb,
					  const struct xt_action_param *par,
					  const struct tcphdr *th)
{
	struct net *net = xt_net(par);
	struct inet_hashinfo *hinfo = net->ipv4.tcp_death_row.hashinfo;
	int doff = par->thoff + __tcp_hdrlen(th);
	int dif = xt_out(par) ? xt_out(par)->ifindex : 0;

#if IS_ENABLED(CONFIG_IPV6)
	if (xt_family(par) == NFPROTO_IPV6)
		return inet6_lookup_listener(net, hinfo, skb, doff,
					     &ipv6_hdr(skb)->daddr, th->dest,
					     &ipv6_hdr(skb)->saddr,
					     ntohs(th->source), dif, 0);
#endif
	return inet_lookup_listener(net, hinfo, skb, doff, ip_hdr(skb)->daddr,
				    th->dest, ip_hdr(skb)->saddr, th->source,
				    dif, 0);
}

/*
 * A SYN-ACK with no socket: TCP answered a SYN with a cookie and keeps no
 * request. The child comes from the cookie with the handshake's last ACK,
 * so the key waits with the listener.
 */
static int gaius_encrypt_cookie(struct sk_buff *skb,
				const struct xt_action_param *par, int key)
{
	struct caesar_peer peer = {};
	const struct tcphdr *th;
	struct tcphdr _th;
	struct sock *listener;

	th = skb_header_pointer(skb, par->thoff, sizeof(_th), &_th);
	if (!th)
		return -EINVAL;
	if (!th->syn || !th->ack)
		return 0;
	listener = gaius_synack_listener(skb, par, th);
	if (!listener || listener->sk_state != TCP_LISTEN)
		return 0;
	if (xt_family(par) == NFPROTO_IPV6) {
		peer.addr = ipv6_hdr(skb)->daddr;
		peer.local_addr = ipv6_hdr(skb)->saddr;
	} else {
		ipv6_addr_set_v4mapped(ip_hdr(skb)->daddr, &peer.addr);
		ipv6_addr_set_v4mapped(ip_hdr(skb)->saddr, &peer.local_addr);
	}
	peer.port = th->dest;
	peer.local_port = ntohs(th->source);
	return caesar_expect(listener, &peer, CAESAR_TX_KEY, key);
}

/* A connection in its handshake: its key waits with the listener. */
static int gaius_expect_req(struct sock *sk, int optname, int key)
{
	struct request_sock *req = inet_reqsk(sk);
	struct caesar_peer peer = {};

	caesar_req_peer(req, &peer);
	return caesar_expect(req->rsk_listener, &peer, optname, key);
}

/*
 * The sender holds @sk. A SYN (a client's, or a Fast Open child's SYN-ACK)
 * switches at its first data byte: a Fast Open SYN carries what the program
 * wrote through TCP, which caesar_encipher_skb() enciphers.
 */
static int gaius_encrypt_sock(struct sock *sk, struct sk_buff *skb,
			      const struct xt_action_param *par, int key)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	const struct tcphdr *th;
	struct tcphdr _th;
	u32 seq;

	th = skb_header_pointer(skb, par->thoff, sizeof(_th), &_th);
	if (!th)
		return -EINVAL;
	/*
	 * TCP counted this packet's payload in bytes_sent already; an ACK
	 * of the SYN counts in bytes_acked, so that one cannot tell.
	 */
	if (th->syn)
		seq = ntohl(th->seq) + 1;
	else
		seq = gaius_switch_seq(skb, par, th, tp->snd_nxt,
				       tp->bytes_sent ==
				       gaius_payload_len(skb, par, th));
	return caesar_switch_key(sk, CAESAR_TX_KEY, key, seq);
}

/*
 * Most packets are of a flow the rule has attached already, and need
 * nothing: the targets test for that first, with no frame of their own, and
 * leave every other packet to a function that has one (gaius_*_slow()).
 * Only a TCP socket with our ULP can pass, so no other test comes first.
 */
static bool gaius_settled(const struct sock *sk, int optname, int key)
{
	return sk && sk_fullsock(sk) && caesar_rule_settled(sk, optname, key);
}

/*
 * A forwarded packet: @shift goes to its direction of the connection's
 * conntrack entry. A connection that cannot take it carries nothing: the
 * packet is dropped, counted in CaesarFwdRefused and said in the kernel
 * log (rate-limited).
 */
static unsigned int gaius_forward(struct sk_buff *skb,
				  const struct xt_action_param *par, u8 shift,
				  u8 flags)
{
	int err = par->fragoff ? -EPROTO :
				 gaius_ct_key(skb, par, shift, flags);

	if (likely(!err))
		return XT_CONTINUE;
	caesar_net_stat_add(xt_net(par), CAESAR_STAT_FWD_REFUSED, 1);
	pr_info_ratelimited("%s: cannot key a forwarded connection (error %d): packet dropped\n",
			    par->target->name, err);
	return NF_DROP;
}

/*
 * Whether @skb is a packet this host forwards, which has no local socket:
 * in FORWARD; in POSTROUTING, one that came in through a device and has
 * no socket; in PREROUTING, one for an address that is not ours (before
 * DNAT, which may yet make it ours: FORWARD sees after it).
 */
static bool gaius_forwarded(const struct sk_buff *skb,
			    const struct xt_action_param *par)
{
	switch (xt_hooknum(par)) {
	case NF_INET_FORWARD:
		return true;
	case NF_INET_POST_ROUTING:
		return !skb->sk && skb->skb_iif;
	case NF_INET_PRE_ROUTING:
#if IS_ENABLED(CONFIG_IPV6)
		if (xt_family(par) == NFPROTO_IPV6)
			return !ipv6_chk_addr(xt_net(par), &ipv6_hdr(skb)->daddr,
					      NULL, 0);
#endif
		return inet_addr_type(xt_net(par), ip_hdr(skb)->daddr) !=
		       RTN_LOCAL;
	default:
		return false;
	}
}

static noinline unsigned int gaius_encrypt_slow(struct sk_buff *skb,
						const struct xt_action_param *par)
{
	const struct xt_gaius_tginfo *info = par->targinfo;
	struct net *net = xt_net(par);
	struct sock *sk = skb->sk;
	unsigned int verdict;

	if (gaius_forwarded(skb, par))
		return gaius_forward(skb, par, caesar_shift_of(info->key), 0);
	/* What comes in for a local socket is not what it sends. */
	if (xt_hooknum(par) == NF_INET_PRE_ROUTING)
		return XT_CONTINUE;
	if (par->fragoff)
		return gaius_verdict(net, par, -EPROTO);
	if (!sk)
		return gaius_verdict(net, par,
				     gaius_encrypt_cookie(skb, par, info->key));
	if (!net_eq(sock_net(sk), net))
		return XT_CONTINUE;

	if (sk->sk_state == TCP_NEW_SYN_RECV)
		return gaius_verdict(net, par, gaius_expect_req(sk, CAESAR_TX_KEY,
								info->key));
	if (!sk_fullsock(sk) || sk->sk_type != SOCK_STREAM ||
	    sk->sk_protocol != IPPROTO_TCP || sk->sk_state == TCP_LISTEN)
		return XT_CONTINUE;

	/* Our caller, the sender, holds the socket. */
	if (!(READ_ONCE(sk->sk_shutdown) & SEND_SHUTDOWN) &&
	    !caesar_has_key(sk, CAESAR_TX_KEY, info->key)) {
		verdict = gaius_verdict(net, par,
					gaius_encrypt_sock(sk, skb, par,
							   info->key));
		if (verdict != XT_CONTINUE)
			return verdict;
	}
	/* Even after close(): its retransmissions too. */
	return gaius_verdict(net, par, caesar_encipher_skb(sk, skb, par->thoff));
}

static unsigned int gaius_encrypt_tg(struct sk_buff *skb,
				     const struct xt_action_param *par)
{
	const struct xt_gaius_tginfo *info = par->targinfo;

	if (likely(gaius_settled(skb->sk, CAESAR_TX_KEY, info->key)))
		return XT_CONTINUE;
	return gaius_encrypt_slow(skb, par);
}

/* The local socket a packet is for: early demux's, or a lookup's. */
static struct sock *gaius_lookup(struct sk_buff *skb,
				 const struct xt_action_param *par)
{
	if (skb->sk)
		return skb->sk;
	if (xt_family(par) == NFPROTO_IPV6) {
#if IS_ENABLED(CONFIG_NF_SOCKET_IPV6)
		return nf_sk_lookup_slow_v6(xt_net(par), skb, xt_in(par));
#else
		return NULL;
#endif
	}
	return nf_sk_lookup_slow_v4(xt_net(par), skb, xt_in(par));
}

/*
 * A client's SYN-ACK: the direction starts at its first data byte, where a
 * reader already blocked in TCP's own recv() gets the bytes deciphered in
 * the packets until the ULP's first read (caesar_switch.c). Only a SYN-ACK
 * that TCP will take, one that acknowledges our SYN, may say where: as
 * tcp_rcv_synsent_state_process() checks, but against write_seq, since
 * the SYN-ACK can come back (over veth, lo) inside connect()'s transmit of
 * the SYN, before snd_nxt moves past it.
 */
static int gaius_decrypt_synack(struct sock *sk, struct sk_buff *skb,
				const struct xt_action_param *par, int key)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	const struct tcphdr *th;
	struct tcphdr _th;
	u32 ack;

	th = skb_header_pointer(skb, par->thoff, sizeof(_th), &_th);
	if (!th || !th->syn || !th->ack)
		return 0;
	ack = ntohl(th->ack_seq);
	if (!after(ack, tp->snd_una) || after(ack, READ_ONCE(tp->write_seq)))
		return 0;
	return caesar_switch_key(sk, CAESAR_RX_KEY, key, ntohl(th->seq) + 1);
}

/*
 * Whether TCP will take @th on a connection under way, as
 * tcp_validate_incoming() and tcp_ack() judge it (PAWS aside): only such a
 * segment may say where a direction switches. A forged one that TCP drops
 * would set a point the sender never sees; one that TCP takes is as hard
 * to forge as data to inject into the connection.
 */
static bool gaius_acceptable(const struct tcp_sock *tp,
			     const struct tcphdr *th)
{
	u32 ack = ntohl(th->ack_seq);

	if (th->syn || th->rst || !th->ack)
		return false;
	if (after(ntohl(th->seq), tp->rcv_nxt + tcp_receive_window(tp)))
		return false;
	return !after(ack, tp->snd_nxt) &&
	       !before(ack, tp->snd_una - tp->max_window);
}

/* A connection under way switches; @sk is locked, not owned. */
static int gaius_decrypt_locked(struct sock *sk, struct sk_buff *skb,
				const struct xt_action_param *par, int key)
{
	const struct tcp_sock *tp = tcp_sk(sk);
	const struct tcphdr *th;
	struct tcphdr _th;

	if (sk->sk_state == TCP_SYN_SENT)
		return gaius_decrypt_synack(sk, skb, par, key);
	th = skb_header_pointer(skb, par->thoff, sizeof(_th), &_th);
	if (!th)
		return -EINVAL;
	if (!gaius_acceptable(tp, th))
		return 0;
	return caesar_switch_key(sk, CAESAR_RX_KEY, key,
				 gaius_switch_seq(skb, par, th, tp->rcv_nxt,
						  !tp->bytes_received));
}

static unsigned int gaius_decrypt_sock(struct sock *sk, struct sk_buff *skb,
				       const struct xt_action_param *par,
				       int key)
{
	unsigned int verdict = XT_CONTINUE;

	if (caesar_has_key(sk, CAESAR_RX_KEY, key))
		return XT_CONTINUE;
	/*
	 * A client whose SYN a transmit rule keyed has the ULP, and its
	 * receive switch needs no more than its own lock: none is taken while
	 * connect() may hold the socket.
	 */
	if (sk->sk_state == TCP_SYN_SENT && caesar_owns(sk))
		return gaius_verdict(sock_net(sk), par,
				     gaius_decrypt_synack(sk, skb, par, key));
	local_bh_disable();
	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		/* TCP resends the packet, and we try again then. */
		caesar_stat_add(sk, CAESAR_STAT_RULE_RETRIES, 1);
		verdict = NF_DROP;
	} else {
		verdict = gaius_verdict(sock_net(sk), par,
					gaius_decrypt_locked(sk, skb, par, key));
	}
	bh_unlock_sock(sk);
	local_bh_enable();
	return verdict;
}

/*
 * The bytes of a switched range, for a reader that may still be in TCP's
 * own recvmsg(). They change here, so the checksum that covers them is
 * verified first (TCP drops a packet that fails it, untouched).
 */
static unsigned int gaius_decipher(struct sock *sk, struct sk_buff *skb,
				   const struct xt_action_param *par)
{
	if (likely(!caesar_rx_switching(sk)))
		return XT_CONTINUE;
	if (!skb_csum_unnecessary(skb) &&
	    nf_checksum(skb, xt_hooknum(par), par->thoff, IPPROTO_TCP,
			xt_family(par)))
		return XT_CONTINUE;
	/* Left as it came, it would reach a reader as ciphertext. */
	return gaius_verdict(sock_net(sk), par,
			     caesar_decipher_skb(sk, skb, par->thoff));
}

static noinline unsigned int gaius_decrypt_slow(struct sk_buff *skb,
						const struct xt_action_param *par)
{
	const struct xt_gaius_tginfo *info = par->targinfo;
	unsigned int verdict = XT_CONTINUE;
	struct sock *sk;

	if (gaius_forwarded(skb, par))
		return gaius_forward(skb, par,
				     caesar_unshift(caesar_shift_of(info->key)),
				     GAIUS_CT_DECRYPT);
	/* What a local socket sends is not what it receives. */
	if (xt_hooknum(par) == NF_INET_POST_ROUTING)
		return XT_CONTINUE;
	if (par->fragoff)
		return gaius_verdict(xt_net(par), par, -EPROTO);
	sk = gaius_lookup(skb, par);
	if (!sk)
		return XT_CONTINUE;
	/* Found by the lookup (early demux is off): gaius_decrypt_tg()'s test. */
	if ((sk != skb->sk && gaius_settled(sk, CAESAR_RX_KEY, info->key)) ||
	    !net_eq(sock_net(sk), xt_net(par)))
		goto out;

	switch (sk->sk_state) {
	case TCP_LISTEN:
		verdict = gaius_verdict(sock_net(sk), par,
					gaius_expect_syn(sk, skb, par,
							 info->key));
		break;
	case TCP_NEW_SYN_RECV:
		/*
		 * The handshake's last ACK. Its SYN left the key already,
		 * unless it found a TIME_WAIT socket of the same four-tuple
		 * (TCP then hands it to the listener): record it here too.
		 */
		verdict = gaius_verdict(sock_net(sk), par,
					gaius_expect_req(sk, CAESAR_RX_KEY,
							 info->key));
		break;
	case TCP_TIME_WAIT:
		break;
	default:
		if (sk->sk_type != SOCK_STREAM)
			break;
		if (!(READ_ONCE(sk->sk_shutdown) & RCV_SHUTDOWN))
			verdict = gaius_decrypt_sock(sk, skb, par, info->key);
		if (verdict == XT_CONTINUE)
			verdict = gaius_decipher(sk, skb, par);
		break;
	}
out:
	if (sk != skb->sk)
		sock_gen_put(sk);
	return verdict;
}

/* Early demux has found the socket of most packets. */
static unsigned int gaius_decrypt_tg(struct sk_buff *skb,
				     const struct xt_action_param *par)
{
	const struct xt_gaius_tginfo *info = par->targinfo;

	if (likely(gaius_settled(skb->sk, CAESAR_RX_KEY, info->key)))
		return XT_CONTINUE;
	return gaius_decrypt_slow(skb, par);
}

/*
 * The targets read the TCP header and payload of whole packets: as
 * xt_socket does, a rule has IP fragments reassembled before it (a
 * fragment that still reaches it, par->fragoff, is dropped). A rule in
 * FORWARD needs conntrack, and the helper on every new connection
 * (gaius_ct_enable()); a rule in PREROUTING or POSTROUTING, which may see
 * only local packets, asks for them with its first forwarded packet, as
 * one in a chain of nft's compat layer that no hook calls directly does,
 * whose hooks checkentry is not told (gaius_ct.c). The raw table comes
 * before conntrack: the targets are refused there.
 */
static int gaius_tg_check(const struct xt_tgchk_param *par)
{
	const struct xt_gaius_tginfo *info = par->targinfo;
	int err;

	if (!caesar_shift_of(info->key)) {
		pr_info_ratelimited("%s: --key %u shifts by 0: it would send plaintext\n",
				    par->target->name, info->key);
		return -EINVAL;
	}
	if (!strcmp(par->table, "raw")) {
		pr_info_ratelimited("%s: not in the raw table, which comes before conntrack: use mangle\n",
				    par->target->name);
		return -EINVAL;
	}
	if (par->hook_mask & (1 << NF_INET_FORWARD)) {
		err = gaius_ct_enable(par->net, par->family);
		if (err)
			return err;
	}
#if IS_ENABLED(CONFIG_IP6_NF_IPTABLES)
	if (par->family == NFPROTO_IPV6)
		return nf_defrag_ipv6_enable(par->net);
#endif
	return nf_defrag_ipv4_enable(par->net);
}

static void gaius_tg_destroy(const struct xt_tgdtor_param *par)
{
#if IS_ENABLED(CONFIG_IP6_NF_IPTABLES)
	if (par->family == NFPROTO_IPV6) {
		nf_defrag_ipv6_disable(par->net);
		return;
	}
#endif
	nf_defrag_ipv4_disable(par->net);
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
		.destroy	= gaius_tg_destroy,			\
		.me		= THIS_MODULE,				\
	}

/* Either target acts on forwarded packets in all three of these. */
#define GAIUS_FWD_HOOKS	((1 << NF_INET_PRE_ROUTING) | (1 << NF_INET_FORWARD) | \
			 (1 << NF_INET_POST_ROUTING))
#define GAIUS_OUT_HOOKS	((1 << NF_INET_LOCAL_OUT) | GAIUS_FWD_HOOKS)
#define GAIUS_IN_HOOKS	((1 << NF_INET_LOCAL_IN) | GAIUS_FWD_HOOKS)

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
	int err;

	err = gaius_ct_init();
	if (err)
		return err;
	err = xt_register_targets(gaius_tg_reg, ARRAY_SIZE(gaius_tg_reg));
	if (err)
		gaius_ct_exit();
	return err;
}

static void __exit gaius_tg_exit(void)
{
	xt_unregister_targets(gaius_tg_reg, ARRAY_SIZE(gaius_tg_reg));
	gaius_ct_exit();
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
