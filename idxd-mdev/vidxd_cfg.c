// SPDX-License-Identifier: GPL-2.0
/*
 * Guest accesses to the PCI configuration space of the virtual device (its
 * contents are set up by vidxd_core.c). Writes follow per-byte masks; the
 * bus master and FLR bits act through vidxd_core.c.
 */
#include "vidxd_priv.h"

static bool vidxd_cfg_touches(unsigned int off, unsigned int size,
			      unsigned int reg, unsigned int reg_size)
{
	return off < reg + reg_size && reg < off + size;
}

/**
 * vidxd_cfg_read - A guest read of config space
 * @vidxd:	The device.
 * @off:	Offset.
 * @size:	1, 2 or 4, naturally aligned.
 * @val:	The value read.
 *
 * Context: Process context, not from a host op (takes @vidxd->lock).
 * Return: 0, or -EINVAL for an access of a bad size, alignment or offset.
 */
int vidxd_cfg_read(struct vidxd *vidxd, unsigned int off, unsigned int size,
		   u32 *val)
{
	int ret = vidxd_check_access(off, size, VIDXD_CFG_SIZE, 4);

	if (ret)
		return ret;
	*val = vidxd_read_regs(vidxd, vidxd->cfg, off, size);
	return 0;
}

/**
 * vidxd_cfg_write - A guest write of config space
 * @vidxd:	The device.
 * @off:	Offset.
 * @size:	1, 2 or 4, naturally aligned.
 * @val:	The value written.
 *
 * Bits outside the writable masks keep their value; status bits clear
 * when written with 1. Turning bus mastering off under an enabled device
 * halts it, as the hardware does. Setting the FLR bit resets the device.
 *
 * Context: Process context, not from a host op (takes @vidxd->lock); may
 * sleep (in the host ops of a halt or FLR).
 * Return: 0, or -EINVAL for an access of a bad size, alignment or offset.
 */
int vidxd_cfg_write(struct vidxd *vidxd, unsigned int off, unsigned int size,
		    u32 val)
{
	const unsigned int devctl = VIDXD_CAP_PCIE + PCI_EXP_DEVCTL;
	int ret = vidxd_check_access(off, size, VIDXD_CFG_SIZE, 4);
	bool was_master;
	u32 state;

	if (ret)
		return ret;
	mutex_lock(&vidxd->lock);
	was_master = vidxd_bus_master_locked(vidxd);
	spin_lock_irq(&vidxd->irq_lock);
	vidxd_merge(vidxd->cfg, vidxd->cfg_wmask, vidxd->cfg_w1c, off, size,
		    val);
	spin_unlock_irq(&vidxd->irq_lock);

	if (vidxd_cfg_touches(off, size, devctl + 1, 1) &&
	    (val << 8 * (off - devctl)) & PCI_EXP_DEVCTL_BCR_FLR) {
		/* A host failure leaves it halted, and the host knows. */
		vidxd_function_reset_locked(vidxd);
		goto out_unlock;
	}

	state = vidxd_state_locked(vidxd);
	if (was_master && !vidxd_bus_master_locked(vidxd) &&
	    state == DSA_GENSTS_ENABLED)
		vidxd_halt_locked(vidxd, VIDXD_SWERR_PCI_CFG);

	/* Unmasking, enabling MSI-X or bus mastering may release pending. */
	vidxd_msix_deliver_pending_locked(vidxd);
out_unlock:
	mutex_unlock(&vidxd->lock);
	return 0;
}
