// SPDX-License-Identifier: GPL-2.0
/*
 * The life cycle of the virtual device: what it is made from and what it
 * is after a reset, stopping the real WQ (quiesce), halting, the device
 * reset (RESET_DEVICE), the function level reset (FLR, VFIO reset and
 * close). Calls into vidxd_irq.c only.
 */
#include <linux/pci_ids.h>

#include "vidxd_priv.h"

/* Command bits a guest may set: memory space, bus master, error bits. */
#define VIDXD_COMMAND_WMASK	(PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | \
				 PCI_COMMAND_PARITY | PCI_COMMAND_SERR | \
				 PCI_COMMAND_INTX_DISABLE)
#define VIDXD_STATUS_W1C	(PCI_STATUS_PARITY | \
				 PCI_STATUS_SIG_TARGET_ABORT | \
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

/* Config space as after an FLR. */
static void vidxd_cfg_init_locked(struct vidxd *vidxd)
{
	const unsigned int msix = VIDXD_CAP_MSIX, pcie = VIDXD_CAP_PCIE;

	lockdep_assert_held(&vidxd->lock);

	/* Interrupt delivery reads the MSI-X control and command words. */
	spin_lock_irq(&vidxd->irq_lock);
	memset(vidxd->cfg, 0, sizeof(vidxd->cfg));
	memset(vidxd->cfg_wmask, 0, sizeof(vidxd->cfg_wmask));
	memset(vidxd->cfg_w1c, 0, sizeof(vidxd->cfg_w1c));

	cfg_reg(vidxd, PCI_VENDOR_ID, 2, PCI_VENDOR_ID_INTEL, 0, 0);
	cfg_reg(vidxd, PCI_DEVICE_ID, 2, vidxd->caps.device_id, 0, 0);
	cfg_reg(vidxd, PCI_COMMAND, 2, 0, VIDXD_COMMAND_WMASK, 0);
	cfg_reg(vidxd, PCI_STATUS, 2, PCI_STATUS_CAP_LIST, 0, VIDXD_STATUS_W1C);
	/* System peripheral, other: the class DSA and IAX report. */
	cfg_reg(vidxd, PCI_CLASS_REVISION, 4, PCI_CLASS_SYSTEM_OTHER << 16,
		0, 0);
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

/* GENCAP bits a single dedicated WQ without PASID support can honour. */
#define VIDXD_GENCAP_KEEP	(DSA_GENCAP_OVERLAP_COPY | \
				 DSA_GENCAP_CACHE_CTRL_MEM | \
				 DSA_GENCAP_CACHE_CTRL_CACHE | \
				 DSA_GENCAP_DEST_READBACK | \
				 DSA_GENCAP_DRAIN_READBACK | \
				 DSA_GENCAP_MAX_XFER_SHIFT | \
				 DSA_GENCAP_MAX_BATCH_SHIFT)

static void bar0_reg(struct vidxd *vidxd, unsigned int off, unsigned int size,
		     u64 val, u64 wmask, u64 w1c)
{
	vidxd_store(vidxd->bar0, off, size, val);
	vidxd_store(vidxd->bar0_wmask, off, size, wmask);
	vidxd_store(vidxd->bar0_w1c, off, size, w1c);
}

static void vidxd_wqcfg_init_locked(struct vidxd *vidxd)
{
	const unsigned int wqcfg = VIDXD_WQCFG;
	u64 gencap = vidxd->caps.gencap;

	lockdep_assert_held(&vidxd->lock);

	bar0_reg(vidxd, wqcfg + DSA_WQCFG_SIZE, 4, vidxd->caps.wq_size, 0, 0);
	bar0_reg(vidxd, wqcfg + DSA_WQCFG_MODE_PRIO, 4,
		 DSA_WQCFG_MODE_DEDICATED |
		 FIELD_PREP(DSA_WQCFG_PRIORITY, vidxd->caps.wq_priority),
		 0, 0);
	bar0_reg(vidxd, wqcfg + DSA_WQCFG_XFER_BATCH, 4,
		 FIELD_PREP(DSA_WQCFG_MAX_XFER_SHIFT,
			    FIELD_GET(DSA_GENCAP_MAX_XFER_SHIFT, gencap)) |
		 FIELD_PREP(DSA_WQCFG_MAX_BATCH_SHIFT,
			    FIELD_GET(DSA_GENCAP_MAX_BATCH_SHIFT, gencap)),
		 0, 0);
}

