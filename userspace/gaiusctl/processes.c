// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The holders of the listed sockets: every /proc/PID/fd/FD is read once,
 * its link "socket:[INODE]" looked up in an index of the connections
 * sorted by inode, which leaves the list's order alone. See processes.h.
 */
#include "processes.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct index {
	struct gaiusctl_conn **by_inode;
	size_t count;
};

static int by_inode(const void *a, const void *b)
{
	const struct gaiusctl_conn *x = *(struct gaiusctl_conn *const *)a;
	const struct gaiusctl_conn *y = *(struct gaiusctl_conn *const *)b;

	return (x->inode > y->inode) - (x->inode < y->inode);
}

static bool add_process(struct gaiusctl_conn *conn, int pid, int fd,
			const char *command)
{
	struct gaiusctl_process *p;

	p = realloc(conn->processes, (conn->nprocesses + 1) * sizeof(*p));
	if (!p)
		return false;
	conn->processes = p;
	p += conn->nprocesses++;
	p->pid = pid;
	p->fd = fd;
	snprintf(p->command, sizeof(p->command), "%s", command);
	return true;
}

static void read_command(int pid, char command[16])
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	command[0] = '\0';
	f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(command, 16, f))
		command[strcspn(command, "\n")] = '\0';
	fclose(f);
}

/* One process's descriptors; false when memory runs out. */
static bool scan_process(const struct index *index, int pid)
{
	char path[64], link[64], command[16] = "";
	struct dirent *entry;
	bool ok = true;
	DIR *fds;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	fds = opendir(path);
	if (!fds)
		return true;
	while (ok && (entry = readdir(fds))) {
		struct gaiusctl_conn key, *want = &key, **found;
		unsigned long inode;
		ssize_t len;
		char *end;

		if (!isdigit((unsigned char)entry->d_name[0]))
			continue;
		len = readlinkat(dirfd(fds), entry->d_name, link, sizeof(link) - 1);
		if (len < 0)
			continue;
		link[len] = '\0';
		if (strncmp(link, "socket:[", 8))
			continue;
		inode = strtoul(link + 8, &end, 10);
		if (strcmp(end, "]") || inode > UINT32_MAX)
			continue;
		key.inode = (uint32_t)inode;
		found = bsearch(&want, index->by_inode, index->count,
				sizeof(*index->by_inode), by_inode);
		if (!found)
			continue;
		if (!command[0])
			read_command(pid, command);
		ok = add_process(*found, pid, atoi(entry->d_name), command);
	}
	closedir(fds);
	return ok;
}

enum gaiusctl_status gaiusctl_processes_fill(struct gaiusctl_conns *conns)
{
	struct index index = { NULL, conns->count };
	struct dirent *entry;
	bool ok = true;
	DIR *proc;

	if (!conns->count)
		return GAIUSCTL_OK;
	index.by_inode = calloc(conns->count, sizeof(*index.by_inode));
	if (!index.by_inode) {
		fputs("gaiusctl: out of memory reading /proc\n", stderr);
		return GAIUSCTL_ERROR;
	}
	for (size_t i = 0; i < conns->count; i++)
		index.by_inode[i] = &conns->items[i];
	qsort(index.by_inode, index.count, sizeof(*index.by_inode), by_inode);
	proc = opendir("/proc");
	if (!proc) {
		fprintf(stderr, "gaiusctl: /proc: %s\n", strerror(errno));
		free(index.by_inode);
		return GAIUSCTL_ERROR;
	}
	while (ok && (entry = readdir(proc)))
		if (isdigit((unsigned char)entry->d_name[0]))
			ok = scan_process(&index, atoi(entry->d_name));
	closedir(proc);
	free(index.by_inode);
	if (!ok) {
		fputs("gaiusctl: out of memory reading /proc\n", stderr);
		return GAIUSCTL_ERROR;
	}
	return GAIUSCTL_OK;
}
