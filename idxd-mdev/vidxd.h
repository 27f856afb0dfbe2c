/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The virtual DSA/IAX device (vidxd): the PCI function a guest sees, one
 * dedicated WQ, as a self-contained model. The VFIO layer feeds it the
 * guest's config space and BAR0 accesses; the model calls the host side
 * through &struct vidxd_host_ops for everything that touches the real WQ.
 * This is the model's public API; its internals are in vidxd_priv.h.
 */
#ifndef _VIDXD_H
#define _VIDXD_H

#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "vidxd_regs.h"

/**
 * struct vidxd_caps - What the virtual device is made from
 *
 * DSA or IAX is a matter of these: the parent's device ID, operations
 * and limits (IAX, for one, has no batch descriptors: max_batch_shift 0).
 *
 * @device_id:	PCI device ID of the parent function.
 * @version:	The parent's VERSION register.
 * @gencap:	The parent's GENCAP register.
 * @opcap:	The parent's OPCAP register.
 * @wq_size:	Size of the dedicated WQ given to this device (entries).
 * @wq_priority: Its priority.
 * @num_engines: Engines in its group.
 */
struct vidxd_caps {
	u16 device_id;
	u32 version;
	u64 gencap;
	u64 opcap[DSA_OPCAP_WORDS];
	u16 wq_size;
	u8 wq_priority;
	u8 num_engines;
};

/**
 * struct vidxd_wq_config - The guest's view of its WQ, for the host
 * @size:	Entries.
 * @priority:	Priority.
 * @pasid_en:	Whether descriptors carry a guest PASID.
 * @pasid:	That PASID.
 * @max_xfer_shift: Log2 of the maximum transfer size.
 * @max_batch_shift: Log2 of the maximum batch size.
 */
struct vidxd_wq_config {
	u16 size;
	u8 priority;
	bool pasid_en;
	u32 pasid;
	u8 max_xfer_shift;
	u8 max_batch_shift;
};

/**
 * struct vidxd_host_ops - What the model asks of the host side
 *
 * All are required. The WQ operations and handle requests run in process
 * context with the model's @lock held (never @irq_lock) and may sleep.
 * They return 0 or a negative errno; see Documentation/vidxd-model.rst
 * for what the model makes of a failure. Holding @lock, they must not
 * call back into the model but for vidxd_raise(), which takes @irq_lock
 * only: every other entry point takes @lock and would deadlock.
 *
 * @signal is called with the model's @irq_lock held and interrupts off:
 * it must not sleep and must not call into the model at all.
 *
 * @wq_enable:	Enable the real WQ for the guest, configured as @cfg.
 * @wq_disable:	Disable it, letting submitted work finish. On failure
 *		the WQ may still be enabled.
 * @wq_drain:	Wait for submitted work to finish.
 * @wq_abort:	Abort submitted work.
 * @wq_reset:	Abort submitted work and disable the WQ. On failure the
 *		WQ may still be enabled.
 * @int_handle_request: Back guest vector @vector (1 and up) with a host
 *		interrupt handle (an IMS slot) and return it in @handle.
 * @int_handle_release: Release the handle of @vector.
 * @signal:	Deliver guest MSI-X vector @vector (eventfd).
 */
struct vidxd_host_ops {
	int (*wq_enable)(void *host, const struct vidxd_wq_config *cfg);
	int (*wq_disable)(void *host);
	int (*wq_drain)(void *host);
	int (*wq_abort)(void *host);
	int (*wq_reset)(void *host);
	int (*int_handle_request)(void *host, unsigned int vector, u32 *handle);
	void (*int_handle_release)(void *host, unsigned int vector);
	void (*signal)(void *host, unsigned int vector);
};

/**
 * struct vidxd - A virtual DSA/IAX device
 * @caps:	What it was made from.
 * @ops:	Host side.
 * @host:	Passed to @ops.
 * @lock:	Serializes guest accesses, commands and resets: everything
 *		but interrupt delivery.
 * @irq_lock:	Protects what interrupt delivery reads and writes: the
 *		MSI-X table and PBA, INTCAUSE and the MSI-X control word.
 *		Taken inside @lock; alone from the host's interrupt path.
 * @cfg:	Config space contents.
 * @cfg_wmask:	Per byte: the bits a guest write may change.
 * @cfg_w1c:	Per byte: the bits a guest write of 1 clears.
 * @bar0:	BAR0 contents.
 * @bar0_wmask:	Per byte: the bits a guest write may change.
 * @bar0_w1c:	Per byte: the bits a guest write of 1 clears.
 * @handle:	Per vector: its host interrupt handle, valid when the bit
 *		of the vector is set in @handles.
 * @handles:	Vectors that hold a handle.
 */
struct vidxd {
	struct vidxd_caps caps;
	const struct vidxd_host_ops *ops;
	void *host;
	struct mutex lock;		/* see @lock above */
	spinlock_t irq_lock;		/* see @irq_lock above */
	u8 cfg[VIDXD_CFG_SIZE];
	u8 cfg_wmask[VIDXD_CFG_SIZE];
	u8 cfg_w1c[VIDXD_CFG_SIZE];
	u8 bar0[VIDXD_BAR0_SIZE];
	u8 bar0_wmask[VIDXD_BAR0_SIZE];
	u8 bar0_w1c[VIDXD_BAR0_SIZE];
	u32 handle[VIDXD_NR_VECTORS];
	unsigned long handles;
};

int vidxd_init(struct vidxd *vidxd, const struct vidxd_caps *caps,
	       const struct vidxd_host_ops *ops, void *host);
int vidxd_reset(struct vidxd *vidxd);
int vidxd_cfg_read(struct vidxd *vidxd, unsigned int off, unsigned int size,
		   u32 *val);
int vidxd_cfg_write(struct vidxd *vidxd, unsigned int off, unsigned int size,
		    u32 val);
int vidxd_mmio_read(struct vidxd *vidxd, unsigned int off, unsigned int size,
		    u64 *val);
int vidxd_mmio_write(struct vidxd *vidxd, unsigned int off, unsigned int size,
		     u64 val);
void vidxd_raise(struct vidxd *vidxd, unsigned int vector);
void vidxd_report_error(struct vidxd *vidxd,
			const u64 swerr[DSA_SWERR_WORDS]);
void vidxd_revoke_handles(struct vidxd *vidxd);
void vidxd_halt(struct vidxd *vidxd, u8 error);

#endif /* _VIDXD_H */
