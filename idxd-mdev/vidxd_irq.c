// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt delivery of the virtual device: MSI-X with per-vector and
 * function masking and pending bits, INTCAUSE, and the software errors
 * reported in SWERR. The bottom layer of the model above the register
 * arrays: it calls nothing but the host's signal op.
 */
#include "vidxd_priv.h"

static bool vidxd_msix_enabled_irqlocked(struct vidxd *vidxd)
{
	lockdep_assert_held(&vidxd->irq_lock);

	return vidxd_load(vidxd->cfg, VIDXD_CAP_MSIX + PCI_MSIX_FLAGS, 2) &
	       PCI_MSIX_FLAGS_ENABLE;
}

static bool vidxd_msix_deliverable_irqlocked(struct vidxd *vidxd,
					     unsigned int vector)
{
	u16 ctl = vidxd_load(vidxd->cfg, VIDXD_CAP_MSIX + PCI_MSIX_FLAGS, 2);
	u32 ctrl = vidxd_load(vidxd->bar0, VIDXD_MSIX_TABLE +
			      PCI_MSIX_ENTRY_SIZE * vector +
			      PCI_MSIX_ENTRY_VECTOR_CTRL, 4);
	u16 command = vidxd_load(vidxd->cfg, PCI_COMMAND, 2);

	lockdep_assert_held(&vidxd->irq_lock);

	/* An MSI-X message is a memory write: bus mastering must be on. */
	return !(ctl & PCI_MSIX_FLAGS_MASKALL) &&
	       !(ctrl & PCI_MSIX_ENTRY_CTRL_MASKBIT) &&
	       (command & PCI_COMMAND_MASTER);
}

static void vidxd_send_irqlocked(struct vidxd *vidxd, unsigned int vector)
{
	u8 pba = vidxd->bar0[VIDXD_MSIX_PBA];

	lockdep_assert_held(&vidxd->irq_lock);

	if (!vidxd_msix_enabled_irqlocked(vidxd))
		return;
	if (vidxd_msix_deliverable_irqlocked(vidxd, vector))
		vidxd->ops->signal(vidxd->host, vector);
	else
		vidxd->bar0[VIDXD_MSIX_PBA] = pba | BIT(vector);
}

/**
 * vidxd_raise - Send guest MSI-X vector @vector
 * @vidxd:	The device.
 * @vector:	0 for the device's own events, 1 for WQ completions (the
 *		host calls this from the handler of the vector's IMS slot).
 *
 * A masked vector (or all masked, or bus mastering off) gets its pending
 * bit set instead and is sent when that changes. Nothing is sent while
 * MSI-X is disabled.
 *
 * Context: Any, including hard interrupt context and a host op called
 * with @vidxd->lock held; takes @vidxd->irq_lock, so not from the host's
 * signal op.
 */
void vidxd_raise(struct vidxd *vidxd, unsigned int vector)
{
	unsigned long flags;

	if (WARN_ON_ONCE(vector >= VIDXD_NR_VECTORS))
		return;
	spin_lock_irqsave(&vidxd->irq_lock, flags);
	vidxd_send_irqlocked(vidxd, vector);
	spin_unlock_irqrestore(&vidxd->irq_lock, flags);
}

/**
 * vidxd_msix_deliver_pending_locked - Send pending vectors that may now go
 * @vidxd:	The device.
 *
 * Context: @vidxd->lock held; takes @vidxd->irq_lock.
 */
void vidxd_msix_deliver_pending_locked(struct vidxd *vidxd)
{
	unsigned int vector;

	lockdep_assert_held(&vidxd->lock);

	spin_lock_irq(&vidxd->irq_lock);
	for (vector = 0; vector < VIDXD_NR_VECTORS; vector++) {
		if (!(vidxd->bar0[VIDXD_MSIX_PBA] & BIT(vector)) ||
		    !vidxd_msix_enabled_irqlocked(vidxd) ||
		    !vidxd_msix_deliverable_irqlocked(vidxd, vector))
			continue;
		vidxd->bar0[VIDXD_MSIX_PBA] &= ~BIT(vector);
		vidxd->ops->signal(vidxd->host, vector);
	}
	spin_unlock_irq(&vidxd->irq_lock);
}

