// SPDX-License-Identifier: GPL-2.0
/*
 * The PCI driver owning a DSA/IAX function for idxd_mdev. It binds only
 * where an administrator names it in driver_override, as vfio-pci does,
 * never taking a function from the kernel's idxd by itself.
 *
 * Probe reads the function's capabilities, decides its generation,
 * carves its WQs, groups and engines (pf_carve.c), takes MSI-X vector 0
 * (pf_irq.c) and creates the IMS domain; then it resets the function,
 * writes the carved GRPCFG/WQCFG tables and enables it, leaving every WQ
 * disabled until an instance uses it. Remove undoes it in reverse.
 */
#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <asm/cpufeature.h>
#include <uapi/linux/idxd.h>

#include <ims.h>

#include "mdev.h"

#define PF_DSA_DEVICE_ID	0x0b25
#define PF_IAX_DEVICE_ID	0x0cfe

static unsigned int wqs;
module_param(wqs, uint, 0644);
MODULE_PARM_DESC(wqs,
		 "WQs (mediated devices) to carve on each function bound after it is set; 0: every WQ (default)");

static struct dentry *pf_debugfs_root;

static void pf_read_caps(struct pf_dev *pf, struct pf_carve_in *in)
{
	u64 wqcap = readq(pf->regs + DSA_WQCAP);
	u64 table = readq(pf->regs + DSA_TABLE);

	unsigned int i;

	pf->version = ioread32(pf->regs + DSA_VERSION);
	pf->gencap = readq(pf->regs + DSA_GENCAP);
	for (i = 0; i < DSA_OPCAP_WORDS; i++)
		pf->opcap[i] = readq(pf->regs + DSA_OPCAP + 8 * i);
	pf->cmdcap = 0;
	if (pf->gencap & DSA_GENCAP_CMD_CAP)
		pf->cmdcap = ioread32(pf->regs + DSA_CMDCAP);
	pf->gen = pf->cmdcap & BIT(DSA_CMD_REQUEST_INT_HANDLE) ? 2 : 1;
	pf->nr_ims = FIELD_GET(DSA_GENCAP_MAX_IMS_MULT, pf->gencap) *
		     DSA_IMS_MULT_UNIT;
	pf->grpcfg = pf->regs + FIELD_GET(DSA_TABLE_GRPCFG, table) *
		     DSA_TABLE_UNIT;
	pf->wqcfg = pf->regs + FIELD_GET(DSA_TABLE_WQCFG, table) * DSA_TABLE_UNIT;
	pf->wqcfg_stride = 1U << (FIELD_GET(DSA_WQCAP_WQCFG_SIZE, wqcap) +
				  DSA_WQCFG_UNIT_SHIFT);

	in->nr_wqs = FIELD_GET(DSA_WQCAP_NUM_WQS, wqcap);
	in->total_wq_size = FIELD_GET(DSA_WQCAP_TOTAL_WQ_SIZE, wqcap);
	in->nr_groups = FIELD_GET(DSA_GRPCAP_NUM_GROUPS,
				  readq(pf->regs + DSA_GRPCAP));
	in->nr_engines = FIELD_GET(DSA_ENGCAP_NUM_ENGINES,
				   readq(pf->regs + DSA_ENGCAP));
	in->wanted_wqs = READ_ONCE(wqs);
}

static void __iomem *pf_grpcfg(struct pf_dev *pf, unsigned int group)
{
	return pf->grpcfg + group * DSA_GRPCFG_STRIDE;
}

/**
 * pf_wqcfg() - the WQCFG entry of a WQ
 * @pf:		the parent function
 * @wq:		the WQ
 *
 * Context: any.
 * Return: its address in BAR0.
 */
void __iomem *pf_wqcfg(struct pf_dev *pf, unsigned int wq)
{
	return pf->wqcfg + wq * pf->wqcfg_stride;
}

