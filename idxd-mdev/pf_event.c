// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding vector 0's events of a parent function and the software error
 * an instance's guest sees. Used by pf_irq.c and host.c.
 */
#include <linux/bitfield.h>
#include <linux/string.h>

#include "pf_event.h"

/**
 * pf_event_decode() - what an event on vector 0 means
 * @cause:	INTCAUSE as read
 * @gensts:	GENSTS as read
 * @swerr:	SWERR's four words as read
 * @nr_wqs:	the carved WQs
 *
 * A halt wins over an error: the device is reset, whatever else it said.
 * An error counts only if SWERR holds one; it belongs to a WQ only if
 * SWERR names one of the carved WQs.
 *
 * Context: any.
 * Return: the event.
 */
struct pf_event pf_event_decode(u32 cause, u32 gensts,
				const u64 swerr[DSA_SWERR_WORDS],
				unsigned int nr_wqs)
{
	struct pf_event ev = { .kind = PF_EVENT_NONE };
	unsigned int wq = FIELD_GET(DSA_SWERR_WQ_IDX, swerr[0]);

	if (cause & DSA_INTCAUSE_HALT ||
	    FIELD_GET(DSA_GENSTS_STATE, gensts) == DSA_GENSTS_HALT) {
		ev.kind = PF_EVENT_HALT;
	} else if (swerr[0] & DSA_SWERR_VALID) {
		if (swerr[0] & DSA_SWERR_WQ_IDX_VALID && wq < nr_wqs) {
			ev.kind = PF_EVENT_WQ_ERROR;
			ev.wq = wq;
		} else {
			ev.kind = PF_EVENT_STRAY_ERROR;
		}
	}
	return ev;
}

/**
 * pf_event_guest_swerr() - the software error a WQ's guest sees
 * @host:	SWERR as the parent recorded it
 * @guest:	filled in
 *
 * The guest has one WQ, WQ 0, and no PASIDs: the host's WQ index and the
 * PASID the host gave the WQ are not the guest's to see. The rest (error
 * code, operation, fault address, flags) is the guest's own.
 *
 * Context: any.
 */
void pf_event_guest_swerr(const u64 host[DSA_SWERR_WORDS],
			  u64 guest[DSA_SWERR_WORDS])
{
	memcpy(guest, host, sizeof(u64) * DSA_SWERR_WORDS);
	guest[0] &= ~(DSA_SWERR_WQ_IDX | DSA_SWERR_PASID);
}
