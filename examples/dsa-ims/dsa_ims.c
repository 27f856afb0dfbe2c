// SPDX-License-Identifier: GPL-2.0
/*
 * dsa_ims: a minimal Scalable-IOV driver built on the ims library.
 *
 * It takes an Intel DSA function that the user hands it through
 * driver_override, enables one dedicated work queue, and turns the IMS
 * slots the user asks for into Linux interrupts. A NOOP descriptor written
 * to the WQ's IMS portal names a slot as its interrupt handle: when the
 * device completes it, the slot's message raises that interrupt. On DSA
 * the interrupt handle of such a descriptor is the slot index itself.
 *
 * Driven from debugfs, /sys/kernel/debug/dsa_ims/<pci name>/:
 *   ctl	"alloc SLOT [PASID]", "request SLOT", "free_irq SLOT",
 *		"free SLOT", "submit SLOT"
 *   slots	one line per allocated slot: its interrupt, whether it is
 *		requested, how often it fired, its control word
 *   status	the last submission's completion status and SWERR
 *   ctrl	every IMS slot's control word, as the device holds it
 */
#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <asm/cpufeature.h>
#include <uapi/linux/idxd.h>

#include <ims.h>

#include "dsa_ims_regs.h"

#define DSA_IMS_DEVICE_ID	0x0b25
#define DSA_IMS_WQ		0
#define DSA_IMS_WQ_SIZE		16
#define DSA_IMS_CMD_TIMEOUT_US	1000000
#define DSA_IMS_DESC_TIMEOUT_US	2000000

struct dsa_ims_vec {
	struct ims_map map;
	bool requested;
	atomic_t count;
	char name[32];
};

struct dsa_ims_dev {
	struct pci_dev *pdev;
	void __iomem *regs;
	void __iomem *portal;
	void __iomem *ims_slots;
	struct ims_domain *ims;
	unsigned int nr_slots;
	struct dsa_ims_vec *vecs;
	struct dsa_completion_record *cr;
	dma_addr_t cr_dma;
	/* Serializes the debugfs commands: slot bookkeeping, submissions. */
	struct mutex lock;
	u8 last_status;
	u64 last_swerr;
	struct dentry *debugfs;
};

static struct dentry *dsa_ims_debugfs_root;

static int dsa_ims_cmd(struct dsa_ims_dev *dsa, enum dsa_ims_cmd cmd,
		       u32 operand)
{
	u32 sts;
	int ret;

	iowrite32(FIELD_PREP(DSA_CMD_CODE, cmd) |
		  FIELD_PREP(DSA_CMD_OPERAND, operand), dsa->regs + DSA_REG_CMD);
	ret = readl_poll_timeout(dsa->regs + DSA_REG_CMDSTS, sts,
				 !(sts & DSA_CMDSTS_ACTIVE), 10,
				 DSA_IMS_CMD_TIMEOUT_US);
	if (ret) {
		dev_err(&dsa->pdev->dev, "command %u timed out\n", cmd);
		return ret;
	}
	if (FIELD_GET(DSA_CMDSTS_ERR, sts)) {
		dev_err(&dsa->pdev->dev, "command %u failed: status %#lx\n",
			cmd, FIELD_GET(DSA_CMDSTS_ERR, sts));
		return -EIO;
	}
	return 0;
}

