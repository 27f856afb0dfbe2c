/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an event on vector 0 of a parent function means, and what of it
 * the guest of the WQ's instance sees: pure functions of the registers'
 * values, so KUnit tests them without a device (suite idxd_mdev_events).
 */
#ifndef _IDXD_MDEV_PF_EVENT_H
#define _IDXD_MDEV_PF_EVENT_H

#include <linux/types.h>

#include "dsa_regs.h"

/**
 * enum pf_event_kind - what vector 0 found
 * @PF_EVENT_NONE:		nothing to act on
 * @PF_EVENT_HALT:		the device halted: reset it, halt every instance
 * @PF_EVENT_WQ_ERROR:		a software error of one carved WQ
 * @PF_EVENT_STRAY_ERROR:	a software error naming no carved WQ
 */
enum pf_event_kind {
	PF_EVENT_NONE,
	PF_EVENT_HALT,
	PF_EVENT_WQ_ERROR,
	PF_EVENT_STRAY_ERROR,
};

/**
 * struct pf_event - a decoded event
 * @kind:	what it is
 * @wq:		the WQ of a %PF_EVENT_WQ_ERROR
 */
struct pf_event {
	enum pf_event_kind kind;
	unsigned int wq;
};

struct pf_event pf_event_decode(u32 cause, u32 gensts,
				const u64 swerr[DSA_SWERR_WORDS],
				unsigned int nr_wqs);
void pf_event_guest_swerr(const u64 host[DSA_SWERR_WORDS],
			  u64 guest[DSA_SWERR_WORDS]);

#endif /* _IDXD_MDEV_PF_EVENT_H */
