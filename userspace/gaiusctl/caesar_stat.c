// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Reading /proc/net/caesar_stat: see caesar_stat.h. */
#include "caesar_stat.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The file is about 400 bytes; anything near this is not ours. */
#define STAT_FILE_MAX 65536

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Parses one line, without its '\n', into @counter. */
static bool parse_line(const char *line, size_t len,
		       struct gaiusctl_counter *counter)
{
	size_t name_len = 0, i;
	unsigned long long magnitude = 0;
	bool negative = false;

	while (name_len < len && is_name_char(line[name_len]))
		name_len++;
	if (!name_len || name_len >= sizeof(counter->name))
		return false;
	i = name_len;
	if (i == len || !is_blank(line[i]))
		return false;
	while (i < len && is_blank(line[i]))
		i++;
	if (i < len && line[i] == '-') {
		negative = true;
		i++;
	}
	if (i == len)
		return false;
	for (; i < len; i++) {
		if (!isdigit((unsigned char)line[i]) ||
		    magnitude > ((unsigned long long)LLONG_MAX + 1) / 10)
			return false;
		magnitude = magnitude * 10 + (unsigned long long)(line[i] - '0');
	}
	if (magnitude > (unsigned long long)LLONG_MAX + negative)
		return false;
	memcpy(counter->name, line, name_len);
	counter->name[name_len] = '\0';
	if (negative)
		counter->value = magnitude ? -(long long)(magnitude - 1) - 1 : 0;
	else
		counter->value = (long long)magnitude;
	return true;
}

long gaiusctl_caesar_stat_parse(const char *text, size_t len,
				struct gaiusctl_counters *out)
{
	size_t lines = 0, pos;
	long line_no = 0;

	*out = (struct gaiusctl_counters){ 0 };
	for (pos = 0; pos < len; pos++)
		lines += text[pos] == '\n';
	out->items = calloc(lines ? lines : 1, sizeof(*out->items));
	if (!out->items)
		return -1;
	for (pos = 0; pos < len;) {
		const char *end = memchr(text + pos, '\n', len - pos);

		line_no++;
		if (!end ||
		    !parse_line(text + pos, (size_t)(end - text) - pos,
				&out->items[out->count]))
			return line_no;
		out->count++;
		pos = (size_t)(end - text) + 1;
	}
	return 0;
}

void gaiusctl_counters_free(struct gaiusctl_counters *counters)
{
	free(counters->items);
	*counters = (struct gaiusctl_counters){ 0 };
}

/* Reads all of @file into @buf; its length, or -1 (errno set). */
static long read_all(FILE *file, char *buf, size_t size)
{
	size_t len = 0, n;

	while ((n = fread(buf + len, 1, size - len, file)) > 0) {
		len += n;
		if (len == size) {
			errno = EFBIG;
			return -1;
		}
	}
	return ferror(file) ? -1 : (long)len;
}

/* After @path failed to open or be checked. */
static enum gaiusctl_status open_failed(const char *path)
{
	if (errno == ENOENT) {
		fprintf(stderr, "gaiusctl: the caesar module is not loaded (no %s)\n",
			path);
		return GAIUSCTL_NOT_LOADED;
	}
	fprintf(stderr, "gaiusctl: %s: %s\n", path, strerror(errno));
	return GAIUSCTL_ERROR;
}

enum gaiusctl_status gaiusctl_caesar_stat_check(const char *path)
{
	return access(path, F_OK) ? open_failed(path) : GAIUSCTL_OK;
}

enum gaiusctl_status gaiusctl_caesar_stat_read(const char *path,
					       struct gaiusctl_counters *out)
{
	static char buf[STAT_FILE_MAX];
	FILE *file = fopen(path, "r");
	long len, bad_line;

	*out = (struct gaiusctl_counters){ 0 };
	if (!file)
		return open_failed(path);
	len = read_all(file, buf, sizeof(buf));
	if (len < 0)
		fprintf(stderr, "gaiusctl: %s: %s\n", path, strerror(errno));
	fclose(file);
	if (len < 0)
		return GAIUSCTL_ERROR;
	bad_line = gaiusctl_caesar_stat_parse(buf, (size_t)len, out);
	if (bad_line < 0)
		fprintf(stderr, "gaiusctl: %s: out of memory\n", path);
	else if (bad_line > 0)
		fprintf(stderr, "gaiusctl: %s: line %ld: not NAME VALUE\n", path,
			bad_line);
	if (bad_line) {
		gaiusctl_counters_free(out);
		return GAIUSCTL_ERROR;
	}
	return GAIUSCTL_OK;
}
