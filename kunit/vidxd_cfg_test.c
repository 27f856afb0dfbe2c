// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite vidxd_cfg: the virtual device's PCI configuration space.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/pci_regs.h>

#include "vidxd_fake_host.h"

static int vidxd_cfg_init_test(struct kunit *test)
{
	test->priv = vidxd_fake_create(test);
	return 0;
}

static void vidxd_cfg_identity(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;

	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_VENDOR_ID, 2), 0x8086);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_DEVICE_ID, 2), 0x0b25);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_CLASS_REVISION, 4) >> 8,
			0x088000);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_HEADER_TYPE, 1), 0);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_INTERRUPT_PIN, 1), 0);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_STATUS, 2) &
			PCI_STATUS_CAP_LIST, PCI_STATUS_CAP_LIST);
}

/* An IAX parent makes an IAX function: its ID, operations and limits. */
static void vidxd_cfg_iax(struct kunit *test)
{
	struct vidxd_caps iax = vidxd_fake_caps;
	struct vidxd_fake_host *h = test->priv;
	u64 gencap;

	iax.device_id = 0x0cfe;
	iax.gencap &= ~DSA_GENCAP_MAX_BATCH_SHIFT;
	iax.opcap[0] = 0x7;
	iax.opcap[1] = 0x3;
	KUNIT_ASSERT_EQ(test, vidxd_init(&h->vidxd, &iax, h->vidxd.ops, h), 0);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_DEVICE_ID, 2), 0x0cfe);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_OPCAP, 8), 0x7);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_OPCAP + 8, 8), 0x3);
	gencap = vidxd_rd(test, h, DSA_GENCAP, 8);
	KUNIT_EXPECT_EQ(test, FIELD_GET(DSA_GENCAP_MAX_BATCH_SHIFT, gencap), 0);
	KUNIT_EXPECT_EQ(test, FIELD_GET(DSA_WQCFG_MAX_BATCH_SHIFT,
					vidxd_rd(test, h, VIDXD_WQCFG +
						 DSA_WQCFG_XFER_BATCH, 4)), 0);
}

static void vidxd_cfg_init_rejects(struct kunit *test)
{
	struct vidxd_caps caps = vidxd_fake_caps;
	struct vidxd_fake_host *h = test->priv;
	struct vidxd_host_ops ops = *h->vidxd.ops;

	caps.wq_size = 0;
	KUNIT_EXPECT_EQ(test, vidxd_init(&h->vidxd, &caps, &ops, h), -EINVAL);
	caps = vidxd_fake_caps;
	caps.num_engines = 0;
	KUNIT_EXPECT_EQ(test, vidxd_init(&h->vidxd, &caps, &ops, h), -EINVAL);
	ops.signal = NULL;
	KUNIT_EXPECT_EQ(test, vidxd_init(&h->vidxd, &vidxd_fake_caps, &ops, h),
			-EINVAL);
}

static void vidxd_cfg_bar_sizing(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;

	vidxd_cfg_wr(test, h, PCI_BASE_ADDRESS_0, 4, ~0U);
	vidxd_cfg_wr(test, h, PCI_BASE_ADDRESS_1, 4, ~0U);
	vidxd_cfg_wr(test, h, PCI_BASE_ADDRESS_2, 4, ~0U);
	vidxd_cfg_wr(test, h, PCI_BASE_ADDRESS_4, 4, ~0U);
	/* 8 KiB, 64-bit, BAR0 not prefetchable, BAR2 prefetchable. */
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_BASE_ADDRESS_0, 4),
			0xffffe004);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_BASE_ADDRESS_1, 4), ~0U);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_BASE_ADDRESS_2, 4),
			0xffffe00c);
	/* BAR4 and BAR5 do not exist: they read 0 whatever is written. */
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_BASE_ADDRESS_4, 4), 0);
	vidxd_cfg_wr(test, h, PCI_BASE_ADDRESS_0, 4, 0xfebf1234);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_BASE_ADDRESS_0, 4),
			0xfebf0004);
	/* No expansion ROM. */
	vidxd_cfg_wr(test, h, PCI_ROM_ADDRESS, 4, ~0U);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_ROM_ADDRESS, 4), 0);
}

