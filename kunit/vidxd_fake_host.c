// SPDX-License-Identifier: GPL-2.0
/*
 * The fake host side of the vidxd KUnit suites, and guest access helpers.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/pci_regs.h>

#include "vidxd_fake_host.h"

/* A DSA 1.0 function as Sapphire Rapids reports it. */
const struct vidxd_caps vidxd_fake_caps = {
	.device_id = 0x0b25,
	.version = 0x100,
	.gencap = 0x40915f010fULL,
	.opcap = { 0x00000000fff0ffffULL, 0, 0, 0 },
	.wq_size = 16,
	.wq_priority = 10,
	.num_engines = 2,
};

static struct vidxd_fake_host *fake_of(void *host)
{
	return host;
}

static int fake_wq_enable(void *host, const struct vidxd_wq_config *cfg)
{
	struct vidxd_fake_host *h = fake_of(host);

	h->enables++;
	h->last_cfg = *cfg;
	if (h->fail)
		return -EIO;
	h->wq_enabled = true;
	return 0;
}

static int fake_wq_disable(void *host)
{
	struct vidxd_fake_host *h = fake_of(host);

	h->disables++;
	/* A WQ the host failed to disable may still run: say so. */
	if (h->fail) {
		h->failed_stops++;
		return -EIO;
	}
	h->wq_enabled = false;
	return 0;
}

static int fake_wq_drain(void *host)
{
	struct vidxd_fake_host *h = fake_of(host);

	h->drains++;
	return h->fail ? -EIO : 0;
}

static int fake_wq_abort(void *host)
{
	struct vidxd_fake_host *h = fake_of(host);

	h->aborts++;
	return h->fail ? -EIO : 0;
}

static int fake_wq_reset(void *host)
{
	struct vidxd_fake_host *h = fake_of(host);

	h->resets++;
	if (h->fail) {
		h->failed_stops++;
		return -EIO;
	}
	h->wq_enabled = false;
	return 0;
}

static int fake_int_handle_request(void *host, unsigned int vector,
				   u32 *handle)
{
	struct vidxd_fake_host *h = fake_of(host);

	h->requests++;
	if (h->fail)
		return -EIO;
	h->handles |= BIT(vector);
	*handle = VIDXD_FAKE_HANDLE_BASE + vector;
	return 0;
}

static void fake_int_handle_release(void *host, unsigned int vector)
{
	struct vidxd_fake_host *h = fake_of(host);

	h->releases++;
	h->handles &= ~BIT(vector);
}

static void fake_signal(void *host, unsigned int vector)
{
	fake_of(host)->signals[vector]++;
}

static const struct vidxd_host_ops fake_ops = {
	.wq_enable = fake_wq_enable,
	.wq_disable = fake_wq_disable,
	.wq_drain = fake_wq_drain,
	.wq_abort = fake_wq_abort,
	.wq_reset = fake_wq_reset,
	.int_handle_request = fake_int_handle_request,
	.int_handle_release = fake_int_handle_release,
	.signal = fake_signal,
};

struct vidxd_fake_host *vidxd_fake_create(struct kunit *test)
{
	struct vidxd_fake_host *h;

	h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, h);
	KUNIT_ASSERT_EQ(test, vidxd_init(&h->vidxd, &vidxd_fake_caps,
					 &fake_ops, h), 0);
	return h;
}

u64 vidxd_rd(struct kunit *test, struct vidxd_fake_host *h, unsigned int off,
	     unsigned int size)
{
	u64 val = 0;

	KUNIT_EXPECT_EQ(test, vidxd_mmio_read(&h->vidxd, off, size, &val), 0);
	return val;
}

void vidxd_wr(struct kunit *test, struct vidxd_fake_host *h, unsigned int off,
	      unsigned int size, u64 val)
{
	KUNIT_EXPECT_EQ(test, vidxd_mmio_write(&h->vidxd, off, size, val), 0);
}

u32 vidxd_cfg_rd(struct kunit *test, struct vidxd_fake_host *h,
		 unsigned int off, unsigned int size)
{
	u32 val = 0;

	KUNIT_EXPECT_EQ(test, vidxd_cfg_read(&h->vidxd, off, size, &val), 0);
	return val;
}

void vidxd_cfg_wr(struct kunit *test, struct vidxd_fake_host *h,
		  unsigned int off, unsigned int size, u32 val)
{
	KUNIT_EXPECT_EQ(test, vidxd_cfg_write(&h->vidxd, off, size, val), 0);
}

/* Run a command as the guest driver does: int_req set, status read back. */
u32 vidxd_cmd(struct kunit *test, struct vidxd_fake_host *h, u32 code,
	      u32 operand)
{
	vidxd_wr(test, h, DSA_CMD, 4, FIELD_PREP(DSA_CMD_CODE, code) |
		 FIELD_PREP(DSA_CMD_OPERAND, operand) | DSA_CMD_INT_REQ);
	return vidxd_rd(test, h, DSA_CMDSTS, 4);
}

/* Bus mastering and MSI-X on, both vectors unmasked. */
void vidxd_fake_enable_msix(struct kunit *test, struct vidxd_fake_host *h)
{
	unsigned int v;

	vidxd_cfg_wr(test, h, PCI_COMMAND, 2,
		     PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	vidxd_cfg_wr(test, h, VIDXD_CAP_MSIX + PCI_MSIX_FLAGS, 2,
		     PCI_MSIX_FLAGS_ENABLE);
	for (v = 0; v < VIDXD_NR_VECTORS; v++)
		vidxd_wr(test, h, VIDXD_MSIX_TABLE + PCI_MSIX_ENTRY_SIZE * v +
			 PCI_MSIX_ENTRY_VECTOR_CTRL, 4, 0);
}
