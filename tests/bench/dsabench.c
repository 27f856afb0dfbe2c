// SPDX-License-Identifier: GPL-2.0
/*
 * dsabench: load-time measurements of a DSA as a guest's kernel sees it,
 * made the same way whether the DSA is an idxd_mdev instance or the whole
 * function passed through with vfio-pci, so that the two can be compared
 * (make bench). It uses the one dmaengine memcpy channel (the kernel's
 * idxd on a dedicated kernel WQ) and the PCI function behind it:
 *
 *   copy    dmaengine memcpys of copy_size bytes, one in flight: each waits
 *           for its completion interrupt (completions/s);
 *   stream  memcpys of stream_size bytes, depth in flight (throughput);
 *   irq     NOOP descriptors with a completion interrupt, one in flight
 *           (interrupt delivery: device -> host -> guest, and back);
 *   mmio    reads of BAR0's GENCAP register;
 *   cfg     reads of the first config-space dword.
 *
 * Each is made "repeat" times, in turn with the others, and prints one
 * line "dsabench: NAME n=N bytes=B ns=T" (B: bytes per operation, 0 for
 * none; T: the fastest run's time): rates are worked out by whoever reads
 * it. Copied data is compared after each run, so a number is printed only
 * for work that was done right; loading fails otherwise.
 */
#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/dmaengine.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/random.h>

/* GENCAP, in every DSA's register file (BAR0). */
#define DSABENCH_GENCAP		0x10
#define DSABENCH_TIMEOUT_MS	10000

static unsigned int copies = 2000;
module_param(copies, uint, 0444);
MODULE_PARM_DESC(copies, "copy: memcpys, one in flight (default 2000)");
static unsigned int copy_size = 4096;
module_param(copy_size, uint, 0444);
MODULE_PARM_DESC(copy_size, "copy: bytes each (default 4096)");
static unsigned int streams = 400;
module_param(streams, uint, 0444);
MODULE_PARM_DESC(streams, "stream: memcpys (default 400)");
static unsigned int stream_size = 65536;
module_param(stream_size, uint, 0444);
MODULE_PARM_DESC(stream_size, "stream: bytes each (default 65536)");
static unsigned int depth = 8;
module_param(depth, uint, 0444);
MODULE_PARM_DESC(depth, "stream: memcpys in flight (default 8)");
static unsigned int irqs = 2000;
module_param(irqs, uint, 0444);
MODULE_PARM_DESC(irqs, "irq: interrupting NOOPs, one in flight (default 2000)");
static unsigned int reads = 5000;
module_param(reads, uint, 0444);
MODULE_PARM_DESC(reads, "mmio, cfg: register reads each (default 5000)");
static unsigned int repeat = 5;
module_param(repeat, uint, 0444);
MODULE_PARM_DESC(repeat, "times each is made, the fastest kept (default 5)");

/* Completion of a group of descriptors: the last callback completes. */
struct dsabench_group {
	struct completion done;
	atomic_t pending;
	atomic_t errors;
};

static void dsabench_done(void *arg, const struct dmaengine_result *res)
{
	struct dsabench_group *grp = arg;

	if (res && res->result != DMA_TRANS_NOERROR)
		atomic_inc(&grp->errors);
	if (atomic_dec_and_test(&grp->pending))
		complete(&grp->done);
}

/*
 * Submit @n descriptors (memcpys of @len bytes from @src + i * @len to
 * @dst + i * @len, or NOOPs when @len is 0) and wait until all completed.
 */
