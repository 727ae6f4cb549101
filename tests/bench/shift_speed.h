/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/* shift-speed's copies, in a unit of their own (shift_speed_kernel.c). */
#ifndef GAIUS_SHIFT_SPEED_H
#define GAIUS_SHIFT_SPEED_H

#include <stddef.h>

#define SPEED_SHIFT 100

void speed_shift(void *dst, const void *src, size_t len);
void speed_shift_sse2(void *dst, const void *src, size_t len);
void speed_shift_swar(void *dst, const void *src, size_t len);
void speed_movsb(void *dst, const void *src, size_t len);
void speed_memcpy(void *dst, const void *src, size_t len);

#endif /* GAIUS_SHIFT_SPEED_H */