/* Record an interrupt cause; send vector 0 if the cause's interrupt is on. */
static void vidxd_cause_locked(struct vidxd *vidxd, u32 cause, bool send)
{
	lockdep_assert_held(&vidxd->lock);

	spin_lock_irq(&vidxd->irq_lock);
	vidxd_store(vidxd->bar0, DSA_INTCAUSE, 4,
		    vidxd_load(vidxd->bar0, DSA_INTCAUSE, 4) | cause);
	if (send)
		vidxd_send_irqlocked(vidxd, 0);
	spin_unlock_irq(&vidxd->irq_lock);
}

/**
 * vidxd_signal_cause_locked - Record @cause and send vector 0
 * @vidxd:	The device.
 * @cause:	INTCAUSE bits.
 *
 * Context: @vidxd->lock held.
 */
void vidxd_signal_cause_locked(struct vidxd *vidxd, u32 cause)
{
	lockdep_assert_held(&vidxd->lock);

	vidxd_cause_locked(vidxd, cause, true);
}

static void vidxd_set_swerr_locked(struct vidxd *vidxd,
				   const u64 swerr[DSA_SWERR_WORDS])
{
	u64 first;
	unsigned int i;

	lockdep_assert_held(&vidxd->lock);

	/* One error is kept; one more before the guest clears it is lost. */
	first = vidxd_load(vidxd->bar0, DSA_SWERR, 8);
	if (first & DSA_SWERR_VALID) {
		vidxd_store(vidxd->bar0, DSA_SWERR, 8,
			    first | DSA_SWERR_OVERFLOW);
		return;
	}
	for (i = 0; i < DSA_SWERR_WORDS; i++)
		vidxd_store(vidxd->bar0, DSA_SWERR + 8 * i, 8, swerr[i]);
	vidxd_store(vidxd->bar0, DSA_SWERR, 8, swerr[0] | DSA_SWERR_VALID);
}

/**
 * vidxd_software_error_locked - Report a software error of the device's own
 * @vidxd:	The device.
 * @error:	The SWERR error code.
 * @halt:	Whether it halts the device (INTCAUSE.HALT instead of ERR).
 *
 * Context: @vidxd->lock held.
 */
void vidxd_software_error_locked(struct vidxd *vidxd, u8 error, bool halt)
{
	u64 swerr[DSA_SWERR_WORDS] = { FIELD_PREP(DSA_SWERR_ERROR, error) };
	u32 genctrl;

	lockdep_assert_held(&vidxd->lock);

	genctrl = vidxd_load(vidxd->bar0, DSA_GENCTRL, 4);
	vidxd_set_swerr_locked(vidxd, swerr);
	if (halt)
		vidxd_cause_locked(vidxd, DSA_INTCAUSE_HALT,
				   genctrl & DSA_GENCTRL_HALT_INT_EN);
	else
		vidxd_cause_locked(vidxd, DSA_INTCAUSE_ERR,
				   genctrl & DSA_GENCTRL_SOFTERR_INT_EN);
}

/**
 * vidxd_report_error - The host reports a software error of the WQ
 * @vidxd:	The device.
 * @swerr:	The four SWERR words the hardware recorded.
 *
 * Stored in SWERR (or counted as overflow if the guest has not cleared
 * the previous one), INTCAUSE.ERR set, vector 0 sent if the guest enabled
 * software error interrupts.
 *
 * Context: Process context, not from a host op (takes @vidxd->lock).
 */
void vidxd_report_error(struct vidxd *vidxd,
			const u64 swerr[DSA_SWERR_WORDS])
{
	u32 genctrl;

	mutex_lock(&vidxd->lock);
	genctrl = vidxd_load(vidxd->bar0, DSA_GENCTRL, 4);
	vidxd_set_swerr_locked(vidxd, swerr);
	vidxd_cause_locked(vidxd, DSA_INTCAUSE_ERR,
			   genctrl & DSA_GENCTRL_SOFTERR_INT_EN);
	mutex_unlock(&vidxd->lock);
}
