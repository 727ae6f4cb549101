// SPDX-License-Identifier: GPL-2.0 OR MIT
/* gaiusctl --netns: see netns.h. */
#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Where ip netns add binds its namespaces. */
#define NETNS_RUN_DIR "/run/netns/"

enum gaiusctl_status gaiusctl_netns_enter(const char *name)
{
	char path[4096];
	int fd, err;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), NETNS_RUN_DIR "%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		err = setns(fd, CLONE_NEWNET) ? errno : 0;
		close(fd);
	} else {
		err = errno;
	}
	if (!err)
		return GAIUSCTL_OK;
	/* ip netns add makes /run/netns/NAME mode 0: open is refused too. */
	if (err == EPERM || err == EACCES) {
		fprintf(stderr, "gaiusctl: network namespace %s: %s: %s: needs CAP_SYS_ADMIN\n",
			name, path, strerror(err));
		return GAIUSCTL_PERMISSION;
	}
	fprintf(stderr, "gaiusctl: network namespace %s: %s: %s\n", name, path,
		strerror(err));
	return GAIUSCTL_ERROR;
}