/**
 * pf_ims_portal() - where a WQ's unlimited IMS portal is
 * @pf:		the parent function
 * @wq:		the WQ
 *
 * The limited IMS portal is the next page. Descriptors written to these
 * name IMS slots as their interrupt handles.
 * Context: any.
 * Return: the physical address of the page.
 */
phys_addr_t pf_ims_portal(struct pf_dev *pf, unsigned int wq)
{
	return pci_resource_start(pf->pdev, DSA_BAR_PORTALS) +
	       (wq * DSA_PORTALS_PER_WQ + DSA_PORTAL_IMS) * DSA_PORTAL_SIZE;
}

/*
 * Write the carved configuration while the device is disabled (after the
 * reset every table holds zeroes): each WQ dedicated, priority 1, the
 * device's transfer and batch limits; each used group its WQs and engines.
 */
static void pf_write_config(struct pf_dev *pf)
{
	const struct pf_carve *c = &pf->carve;
	u64 group_wqs[PF_CARVE_MAX_GROUPS] = { };
	unsigned int i;

	for (i = 0; i < c->nr_wqs; i++) {
		iowrite32(c->wq_size[i], pf_wqcfg(pf, i) + DSA_WQCFG_SIZE);
		iowrite32(DSA_WQCFG_MODE_DEDICATED |
			  FIELD_PREP(DSA_WQCFG_PRIORITY, PF_WQ_PRIORITY),
			  pf_wqcfg(pf, i) + DSA_WQCFG_MODE_PRIO);
		iowrite32(FIELD_PREP(DSA_WQCFG_MAX_XFER_SHIFT,
				     FIELD_GET(DSA_GENCAP_MAX_XFER_SHIFT,
					       pf->gencap)) |
			  FIELD_PREP(DSA_WQCFG_MAX_BATCH_SHIFT,
				     FIELD_GET(DSA_GENCAP_MAX_BATCH_SHIFT,
					       pf->gencap)),
			  pf_wqcfg(pf, i) + DSA_WQCFG_XFER_BATCH);
		group_wqs[c->wq_group[i]] |= BIT_ULL(i);
	}
	for (i = 0; i < c->nr_groups; i++) {
		writeq(group_wqs[i], pf_grpcfg(pf, i) + DSA_GRPCFG_WQS);
		writeq(c->group_engines[i],
		       pf_grpcfg(pf, i) + DSA_GRPCFG_ENGINES);
	}
}

/**
 * pf_configure() - reset the function and configure it as carved
 * @pf:		the parent function
 *
 * Used by probe and by the recovery from a halt. One section under
 * pf->cmd_lock: no WQ is enabled between the reset and the configuration
 * (pf_wq_enable()), so none runs with the configuration's mode word.
 * Context: process; may sleep.
 * Return: 0 or pf_cmd()'s error.
 */
int pf_configure(struct pf_dev *pf)
{
	int ret;

	mutex_lock(&pf->cmd_lock);
	ret = pf_cmd_locked(pf, DSA_CMD_RESET_DEVICE, 0, NULL);
	if (!ret) {
		pf_write_config(pf);
		pf_irq_enable_events(pf);
		ret = pf_cmd_locked(pf, DSA_CMD_ENABLE_DEVICE, 0, NULL);
	}
	mutex_unlock(&pf->cmd_lock);
	return ret;
}

/* Stop the device's events and wait for a vector 0 thread to finish. */
static void pf_quiesce_events(struct pf_dev *pf)
{
	iowrite32(0, pf->regs + DSA_GENCTRL);
	synchronize_irq(pci_irq_vector(pf->pdev, 0));
}

