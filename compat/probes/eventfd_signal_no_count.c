// SPDX-License-Identifier: GPL-2.0
/*
 * probe: HAVE_EVENTFD_SIGNAL_NO_COUNT
 *
 * v6.8, "eventfd: simplify eventfd_signal()" (commit 3652117f8548):
 * eventfd_signal() lost its count argument; every caller added 1.
 */
#include <linux/eventfd.h>

static void __used conftest_eventfd_signal(struct eventfd_ctx *ctx)
{
	eventfd_signal(ctx);
}
