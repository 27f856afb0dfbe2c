// SPDX-License-Identifier: GPL-2.0
/*
 * Test driver for the IMS library on QEMU's edu device.
 *
 * The driver plays an IMS-capable device: it keeps IMS storage in memory it
 * owns, and when told to "fire" a slot it does what such a device does:
 * if the slot is masked it latches the interrupt as pending, otherwise it
 * makes the edu DMA engine write the slot's data to the slot's address.
 * That write is a real device MSI write: it goes through QEMU's interrupt
 * remapping unit (if enabled) and the local APIC, and runs the handler the
 * IMS library connected to the slot.
 *
 * Two storages are offered, to cover both kinds the library supports:
 * "array", the common 16-byte slot layout handed to the library as MMIO,
 * and "queue", a per-queue context layout with the driver's own callbacks.
 *
 * Everything is driven from debugfs (ims_edu/<pci name>/):
 *   ctl      write commands:  create KIND NSLOTS | destroy KIND |
 *            alloc KIND SLOT|any [pasid=N] [cpu=N] | free KIND SLOT |
 *            fire KIND SLOT | disable KIND SLOT | mask KIND SLOT |
 *            enable KIND SLOT
 *   vectors  one line per allocated vector: counters and slot contents
 *   slots    every slot of both storages, allocated or not
 *   storage  the callback counts of the "queue" storage
 * A command that fails returns its errno to the writer.
 */
#include <linux/bitfield.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/irq.h>
#include <linux/module.h>
#include <linux/msi.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "../../ims/ims.h"
#include "compat.h"
#include "edu_regs.h"

#define IMS_EDU_DMA_TIMEOUT_US	(2 * USEC_PER_SEC)

/* What an MSI write must look like for the test to let the device DMA it. */
#define IMS_EDU_MSI_WINDOW	GENMASK(31, 20)
#define IMS_EDU_MSI_BASE	0xfee00000

/* Layout of the "queue" storage: a context per queue, unlike a slot. */
struct ims_edu_qctx {
	u64 msi_addr;
	u32 msi_data;
	u32 flags;
#define IMS_EDU_QCTX_IRQ_EN	BIT(0)
	u32 rsvd[4];
};

enum ims_edu_kind {
	IMS_EDU_ARRAY,
	IMS_EDU_QUEUE,
	IMS_EDU_NR_KINDS,
};

static const char * const ims_edu_kind_names[IMS_EDU_NR_KINDS] = {
	[IMS_EDU_ARRAY] = "array",
	[IMS_EDU_QUEUE] = "queue",
};

struct ims_edu_vec {
	struct ims_map map;
	bool allocated;
	bool pending;
	atomic_t count;
	int last_cpu;
	char name[24];
};

/* Callback counts of the "queue" storage, to check the library's calls. */
struct ims_edu_qstats {
	atomic_t prepare, write_msg, mask, unmask, shutdown;
};

struct ims_edu_store {
	enum ims_edu_kind kind;
	struct ims_domain *ims;
	unsigned int nr_slots;
	void *mem;
	struct ims_edu_vec *vecs;
	struct ims_edu_qstats qstats;
};

struct ims_edu {
	struct pci_dev *pdev;
	void __iomem *regs;
	u32 *dma_word;
	dma_addr_t dma_word_addr;
	struct dentry *debugfs;
	/* Serializes commands, and with them the one DMA engine. */
	struct mutex lock;
	struct ims_edu_store stores[IMS_EDU_NR_KINDS];
};

static struct dentry *ims_edu_debugfs_root;

static void __iomem *ims_edu_array_slot(struct ims_edu_store *store,
					unsigned int slot)
{
	return (void __iomem __force *)store->mem + slot * IMS_SLOT_SIZE;
}

static struct ims_edu_qctx *ims_edu_qctx(struct ims_edu_store *store,
					 unsigned int slot)
{
	return (struct ims_edu_qctx *)store->mem + slot;
}

