// SPDX-License-Identifier: GPL-2.0
/*
 * Guest accesses to BAR0 of the virtual device: the DSA register file,
 * its group and WQ tables, and the MSI-X table, PBA and permission table
 * (their contents are set up by vidxd_core.c). A CMD write goes to the
 * command engine in vidxd_cmd.c.
 */
#include "vidxd_priv.h"

/**
 * vidxd_mmio_read - A guest read of BAR0
 * @vidxd:	The device.
 * @off:	Offset.
 * @size:	1, 2, 4 or 8, naturally aligned.
 * @val:	The value read.
 *
 * Reads have no side effects.
 *
 * Context: Process context, not from a host op (takes @vidxd->lock).
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
 * A 32-bit write of CMD runs the command, and so does a 64-bit one: it
 * covers CMD and the reserved dword above it. A CMD write of 1 or 2 bytes
 * is ignored. GENCFG only changes while the device is disabled. INTCAUSE and
 * the SWERR status bits clear when written with 1. Unmasking an MSI-X
 * vector with its pending bit set delivers it.
 *
 * Context: Process context, not from a host op (takes @vidxd->lock); may
 * sleep (in the host ops of a command).
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
	/* Writes of a reserved field are ignored: only the low dword counts. */
	if (off == DSA_CMD && size >= 4) {
		vidxd_do_command_locked(vidxd, lower_32_bits(val));
		goto out_unlock;
	}

	gencfg = vidxd_load(vidxd->bar0, DSA_GENCFG, 4);
	spin_lock_irq(&vidxd->irq_lock);
	vidxd_merge(vidxd->bar0, vidxd->bar0_wmask, vidxd->bar0_w1c, off, size,
		    val);
	spin_unlock_irq(&vidxd->irq_lock);

	state = vidxd_state_locked(vidxd);
	if (state != DSA_GENSTS_DISABLED)
		vidxd_store(vidxd->bar0, DSA_GENCFG, 4, gencfg);
	if (off < VIDXD_MSIX_TABLE + PCI_MSIX_ENTRY_SIZE * VIDXD_NR_VECTORS &&
	    off + size > VIDXD_MSIX_TABLE)
		vidxd_msix_deliver_pending_locked(vidxd);
out_unlock:
	mutex_unlock(&vidxd->lock);
	return 0;
}