/* Group 0: WQ 0 and engine 0; WQ 0 dedicated, with the device's limits. */
static int dsa_ims_enable(struct dsa_ims_dev *dsa)
{
	u64 gencap = readq(dsa->regs + DSA_REG_GENCAP);
	u64 table = readq(dsa->regs + DSA_REG_TABLE);
	void __iomem *grpcfg, *wqcfg;
	int ret;

	grpcfg = dsa->regs + FIELD_GET(DSA_TABLE_GRPCFG, table) * DSA_TABLE_UNIT;
	wqcfg = dsa->regs + FIELD_GET(DSA_TABLE_WQCFG, table) * DSA_TABLE_UNIT +
		DSA_IMS_WQ * DSA_WQCFG_STRIDE;

	writeq(BIT_ULL(DSA_IMS_WQ), grpcfg + DSA_GRPCFG_WQS);
	writeq(BIT_ULL(0), grpcfg + DSA_GRPCFG_ENGINES);
	iowrite32(DSA_IMS_WQ_SIZE, wqcfg + DSA_WQCFG_SIZE);
	iowrite32(DSA_WQCFG_DEDICATED | FIELD_PREP(DSA_WQCFG_PRIORITY, 1),
		  wqcfg + DSA_WQCFG_MODE);
	iowrite32(FIELD_PREP(DSA_WQCFG_MAX_XFER_SHIFT,
			     FIELD_GET(DSA_GENCAP_MAX_XFER_SHIFT, gencap)) |
		  FIELD_PREP(DSA_WQCFG_MAX_BATCH_SHIFT,
			     FIELD_GET(DSA_GENCAP_MAX_BATCH_SHIFT, gencap)),
		  wqcfg + DSA_WQCFG_SHIFTS);

	ret = dsa_ims_cmd(dsa, DSA_CMD_ENABLE_DEVICE, 0);
	if (ret)
		return ret;
	ret = dsa_ims_cmd(dsa, DSA_CMD_ENABLE_WQ, DSA_IMS_WQ);
	if (ret)
		dsa_ims_cmd(dsa, DSA_CMD_DISABLE_DEVICE, 0);
	return ret;
}

static irqreturn_t dsa_ims_irq(int irq, void *data)
{
	struct dsa_ims_vec *vec = data;

	atomic_inc(&vec->count);
	return IRQ_HANDLED;
}

static struct dsa_ims_vec *dsa_ims_vec_locked(struct dsa_ims_dev *dsa,
					      unsigned int slot)
{
	lockdep_assert_held(&dsa->lock);

	if (slot >= dsa->nr_slots || !dsa->vecs[slot].map.virq) {
		dev_err(&dsa->pdev->dev, "slot %u is not allocated\n", slot);
		return NULL;
	}
	return &dsa->vecs[slot];
}

static int dsa_ims_alloc_locked(struct dsa_ims_dev *dsa, unsigned int slot,
				const union ims_cookie *cookie)
{
	struct dsa_ims_vec *vec;
	struct ims_map map;
	int ret;

	lockdep_assert_held(&dsa->lock);

	ret = ims_alloc_irq(dsa->ims, slot, cookie, NULL, &map);
	if (ret)
		return ret;
	vec = &dsa->vecs[map.slot];
	vec->map = map;
	atomic_set(&vec->count, 0);
	snprintf(vec->name, sizeof(vec->name), "dsa_ims-%s-%u",
		 pci_name(dsa->pdev), map.slot);
	return 0;
}

static int dsa_ims_request_locked(struct dsa_ims_dev *dsa,
				  struct dsa_ims_vec *vec)
{
	int ret;

	lockdep_assert_held(&dsa->lock);

	if (vec->requested) {
		dev_err(&dsa->pdev->dev, "slot %u is already requested\n",
			vec->map.slot);
		return -EBUSY;
	}
	ret = request_irq(vec->map.virq, dsa_ims_irq, 0, vec->name, vec);
	if (ret) {
		dev_err(&dsa->pdev->dev, "request_irq of slot %u: %d\n",
			vec->map.slot, ret);
		return ret;
	}
	vec->requested = true;
	return 0;
}

static void dsa_ims_free_irq_locked(struct dsa_ims_dev *dsa,
				    struct dsa_ims_vec *vec)
{
	lockdep_assert_held(&dsa->lock);

	if (vec->requested)
		free_irq(vec->map.virq, vec);
	vec->requested = false;
}

static void dsa_ims_free_locked(struct dsa_ims_dev *dsa,
				struct dsa_ims_vec *vec)
{
	lockdep_assert_held(&dsa->lock);

	dsa_ims_free_irq_locked(dsa, vec);
	ims_free_irq(dsa->ims, vec->map);
	vec->map.virq = 0;
}

/*
 * A NOOP that asks for a completion record and an interrupt through IMS
 * slot @slot; wait for the record. The device refuses an interrupt handle
 * the slot's PASID tag does not allow: the record then says so.
 */