static int ims_edu_q_prepare(void *data, unsigned int slot,
			     const union ims_cookie *cookie)
{
	struct ims_edu_store *store = data;

	atomic_inc(&store->qstats.prepare);
	memset(ims_edu_qctx(store, slot), 0, sizeof(struct ims_edu_qctx));
	return 0;
}

static void ims_edu_q_write_msg(void *data, unsigned int slot,
				const struct msi_msg *msg)
{
	struct ims_edu_store *store = data;
	struct ims_edu_qctx *ctx = ims_edu_qctx(store, slot);

	atomic_inc(&store->qstats.write_msg);
	WRITE_ONCE(ctx->msi_addr, (u64)msg->address_hi << 32 | msg->address_lo);
	WRITE_ONCE(ctx->msi_data, msg->data);
}

static void ims_edu_q_mask(void *data, unsigned int slot)
{
	struct ims_edu_store *store = data;
	struct ims_edu_qctx *ctx = ims_edu_qctx(store, slot);

	atomic_inc(&store->qstats.mask);
	WRITE_ONCE(ctx->flags, ctx->flags & ~IMS_EDU_QCTX_IRQ_EN);
}

static void ims_edu_q_unmask(void *data, unsigned int slot)
{
	struct ims_edu_store *store = data;
	struct ims_edu_qctx *ctx = ims_edu_qctx(store, slot);

	atomic_inc(&store->qstats.unmask);
	WRITE_ONCE(ctx->flags, ctx->flags | IMS_EDU_QCTX_IRQ_EN);
}

static void ims_edu_q_shutdown(void *data, unsigned int slot)
{
	struct ims_edu_store *store = data;
	struct ims_edu_qctx *ctx = ims_edu_qctx(store, slot);

	atomic_inc(&store->qstats.shutdown);
	WRITE_ONCE(ctx->flags, 0);
	WRITE_ONCE(ctx->msi_addr, 0);
	WRITE_ONCE(ctx->msi_data, 0);
}

static const struct ims_storage_ops ims_edu_queue_ops = {
	.prepare = ims_edu_q_prepare,
	.write_msg = ims_edu_q_write_msg,
	.mask = ims_edu_q_mask,
	.unmask = ims_edu_q_unmask,
	.shutdown = ims_edu_q_shutdown,
};

/* The device's view of a slot: its message, and whether it may send it. */
static void ims_edu_read_slot(struct ims_edu_store *store, unsigned int slot,
			      u64 *addr, u32 *data, u32 *ctrl, bool *enabled)
{
	if (store->kind == IMS_EDU_ARRAY) {
		void __iomem *s = ims_edu_array_slot(store, slot);

		*addr = (u64)ioread32(s + IMS_SLOT_ADDR_HI) << 32 |
			ioread32(s + IMS_SLOT_ADDR_LO);
		*data = ioread32(s + IMS_SLOT_DATA);
		*ctrl = ioread32(s + IMS_SLOT_CTRL);
		*enabled = !(*ctrl & IMS_CTRL_MASK);
	} else {
		struct ims_edu_qctx *ctx = ims_edu_qctx(store, slot);

		*addr = READ_ONCE(ctx->msi_addr);
		*data = READ_ONCE(ctx->msi_data);
		*ctrl = READ_ONCE(ctx->flags);
		*enabled = *ctrl & IMS_EDU_QCTX_IRQ_EN;
	}
}

static int ims_edu_dma(struct ims_edu *edu, u64 src, u64 dst, u32 cmd)
{
	u32 status;
	int ret;

	lockdep_assert_held(&edu->lock);

	writeq(src, edu->regs + EDU_REG_DMA_SRC);
	writeq(dst, edu->regs + EDU_REG_DMA_DST);
	writeq(sizeof(u32), edu->regs + EDU_REG_DMA_COUNT);
	writeq(cmd | EDU_DMA_RUN, edu->regs + EDU_REG_DMA_CMD);
	ret = readl_poll_timeout(edu->regs + EDU_REG_DMA_CMD, status,
				 !(status & EDU_DMA_RUN), 1000,
				 IMS_EDU_DMA_TIMEOUT_US);
	if (ret)
		dev_err(&edu->pdev->dev, "edu DMA did not complete\n");
	return ret;
}