/* The configuration as the device holds it, for tests and administrators. */
static int pf_config_show(struct seq_file *m, void *unused)
{
	struct pf_dev *pf = m->private;
	unsigned int i;

	seq_printf(m, "generation %u\n", pf->gen);
	for (i = 0; i < pf->carve.nr_wqs; i++)
		seq_printf(m, "wq %u size %u mode %#x\n", i,
			   ioread32(pf_wqcfg(pf, i) + DSA_WQCFG_SIZE) & 0xffff,
			   ioread32(pf_wqcfg(pf, i) + DSA_WQCFG_MODE_PRIO));
	for (i = 0; i < pf->carve.nr_groups; i++)
		seq_printf(m, "group %u wqs %#llx engines %#llx\n", i,
			   readq(pf_grpcfg(pf, i) + DSA_GRPCFG_WQS),
			   readq(pf_grpcfg(pf, i) + DSA_GRPCFG_ENGINES));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pf_config);

/* GENSTS.state: 0 disabled, 1 enabled, 2 draining, 3 halted. */
static int pf_state_show(struct seq_file *m, void *unused)
{
	struct pf_dev *pf = m->private;

	seq_printf(m, "%lu\n", FIELD_GET(DSA_GENSTS_STATE,
					 ioread32(pf->regs + DSA_GENSTS)));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pf_state);

/* What vector 0 attributed to each WQ. */
static int pf_wqs_show(struct seq_file *m, void *unused)
{
	struct pf_dev *pf = m->private;
	unsigned int i;

	for (i = 0; i < pf->carve.nr_wqs; i++)
		seq_printf(m, "wq %u errors %u halts %u\n", i,
			   READ_ONCE(pf->wqs[i].errors),
			   READ_ONCE(pf->wqs[i].halts));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pf_wqs);

/* The MSI-X permission table, as the device holds it. */
static int pf_msix_perm_show(struct seq_file *m, void *unused)
{
	struct pf_dev *pf = m->private;
	void __iomem *perm = pf->regs +
			     FIELD_GET(DSA_TABLE_MSIX_PERM,
				       readq(pf->regs + DSA_TABLE)) *
			     DSA_TABLE_UNIT;
	unsigned int i;

	for (i = 0; i < pf->nr_vectors; i++)
		seq_printf(m, "%u %#x\n", i,
			   ioread32(perm + i * DSA_MSIX_PERM_STRIDE));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(pf_msix_perm);

/*
 * Test hook: "get SLOT" takes the slot's interrupt handle and prints it to
 * the log; "put HANDLE" gives a handle back.
 */
static ssize_t pf_int_handle_write(struct file *file, const char __user *ubuf,
				   size_t len, loff_t *ppos)
{
	struct pf_dev *pf = file->private_data;
	unsigned int val, epoch;
	char buf[32], *arg;
	u32 handle;
	int ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	arg = strim(buf);
	if (str_has_prefix(arg, "get ") && !kstrtouint(arg + 4, 0, &val)) {
		ret = pf_int_handle_get(pf, val, &handle, &epoch);
		if (ret)
			return ret;
		dev_info(&pf->pdev->dev, "IMS slot %u: interrupt handle %u\n",
			 val, handle);
	} else if (str_has_prefix(arg, "put ") &&
		   !kstrtouint(arg + 4, 0, &val)) {
		pf_int_handle_put(pf, val, READ_ONCE(pf->resets));
	} else {
		return -EINVAL;
	}
	return len;
}

static const struct file_operations pf_int_handle_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = pf_int_handle_write,
};

/*
 * Test hook: writing a WQ index enables the WQ, submits a descriptor whose
 * completion record address is misaligned, which the device refuses with
 * a software error naming the WQ, and disables the WQ again.
 */
static int pf_wq_error_provoke(struct pf_dev *pf, unsigned int wq)
{
	struct dsa_hw_desc desc = {
		.opcode = DSA_OPCODE_NOOP,
		.flags = IDXD_OP_FLAG_CRAV,
		.completion_addr = 1,
	};
	int ret;

	if (wq >= pf->carve.nr_wqs || READ_ONCE(pf->wqs[wq].owner))
		return -EINVAL;
	if (!boot_cpu_has(X86_FEATURE_MOVDIR64B))
		return -EOPNOTSUPP;
	ret = pf_wq_cmd(pf, DSA_CMD_ENABLE_WQ, wq);
	if (ret)
		return ret;
	iosubmit_cmds512(pf->portals + wq * DSA_PORTALS_PER_WQ * DSA_PORTAL_SIZE,
			 &desc, 1);
	return pf_wq_cmd(pf, DSA_CMD_DISABLE_WQ, wq);
}