static void bar0_clear(struct vidxd *vidxd, unsigned int off, unsigned int len)
{
	memset(vidxd->bar0 + off, 0, len);
	memset(vidxd->bar0_wmask + off, 0, len);
	memset(vidxd->bar0_w1c + off, 0, len);
}

/*
 * The DSA registers and tables as after RESET_DEVICE: everything in BAR0
 * but the MSI-X structures. The configuration is fixed by the host
 * (GENCAP.config_en is 0): the guest reads its group and WQ tables, it
 * cannot change them.
 */
static void vidxd_bar0_regs_init_locked(struct vidxd *vidxd)
{
	const struct vidxd_caps *caps = &vidxd->caps;
	const unsigned int unit = DSA_TABLE_UNIT;
	unsigned int i;
	u64 cmdcap = 0;

	lockdep_assert_held(&vidxd->lock);

	spin_lock_irq(&vidxd->irq_lock);
	bar0_clear(vidxd, 0, VIDXD_MSIX_PERM);
	bar0_clear(vidxd, VIDXD_GRPCFG, VIDXD_MSIX_TABLE - VIDXD_GRPCFG);

	bar0_reg(vidxd, DSA_VERSION, 4, caps->version, 0, 0);
	bar0_reg(vidxd, DSA_GENCAP, 8,
		 (caps->gencap & VIDXD_GENCAP_KEEP) | DSA_GENCAP_CMD_CAP,
		 0, 0);
	bar0_reg(vidxd, DSA_WQCAP, 8,
		 FIELD_PREP(DSA_WQCAP_TOTAL_WQ_SIZE, caps->wq_size) |
		 FIELD_PREP(DSA_WQCAP_NUM_WQS, VIDXD_NR_WQS) |
		 DSA_WQCAP_DEDICATED_MODE, 0, 0);
	bar0_reg(vidxd, DSA_GRPCAP, 8, FIELD_PREP(DSA_GRPCAP_NUM_GROUPS, 1),
		 0, 0);
	bar0_reg(vidxd, DSA_ENGCAP, 8,
		 FIELD_PREP(DSA_ENGCAP_NUM_ENGINES, caps->num_engines), 0, 0);
	for (i = 0; i < DSA_OPCAP_WORDS; i++)
		bar0_reg(vidxd, DSA_OPCAP + 8 * i, 8, caps->opcap[i], 0, 0);
	bar0_reg(vidxd, DSA_TABLE, 8,
		 FIELD_PREP(DSA_TABLE_GRPCFG, VIDXD_GRPCFG / unit) |
		 FIELD_PREP(DSA_TABLE_WQCFG, VIDXD_WQCFG / unit) |
		 FIELD_PREP(DSA_TABLE_MSIX_PERM, VIDXD_MSIX_PERM / unit),
		 0, 0);
	bar0_reg(vidxd, DSA_GENCFG, 4, 0, DSA_GENCFG_USER_INT_EN, 0);
	bar0_reg(vidxd, DSA_GENCTRL, 4, 0,
		 DSA_GENCTRL_SOFTERR_INT_EN | DSA_GENCTRL_HALT_INT_EN, 0);
	bar0_reg(vidxd, DSA_INTCAUSE, 4, 0, 0, DSA_INTCAUSE_W1C);
	for (i = DSA_CMD_ENABLE_DEVICE; i <= DSA_CMD_MAX; i++)
		cmdcap |= BIT_ULL(i);
	bar0_reg(vidxd, DSA_CMDCAP, 8, cmdcap, 0, 0);
	bar0_reg(vidxd, DSA_SWERR, 8, 0, 0,
		 DSA_SWERR_VALID | DSA_SWERR_OVERFLOW);

	bar0_reg(vidxd, VIDXD_GRPCFG + DSA_GRPCFG_WQS, 8, BIT(0), 0, 0);
	bar0_reg(vidxd, VIDXD_GRPCFG + DSA_GRPCFG_ENGINES, 8,
		 GENMASK_ULL(caps->num_engines - 1, 0), 0, 0);
	vidxd_wqcfg_init_locked(vidxd);
	spin_unlock_irq(&vidxd->irq_lock);
}

/*
 * BAR0 as after an FLR: the registers, and the MSI-X permission table,
 * table (all vectors masked) and PBA.
 */
