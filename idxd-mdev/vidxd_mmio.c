// SPDX-License-Identifier: GPL-2.0
/*
 * BAR0 of the virtual device: the DSA register file, derived from the
 * parent's capabilities and cut down to one dedicated WQ, its group and
 * WQ tables, and the MSI-X table, PBA and permission table. Interrupt
 * delivery to the guest honours MSI-X masking with pending bits.
 */
#include <linux/bitfield.h>
#include <linux/pci_regs.h>

#include "vidxd.h"

/* GENCAP bits a single dedicated WQ without PASID support can honour. */
#define VIDXD_GENCAP_KEEP	(VIDXD_GENCAP_OVERLAP_COPY | VIDXD_GENCAP_CACHE_CTRL_MEM | \
				 VIDXD_GENCAP_CACHE_CTRL_CACHE | \
				 VIDXD_GENCAP_DEST_READBACK | VIDXD_GENCAP_DRAIN_READBACK | \
				 VIDXD_GENCAP_MAX_XFER_SHIFT | VIDXD_GENCAP_MAX_BATCH_SHIFT)

static void bar0_reg(struct vidxd *vidxd, unsigned int off, unsigned int size,
		     u64 val, u64 wmask, u64 w1c)
{
	vidxd_store(vidxd->bar0, off, size, val);
	vidxd_store(vidxd->bar0_wmask, off, size, wmask);
	vidxd_store(vidxd->bar0_w1c, off, size, w1c);
}

static void vidxd_wqcfg_init(struct vidxd *vidxd)
{
	const unsigned int wqcfg = VIDXD_WQCFG;
	u64 gencap = vidxd->caps.gencap;

	bar0_reg(vidxd, wqcfg + VIDXD_WQCFG_SIZE, 4, vidxd->caps.wq_size, 0, 0);
	bar0_reg(vidxd, wqcfg + VIDXD_WQCFG_MODE_PRIO, 4, VIDXD_WQCFG_MODE_DEDICATED |
		 FIELD_PREP(VIDXD_WQCFG_PRIORITY, vidxd->caps.wq_priority), 0, 0);
	bar0_reg(vidxd, wqcfg + VIDXD_WQCFG_XFER_BATCH, 4,
		 FIELD_PREP(VIDXD_WQCFG_MAX_XFER_SHIFT,
			    FIELD_GET(VIDXD_GENCAP_MAX_XFER_SHIFT, gencap)) |
		 FIELD_PREP(VIDXD_WQCFG_MAX_BATCH_SHIFT,
			    FIELD_GET(VIDXD_GENCAP_MAX_BATCH_SHIFT, gencap)), 0, 0);
}

static void bar0_clear(struct vidxd *vidxd, unsigned int off, unsigned int len)
{
	memset(vidxd->bar0 + off, 0, len);
	memset(vidxd->bar0_wmask + off, 0, len);
	memset(vidxd->bar0_w1c + off, 0, len);
}

/**
 * vidxd_bar0_regs_init - The DSA registers and tables as after a reset
 * @vidxd:	The device.
 *
 * What RESET_DEVICE resets: everything in BAR0 but the MSI-X structures.
 * The configuration is fixed by the host (GENCAP.config_en is 0): the
 * guest reads its group and WQ tables, it cannot change them.
 *
 * Context: @vidxd->lock held (or the device not yet visible).
 */