static int dsabench_group(struct dma_chan *chan, dma_addr_t src,
			  dma_addr_t dst, size_t len, unsigned int n)
{
	struct dsabench_group grp;
	struct dma_async_tx_descriptor *tx;
	unsigned int i;

	init_completion(&grp.done);
	atomic_set(&grp.pending, n);
	atomic_set(&grp.errors, 0);
	for (i = 0; i < n; i++) {
		if (len)
			tx = dmaengine_prep_dma_memcpy(chan, dst + i * len,
						       src + i * len, len,
						       DMA_PREP_INTERRUPT |
						       DMA_CTRL_ACK);
		else
			/* dmaengine has no wrapper for this one. */
			tx = chan->device->device_prep_dma_interrupt(chan,
					DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
		/* Those submitted must still complete before @grp goes. */
		if (!tx)
			break;
		tx->callback_result = dsabench_done;
		tx->callback_param = &grp;
		if (dma_submit_error(dmaengine_submit(tx)))
			break;
	}
	dma_async_issue_pending(chan);
	if (i < n && atomic_sub_and_test(n - i, &grp.pending))
		complete(&grp.done);
	if (!wait_for_completion_timeout(&grp.done,
					 msecs_to_jiffies(DSABENCH_TIMEOUT_MS))) {
		/*
		 * Their callbacks would find @grp, and this module, gone
		 * (idxd cannot abort them): wait on, and say so.
		 */
		pr_err("dsabench: %s: %d of %u descriptors not completed after %u ms, waiting for them\n",
		       dma_chan_name(chan), atomic_read(&grp.pending), n,
		       DSABENCH_TIMEOUT_MS);
		wait_for_completion(&grp.done);
		return -ETIMEDOUT;
	}
	if (i < n)
		return -ENOMEM;
	return atomic_read(&grp.errors) ? -EIO : 0;
}

enum dsabench_measure {
	DSABENCH_COPY,
	DSABENCH_STREAM,
	DSABENCH_IRQ,
	DSABENCH_MMIO,
	DSABENCH_CFG,
	DSABENCH_NR
};

static const char * const dsabench_names[DSABENCH_NR] = {
	"copy", "stream", "irq", "mmio", "cfg"
};

struct dsabench {
	struct dma_chan *chan;
	struct pci_dev *pdev;
	void __iomem *regs;	/* BAR0, mapped once more */
	u8 *src, *dst;		/* coherent, @len bytes each */
	dma_addr_t s, d;
	size_t len;
	u64 best[DSABENCH_NR];	/* the fastest of the repeats, ns */
};

/*
 * @rounds groups of @per descriptors of @len bytes each (NOOPs if @len is
 * 0); the copies are checked at the end. The time in @ns.
 */
static int dsabench_dma(struct dsabench *b, size_t len, unsigned int per,
			unsigned int rounds, u64 *ns)
{
	unsigned int i;
	u64 t0;
	int ret = 0;

	if (len) {
		get_random_bytes(b->src, per * len);
		memset(b->dst, 0, per * len);
	}
	t0 = ktime_get_ns();
	for (i = 0; i < rounds && !ret; i++)
		ret = dsabench_group(b->chan, b->s, b->d, len, per);
	*ns = ktime_get_ns() - t0;
	if (ret)
		return ret;
	if (len && memcmp(b->src, b->dst, per * len))
		return -EILSEQ;
	return 0;
}

/*
 * @reads reads of GENCAP in BAR0 (@cfg false) or of the first dword of
 * config space; the time in @ns. A read of all ones is a device that is
 * gone, and no measurement.
 */
static int dsabench_reads(struct dsabench *b, bool cfg, u64 *ns)
{
	unsigned int i;
	u32 val = 0;
	u64 t0;

	t0 = ktime_get_ns();
	for (i = 0; i < reads && val != U32_MAX; i++) {
		if (cfg)
			pci_read_config_dword(b->pdev, PCI_VENDOR_ID, &val);
		else
			val = ioread32(b->regs + DSABENCH_GENCAP);
	}
	*ns = ktime_get_ns() - t0;
	return val == U32_MAX ? -ENODEV : 0;
}

static int dsabench_once(struct dsabench *b, enum dsabench_measure m,
			 u64 *ns)
{
	switch (m) {
	case DSABENCH_COPY:
		return dsabench_dma(b, copy_size, 1, copies, ns);
	case DSABENCH_STREAM:
		return dsabench_dma(b, stream_size, depth, streams / depth, ns);
	case DSABENCH_IRQ:
		return dsabench_dma(b, 0, 1, irqs, ns);
	case DSABENCH_MMIO:
		return dsabench_reads(b, false, ns);
	default:
		return dsabench_reads(b, true, ns);
	}
}

/*
 * Every measurement in turn, @repeat times, the fastest of each kept: a
 * moment when the machine is busy elsewhere slows one of the repeats of
 * a few measurements, not every repeat of one.
 */
static int dsabench_all(struct dsabench *b)
{
	unsigned int n[DSABENCH_NR] = {
		copies, streams / depth * depth, irqs, reads, reads
	};
	unsigned int bytes[DSABENCH_NR] = { copy_size, stream_size };
	unsigned int r;
	int m, ret;
	u64 t;

	for (r = 0; r < repeat; r++) {
		for (m = 0; m < DSABENCH_NR; m++) {
			ret = dsabench_once(b, m, &t);
			if (ret) {
				pr_err("dsabench: %s (repeat %u) failed: %d\n",
				       dsabench_names[m], r, ret);
				return ret;
			}
			if (!r || t < b->best[m])
				b->best[m] = t;
		}
	}
	for (m = 0; m < DSABENCH_NR; m++)
		pr_info("dsabench: %s n=%u bytes=%u ns=%llu\n",
			dsabench_names[m], n[m], bytes[m], b->best[m]);
	return 0;
}

static int dsabench_run(struct dsabench *b)
{
	struct device *dev = b->chan->device->dev;
	int ret = -ENOMEM;

	b->len = max_t(size_t, copy_size, (size_t)stream_size * depth);
	/* idxd has BAR0: a second mapping needs no claim on the region. */
	b->regs = ioremap(pci_resource_start(b->pdev, 0), PAGE_SIZE);
	b->src = dma_alloc_coherent(dev, b->len, &b->s, GFP_KERNEL);
	b->dst = dma_alloc_coherent(dev, b->len, &b->d, GFP_KERNEL);
	if (b->regs && b->src && b->dst)
		ret = dsabench_all(b);
	if (b->dst)
		dma_free_coherent(dev, b->len, b->dst, b->d);
	if (b->src)
		dma_free_coherent(dev, b->len, b->src, b->s);
	if (b->regs)
		iounmap(b->regs);
	return ret;
}

static int __init dsabench_init(void)
{
	struct dsabench b = { };
	dma_cap_mask_t mask;
	int ret;

	if (!copies || !copy_size || !stream_size || !depth ||
	    streams < depth || !irqs || !reads || !repeat)
		return -EINVAL;
	dma_cap_zero(mask);
	dma_cap_set(DMA_MEMCPY, mask);
	dma_cap_set(DMA_INTERRUPT, mask);
	b.chan = dma_request_channel(mask, NULL, NULL);
	if (!b.chan) {
		pr_err("dsabench: no memcpy channel with interrupts\n");
		return -ENODEV;
	}
	if (!dev_is_pci(b.chan->device->dev)) {
		pr_err("dsabench: %s is not a PCI function's\n",
		       dma_chan_name(b.chan));
		ret = -ENODEV;
	} else {
		b.pdev = to_pci_dev(b.chan->device->dev);
		pr_info("dsabench: %s of %s\n", dma_chan_name(b.chan),
			pci_name(b.pdev));
		ret = dsabench_run(&b);
	}
	dma_release_channel(b.chan);
	return ret;
}

static void __exit dsabench_exit(void)
{
}

module_init(dsabench_init);
module_exit(dsabench_exit);
MODULE_DESCRIPTION("Guest-side DSA measurements for make bench (test module)");
MODULE_LICENSE("GPL");