static void vidxd_cfg_write_masks(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;

	vidxd_cfg_wr(test, h, PCI_VENDOR_ID, 4, 0x12345678);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_VENDOR_ID, 4),
			0x0b258086);
	vidxd_cfg_wr(test, h, PCI_COMMAND, 2, 0xffff);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_COMMAND, 2),
			PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
			PCI_COMMAND_PARITY | PCI_COMMAND_SERR |
			PCI_COMMAND_INTX_DISABLE);
	vidxd_cfg_wr(test, h, PCI_CACHE_LINE_SIZE, 1, 0x10);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_CACHE_LINE_SIZE, 1), 0x10);
	vidxd_cfg_wr(test, h, PCI_INTERRUPT_LINE, 2, 0x0a0b);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_INTERRUPT_LINE, 2), 0x000b);
	/* MSI-X: only enable and mask-all move; table size stays. */
	vidxd_cfg_wr(test, h, VIDXD_CAP_MSIX + PCI_MSIX_FLAGS, 2, 0xffff);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, VIDXD_CAP_MSIX +
					   PCI_MSIX_FLAGS, 2), 0xc001);
}

static void vidxd_cfg_status_rw1c(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;
	struct vidxd *v = &h->vidxd;

	/* Errors latched by the device... */
	v->cfg[PCI_STATUS + 1] |= (PCI_STATUS_REC_MASTER_ABORT |
				   PCI_STATUS_DETECTED_PARITY) >> 8;
	/* ...clear only where the guest writes 1. */
	vidxd_cfg_wr(test, h, PCI_STATUS, 2, PCI_STATUS_REC_MASTER_ABORT);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_STATUS, 2),
			PCI_STATUS_CAP_LIST | PCI_STATUS_DETECTED_PARITY);
	vidxd_cfg_wr(test, h, PCI_STATUS, 2, 0xffff);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_STATUS, 2),
			PCI_STATUS_CAP_LIST);
}

static void vidxd_cfg_capability_walk(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;
	u8 ids[8], pos;
	int n = 0;

	for (pos = vidxd_cfg_rd(test, h, PCI_CAPABILITY_LIST, 1); pos && n < 8;
	     pos = vidxd_cfg_rd(test, h, pos + PCI_CAP_LIST_NEXT, 1)) {
		KUNIT_EXPECT_EQ(test, pos % 4, 0);
		ids[n++] = vidxd_cfg_rd(test, h, pos + PCI_CAP_LIST_ID, 1);
	}
	KUNIT_ASSERT_EQ(test, n, 2);
	KUNIT_EXPECT_EQ(test, ids[0], PCI_CAP_ID_MSIX);
	KUNIT_EXPECT_EQ(test, ids[1], PCI_CAP_ID_EXP);
	/* MSI-X: 2 vectors, table and PBA in BAR0 where BAR0 has them. */
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, VIDXD_CAP_MSIX +
					   PCI_MSIX_TABLE, 4), VIDXD_MSIX_TABLE);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, VIDXD_CAP_MSIX +
					   PCI_MSIX_PBA, 4), VIDXD_MSIX_PBA);
	/* PCIe: version 2 RCiEP that can do FLR; no extended capabilities. */
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, VIDXD_CAP_PCIE +
					   PCI_EXP_FLAGS, 2), 0x0092);
	KUNIT_EXPECT_TRUE(test, vidxd_cfg_rd(test, h, VIDXD_CAP_PCIE +
					     PCI_EXP_DEVCAP, 4) &
			  PCI_EXP_DEVCAP_FLR);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_CFG_SPACE_SIZE, 4), 0);
}

static void vidxd_cfg_bad_access(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;
	u32 val;

	KUNIT_EXPECT_EQ(test, vidxd_cfg_read(&h->vidxd, 1, 2, &val), -EINVAL);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_read(&h->vidxd, 0, 3, &val), -EINVAL);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_read(&h->vidxd, 0, 8, &val), -EINVAL);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_read(&h->vidxd, 4096, 1, &val), -EINVAL);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_read(&h->vidxd, 4094, 4, &val), -EINVAL);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_write(&h->vidxd, ~0U, 4, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_write(&h->vidxd, 2, 4, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_read(&h->vidxd, 4092, 4, &val), 0);
}