/* Send a slot's message the way the device would: by a DMA write. */
static int ims_edu_send(struct ims_edu *edu, u64 addr, u32 data)
{
	int ret;

	lockdep_assert_held(&edu->lock);

	if (upper_32_bits(addr) ||
	    (addr & IMS_EDU_MSI_WINDOW) != IMS_EDU_MSI_BASE) {
		dev_err(&edu->pdev->dev, "slot holds no MSI address: %#llx\n",
			addr);
		return -EIO;
	}
	*edu->dma_word = data;
	ret = ims_edu_dma(edu, edu->dma_word_addr, EDU_DMA_BUF, 0);
	if (ret)
		return ret;
	return ims_edu_dma(edu, EDU_DMA_BUF, addr, EDU_DMA_TO_RAM);
}

static int ims_edu_fire(struct ims_edu *edu, struct ims_edu_store *store,
			struct ims_edu_vec *vec)
{
	bool enabled;
	u32 data, ctrl;
	u64 addr;

	ims_edu_read_slot(store, vec->map.slot, &addr, &data, &ctrl, &enabled);
	if (!enabled) {
		vec->pending = true;
		return 0;
	}
	vec->pending = false;
	return ims_edu_send(edu, addr, data);
}

static irqreturn_t ims_edu_irq(int irq, void *arg)
{
	struct ims_edu_vec *vec = arg;

	WRITE_ONCE(vec->last_cpu, raw_smp_processor_id());
	atomic_inc(&vec->count);
	return IRQ_HANDLED;
}

static void ims_edu_free_vec(struct ims_edu_store *store,
			     struct ims_edu_vec *vec)
{
	free_irq(vec->map.virq, vec);
	ims_free_irq(store->ims, vec->map);
	vec->allocated = false;
}

static void ims_edu_destroy(struct ims_edu *edu, struct ims_edu_store *store)
{
	lockdep_assert_held(&edu->lock);

	ims_domain_destroy(store->ims);
	store->ims = NULL;
	kfree(store->vecs);
	store->vecs = NULL;
	kfree(store->mem);
	store->mem = NULL;
}

static int ims_edu_create(struct ims_edu *edu, struct ims_edu_store *store,
			  unsigned int nr_slots)
{
	struct ims_domain_info info = { .nr_slots = nr_slots };
	size_t slot_size;
	unsigned int i;
	int ret;

	lockdep_assert_held(&edu->lock);

	if (store->ims)
		return -EEXIST;
	/* Bounded so a typo cannot ask for gigabytes; 0 is the library's. */
	if (nr_slots > 2048)
		return -EINVAL;

	slot_size = store->kind == IMS_EDU_ARRAY ? IMS_SLOT_SIZE :
			sizeof(struct ims_edu_qctx);
	store->mem = kcalloc(max(nr_slots, 1U), slot_size, GFP_KERNEL);
	store->vecs = kcalloc(max(nr_slots, 1U), sizeof(*store->vecs),
			      GFP_KERNEL);
	if (!store->mem || !store->vecs) {
		ret = -ENOMEM;
		goto out_free;
	}
	memset(&store->qstats, 0, sizeof(store->qstats));

	if (store->kind == IMS_EDU_ARRAY) {
		/* Like hardware, slots come out of reset masked. */
		for (i = 0; i < nr_slots; i++)
			iowrite32(IMS_CTRL_MASK, ims_edu_array_slot(store, i) +
				  IMS_SLOT_CTRL);
		info.slots = (void __iomem __force *)store->mem;
	} else {
		info.ops = &ims_edu_queue_ops;
		info.data = store;
	}
	store->ims = ims_domain_create(edu->pdev, &info);
	if (IS_ERR(store->ims)) {
		ret = PTR_ERR(store->ims);
		store->ims = NULL;
		goto out_free;
	}
	store->nr_slots = nr_slots;
	return 0;

out_free:
	kfree(store->vecs);
	store->vecs = NULL;
	kfree(store->mem);
	store->mem = NULL;
	return ret;
}

