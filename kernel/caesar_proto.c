// SPDX-License-Identifier: GPL-2.0
/*
 * The proto and proto_ops copies that route a socket's bytes through us.
 *
 * Every way a byte can enter or leave a TCP socket has to be either ours or
 * refused: a path left to TCP would move plaintext (or ciphertext) silently.
 *
 *   in:  sendmsg (write, send*, writev; since 6.5 sendfile and splice to
 *        the socket too, with MSG_SPLICE_PAGES), the kernel's
 *        sendmsg_locked, and before 6.5 sendpage and sendpage_locked
 *        (caesar_sendpage.c)
 *   out: recvmsg (read, recv*, readv); splice from the socket, which reads
 *        through recvmsg into pages of its own; read_sock (in-kernel readers) and mmap
 *        (TCP_ZEROCOPY_RECEIVE) are refused
 *   and listen(), which would let children share our context
 *
 * The bytes' own paths are in struct proto, which is the socket's wherever
 * it goes. splice_read, read_sock and mmap are in the proto_ops, which
 * belong to the socket's file: accept() gives a child the ops its listener
 * had when the accepting thread came in, which are TCP's for a child keyed
 * in the accept queue, or for a thread that was waiting in accept() before
 * a rule took its listener over. So the proto puts our ops on the file in
 * the release_sock() that ends accept(), before the file reaches the
 * program (caesar_release_cb()); and listen() is refused in the proto, not
 * in the ops (caesar_hash()).
 *
 * The proto_ops are also installed on listeners whose children the targets
 * encipher (caesar_listen.c): accept() hands the listener's ops to every
 * child, enciphered or not, so each of them asks caesar_owns() and behaves
 * as TCP's own for a plain socket.
 *
 * The copies are made at module load from a socket of each family, because
 * tcpv6_prot lives in the IPv6 code and is not exported; built then, they
 * can be installed from any context, softirq included. TCP's own proto and
 * proto_ops are kept beside them and called wherever TCP's behaviour is
 * wanted, as net/tls keeps its saved protos: newer kernels export neither
 * tcp_recvmsg() nor tcp_splice_read() nor tcp_mmap() to modules.
 */

#include <linux/fs.h>
#include <linux/module.h>
#include <linux/net.h>
#include <net/inet_common.h>
#include <net/tcp.h>

#include "caesar.h"

enum { CAESAR_IPV4, CAESAR_IPV6, CAESAR_NFAMILIES };

struct caesar_protos {
	struct proto prot;
	struct proto_ops ops;
	const struct proto *base;	/* TCP's, which ours were copied from */
	const struct proto_ops *base_ops;
	bool built;
};

static struct caesar_protos caesar_protos[CAESAR_NFAMILIES];

static const struct caesar_protos *caesar_protos_of(const struct sock *sk);

/*
 * TCP's own proto_ops for @sk's family. A plain socket behind our ops is
 * served by them: the kernel need not export TCP's functions to modules.
 */
static const struct proto_ops *caesar_base_ops(const struct sock *sk)
{
	return caesar_protos_of(sk)->base_ops;
}

bool caesar_owns(const struct sock *sk)
{
	return __caesar_owns(sk);
}
EXPORT_SYMBOL_GPL(caesar_owns);

static int caesar_sendmsg_locked_ops(struct sock *sk, struct msghdr *msg,
				     size_t size)
{
	if (!caesar_owns(sk))
		return caesar_base_ops(sk)->sendmsg_locked(sk, msg, size);
	return caesar_sendmsg_locked(sk, msg, size);
}

static ssize_t caesar_splice_read_ops(struct socket *sock, loff_t *ppos,
				      struct pipe_inode_info *pipe, size_t len,
				      unsigned int flags)
{
	if (!caesar_owns(sock->sk))
		return caesar_base_ops(sock->sk)->splice_read(sock, ppos, pipe,
							      len, flags);
	return caesar_splice_read(sock, pipe, len, flags);
}

/* In-kernel readers would get TCP's pages, holding ciphertext. */
static int caesar_read_sock(struct sock *sk, read_descriptor_t *desc,
			    sk_read_actor_t recv_actor)
{
	if (!caesar_owns(sk))
		return caesar_base_ops(sk)->read_sock(sk, desc, recv_actor);
	return -EOPNOTSUPP;
}

/* Zerocopy receive maps TCP's pages, holding ciphertext, into the reader. */
static int caesar_mmap(struct file *file, struct socket *sock,
		       struct vm_area_struct *vma)
{
	if (!caesar_owns(sock->sk))
		return caesar_base_ops(sock->sk)->mmap(file, sock, vma);
	return -ENODEV;
}