void vidxd_bar0_regs_init(struct vidxd *vidxd)
{
	const struct vidxd_caps *caps = &vidxd->caps;
	unsigned int i;
	u64 cmdcap = 0;

	spin_lock_irq(&vidxd->irq_lock);
	bar0_clear(vidxd, 0, VIDXD_MSIX_PERM);
	bar0_clear(vidxd, VIDXD_GRPCFG, VIDXD_MSIX_TABLE - VIDXD_GRPCFG);

	bar0_reg(vidxd, VIDXD_VERSION, 4, caps->version, 0, 0);
	bar0_reg(vidxd, VIDXD_GENCAP, 8,
		 (caps->gencap & VIDXD_GENCAP_KEEP) | VIDXD_GENCAP_CMD_CAP, 0, 0);
	bar0_reg(vidxd, VIDXD_WQCAP, 8,
		 FIELD_PREP(VIDXD_WQCAP_TOTAL_WQ_SIZE, caps->wq_size) |
		 FIELD_PREP(VIDXD_WQCAP_NUM_WQS, VIDXD_NR_WQS) |
		 VIDXD_WQCAP_DEDICATED_MODE, 0, 0);
	bar0_reg(vidxd, VIDXD_GRPCAP, 8, FIELD_PREP(VIDXD_GRPCAP_NUM_GROUPS, 1), 0, 0);
	bar0_reg(vidxd, VIDXD_ENGCAP, 8,
		 FIELD_PREP(VIDXD_ENGCAP_NUM_ENGINES, caps->num_engines), 0, 0);
	for (i = 0; i < VIDXD_OPCAP_WORDS; i++)
		bar0_reg(vidxd, VIDXD_OPCAP + 8 * i, 8, caps->opcap[i], 0, 0);
	bar0_reg(vidxd, VIDXD_TABLE, 8,
		 FIELD_PREP(VIDXD_TABLE_GRPCFG, VIDXD_GRPCFG / VIDXD_TABLE_UNIT) |
		 FIELD_PREP(VIDXD_TABLE_WQCFG, VIDXD_WQCFG / VIDXD_TABLE_UNIT) |
		 FIELD_PREP(VIDXD_TABLE_MSIX_PERM, VIDXD_MSIX_PERM / VIDXD_TABLE_UNIT),
		 0, 0);
	bar0_reg(vidxd, VIDXD_GENCFG, 4, 0, VIDXD_GENCFG_USER_INT_EN, 0);
	bar0_reg(vidxd, VIDXD_GENCTRL, 4, 0,
		 VIDXD_GENCTRL_SOFTERR_INT_EN | VIDXD_GENCTRL_HALT_INT_EN, 0);
	bar0_reg(vidxd, VIDXD_INTCAUSE, 4, 0, 0, VIDXD_INTCAUSE_W1C);
	for (i = VIDXD_CMD_ENABLE_DEVICE; i <= VIDXD_CMD_MAX; i++)
		cmdcap |= BIT_ULL(i);
	bar0_reg(vidxd, VIDXD_CMDCAP, 8, cmdcap, 0, 0);
	bar0_reg(vidxd, VIDXD_SWERR, 8, 0, 0, VIDXD_SWERR_VALID | VIDXD_SWERR_OVERFLOW);

	bar0_reg(vidxd, VIDXD_GRPCFG + VIDXD_GRPCFG_WQS, 8, BIT(0), 0, 0);
	bar0_reg(vidxd, VIDXD_GRPCFG + VIDXD_GRPCFG_ENGINES, 8,
		 GENMASK_ULL(caps->num_engines - 1, 0), 0, 0);
	vidxd_wqcfg_init(vidxd);
	spin_unlock_irq(&vidxd->irq_lock);
}

/**
 * vidxd_bar0_init - BAR0 as after a function level reset
 * @vidxd:	The device.
 *
 * The registers, and the MSI-X permission table, table (all vectors
 * masked) and PBA.
 *
 * Context: @vidxd->lock held (or the device not yet visible).
 */
void vidxd_bar0_init(struct vidxd *vidxd)
{
	unsigned int i, entry;

	vidxd_bar0_regs_init(vidxd);
	spin_lock_irq(&vidxd->irq_lock);
	bar0_clear(vidxd, VIDXD_MSIX_PERM, VIDXD_GRPCFG - VIDXD_MSIX_PERM);
	bar0_clear(vidxd, VIDXD_MSIX_TABLE, VIDXD_BAR0_SIZE - VIDXD_MSIX_TABLE);
	for (i = 0; i < VIDXD_NR_VECTORS; i++) {
		entry = VIDXD_MSIX_TABLE + PCI_MSIX_ENTRY_SIZE * i;
		bar0_reg(vidxd, VIDXD_MSIX_PERM + 8 * i, 4, 0, VIDXD_MSIX_PERM_WMASK, 0);
		/* Address and data are the guest's; only the mask bit moves. */
		bar0_reg(vidxd, entry, 8, 0, ~0ULL, 0);
		bar0_reg(vidxd, entry + 8, 4, 0, ~0U, 0);
		bar0_reg(vidxd, entry + PCI_MSIX_ENTRY_VECTOR_CTRL, 4,
			 PCI_MSIX_ENTRY_CTRL_MASKBIT, PCI_MSIX_ENTRY_CTRL_MASKBIT, 0);
	}
	spin_unlock_irq(&vidxd->irq_lock);
}

/**
 * vidxd_mmio_read - A guest read of BAR0
 * @vidxd:	The device.
 * @off:	Offset.
 * @size:	1, 2, 4 or 8, naturally aligned.
 * @val:	The value read.
 *
 * Reads have no side effects.
 *
 * Context: Process context.
 * Return: 0, or -EINVAL for an access of a bad size, alignment or offset.
 */