static int ims_edu_alloc(struct ims_edu *edu, struct ims_edu_store *store,
			 int slot, const union ims_cookie *cookie, int cpu)
{
	struct irq_affinity_desc affdesc = { };
	struct ims_edu_vec *vec;
	struct ims_map map;
	int ret;

	lockdep_assert_held(&edu->lock);

	if (cpu >= 0) {
		if (cpu >= nr_cpu_ids || !cpu_online(cpu))
			return -EINVAL;
		cpumask_copy(&affdesc.mask, cpumask_of(cpu));
	}
	ret = ims_alloc_irq(store->ims, slot, cookie,
			    cpu >= 0 ? &affdesc : NULL, &map);
	if (ret)
		return ret;

	vec = &store->vecs[map.slot];
	memset(vec, 0, sizeof(*vec));
	vec->map = map;
	vec->last_cpu = -1;
	snprintf(vec->name, sizeof(vec->name), "ims-edu-%s-%u",
		 ims_edu_kind_names[store->kind], map.slot);
	ret = request_irq(map.virq, ims_edu_irq, 0, vec->name, vec);
	if (ret) {
		ims_free_irq(store->ims, map);
		return ret;
	}
	vec->allocated = true;
	return 0;
}

static struct ims_edu_vec *ims_edu_vec(struct ims_edu_store *store,
				       const char *arg)
{
	unsigned int slot;

	if (!store->ims || kstrtouint(arg, 0, &slot) ||
	    slot >= store->nr_slots || !store->vecs[slot].allocated)
		return NULL;
	return &store->vecs[slot];
}

static int ims_edu_vec_cmd(struct ims_edu *edu, struct ims_edu_store *store,
			   const char *cmd, struct ims_edu_vec *vec)
{
	int ret = 0;

	if (!strcmp(cmd, "free")) {
		ims_edu_free_vec(store, vec);
	} else if (!strcmp(cmd, "fire")) {
		ret = ims_edu_fire(edu, store, vec);
	} else if (!strcmp(cmd, "disable")) {
		/* Lazy: the slot stays unmasked until an interrupt comes. */
		disable_irq(vec->map.virq);
	} else if (!strcmp(cmd, "mask")) {
		irq_set_status_flags(vec->map.virq, IRQ_DISABLE_UNLAZY);
		disable_irq(vec->map.virq);
		irq_clear_status_flags(vec->map.virq, IRQ_DISABLE_UNLAZY);
	} else if (!strcmp(cmd, "enable")) {
		enable_irq(vec->map.virq);
		/* Unmasking lets the device send what it latched. */
		if (vec->pending)
			ret = ims_edu_fire(edu, store, vec);
	} else {
		ret = -EINVAL;
	}
	return ret;
}

static int ims_edu_alloc_cmd(struct ims_edu *edu, struct ims_edu_store *store,
			     char *args)
{
	union ims_cookie cookie, *pcookie = NULL;
	char *slot_arg = strsep(&args, " ");
	int slot, cpu = -1;
	char *opt;

	if (!store->ims || !slot_arg)
		return -EINVAL;
	if (!strcmp(slot_arg, "any"))
		slot = IMS_ANY_SLOT;
	else if (kstrtoint(slot_arg, 0, &slot))
		return -EINVAL;

	while ((opt = strsep(&args, " "))) {
		if (!strncmp(opt, "pasid=", 6)) {
			if (kstrtou64(opt + 6, 0, &cookie.value))
				return -EINVAL;
			pcookie = &cookie;
		} else if (!strncmp(opt, "cpu=", 4)) {
			if (kstrtoint(opt + 4, 0, &cpu) || cpu < 0)
				return -EINVAL;
		} else if (*opt) {
			return -EINVAL;
		}
	}
	return ims_edu_alloc(edu, store, slot, pcookie, cpu);
}