static ssize_t pf_wq_error_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	unsigned int wq;
	int ret;

	ret = kstrtouint_from_user(ubuf, len, 0, &wq);
	if (ret)
		return ret;
	ret = pf_wq_error_provoke(file->private_data, wq);
	return ret ? ret : len;
}

static const struct file_operations pf_wq_error_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = pf_wq_error_write,
};

static bool pf_is_dsa_or_iax(struct pci_dev *pdev)
{
	return pdev->vendor == PCI_VENDOR_ID_INTEL &&
	       (pdev->device == PF_DSA_DEVICE_ID ||
		pdev->device == PF_IAX_DEVICE_ID);
}

static int pf_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct ims_domain_info ims_info = { };
	struct pf_carve_in in;
	struct pf_dev *pf;
	int ret;

	/* driver_override matches any device: take only a DSA or an IAX. */
	if (!pf_is_dsa_or_iax(pdev)) {
		dev_err(dev, "not an Intel DSA or IAX (%04x:%04x)\n",
			pdev->vendor, pdev->device);
		return -ENODEV;
	}
	pf = devm_kzalloc(dev, sizeof(*pf), GFP_KERNEL);
	if (!pf)
		return -ENOMEM;
	pf->pdev = pdev;
	pf->is_iax = pdev->device == PF_IAX_DEVICE_ID;
	mutex_init(&pf->cmd_lock);
	mutex_init(&pf->owner_lock);
	mutex_init(&pf->recover_lock);
	mutex_init(&pf->dma_lock);
	xa_init(&pf->dma_maps);

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(DSA_BAR_REGS) | BIT(DSA_BAR_PORTALS),
				 KBUILD_MODNAME);
	if (ret)
		return ret;
	pf->regs = pcim_iomap_table(pdev)[DSA_BAR_REGS];
	pf->portals = pcim_iomap_table(pdev)[DSA_BAR_PORTALS];

	/* The administrator's choice is checked before the device is touched. */
	pf_read_caps(pf, &in);
	ret = pf_carve(&in, &pf->carve);
	if (ret) {
		dev_err(dev, "cannot carve %u WQs (wqs=%u) from %u WQs, %u groups, %u engines, %u WQ entries\n",
			in.wanted_wqs ? in.wanted_wqs : in.nr_wqs,
			in.wanted_wqs, in.nr_wqs, in.nr_groups, in.nr_engines,
			in.total_wq_size);
		return ret;
	}
	if (!pf->nr_ims) {
		dev_err(dev, "the function has no IMS\n");
		return -ENODEV;
	}
	pci_set_master(pdev);
	ret = pf_irq_setup(pf);
	if (ret)
		goto out_clear_master;
	ims_info.nr_slots = pf->nr_ims;
	ims_info.slots = pf->regs + FIELD_GET(DSA_TABLE_IMS,
					      readq(pf->regs + DSA_TABLE)) *
			 DSA_TABLE_UNIT;
	pf->ims = ims_domain_create(pdev, &ims_info);
	if (IS_ERR(pf->ims)) {
		ret = PTR_ERR(pf->ims);
		goto out_free_irq;
	}
	ret = pf_configure(pf);
	if (ret)
		goto out_reset_device;

	pf->debugfs = debugfs_create_dir(pci_name(pdev), pf_debugfs_root);
	debugfs_create_file("config", 0400, pf->debugfs, pf, &pf_config_fops);
	debugfs_create_file("state", 0400, pf->debugfs, pf, &pf_state_fops);
	debugfs_create_file("wqs", 0400, pf->debugfs, pf, &pf_wqs_fops);
	debugfs_create_file("msix_perm", 0400, pf->debugfs, pf,
			    &pf_msix_perm_fops);
	debugfs_create_file("int_handle", 0200, pf->debugfs, pf,
			    &pf_int_handle_fops);
	debugfs_create_file("wq_error", 0200, pf->debugfs, pf,
			    &pf_wq_error_fops);
	pci_set_drvdata(pdev, pf);
	ret = idxd_mdev_parent_register(pf);
	if (ret)
		goto out_remove_debugfs;
	dev_info(dev, "%s generation %u: %u WQs in %u groups, %u IMS slots\n",
		 pf->is_iax ? "IAX" : "DSA", pf->gen, pf->carve.nr_wqs,
		 pf->carve.nr_groups, pf->nr_ims);
	return 0;

