// SPDX-License-Identifier: GPL-2.0 OR MIT
/* State names: see state_names.h. */
#include "state_names.h"

#include <libnetfilter_conntrack/libnetfilter_conntrack_tcp.h>
#include <netinet/tcp.h>

#define UNKNOWN_STATE "UNKNOWN"

static const char *const tcp_states[] = {
	[TCP_ESTABLISHED] = "ESTAB",
	[TCP_SYN_SENT] = "SYN-SENT",
	[TCP_SYN_RECV] = "SYN-RECV",
	[TCP_FIN_WAIT1] = "FIN-WAIT-1",
	[TCP_FIN_WAIT2] = "FIN-WAIT-2",
	[TCP_TIME_WAIT] = "TIME-WAIT",
	[TCP_CLOSE] = "UNCONN",
	[TCP_CLOSE_WAIT] = "CLOSE-WAIT",
	[TCP_LAST_ACK] = "LAST-ACK",
	[TCP_LISTEN] = "LISTEN",
	[TCP_CLOSING] = "CLOSING",
};

static const char *const ct_states[] = {
	[TCP_CONNTRACK_NONE] = "NONE",
	[TCP_CONNTRACK_SYN_SENT] = "SYN_SENT",
	[TCP_CONNTRACK_SYN_RECV] = "SYN_RECV",
	[TCP_CONNTRACK_ESTABLISHED] = "ESTABLISHED",
	[TCP_CONNTRACK_FIN_WAIT] = "FIN_WAIT",
	[TCP_CONNTRACK_CLOSE_WAIT] = "CLOSE_WAIT",
	[TCP_CONNTRACK_LAST_ACK] = "LAST_ACK",
	[TCP_CONNTRACK_TIME_WAIT] = "TIME_WAIT",
	[TCP_CONNTRACK_CLOSE] = "CLOSE",
	[TCP_CONNTRACK_SYN_SENT2] = "SYN_SENT2",
};

static const char *name_in(const char *const *names, unsigned long count,
			   unsigned long index)
{
	return index < count && names[index] ? names[index] : UNKNOWN_STATE;
}

const char *gaiusctl_tcp_state_name(unsigned int state)
{
	return name_in(tcp_states, sizeof(tcp_states) / sizeof(tcp_states[0]),
		       state);
}

const char *gaiusctl_ct_state_name(int state)
{
	return state < 0 ? UNKNOWN_STATE :
	       name_in(ct_states, sizeof(ct_states) / sizeof(ct_states[0]),
		       (unsigned long)state);
}