static int ims_edu_command(struct ims_edu *edu, char *line)
{
	char *cmd = strsep(&line, " ");
	char *kind = strsep(&line, " ");
	struct ims_edu_store *store = NULL;
	struct ims_edu_vec *vec;
	unsigned int n;
	int i;

	lockdep_assert_held(&edu->lock);

	for (i = 0; kind && i < IMS_EDU_NR_KINDS; i++) {
		if (!strcmp(kind, ims_edu_kind_names[i]))
			store = &edu->stores[i];
	}
	if (!store)
		return -EINVAL;

	if (!strcmp(cmd, "create")) {
		if (!line || kstrtouint(line, 0, &n))
			return -EINVAL;
		return ims_edu_create(edu, store, n);
	}
	if (!strcmp(cmd, "destroy")) {
		if (!store->ims)
			return -ENOENT;
		/* Free the handlers; the domain frees what is left. */
		for (n = 0; n < store->nr_slots; n++) {
			if (store->vecs[n].allocated)
				free_irq(store->vecs[n].map.virq,
					 &store->vecs[n]);
		}
		ims_edu_destroy(edu, store);
		return 0;
	}
	if (!strcmp(cmd, "alloc"))
		return ims_edu_alloc_cmd(edu, store, line);

	vec = line ? ims_edu_vec(store, line) : NULL;
	if (!vec)
		return -ENOENT;
	return ims_edu_vec_cmd(edu, store, cmd, vec);
}

static ssize_t ims_edu_ctl_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	struct ims_edu *edu = file_inode(file)->i_private;
	char *buf;
	int ret;

	if (len > 128)
		return -E2BIG;
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);

	mutex_lock(&edu->lock);
	ret = ims_edu_command(edu, strim(buf));
	mutex_unlock(&edu->lock);
	kfree(buf);
	return ret ? ret : len;
}

static const struct file_operations ims_edu_ctl_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = ims_edu_ctl_write,
	.llseek = noop_llseek,
};

/*
 * "vectors": allocated vectors with their counters and slot contents.
 * "slots": the contents of every slot, freed or never used ones included.
 */
static void ims_edu_show(struct seq_file *m, bool vectors)
{
	struct ims_edu *edu = m->private;
	struct ims_edu_store *store;
	struct ims_edu_vec *vec;
	unsigned int k, s;
	bool enabled;
	u32 data, ctrl;
	u64 addr;

	mutex_lock(&edu->lock);
	for (k = 0; k < IMS_EDU_NR_KINDS; k++) {
		store = &edu->stores[k];
		for (s = 0; store->ims && s < store->nr_slots; s++) {
			vec = &store->vecs[s];
			if (vectors && !vec->allocated)
				continue;
			seq_printf(m, "%s %u ", ims_edu_kind_names[k], s);
			if (vectors)
				seq_printf(m, "virq=%u count=%d cpu=%d pending=%d ",
					   vec->map.virq,
					   atomic_read(&vec->count),
					   READ_ONCE(vec->last_cpu),
					   vec->pending);
			ims_edu_read_slot(store, s, &addr, &data, &ctrl,
					  &enabled);
			seq_printf(m, "addr=%#llx data=%#x ctrl=%#x\n", addr,
				   data, ctrl);
		}
	}
	mutex_unlock(&edu->lock);
}

static int ims_edu_vectors_show(struct seq_file *m, void *unused)
{
	ims_edu_show(m, true);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ims_edu_vectors);

static int ims_edu_slots_show(struct seq_file *m, void *unused)
{
	ims_edu_show(m, false);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ims_edu_slots);