out_remove_debugfs:
	debugfs_remove_recursive(pf->debugfs);
out_reset_device:
	pf_quiesce_events(pf);
	pf_cmd(pf, DSA_CMD_RESET_DEVICE, 0, NULL);
	ims_domain_destroy(pf->ims);
out_free_irq:
	pf_irq_teardown(pf);
out_clear_master:
	pci_clear_master(pdev);
	return ret;
}

/*
 * Reverse of probe. The instances go first: each removal waits for its
 * user to close the device. The device's events stop next, so that no
 * recovery from a halt reconfigures it behind the reset; the reset stops
 * every use of the IMS slots before the domain goes.
 */
static void pf_remove(struct pci_dev *pdev)
{
	struct pf_dev *pf = pci_get_drvdata(pdev);

	idxd_mdev_parent_unregister(pf);
	debugfs_remove_recursive(pf->debugfs);
	pf_quiesce_events(pf);
	pf_cmd(pf, DSA_CMD_DISABLE_DEVICE, 0, NULL);
	pf_cmd(pf, DSA_CMD_RESET_DEVICE, 0, NULL);
	ims_domain_destroy(pf->ims);
	pf_irq_teardown(pf);
	pci_clear_master(pdev);
}

/*
 * override_only: the PCI core matches these entries only for a function
 * whose driver_override names this driver (pci_match_device(), since
 * 5.15). PCI_ID_F_VFIO_DRIVER_OVERRIDE is the one flag the core defines;
 * any non-zero value has this effect. There is no MODULE_DEVICE_TABLE:
 * it would publish "vfio_pci:" aliases, telling userspace that this is a
 * vfio-pci variant driver, which it is not, and nothing needs the module
 * loaded by udev, since it never binds by itself.
 */
static const struct pci_device_id pf_ids[] = {
	{ PCI_DEVICE(PCI_VENDOR_ID_INTEL, PF_DSA_DEVICE_ID),
	  .override_only = PCI_ID_F_VFIO_DRIVER_OVERRIDE },
	{ PCI_DEVICE(PCI_VENDOR_ID_INTEL, PF_IAX_DEVICE_ID),
	  .override_only = PCI_ID_F_VFIO_DRIVER_OVERRIDE },
	{ }
};

static struct pci_driver pf_driver = {
	.name = KBUILD_MODNAME,
	.id_table = pf_ids,
	.probe = pf_probe,
	.remove = pf_remove,
};

/**
 * pf_register() - register the parent function's PCI driver
 *
 * Context: module init.
 * Return: 0 or pci_register_driver()'s error.
 */
int pf_register(void)
{
	int ret;

	pf_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	ret = pci_register_driver(&pf_driver);
	if (ret)
		debugfs_remove_recursive(pf_debugfs_root);
	return ret;
}

/**
 * pf_unregister() - unbind every function and unregister the driver
 *
 * Context: module exit.
 */
void pf_unregister(void)
{
	pci_unregister_driver(&pf_driver);
	debugfs_remove_recursive(pf_debugfs_root);
}