static void vidxd_bar0_init_locked(struct vidxd *vidxd)
{
	unsigned int i, entry;

	vidxd_bar0_regs_init_locked(vidxd);
	spin_lock_irq(&vidxd->irq_lock);
	bar0_clear(vidxd, VIDXD_MSIX_PERM, VIDXD_GRPCFG - VIDXD_MSIX_PERM);
	bar0_clear(vidxd, VIDXD_MSIX_TABLE, VIDXD_BAR0_SIZE - VIDXD_MSIX_TABLE);
	for (i = 0; i < VIDXD_NR_VECTORS; i++) {
		entry = VIDXD_MSIX_TABLE + PCI_MSIX_ENTRY_SIZE * i;
		bar0_reg(vidxd, VIDXD_MSIX_PERM + 8 * i, 4, 0,
			 VIDXD_MSIX_PERM_WMASK, 0);
		/* Address and data are the guest's; only the mask bit moves. */
		bar0_reg(vidxd, entry, 8, 0, ~0ULL, 0);
		bar0_reg(vidxd, entry + 8, 4, 0, ~0U, 0);
		bar0_reg(vidxd, entry + PCI_MSIX_ENTRY_VECTOR_CTRL, 4,
			 PCI_MSIX_ENTRY_CTRL_MASKBIT,
			 PCI_MSIX_ENTRY_CTRL_MASKBIT, 0);
	}
	spin_unlock_irq(&vidxd->irq_lock);
}

static void vidxd_release_handles_locked(struct vidxd *vidxd)
{
	unsigned int vector;

	lockdep_assert_held(&vidxd->lock);

	for_each_set_bit(vector, &vidxd->handles, VIDXD_NR_VECTORS)
		vidxd->ops->int_handle_release(vidxd->host, vector);
	vidxd->handles = 0;
}

/*
 * Stop the real WQ and give back the interrupt handles. A WQ the host
 * failed to reset may still run: it stays enabled, as on the host.
 * Returns 0 or the error of the host's wq_reset.
 */
static int vidxd_quiesce_locked(struct vidxd *vidxd)
{
	int ret = 0;

	lockdep_assert_held(&vidxd->lock);

	if (vidxd_wq_enabled_locked(vidxd)) {
		ret = vidxd->ops->wq_reset(vidxd->host);
		if (!ret)
			vidxd_set_wq_state_locked(vidxd,
						  DSA_WQ_STATE_DISABLED);
	}
	vidxd_release_handles_locked(vidxd);
	return ret;
}

/**
 * vidxd_host_failed_locked - The host could not stop the real WQ
 * @vidxd:	The device.
 *
 * The WQ may still run on the host, so the model says so: WQCFG keeps it
 * enabled, and the device halts (GENSTS HALT, FLR needed, SWERR
 * %VIDXD_SWERR_HOST_WQ, INTCAUSE.HALT) so that the guest stops using it.
 * The host knows from the error its op returned and must escalate.
 *
 * Context: @vidxd->lock held.
 */
void vidxd_host_failed_locked(struct vidxd *vidxd)
{
	lockdep_assert_held(&vidxd->lock);

	vidxd_set_wq_state_locked(vidxd, DSA_WQ_STATE_ENABLED);
	vidxd_set_state_locked(vidxd, DSA_GENSTS_HALT,
			       DSA_GENSTS_RESET_FLR);
	vidxd_software_error_locked(vidxd, VIDXD_SWERR_HOST_WQ, true);
}

/**
 * vidxd_halt_locked - Halt the device after a fatal error
 * @vidxd:	The device.
 * @error:	The software error code to report.
 *
 * The WQ stops, GENSTS says HALT and that an FLR is needed, SWERR holds
 * @error, and vector 0 goes out if the guest enabled halt interrupts. If
 * the host fails to stop the WQ, it stays enabled (the device halts all
 * the same).
 *
 * Context: @vidxd->lock held; may sleep (host ops).
 */
void vidxd_halt_locked(struct vidxd *vidxd, u8 error)
{
	lockdep_assert_held(&vidxd->lock);

	/* Halting anyway: a WQ the host fails to stop just stays enabled. */
	vidxd_quiesce_locked(vidxd);
	vidxd_set_state_locked(vidxd, DSA_GENSTS_HALT,
			       DSA_GENSTS_RESET_FLR);
	vidxd_software_error_locked(vidxd, error, true);
}

