// SPDX-License-Identifier: GPL-2.0
/*
 * PCI configuration space of the virtual device: a type 0 header with two
 * 64-bit BARs, an MSI-X capability and a PCI Express capability (root
 * complex integrated endpoint, FLR). Writes follow per-byte masks.
 */
#include <linux/bitfield.h>
#include <linux/pci_ids.h>
#include <linux/pci_regs.h>

#include "vidxd.h"

/* Command bits a guest may set: memory space, bus master, error bits. */
#define VIDXD_CMD_WMASK		(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | \
				 PCI_COMMAND_PARITY | PCI_COMMAND_SERR | \
				 PCI_COMMAND_INTX_DISABLE)
#define VIDXD_STATUS_W1C	(PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT | \
				 PCI_STATUS_REC_TARGET_ABORT | \
				 PCI_STATUS_REC_MASTER_ABORT | \
				 PCI_STATUS_SIG_SYSTEM_ERROR | \
				 PCI_STATUS_DETECTED_PARITY)
#define VIDXD_DEVCTL_WMASK	(PCI_EXP_DEVCTL_CERE | PCI_EXP_DEVCTL_NFERE | \
				 PCI_EXP_DEVCTL_FERE | PCI_EXP_DEVCTL_URRE | \
				 PCI_EXP_DEVCTL_RELAX_EN | \
				 PCI_EXP_DEVCTL_NOSNOOP_EN | \
				 PCI_EXP_DEVCTL_READRQ)
#define VIDXD_DEVSTA_W1C	(PCI_EXP_DEVSTA_CED | PCI_EXP_DEVSTA_NFED | \
				 PCI_EXP_DEVSTA_FED | PCI_EXP_DEVSTA_URD)

static void cfg_reg(struct vidxd *vidxd, unsigned int off, unsigned int size,
		    u32 val, u32 wmask, u32 w1c)
{
	vidxd_store(vidxd->cfg, off, size, val);
	vidxd_store(vidxd->cfg_wmask, off, size, wmask);
	vidxd_store(vidxd->cfg_w1c, off, size, w1c);
}

/* A 64-bit memory BAR of @size bytes: address bits above the size move. */
static void cfg_bar64(struct vidxd *vidxd, unsigned int off, u32 size,
		      u32 flags)
{
	cfg_reg(vidxd, off, 4, flags | PCI_BASE_ADDRESS_MEM_TYPE_64,
		~(size - 1), 0);
	cfg_reg(vidxd, off + 4, 4, 0, ~0U, 0);
}

/**
 * vidxd_cfg_init - Config space as after a reset
 * @vidxd:	The device.
 *
 * Context: Process context, @vidxd->lock held (or the device not yet
 * visible to anyone).
 */