static int dsa_ims_submit_locked(struct dsa_ims_dev *dsa, unsigned int slot)
{
	struct dsa_hw_desc desc = {
		.opcode = DSA_OPCODE_NOOP,
		.flags = IDXD_OP_FLAG_CRAV | IDXD_OP_FLAG_RCR |
			 IDXD_OP_FLAG_RCI,
		.completion_addr = dsa->cr_dma,
		.int_handle = slot,
	};
	u8 status;
	int ret;

	lockdep_assert_held(&dsa->lock);

	writeq(DSA_SWERR_VALID | DSA_SWERR_OVERFLOW,
	       dsa->regs + DSA_REG_SWERR);
	memset(dsa->cr, 0, sizeof(*dsa->cr));
	/* The cleared record must be in memory before the device runs. */
	wmb();
	iosubmit_cmds512(dsa->portal, &desc, 1);
	ret = read_poll_timeout(READ_ONCE, status, status, 100,
				DSA_IMS_DESC_TIMEOUT_US, false,
				dsa->cr->status);
	dsa->last_swerr = readq(dsa->regs + DSA_REG_SWERR);
	dsa->last_status = status;
	if (ret)
		dev_err(&dsa->pdev->dev, "NOOP for slot %u did not complete\n",
			slot);
	return ret;
}

enum dsa_ims_op { DSA_IMS_ALLOC, DSA_IMS_SUBMIT, DSA_IMS_REQUEST,
		  DSA_IMS_FREE_IRQ, DSA_IMS_FREE };

static const char * const dsa_ims_op_names[] = {
	[DSA_IMS_ALLOC] = "alloc",
	[DSA_IMS_SUBMIT] = "submit",
	[DSA_IMS_REQUEST] = "request",
	[DSA_IMS_FREE_IRQ] = "free_irq",
	[DSA_IMS_FREE] = "free",
};

/* One command written to ctl: "OP SLOT", or "alloc SLOT [PASID]". */
struct dsa_ims_req {
	enum dsa_ims_op op;
	unsigned int slot;
	bool has_pasid;
	u64 pasid;
};

static int dsa_ims_parse(struct dsa_ims_dev *dsa, char *buf,
			 struct dsa_ims_req *req)
{
	struct device *dev = &dsa->pdev->dev;
	char *cur = strim(buf), *op, *slot, *pasid;
	int ret;

	op = strsep(&cur, " ");
	slot = strsep(&cur, " ");
	pasid = strsep(&cur, " ");
	if (!slot || cur) {
		dev_err(dev, "usage: OP SLOT, or alloc SLOT [PASID]\n");
		return -EINVAL;
	}
	ret = match_string(dsa_ims_op_names, ARRAY_SIZE(dsa_ims_op_names), op);
	if (ret < 0) {
		dev_err(dev, "unknown command '%s'\n", op);
		return -EINVAL;
	}
	req->op = ret;
	/* The library checks the range itself on alloc: let it say so. */
	if (kstrtouint(slot, 0, &req->slot) ||
	    (req->op != DSA_IMS_ALLOC && req->slot >= dsa->nr_slots) ||
	    req->slot > INT_MAX) {
		dev_err(dev, "bad slot '%s' (0-%u)\n", slot, dsa->nr_slots - 1);
		return -EINVAL;
	}
	req->has_pasid = pasid;
	if (pasid && (req->op != DSA_IMS_ALLOC ||
		      kstrtou64(pasid, 0, &req->pasid))) {
		dev_err(dev, "bad PASID '%s' (alloc takes one)\n", pasid);
		return -EINVAL;
	}
	return 0;
}

static int dsa_ims_ctl_locked(struct dsa_ims_dev *dsa,
			      const struct dsa_ims_req *req)
{
	union ims_cookie cookie = { .value = req->pasid };
	struct dsa_ims_vec *vec;

	lockdep_assert_held(&dsa->lock);

	if (req->op == DSA_IMS_ALLOC)
		return dsa_ims_alloc_locked(dsa, req->slot,
					    req->has_pasid ? &cookie : NULL);
	if (req->op == DSA_IMS_SUBMIT)
		return dsa_ims_submit_locked(dsa, req->slot);

	vec = dsa_ims_vec_locked(dsa, req->slot);
	if (!vec)
		return -ENOENT;
	if (req->op == DSA_IMS_REQUEST)
		return dsa_ims_request_locked(dsa, vec);
	if (req->op == DSA_IMS_FREE_IRQ)
		dsa_ims_free_irq_locked(dsa, vec);
	else
		dsa_ims_free_locked(dsa, vec);
	return 0;
}