static int ims_edu_storage_show(struct seq_file *m, void *unused)
{
	struct ims_edu *edu = m->private;
	struct ims_edu_qstats *q = &edu->stores[IMS_EDU_QUEUE].qstats;

	seq_printf(m, "prepare=%d write_msg=%d mask=%d unmask=%d shutdown=%d\n",
		   atomic_read(&q->prepare), atomic_read(&q->write_msg),
		   atomic_read(&q->mask), atomic_read(&q->unmask),
		   atomic_read(&q->shutdown));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ims_edu_storage);

static int ims_edu_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct ims_edu *edu;
	int ret, k;

	edu = devm_kzalloc(&pdev->dev, sizeof(*edu), GFP_KERNEL);
	if (!edu)
		return -ENOMEM;
	edu->pdev = pdev;
	mutex_init(&edu->lock);
	for (k = 0; k < IMS_EDU_NR_KINDS; k++)
		edu->stores[k].kind = k;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	ret = pcim_iomap_regions(pdev, BIT(0), KBUILD_MODNAME);
	if (ret)
		return ret;
	edu->regs = pcim_iomap_table(pdev)[0];
	if ((readl(edu->regs + EDU_REG_ID) & 0xff) != EDU_ID_MAGIC) {
		dev_err(&pdev->dev, "not an edu device\n");
		return -ENODEV;
	}
	/* QEMU must be given dma_mask=0xffffffff to reach 0xfee00000. */
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(32));
	if (ret)
		return ret;
	edu->dma_word = dmam_alloc_coherent(&pdev->dev, sizeof(u32),
					    &edu->dma_word_addr, GFP_KERNEL);
	if (!edu->dma_word)
		return -ENOMEM;
	pci_set_master(pdev);

	edu->debugfs = debugfs_create_dir(pci_name(pdev), ims_edu_debugfs_root);
	debugfs_create_file("ctl", 0200, edu->debugfs, edu, &ims_edu_ctl_fops);
	debugfs_create_file("vectors", 0400, edu->debugfs, edu,
			    &ims_edu_vectors_fops);
	debugfs_create_file("slots", 0400, edu->debugfs, edu,
			    &ims_edu_slots_fops);
	debugfs_create_file("storage", 0400, edu->debugfs, edu,
			    &ims_edu_storage_fops);
	pci_set_drvdata(pdev, edu);
	return 0;
}

static void ims_edu_remove(struct pci_dev *pdev)
{
	struct ims_edu *edu = pci_get_drvdata(pdev);
	struct ims_edu_store *store;
	unsigned int k, s;

	debugfs_remove_recursive(edu->debugfs);
	mutex_lock(&edu->lock);
	for (k = 0; k < IMS_EDU_NR_KINDS; k++) {
		store = &edu->stores[k];
		for (s = 0; store->ims && s < store->nr_slots; s++) {
			if (store->vecs[s].allocated)
				ims_edu_free_vec(store, &store->vecs[s]);
		}
		if (store->ims)
			ims_edu_destroy(edu, store);
	}
	mutex_unlock(&edu->lock);
}

static const struct pci_device_id ims_edu_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR_ID, EDU_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, ims_edu_ids);

static struct pci_driver ims_edu_driver = {
	.name = KBUILD_MODNAME,
	.id_table = ims_edu_ids,
	.probe = ims_edu_probe,
	.remove = ims_edu_remove,
};

static int __init ims_edu_init(void)
{
	int ret;

	ims_edu_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	ret = pci_register_driver(&ims_edu_driver);
	if (ret)
		debugfs_remove(ims_edu_debugfs_root);
	return ret;
}
module_init(ims_edu_init);

static void __exit ims_edu_exit(void)
{
	pci_unregister_driver(&ims_edu_driver);
	debugfs_remove(ims_edu_debugfs_root);
}
module_exit(ims_edu_exit);

MODULE_DESCRIPTION("IMS library test driver for QEMU's edu device");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(IMS_NS);
