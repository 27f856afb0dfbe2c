// SPDX-License-Identifier: GPL-2.0
/*
 * Storage in the common IMS slot array layout: 16 bytes per slot, address
 * low/high, data and a control word with the mask bit and the PASID. The
 * PASID tag is set when a slot is prepared and cleared only on release.
 */
#include <linux/bitfield.h>
#include <linux/io.h>
#include <linux/msi.h>

#include "ims_internal.h"

static void __iomem *ims_slot_reg(struct ims_slot_array *array,
				  unsigned int slot, unsigned int reg)
{
	return array->base + slot * IMS_SLOT_SIZE + reg;
}

/* Reading the slot back pushes posted writes out to the device. */
static void ims_slot_write_ctrl(struct ims_slot_array *array,
				unsigned int slot, u32 ctrl)
{
	iowrite32(ctrl, ims_slot_reg(array, slot, IMS_SLOT_CTRL));
	ioread32(ims_slot_reg(array, slot, IMS_SLOT_CTRL));
}

/* Zero the message, under a control word that masks the slot. */
static void ims_slot_clear(struct ims_slot_array *array, unsigned int slot,
			   u32 ctrl)
{
	/* Mask first, so the device never sees a half-cleared message. */
	ims_slot_write_ctrl(array, slot, ctrl | IMS_CTRL_MASK);
	iowrite32(0, ims_slot_reg(array, slot, IMS_SLOT_ADDR_LO));
	iowrite32(0, ims_slot_reg(array, slot, IMS_SLOT_ADDR_HI));
	iowrite32(0, ims_slot_reg(array, slot, IMS_SLOT_DATA));
	ioread32(ims_slot_reg(array, slot, IMS_SLOT_CTRL));
}

/*
 * The vector stays allocated: keep the PASID tag, or the device would
 * latch work of any PASID for this slot and the next request_irq() would
 * deliver it.
 */
static void ims_slot_array_shutdown(void *data, unsigned int slot)
{
	struct ims_slot_array *array = data;

	ims_slot_clear(array, slot, array->ctrl[slot]);
}

static void ims_slot_array_release(void *data, unsigned int slot)
{
	struct ims_slot_array *array = data;

	array->ctrl[slot] = 0;
	ims_slot_clear(array, slot, 0);
}

static int ims_slot_array_prepare(void *data, unsigned int slot,
				  const union ims_cookie *cookie)
{
	struct ims_slot_array *array = data;
	u32 ctrl = 0;

	if (cookie) {
		if (cookie->value > IMS_PASID_MAX)
			return -EINVAL;
		ctrl = FIELD_PREP(IMS_CTRL_PASID, cookie->value) |
		       IMS_CTRL_PASID_EN;
	}
	array->ctrl[slot] = ctrl;
	ims_slot_clear(array, slot, ctrl);
	return 0;
}

static void ims_slot_array_write_msg(void *data, unsigned int slot,
				     const struct msi_msg *msg)
{
	struct ims_slot_array *array = data;

	iowrite32(msg->address_lo, ims_slot_reg(array, slot, IMS_SLOT_ADDR_LO));
	iowrite32(msg->address_hi, ims_slot_reg(array, slot, IMS_SLOT_ADDR_HI));
	iowrite32(msg->data, ims_slot_reg(array, slot, IMS_SLOT_DATA));
	ioread32(ims_slot_reg(array, slot, IMS_SLOT_CTRL));
}

static void ims_slot_array_mask(void *data, unsigned int slot)
{
	struct ims_slot_array *array = data;

	ims_slot_write_ctrl(array, slot, array->ctrl[slot] | IMS_CTRL_MASK);
}

static void ims_slot_array_unmask(void *data, unsigned int slot)
{
	struct ims_slot_array *array = data;

	ims_slot_write_ctrl(array, slot, array->ctrl[slot]);
}

const struct ims_storage_ops ims_slot_array_ops = {
	.prepare = ims_slot_array_prepare,
	.write_msg = ims_slot_array_write_msg,
	.mask = ims_slot_array_mask,
	.unmask = ims_slot_array_unmask,
	.shutdown = ims_slot_array_shutdown,
	.release = ims_slot_array_release,
};
