/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The internals of the vidxd model, shared by its files and nothing else.
 *
 * The files are layered; each calls only into the layers below it:
 *
 *   vidxd_cfg.c, vidxd_mmio.c  guest accesses to config space and BAR0
 *   vidxd_cmd.c                the command engine (CMD, CMDSTS)
 *   vidxd_core.c               init, reset values, resets, quiesce, halt
 *   vidxd_irq.c                MSI-X, PBA, INTCAUSE, SWERR
 *   vidxd_access.c             the register arrays
 *
 * A function named _locked requires @vidxd->lock, one named _irqlocked
 * requires @vidxd->irq_lock; both check it with lockdep.
 */
#ifndef _VIDXD_PRIV_H
#define _VIDXD_PRIV_H

#include <linux/bitfield.h>
#include <linux/lockdep.h>
#include <linux/pci_regs.h>

#include "vidxd.h"

/* vidxd_access.c */
u64 vidxd_load(const u8 *regs, unsigned int off, unsigned int size);
void vidxd_store(u8 *regs, unsigned int off, unsigned int size, u64 val);
void vidxd_merge(u8 *regs, const u8 *wmask, const u8 *w1c, unsigned int off,
		 unsigned int size, u64 val);
int vidxd_check_access(unsigned int off, unsigned int size, unsigned int space,
		       unsigned int max_size);
u64 vidxd_read_regs(struct vidxd *vidxd, const u8 *regs, unsigned int off,
		    unsigned int size);

/* vidxd_irq.c */
void vidxd_msix_deliver_pending_locked(struct vidxd *vidxd);
void vidxd_signal_cause_locked(struct vidxd *vidxd, u32 cause);
void vidxd_software_error_locked(struct vidxd *vidxd, u8 error, bool halt);

/* vidxd_core.c */
void vidxd_host_failed_locked(struct vidxd *vidxd);
void vidxd_halt_locked(struct vidxd *vidxd, u8 error);
int vidxd_device_reset_locked(struct vidxd *vidxd);
int vidxd_function_reset_locked(struct vidxd *vidxd);

/* vidxd_cmd.c */
void vidxd_do_command_locked(struct vidxd *vidxd, u32 cmd);

/* The device's state (GENSTS) and its WQ's (WQCFG), as the guest sees them. */
static inline u32 vidxd_state_locked(struct vidxd *vidxd)
{
	lockdep_assert_held(&vidxd->lock);

	return FIELD_GET(DSA_GENSTS_STATE,
			 vidxd_load(vidxd->bar0, DSA_GENSTS, 4));
}

static inline void vidxd_set_state_locked(struct vidxd *vidxd, u32 state,
					  u32 reset_type)
{
	lockdep_assert_held(&vidxd->lock);

	vidxd_store(vidxd->bar0, DSA_GENSTS, 4,
		    FIELD_PREP(DSA_GENSTS_STATE, state) |
		    FIELD_PREP(DSA_GENSTS_RESET_TYPE, reset_type));
}

static inline bool vidxd_wq_enabled_locked(struct vidxd *vidxd)
{
	u32 dw;

	lockdep_assert_held(&vidxd->lock);

	dw = vidxd_load(vidxd->bar0, VIDXD_WQCFG + DSA_WQCFG_STATE, 4);
	return FIELD_GET(DSA_WQCFG_WQ_STATE, dw) == DSA_WQ_STATE_ENABLED;
}

static inline void vidxd_set_wq_state_locked(struct vidxd *vidxd, u32 state)
{
	u32 dw;

	lockdep_assert_held(&vidxd->lock);

	dw = vidxd_load(vidxd->bar0, VIDXD_WQCFG + DSA_WQCFG_STATE, 4);
	dw &= ~DSA_WQCFG_WQ_STATE;
	vidxd_store(vidxd->bar0, VIDXD_WQCFG + DSA_WQCFG_STATE, 4,
		    dw | FIELD_PREP(DSA_WQCFG_WQ_STATE, state));
}

/* Whether the guest set the Bus Master Enable bit. */
static inline bool vidxd_bus_master_locked(struct vidxd *vidxd)
{
	lockdep_assert_held(&vidxd->lock);

	return vidxd_load(vidxd->cfg, PCI_COMMAND, 2) & PCI_COMMAND_MASTER;
}

#endif /* _VIDXD_PRIV_H */
