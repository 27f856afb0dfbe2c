// SPDX-License-Identifier: GPL-2.0
/* TAP result lines and the plan they are held to (tap.h). */
#include <stdarg.h>
#include <stdio.h>

#include "tap.h"

const char *tap_tag = "test";
static unsigned int planned, ran, failed;
static int have_plan;

void tap_plan(unsigned int n)
{
	planned = n;
	have_plan = 1;
	printf("# 1..%u (%s)\n", n, tap_tag);
	fflush(stdout);
}

void tap_result(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	ran++;
	if (ok) {
		printf("ok %u - %s: %s\n", ran, tap_tag, name);
	} else {
		failed++;
		printf("not ok %u - %s: %s: ", ran, tap_tag, name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	/* Lines reach the serial console even if the program dies next. */
	fflush(stdout);
}

unsigned int tap_failures(void)
{
	return failed;
}

int tap_done(void)
{
	unsigned int status = failed;

	if (have_plan && ran != planned) {
		printf("# %s: planned %u results, printed %u\n", tap_tag,
		       planned, ran);
		status++;
	}
	fflush(stdout);
	return status > 255 ? 255 : status;
}

/* The errno's symbolic name, for messages that name the errno expected. */
const char *strerrorname(int e)
{
	switch (e) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case ESRCH: return "ESRCH";
	case EIO: return "EIO";
	case ENXIO: return "ENXIO";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	case ENOTTY: return "ENOTTY";
	case ERANGE: return "ERANGE";
	case EOVERFLOW: return "EOVERFLOW";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default: return strerror(e);
	}
}