static ssize_t dsa_ims_ctl_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	struct dsa_ims_dev *dsa = file->private_data;
	struct dsa_ims_req req;
	char buf[64];
	int ret;

	if (len >= sizeof(buf)) {
		dev_err(&dsa->pdev->dev, "command longer than %zu bytes\n",
			sizeof(buf) - 1);
		return -EINVAL;
	}
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	ret = dsa_ims_parse(dsa, buf, &req);
	if (ret)
		return ret;

	mutex_lock(&dsa->lock);
	ret = dsa_ims_ctl_locked(dsa, &req);
	mutex_unlock(&dsa->lock);
	return ret ? ret : len;
}

static const struct file_operations dsa_ims_ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = dsa_ims_ctl_write,
};

static int dsa_ims_slots_show(struct seq_file *m, void *unused)
{
	struct dsa_ims_dev *dsa = m->private;
	struct dsa_ims_vec *vec;
	unsigned int slot;

	mutex_lock(&dsa->lock);
	for (slot = 0; slot < dsa->nr_slots; slot++) {
		vec = &dsa->vecs[slot];
		if (!vec->map.virq)
			continue;
		seq_printf(m, "slot %u virq=%u requested=%d count=%d ctrl=%#x\n",
			   slot, vec->map.virq, vec->requested,
			   atomic_read(&vec->count),
			   ioread32(dsa->ims_slots + slot * IMS_SLOT_SIZE +
				    IMS_SLOT_CTRL));
	}
	mutex_unlock(&dsa->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dsa_ims_slots);

/* What the device holds: every slot's control word, allocated or not. */
static int dsa_ims_ctrl_show(struct seq_file *m, void *unused)
{
	struct dsa_ims_dev *dsa = m->private;
	unsigned int slot;

	for (slot = 0; slot < dsa->nr_slots; slot++)
		seq_printf(m, "%u %#x\n", slot,
			   ioread32(dsa->ims_slots + slot * IMS_SLOT_SIZE +
				    IMS_SLOT_CTRL));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dsa_ims_ctrl);

static int dsa_ims_status_show(struct seq_file *m, void *unused)
{
	struct dsa_ims_dev *dsa = m->private;

	mutex_lock(&dsa->lock);
	seq_printf(m, "completion=%#x swerr_error=%#llx\n", dsa->last_status,
		   FIELD_GET(DSA_SWERR_ERROR, dsa->last_swerr));
	mutex_unlock(&dsa->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dsa_ims_status);

/* The slot array layout of DSA is the ims library's common one. */
static int dsa_ims_setup_ims(struct dsa_ims_dev *dsa)
{
	u64 gencap = readq(dsa->regs + DSA_REG_GENCAP);
	u64 table = readq(dsa->regs + DSA_REG_TABLE);
	struct ims_domain_info info = { };
	struct device *dev = &dsa->pdev->dev;

	dsa->nr_slots = FIELD_GET(DSA_GENCAP_IMS_MULT, gencap) *
			DSA_IMS_SLOTS_UNIT;
	if (!dsa->nr_slots) {
		dev_err(dev, "the device has no IMS\n");
		return -ENODEV;
	}
	dsa->vecs = devm_kcalloc(dev, dsa->nr_slots, sizeof(*dsa->vecs),
				 GFP_KERNEL);
	if (!dsa->vecs)
		return -ENOMEM;
	dsa->ims_slots = dsa->regs +
			 FIELD_GET(DSA_TABLE_IMS, table) * DSA_TABLE_UNIT;

	info.nr_slots = dsa->nr_slots;
	info.slots = dsa->ims_slots;
	dsa->ims = ims_domain_create(dsa->pdev, &info);
	return PTR_ERR_OR_ZERO(dsa->ims);
}

static int dsa_ims_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct dsa_ims_dev *dsa;
	int ret;

	/* Bound only by driver_override: make sure it is a DSA. */
	if (pdev->vendor != PCI_VENDOR_ID_INTEL ||
	    pdev->device != DSA_IMS_DEVICE_ID) {
		dev_err(dev, "not an Intel DSA (%04x:%04x)\n", pdev->vendor,
			pdev->device);
		return -ENODEV;
	}
	if (!boot_cpu_has(X86_FEATURE_MOVDIR64B)) {
		dev_err(dev, "the CPU lacks MOVDIR64B, needed to submit work\n");
		return -ENODEV;
	}

	dsa = devm_kzalloc(dev, sizeof(*dsa), GFP_KERNEL);
	if (!dsa)
		return -ENOMEM;
	dsa->pdev = pdev;
	mutex_init(&dsa->lock);

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(DSA_IMS_BAR_REGS) |
				 BIT(DSA_IMS_BAR_PORTALS), KBUILD_MODNAME);
	if (ret)
		return ret;
	dsa->regs = pcim_iomap_table(pdev)[DSA_IMS_BAR_REGS];
	dsa->portal = pcim_iomap_table(pdev)[DSA_IMS_BAR_PORTALS] +
		      (DSA_IMS_WQ * DSA_PORTALS_PER_WQ + DSA_PORTAL_IMS) *
		      DSA_PORTAL_SIZE;
	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	dsa->cr = dmam_alloc_coherent(dev, sizeof(*dsa->cr), &dsa->cr_dma,
				      GFP_KERNEL);
	if (!dsa->cr)
		return -ENOMEM;
	/* Completion records and IMS messages are bus-master writes. */
	pci_set_master(pdev);

	ret = dsa_ims_cmd(dsa, DSA_CMD_RESET_DEVICE, 0);
	if (ret)
		return ret;
	ret = dsa_ims_setup_ims(dsa);
	if (ret)
		return ret;
	ret = dsa_ims_enable(dsa);
	if (ret)
		goto out_destroy_ims;

	dsa->debugfs = debugfs_create_dir(pci_name(pdev), dsa_ims_debugfs_root);
	debugfs_create_file("ctl", 0200, dsa->debugfs, dsa, &dsa_ims_ctl_fops);
	debugfs_create_file("slots", 0400, dsa->debugfs, dsa,
			    &dsa_ims_slots_fops);
	debugfs_create_file("status", 0400, dsa->debugfs, dsa,
			    &dsa_ims_status_fops);
	debugfs_create_file("ctrl", 0400, dsa->debugfs, dsa,
			    &dsa_ims_ctrl_fops);
	pci_set_drvdata(pdev, dsa);
	dev_info(dev, "WQ %u enabled, %u IMS slots\n", DSA_IMS_WQ,
		 dsa->nr_slots);
	return 0;

out_destroy_ims:
	ims_domain_destroy(dsa->ims);
	return ret;
}