/*
 * listen(), once the socket is in TCP_LISTEN: a socket with a context must
 * not become a listener, whose children would share it (CVE-2023-0461).
 * The ULP core's own test lets ours through, since it has a clone() for the
 * listeners the targets take over, and the file's proto_ops may be TCP's
 * (above). For TCP, only listen() calls struct proto's hash.
 */
static int caesar_hash(struct sock *sk)
{
	if (sk->sk_state == TCP_LISTEN)
		return -EINVAL;
	return caesar_protos_of(sk)->base->hash(sk);
}

/*
 * release_sock(), under the socket's spinlock: the file of a socket whose
 * proto is ours gets our proto_ops (above). accept() grafts the child on
 * its file, then releases it before the file is installed, so no system
 * call on the file can find TCP's ops.
 */
static void caesar_release_cb(struct sock *sk)
{
	const struct caesar_protos *p = caesar_protos_of(sk);
	struct socket *sock = sk->sk_socket;

	if (unlikely(sock && READ_ONCE(sock->ops) != &p->ops))
		WRITE_ONCE(sock->ops, &p->ops);
	p->base->release_cb(sk);
}

static void caesar_build(struct caesar_protos *p, const struct proto *base,
			 const struct proto_ops *base_ops)
{
	p->base = base;
	p->base_ops = base_ops;
	p->prot = *base;
	p->prot.hash = caesar_hash;
	p->prot.release_cb = caesar_release_cb;
	p->prot.close = caesar_close;
	p->prot.setsockopt = caesar_setsockopt;
	p->prot.getsockopt = caesar_getsockopt;
	p->prot.sendmsg = caesar_sendmsg;
	p->prot.recvmsg = caesar_recvmsg;
	/* sockmap would swap the proto under us: not in a sockmap. */
	p->prot.psock_update_sk_prot = NULL;

	p->ops = *base_ops;
	p->ops.sendmsg_locked = caesar_sendmsg_locked_ops;
	p->ops.splice_read = caesar_splice_read_ops;
	p->ops.read_sock = caesar_read_sock;
	p->ops.mmap = caesar_mmap;
	caesar_sendpage_build(&p->prot, &p->ops);
	p->built = true;
}

static int caesar_build_family(int family, int index)
{
	struct socket *sock;
	int err;

	err = sock_create_kern(&init_net, family, SOCK_STREAM, IPPROTO_TCP,
			       &sock);
	if (err)
		return err;
	caesar_build(&caesar_protos[index], sock->sk->sk_prot, sock->ops);
	sock_release(sock);
	return 0;
}

int caesar_proto_init(void)
{
	int err;

	err = caesar_build_family(AF_INET, CAESAR_IPV4);
	if (err)
		return err;
	/* A kernel booted with ipv6.disable=1 has no IPv6 sockets at all. */
	err = caesar_build_family(AF_INET6, CAESAR_IPV6);
	if (err == -EAFNOSUPPORT)
		return 0;
	return err;
}

/* The copies for @sk's family, built at module load. */
static const struct caesar_protos *caesar_protos_of(const struct sock *sk)
{
	return &caesar_protos[sk->sk_family == AF_INET6 ? CAESAR_IPV6 :
							  CAESAR_IPV4];
}

/* The copies to put on @sk, if it is plain TCP and we can. */
static const struct caesar_protos *caesar_protos_for(const struct sock *sk)
{
	const struct caesar_protos *p = caesar_protos_of(sk);

	/* Anything but plain TCP (sockmap's proto, say) is not ours to wrap. */
	if (!p->built || sk->sk_prot != p->base)
		return NULL;
	return p;
}

/*
 * TCP's own proto for @sk's family: what a socket that has our proto and
 * no context (caesar_refuse()) goes back to when it closes.
 */
struct proto *caesar_proto_base(const struct sock *sk)
{
	return (struct proto *)caesar_protos_of(sk)->base;
}

/*
 * Route @sk through the Caesar callbacks. The context must already be
 * published in icsk_ulp_data: the callbacks read it as soon as sk_prot
 * changes (CVE-2024-36489 was this order reversed). A socket not yet
 * accepted has no struct socket; accept() gives it its listener's ops,
 * which caesar_listen.c made ours.
 */
int caesar_proto_install(struct sock *sk)
{
	const struct caesar_protos *p = caesar_protos_for(sk);

	if (!p)
		return -EOPNOTSUPP;
	WRITE_ONCE(sk->sk_prot, (struct proto *)&p->prot);
	if (sk->sk_socket)
		WRITE_ONCE(sk->sk_socket->ops, &p->ops);
	return 0;
}

/* A listener's children get its ops at accept(); see the top of the file. */
int caesar_proto_install_ops(struct sock *listener)
{
	const struct caesar_protos *p = caesar_protos_for(listener);

	if (!p || !listener->sk_socket)
		return -EOPNOTSUPP;
	WRITE_ONCE(listener->sk_socket->ops, &p->ops);
	return 0;
}
