/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The carving policy of a parent DSA/IAX function: how its WQs, groups,
 * engines and WQ entries are split among mediated devices. A pure function
 * of the device's capabilities and the administrator's choice, so KUnit
 * tests it without a device (suite idxd_mdev_carve).
 */
#ifndef _IDXD_MDEV_PF_CARVE_H
#define _IDXD_MDEV_PF_CARVE_H

#include <linux/types.h>

/* GRPCFG holds a 64-bit engine bitmap; one instance per WQ, 64 at most. */
#define PF_CARVE_MAX_WQS	64
#define PF_CARVE_MAX_GROUPS	64
#define PF_CARVE_MAX_ENGINES	64

/**
 * struct pf_carve_in - what the device offers and what the administrator asks
 * @nr_wqs:		WQCAP.num_wqs
 * @nr_groups:		GRPCAP.num_groups
 * @nr_engines:		ENGCAP.num_engines
 * @total_wq_size:	WQCAP.total_wq_size, the entries all WQs share
 * @wanted_wqs:		how many WQs to carve; 0 means every WQ
 */
struct pf_carve_in {
	unsigned int nr_wqs;
	unsigned int nr_groups;
	unsigned int nr_engines;
	unsigned int total_wq_size;
	unsigned int wanted_wqs;
};

/**
 * struct pf_carve - the carved configuration
 * @nr_wqs:		WQs carved, one dedicated WQ per mediated device
 * @nr_groups:		groups used, each with at least one WQ and one engine
 * @wq_size:		entries of WQ i
 * @wq_group:		group of WQ i
 * @group_engines:	engine bitmap of group g
 */
struct pf_carve {
	unsigned int nr_wqs;
	unsigned int nr_groups;
	u16 wq_size[PF_CARVE_MAX_WQS];
	u8 wq_group[PF_CARVE_MAX_WQS];
	u64 group_engines[PF_CARVE_MAX_GROUPS];
};

int pf_carve(const struct pf_carve_in *in, struct pf_carve *out);

#endif /* _IDXD_MDEV_PF_CARVE_H */