static void vidxd_cfg_bus_master_off_halts(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;

	vidxd_fake_enable_msix(test, h);
	vidxd_wr(test, h, DSA_GENCTRL, 4, DSA_GENCTRL_HALT_INT_EN);
	KUNIT_ASSERT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_DEVICE, 0), 0);
	KUNIT_ASSERT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_WQ, 0), 0);
	h->signals[0] = 0;

	vidxd_cfg_wr(test, h, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GENSTS, 4),
			FIELD_PREP(DSA_GENSTS_STATE, DSA_GENSTS_HALT) |
			FIELD_PREP(DSA_GENSTS_RESET_TYPE, DSA_GENSTS_RESET_FLR));
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_SWERR, 8),
			DSA_SWERR_VALID | FIELD_PREP(DSA_SWERR_ERROR, VIDXD_SWERR_PCI_CFG));
	KUNIT_EXPECT_TRUE(test, vidxd_rd(test, h, DSA_INTCAUSE, 4) &
			  DSA_INTCAUSE_HALT);
	KUNIT_EXPECT_FALSE(test, h->wq_enabled);
	/* Without bus mastering the interrupt cannot go out: it is pending. */
	KUNIT_EXPECT_EQ(test, h->signals[0], 0);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, VIDXD_MSIX_PBA, 8), BIT(0));
	/* Commands but reset fail in HALT; reset recovers. */
	vidxd_cfg_wr(test, h, PCI_COMMAND, 2, PCI_COMMAND_MASTER);
	KUNIT_EXPECT_EQ(test, h->signals[0], 1);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_WQ, 0),
			DSA_CMDSTS_HW_ERR);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_RESET_DEVICE, 0), 0);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GENSTS, 4), 0);
}

static void vidxd_cfg_bus_master_off_disabled_is_fine(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;

	vidxd_cfg_wr(test, h, PCI_COMMAND, 2, PCI_COMMAND_MASTER);
	vidxd_cfg_wr(test, h, PCI_COMMAND, 2, 0);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GENSTS, 4), 0);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_SWERR, 8), 0);
}

static void vidxd_cfg_flr_resets(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;

	vidxd_fake_enable_msix(test, h);
	KUNIT_ASSERT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_DEVICE, 0), 0);
	KUNIT_ASSERT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_WQ, 0), 0);
	KUNIT_ASSERT_EQ(test, vidxd_cmd(test, h, DSA_CMD_REQUEST_INT_HANDLE, 1),
			FIELD_PREP(DSA_CMDSTS_RESULT, VIDXD_FAKE_HANDLE_BASE + 1));

	vidxd_cfg_wr(test, h, VIDXD_CAP_PCIE + PCI_EXP_DEVCTL, 2,
		     PCI_EXP_DEVCTL_BCR_FLR);
	KUNIT_EXPECT_FALSE(test, h->wq_enabled);
	KUNIT_EXPECT_EQ(test, h->handles, 0UL);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_COMMAND, 2), 0);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, VIDXD_CAP_PCIE +
					   PCI_EXP_DEVCTL, 2), 0);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GENSTS, 4), 0);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, VIDXD_WQCFG + DSA_WQCFG_STATE, 4), 0);
}

static struct kunit_case vidxd_cfg_cases[] = {
	KUNIT_CASE(vidxd_cfg_identity),
	KUNIT_CASE(vidxd_cfg_iax),
	KUNIT_CASE(vidxd_cfg_init_rejects),
	KUNIT_CASE(vidxd_cfg_bar_sizing),
	KUNIT_CASE(vidxd_cfg_write_masks),
	KUNIT_CASE(vidxd_cfg_status_rw1c),
	KUNIT_CASE(vidxd_cfg_capability_walk),
	KUNIT_CASE(vidxd_cfg_bad_access),
	KUNIT_CASE(vidxd_cfg_bus_master_off_halts),
	KUNIT_CASE(vidxd_cfg_bus_master_off_disabled_is_fine),
	KUNIT_CASE(vidxd_cfg_flr_resets),
	{}
};

static struct kunit_suite vidxd_cfg_suite = {
	.name = "vidxd_cfg",
	.init = vidxd_cfg_init_test,
	.test_cases = vidxd_cfg_cases,
};

kunit_test_suite(vidxd_cfg_suite);