int vidxd_mmio_read(struct vidxd *vidxd, unsigned int off, unsigned int size,
		    u64 *val)
{
	int ret = vidxd_check_access(off, size, VIDXD_BAR0_SIZE, 8);

	if (ret)
		return ret;
	*val = vidxd_read_regs(vidxd, vidxd->bar0, off, size);
	return 0;
}

/**
 * vidxd_mmio_write - A guest write of BAR0
 * @vidxd:	The device.
 * @off:	Offset.
 * @size:	1, 2, 4 or 8, naturally aligned.
 * @val:	The value written.
 *
 * A 32-bit write of CMD runs the command; a CMD write of another size is
 * ignored. GENCFG only changes while the device is disabled. INTCAUSE and
 * the SWERR status bits clear when written with 1. Unmasking an MSI-X
 * vector with its pending bit set delivers it.
 *
 * Context: Process context, may sleep (in the host ops of a command).
 * Return: 0, or -EINVAL for an access of a bad size, alignment or offset.
 */
int vidxd_mmio_write(struct vidxd *vidxd, unsigned int off, unsigned int size,
		     u64 val)
{
	int ret = vidxd_check_access(off, size, VIDXD_BAR0_SIZE, 8);
	u32 gencfg, state;

	if (ret)
		return ret;
	mutex_lock(&vidxd->lock);
	if (off == VIDXD_CMD && size == 4) {
		vidxd_do_command(vidxd, val);
		goto out_unlock;
	}

	gencfg = vidxd_load(vidxd->bar0, VIDXD_GENCFG, 4);
	spin_lock_irq(&vidxd->irq_lock);
	vidxd_merge(vidxd->bar0, vidxd->bar0_wmask, vidxd->bar0_w1c, off, size,
		    val);
	spin_unlock_irq(&vidxd->irq_lock);

	state = FIELD_GET(VIDXD_GENSTS_STATE, vidxd_load(vidxd->bar0, VIDXD_GENSTS, 4));
	if (state != VIDXD_GENSTS_DISABLED)
		vidxd_store(vidxd->bar0, VIDXD_GENCFG, 4, gencfg);
	if (off < VIDXD_MSIX_TABLE + PCI_MSIX_ENTRY_SIZE * VIDXD_NR_VECTORS &&
	    off + size > VIDXD_MSIX_TABLE)
		vidxd_msix_deliver_pending(vidxd);
out_unlock:
	mutex_unlock(&vidxd->lock);
	return 0;
}

static bool vidxd_msix_deliverable(struct vidxd *vidxd, unsigned int vector)
{
	u16 ctl = vidxd_load(vidxd->cfg, VIDXD_CAP_MSIX + PCI_MSIX_FLAGS, 2);
	u32 ctrl = vidxd_load(vidxd->bar0, VIDXD_MSIX_TABLE +
			     PCI_MSIX_ENTRY_SIZE * vector + PCI_MSIX_ENTRY_VECTOR_CTRL, 4);

	lockdep_assert_held(&vidxd->irq_lock);

	return !(ctl & PCI_MSIX_FLAGS_MASKALL) &&
	       !(ctrl & PCI_MSIX_ENTRY_CTRL_MASKBIT) && vidxd_bus_master(vidxd);
}

static bool vidxd_msix_enabled(struct vidxd *vidxd)
{
	lockdep_assert_held(&vidxd->irq_lock);

	return vidxd_load(vidxd->cfg, VIDXD_CAP_MSIX + PCI_MSIX_FLAGS, 2) &
	       PCI_MSIX_FLAGS_ENABLE;
}

