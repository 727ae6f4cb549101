/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* Names of TCP socket states and of conntrack's TCP states. */
#ifndef GAIUSCTL_STATE_NAMES_H
#define GAIUSCTL_STATE_NAMES_H

/* A socket's state (TCP_ESTABLISHED ...) as ss(8) names it: "ESTAB" ... */
const char *gaiusctl_tcp_state_name(unsigned int state);

/*
 * A conntrack TCP state (TCP_CONNTRACK_ESTABLISHED ...) as conntrack(8)
 * names it: "ESTABLISHED" ...
 */
const char *gaiusctl_ct_state_name(int state);

#endif /* GAIUSCTL_STATE_NAMES_H */
