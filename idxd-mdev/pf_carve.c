// SPDX-License-Identifier: GPL-2.0
/*
 * The carving policy (Documentation/idxd-mdev.rst, "Carving the parent"):
 *
 * - n WQs are carved: the administrator's number, or every WQ the device
 *   has (capped at PF_CARVE_MAX_WQS); each is one dedicated WQ for one
 *   mediated device.
 * - The WQ entries are shared evenly: total / n each, and the first
 *   total % n WQs one more, so no entry is left unused.
 * - g = min(n, groups, engines) groups are used, so that every used group
 *   has a WQ and an engine: WQ i goes to group i % g, engine e to group
 *   e % g. WQs sharing a group share its engines.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "pf_carve.h"

/**
 * pf_carve() - split a device's WQs, groups and engines among instances
 * @in:		the device's capabilities and the number of WQs wanted
 * @out:	the carved configuration, filled on success
 *
 * Context: any; touches no device.
 * Return: 0, or -EINVAL when the device has no WQ, group or engine, when
 * more WQs are wanted than the device (or this driver) has, or when the
 * WQ entries do not give every WQ one.
 */
int pf_carve(const struct pf_carve_in *in, struct pf_carve *out)
{
	unsigned int wqs = min_t(unsigned int, in->nr_wqs, PF_CARVE_MAX_WQS);
	unsigned int groups = min_t(unsigned int, in->nr_groups,
				    PF_CARVE_MAX_GROUPS);
	unsigned int engines = min_t(unsigned int, in->nr_engines,
				     PF_CARVE_MAX_ENGINES);
	unsigned int n, g, i, size, extra;

	if (!wqs || !groups || !engines)
		return -EINVAL;
	n = in->wanted_wqs ? in->wanted_wqs : wqs;
	if (n > wqs || in->total_wq_size < n)
		return -EINVAL;
	g = min3(n, groups, engines);
	size = min_t(unsigned int, in->total_wq_size / n, U16_MAX);
	extra = size == U16_MAX ? 0 : in->total_wq_size % n;

	memset(out, 0, sizeof(*out));
	out->nr_wqs = n;
	out->nr_groups = g;
	for (i = 0; i < n; i++) {
		out->wq_size[i] = size + (i < extra);
		out->wq_group[i] = i % g;
	}
	for (i = 0; i < engines; i++)
		out->group_engines[i % g] |= BIT_ULL(i);
	return 0;
}