static void vidxd_raise_locked(struct vidxd *vidxd, unsigned int vector)
{
	u8 pba = vidxd->bar0[VIDXD_MSIX_PBA];

	lockdep_assert_held(&vidxd->irq_lock);

	if (!vidxd_msix_enabled(vidxd))
		return;
	if (vidxd_msix_deliverable(vidxd, vector))
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
 * Context: Any, including hard interrupt context.
 */
void vidxd_raise(struct vidxd *vidxd, unsigned int vector)
{
	unsigned long flags;

	if (WARN_ON_ONCE(vector >= VIDXD_NR_VECTORS))
		return;
	spin_lock_irqsave(&vidxd->irq_lock, flags);
	vidxd_raise_locked(vidxd, vector);
	spin_unlock_irqrestore(&vidxd->irq_lock, flags);
}

/**
 * vidxd_msix_deliver_pending - Send pending vectors that may now go
 * @vidxd:	The device.
 *
 * Context: @vidxd->lock held.
 */
void vidxd_msix_deliver_pending(struct vidxd *vidxd)
{
	unsigned int vector;

	lockdep_assert_held(&vidxd->lock);

	spin_lock_irq(&vidxd->irq_lock);
	for (vector = 0; vector < VIDXD_NR_VECTORS; vector++) {
		if (!(vidxd->bar0[VIDXD_MSIX_PBA] & BIT(vector)) ||
		    !vidxd_msix_enabled(vidxd) ||
		    !vidxd_msix_deliverable(vidxd, vector))
			continue;
		vidxd->bar0[VIDXD_MSIX_PBA] &= ~BIT(vector);
		vidxd->ops->signal(vidxd->host, vector);
	}
	spin_unlock_irq(&vidxd->irq_lock);
}

/**
 * vidxd_cause - Record an interrupt cause and send vector 0 if wanted
 * @vidxd:	The device.
 * @cause:	INTCAUSE bits.
 * @send:	Whether the cause's interrupt is enabled.
 *
 * Context: @vidxd->lock held.
 */
static void vidxd_cause(struct vidxd *vidxd, u32 cause, bool send)
{
	lockdep_assert_held(&vidxd->lock);

	spin_lock_irq(&vidxd->irq_lock);
	vidxd_store(vidxd->bar0, VIDXD_INTCAUSE, 4,
		  vidxd_load(vidxd->bar0, VIDXD_INTCAUSE, 4) | cause);
	if (send)
		vidxd_raise_locked(vidxd, 0);
	spin_unlock_irq(&vidxd->irq_lock);
}

/**
 * vidxd_signal_cause - Record @cause and send vector 0
 * @vidxd:	The device.
 * @cause:	INTCAUSE bits.
 *
 * Context: @vidxd->lock held.
 */
void vidxd_signal_cause(struct vidxd *vidxd, u32 cause)
{
	vidxd_cause(vidxd, cause, true);
}

static void vidxd_set_swerr(struct vidxd *vidxd,
			    const u64 swerr[VIDXD_SWERR_WORDS])
{
	u64 first = vidxd_load(vidxd->bar0, VIDXD_SWERR, 8);
	unsigned int i;

	lockdep_assert_held(&vidxd->lock);

	/* One error is kept; a second one before the guest clears it is lost. */
	if (first & VIDXD_SWERR_VALID) {
		vidxd_store(vidxd->bar0, VIDXD_SWERR, 8, first | VIDXD_SWERR_OVERFLOW);
		return;
	}
	for (i = 0; i < VIDXD_SWERR_WORDS; i++)
		vidxd_store(vidxd->bar0, VIDXD_SWERR + 8 * i, 8, swerr[i]);
	vidxd_store(vidxd->bar0, VIDXD_SWERR, 8, swerr[0] | VIDXD_SWERR_VALID);
}

/**
 * vidxd_software_error - Report a software error of the device's own
 * @vidxd:	The device.
 * @error:	The SWERR error code.
 * @halt:	Whether it halts the device (INTCAUSE.HALT instead of ERR).
 *
 * Context: @vidxd->lock held.
 */
void vidxd_software_error(struct vidxd *vidxd, u8 error, bool halt)
{
	u64 swerr[VIDXD_SWERR_WORDS] = { FIELD_PREP(VIDXD_SWERR_ERROR, error) };
	u32 genctrl = vidxd_load(vidxd->bar0, VIDXD_GENCTRL, 4);

	vidxd_set_swerr(vidxd, swerr);
	if (halt)
		vidxd_cause(vidxd, VIDXD_INTCAUSE_HALT, genctrl & VIDXD_GENCTRL_HALT_INT_EN);
	else
		vidxd_cause(vidxd, VIDXD_INTCAUSE_ERR, genctrl & VIDXD_GENCTRL_SOFTERR_INT_EN);
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
 * Context: Process context.
 */
void vidxd_report_error(struct vidxd *vidxd,
			const u64 swerr[VIDXD_SWERR_WORDS])
{
	u32 genctrl;

	mutex_lock(&vidxd->lock);
	genctrl = vidxd_load(vidxd->bar0, VIDXD_GENCTRL, 4);
	vidxd_set_swerr(vidxd, swerr);
	vidxd_cause(vidxd, VIDXD_INTCAUSE_ERR, genctrl & VIDXD_GENCTRL_SOFTERR_INT_EN);
	mutex_unlock(&vidxd->lock);
}