/**
 * vidxd_device_reset_locked - RESET_DEVICE
 * @vidxd:	The device.
 *
 * From any state, HALT included: the WQ stops, the handles are released
 * and BAR0 returns to its initial values but for the MSI-X structures.
 * If the host fails to stop the WQ, the device then halts with the WQ
 * enabled (vidxd_host_failed_locked()).
 *
 * Context: @vidxd->lock held; may sleep (host ops).
 * Return: 0 or the error of the host's wq_reset.
 */
int vidxd_device_reset_locked(struct vidxd *vidxd)
{
	int ret;

	lockdep_assert_held(&vidxd->lock);

	ret = vidxd_quiesce_locked(vidxd);
	vidxd_bar0_regs_init_locked(vidxd);
	if (ret)
		vidxd_host_failed_locked(vidxd);
	return ret;
}

/**
 * vidxd_function_reset_locked - FLR: back to the state after vidxd_init()
 * @vidxd:	The device.
 *
 * If the host fails to stop the WQ, the device then halts with the WQ
 * enabled (vidxd_host_failed_locked()).
 *
 * Context: @vidxd->lock held; may sleep (host ops).
 * Return: 0 or the error of the host's wq_reset.
 */
int vidxd_function_reset_locked(struct vidxd *vidxd)
{
	int ret;

	lockdep_assert_held(&vidxd->lock);

	ret = vidxd_quiesce_locked(vidxd);
	vidxd_cfg_init_locked(vidxd);
	vidxd_bar0_init_locked(vidxd);
	if (ret)
		vidxd_host_failed_locked(vidxd);
	return ret;
}

/**
 * vidxd_init - Make a virtual device
 * @vidxd:	Storage for it.
 * @caps:	What to make it from.
 * @ops:	The host side; every callback is required.
 * @host:	Passed to @ops.
 *
 * Context: Process context.
 * Return: 0, or -EINVAL if @caps or @ops cannot make a device.
 */
int vidxd_init(struct vidxd *vidxd, const struct vidxd_caps *caps,
	       const struct vidxd_host_ops *ops, void *host)
{
	if (!caps->wq_size || !caps->num_engines || caps->num_engines > 64 ||
	    !ops->wq_enable || !ops->wq_disable || !ops->wq_drain ||
	    !ops->wq_abort || !ops->wq_reset || !ops->int_handle_request ||
	    !ops->int_handle_release || !ops->signal)
		return -EINVAL;

	memset(vidxd, 0, sizeof(*vidxd));
	vidxd->caps = *caps;
	vidxd->ops = ops;
	vidxd->host = host;
	mutex_init(&vidxd->lock);
	spin_lock_init(&vidxd->irq_lock);
	/* No one sees the device yet; the lock is for the lockdep checks. */
	mutex_lock(&vidxd->lock);
	vidxd_cfg_init_locked(vidxd);
	vidxd_bar0_init_locked(vidxd);
	mutex_unlock(&vidxd->lock);
	return 0;
}

/**
 * vidxd_reset - Reset the whole function (VFIO_DEVICE_RESET, close)
 * @vidxd:	The device.
 *
 * As an FLR: the real WQ is stopped, handles are released, config space
 * and BAR0 return to their initial values. If the host fails to stop the
 * WQ, the device comes back halted with the WQ enabled.
 *
 * Context: Process context, not from a host op; may sleep.
 * Return: 0, or the error of the host's wq_reset: the WQ may still run,
 * and the caller must escalate (stop it by other means) before it gives
 * up the guest's DMA mappings.
 */
int vidxd_reset(struct vidxd *vidxd)
{
	int ret;

	mutex_lock(&vidxd->lock);
	ret = vidxd_function_reset_locked(vidxd);
	mutex_unlock(&vidxd->lock);
	return ret;
}

/**
 * vidxd_halt - The host lost the real WQ: halt the device
 * @vidxd:	The device.
 * @error:	The software error code to report.
 *
 * For a fatal error of the host's device (its halt and reset): as a halt
 * of the device itself, the WQ stops and the handles are released, GENSTS
 * says HALT and that an FLR is needed, SWERR holds @error, and vector 0
 * goes out if the guest enabled halt interrupts.
 *
 * Context: Process context, not from a host op (takes @vidxd->lock).
 */
void vidxd_halt(struct vidxd *vidxd, u8 error)
{
	mutex_lock(&vidxd->lock);
	vidxd_halt_locked(vidxd, error);
	mutex_unlock(&vidxd->lock);
}
