// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The CAP_NET_ADMIN check, with capget(2): see privilege.h. */
#include "privilege.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

enum gaiusctl_status gaiusctl_require_net_admin(void)
{
	struct __user_cap_header_struct header = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct caps[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &header, caps)) {
		fprintf(stderr, "gaiusctl: capget: %s\n", strerror(errno));
		return GAIUSCTL_ERROR;
	}
	if (caps[CAP_TO_INDEX(CAP_NET_ADMIN)].effective &
	    CAP_TO_MASK(CAP_NET_ADMIN))
		return GAIUSCTL_OK;
	fputs("gaiusctl: permission denied: list needs CAP_NET_ADMIN (without it the kernel hides ULP details)\n",
	      stderr);
	return GAIUSCTL_PERMISSION;
}