void vidxd_cfg_init(struct vidxd *vidxd)
{
	const unsigned int msix = VIDXD_CAP_MSIX, pcie = VIDXD_CAP_PCIE;

	/* Interrupt delivery reads the MSI-X control and command words. */
	spin_lock_irq(&vidxd->irq_lock);
	memset(vidxd->cfg, 0, sizeof(vidxd->cfg));
	memset(vidxd->cfg_wmask, 0, sizeof(vidxd->cfg_wmask));
	memset(vidxd->cfg_w1c, 0, sizeof(vidxd->cfg_w1c));

	cfg_reg(vidxd, PCI_VENDOR_ID, 2, PCI_VENDOR_ID_INTEL, 0, 0);
	cfg_reg(vidxd, PCI_DEVICE_ID, 2, vidxd->caps.device_id, 0, 0);
	cfg_reg(vidxd, PCI_COMMAND, 2, 0, VIDXD_CMD_WMASK, 0);
	cfg_reg(vidxd, PCI_STATUS, 2, PCI_STATUS_CAP_LIST, 0, VIDXD_STATUS_W1C);
	/* System peripheral, other: the class DSA and IAX report. */
	cfg_reg(vidxd, PCI_CLASS_REVISION, 4, PCI_CLASS_SYSTEM_OTHER << 16, 0, 0);
	cfg_reg(vidxd, PCI_CACHE_LINE_SIZE, 1, 0, 0xff, 0);
	/* Registers: not prefetchable. Portals: prefetchable, as on DSA. */
	cfg_bar64(vidxd, PCI_BASE_ADDRESS_0, VIDXD_BAR0_SIZE, 0);
	cfg_bar64(vidxd, PCI_BASE_ADDRESS_2, VIDXD_BAR2_SIZE,
		  PCI_BASE_ADDRESS_MEM_PREFETCH);
	cfg_reg(vidxd, PCI_SUBSYSTEM_VENDOR_ID, 2, PCI_VENDOR_ID_INTEL, 0, 0);
	cfg_reg(vidxd, PCI_SUBSYSTEM_ID, 2, vidxd->caps.device_id, 0, 0);
	cfg_reg(vidxd, PCI_CAPABILITY_LIST, 1, msix, 0, 0);
	/* No INTx: the pin is 0, the line is a scratch byte for software. */
	cfg_reg(vidxd, PCI_INTERRUPT_LINE, 1, 0xff, 0xff, 0);

	cfg_reg(vidxd, msix + PCI_CAP_LIST_ID, 1, PCI_CAP_ID_MSIX, 0, 0);
	cfg_reg(vidxd, msix + PCI_CAP_LIST_NEXT, 1, pcie, 0, 0);
	cfg_reg(vidxd, msix + PCI_MSIX_FLAGS, 2, VIDXD_NR_VECTORS - 1,
		PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL, 0);
	cfg_reg(vidxd, msix + PCI_MSIX_TABLE, 4, VIDXD_MSIX_TABLE, 0, 0);
	cfg_reg(vidxd, msix + PCI_MSIX_PBA, 4, VIDXD_MSIX_PBA, 0, 0);

	cfg_reg(vidxd, pcie + PCI_CAP_LIST_ID, 1, PCI_CAP_ID_EXP, 0, 0);
	cfg_reg(vidxd, pcie + PCI_CAP_LIST_NEXT, 1, 0, 0, 0);
	cfg_reg(vidxd, pcie + PCI_EXP_FLAGS, 2,
		FIELD_PREP(PCI_EXP_FLAGS_VERS, 2) |
		FIELD_PREP(PCI_EXP_FLAGS_TYPE, PCI_EXP_TYPE_RC_END), 0, 0);
	cfg_reg(vidxd, pcie + PCI_EXP_DEVCAP, 4, PCI_EXP_DEVCAP_FLR, 0, 0);
	cfg_reg(vidxd, pcie + PCI_EXP_DEVCTL, 2, 0, VIDXD_DEVCTL_WMASK, 0);
	cfg_reg(vidxd, pcie + PCI_EXP_DEVSTA, 2, 0, 0, VIDXD_DEVSTA_W1C);
	spin_unlock_irq(&vidxd->irq_lock);
}

static bool vidxd_cfg_touches(unsigned int off, unsigned int size,
			      unsigned int reg, unsigned int reg_size)
{
	return off < reg + reg_size && reg < off + size;
}

/**
 * vidxd_bus_master - Is bus mastering on?
 * @vidxd:	The device.
 *
 * Context: @vidxd->lock or @vidxd->irq_lock held.
 * Return: Whether the guest set the Bus Master Enable bit.
 */
bool vidxd_bus_master(struct vidxd *vidxd)
{
	return vidxd_load(vidxd->cfg, PCI_COMMAND, 2) & PCI_COMMAND_MASTER;
}

/**
 * vidxd_cfg_read - A guest read of config space
 * @vidxd:	The device.
 * @off:	Offset.
 * @size:	1, 2 or 4, naturally aligned.
 * @val:	The value read.
 *
 * Context: Process context.
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
 * Context: Process context, may sleep (in the host ops of a halt or FLR).
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
	was_master = vidxd_bus_master(vidxd);
	spin_lock_irq(&vidxd->irq_lock);
	vidxd_merge(vidxd->cfg, vidxd->cfg_wmask, vidxd->cfg_w1c, off, size,
		    val);
	spin_unlock_irq(&vidxd->irq_lock);

	if (vidxd_cfg_touches(off, size, devctl + 1, 1) &&
	    (val << 8 * (off - devctl)) & PCI_EXP_DEVCTL_BCR_FLR) {
		vidxd_function_reset(vidxd);
		goto out_unlock;
	}

	state = FIELD_GET(VIDXD_GENSTS_STATE, vidxd_load(vidxd->bar0, VIDXD_GENSTS, 4));
	if (was_master && !vidxd_bus_master(vidxd) && state == VIDXD_GENSTS_ENABLED)
		vidxd_halt(vidxd, VIDXD_SWERR_PCI_CFG);

	/* Unmasking, enabling MSI-X or bus mastering may release pending. */
	vidxd_msix_deliver_pending(vidxd);
out_unlock:
	mutex_unlock(&vidxd->lock);
	return 0;
}