/*
 * The device must stop using the slots before they are freed: a masked
 * slot still latches. Disabling the device stops the WQ; should that fail,
 * remove cannot, and the reset at the end stops the device instead.
 */
static void dsa_ims_remove(struct pci_dev *pdev)
{
	struct dsa_ims_dev *dsa = pci_get_drvdata(pdev);
	unsigned int slot;

	debugfs_remove_recursive(dsa->debugfs);
	dsa_ims_cmd(dsa, DSA_CMD_DISABLE_DEVICE, 0);
	mutex_lock(&dsa->lock);
	for (slot = 0; slot < dsa->nr_slots; slot++) {
		if (dsa->vecs[slot].map.virq)
			dsa_ims_free_locked(dsa, &dsa->vecs[slot]);
	}
	mutex_unlock(&dsa->lock);
	ims_domain_destroy(dsa->ims);
	dsa_ims_cmd(dsa, DSA_CMD_RESET_DEVICE, 0);
}

/*
 * No ID table: the driver binds only where the user names it in
 * driver_override, never taking a DSA from the kernel's idxd by itself.
 */
static struct pci_driver dsa_ims_driver = {
	.name = KBUILD_MODNAME,
	.probe = dsa_ims_probe,
	.remove = dsa_ims_remove,
};

static int __init dsa_ims_init(void)
{
	int ret;

	dsa_ims_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	ret = pci_register_driver(&dsa_ims_driver);
	if (ret)
		debugfs_remove_recursive(dsa_ims_debugfs_root);
	return ret;
}
module_init(dsa_ims_init);

static void __exit dsa_ims_exit(void)
{
	pci_unregister_driver(&dsa_ims_driver);
	debugfs_remove_recursive(dsa_ims_debugfs_root);
}
module_exit(dsa_ims_exit);

MODULE_DESCRIPTION("Minimal DSA driver with IMS interrupts (example user of ims)");
MODULE_LICENSE("GPL");
IMS_IMPORT_NS();
