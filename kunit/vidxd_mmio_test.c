// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite vidxd_mmio: BAR0 of the virtual device: access rules,
 * read-only and write-1-to-clear registers, software errors, and MSI-X
 * masking with pending bits.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/pci_regs.h>

#include "vidxd_fake_host.h"

static int vidxd_mmio_init_test(struct kunit *test)
{
	test->priv = vidxd_fake_create(test);
	return 0;
}

static void vidxd_mmio_access_rules(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;
	struct vidxd *v = &h->vidxd;
	u64 val;

	KUNIT_EXPECT_EQ(test, vidxd_mmio_read(v, 0x10, 3, &val), -EINVAL);
	KUNIT_EXPECT_EQ(test, vidxd_mmio_read(v, 0x10, 16, &val), -EINVAL);
	KUNIT_EXPECT_EQ(test, vidxd_mmio_read(v, 0x12, 4, &val), -EINVAL);
	KUNIT_EXPECT_EQ(test, vidxd_mmio_read(v, 0x14, 8, &val), -EINVAL);
	KUNIT_EXPECT_EQ(test, vidxd_mmio_read(v, VIDXD_BAR0_SIZE, 1, &val),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vidxd_mmio_write(v, VIDXD_BAR0_SIZE - 4, 8, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vidxd_mmio_write(v, ~0U, 1, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vidxd_mmio_read(v, VIDXD_BAR0_SIZE - 8, 8, &val), 0);
	/* Every size reads the same bytes. */
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GENCAP, 8),
			vidxd_rd(test, h, DSA_GENCAP, 4) |
			vidxd_rd(test, h, DSA_GENCAP + 4, 4) << 32);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GENCAP + 1, 1),
			(vidxd_rd(test, h, DSA_GENCAP, 2) >> 8));
}

static void vidxd_mmio_read_only(struct kunit *test)
{
	static const unsigned int ro[] = {
		DSA_VERSION, DSA_GENCAP, DSA_WQCAP, DSA_GRPCAP,
		DSA_ENGCAP, DSA_OPCAP, DSA_TABLE, DSA_GENSTS,
		DSA_CMDSTS, DSA_CMDCAP, VIDXD_GRPCFG, VIDXD_GRPCFG + DSA_GRPCFG_ENGINES,
		VIDXD_WQCFG, VIDXD_WQCFG + DSA_WQCFG_MODE_PRIO,
		VIDXD_WQCFG + DSA_WQCFG_STATE, VIDXD_MSIX_PBA,
	};
	struct vidxd_fake_host *h = test->priv;
	unsigned int i;
	u64 before;

	for (i = 0; i < ARRAY_SIZE(ro); i++) {
		before = vidxd_rd(test, h, ro[i], 8);
		vidxd_wr(test, h, ro[i], 8, ~before);
		KUNIT_EXPECT_EQ_MSG(test, vidxd_rd(test, h, ro[i], 8), before,
				    "register at %#x", ro[i]);
	}
}

static void vidxd_mmio_gencfg_locked_while_enabled(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;

	vidxd_wr(test, h, DSA_GENCFG, 4, ~0U);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GENCFG, 4),
			DSA_GENCFG_USER_INT_EN);
	vidxd_wr(test, h, DSA_GENCFG, 4, 0);
	vidxd_fake_enable_msix(test, h);
	KUNIT_ASSERT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_DEVICE, 0), 0);
	vidxd_wr(test, h, DSA_GENCFG, 4, DSA_GENCFG_USER_INT_EN);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GENCFG, 4), 0);
	/* GENCTRL is not locked. */
	vidxd_wr(test, h, DSA_GENCTRL, 4, ~0U);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GENCTRL, 4),
			DSA_GENCTRL_SOFTERR_INT_EN | DSA_GENCTRL_HALT_INT_EN);
}

static void vidxd_mmio_swerr(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;
	u64 err[DSA_SWERR_WORDS] = { FIELD_PREP(DSA_SWERR_ERROR, 0x1a), 0x10000,
				       0x1234000, 0 };
	u64 second[DSA_SWERR_WORDS] = { FIELD_PREP(DSA_SWERR_ERROR, 0x2b) };

	vidxd_fake_enable_msix(test, h);
	/* Without softerr_int_en: recorded, INTCAUSE.ERR, no interrupt. */
	vidxd_report_error(&h->vidxd, err);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_SWERR, 8),
			err[0] | DSA_SWERR_VALID);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_SWERR + 8, 8), err[1]);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_SWERR + 16, 8), err[2]);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_INTCAUSE, 4), DSA_INTCAUSE_ERR);
	KUNIT_EXPECT_EQ(test, h->signals[0], 0);
	/* A second one before the guest clears: overflow, first kept. */
	vidxd_wr(test, h, DSA_GENCTRL, 4, DSA_GENCTRL_SOFTERR_INT_EN);
	vidxd_report_error(&h->vidxd, second);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_SWERR, 8),
			err[0] | DSA_SWERR_VALID | DSA_SWERR_OVERFLOW);
	KUNIT_EXPECT_EQ(test, h->signals[0], 1);
	/* W1C of valid and overflow; the other bits are not the guest's. */
	vidxd_wr(test, h, DSA_SWERR, 8, ~0ULL);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_SWERR, 8), err[0]);
	vidxd_wr(test, h, DSA_INTCAUSE, 4, DSA_INTCAUSE_ERR);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_INTCAUSE, 4), 0);
	vidxd_report_error(&h->vidxd, second);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_SWERR, 8),
			second[0] | DSA_SWERR_VALID);
}

static void vidxd_mmio_msix_mask_and_pending(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;
	const unsigned int ctrl1 = VIDXD_MSIX_TABLE + PCI_MSIX_ENTRY_SIZE +
				   PCI_MSIX_ENTRY_VECTOR_CTRL;

	/* MSI-X off: nothing is sent or latched. */
	vidxd_raise(&h->vidxd, 1);
	KUNIT_EXPECT_EQ(test, h->signals[1], 0);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, VIDXD_MSIX_PBA, 8), 0);

	vidxd_fake_enable_msix(test, h);
	vidxd_raise(&h->vidxd, 1);
	KUNIT_EXPECT_EQ(test, h->signals[1], 1);

	vidxd_wr(test, h, ctrl1, 4, PCI_MSIX_ENTRY_CTRL_MASKBIT);
	vidxd_raise(&h->vidxd, 1);
	vidxd_raise(&h->vidxd, 1);
	KUNIT_EXPECT_EQ(test, h->signals[1], 1);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, VIDXD_MSIX_PBA, 8), BIT(1));
	vidxd_wr(test, h, ctrl1, 4, 0);
	/* One pending bit, one interrupt. */
	KUNIT_EXPECT_EQ(test, h->signals[1], 2);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, VIDXD_MSIX_PBA, 8), 0);

	/* Function mask holds every vector. */
	vidxd_cfg_wr(test, h, VIDXD_CAP_MSIX + PCI_MSIX_FLAGS, 2,
		     PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL);
	vidxd_raise(&h->vidxd, 0);
	KUNIT_EXPECT_EQ(test, h->signals[0], 0);
	vidxd_cfg_wr(test, h, VIDXD_CAP_MSIX + PCI_MSIX_FLAGS, 2,
		     PCI_MSIX_FLAGS_ENABLE);
	KUNIT_EXPECT_EQ(test, h->signals[0], 1);

	/* The table entry's address/data are the guest's to write. */
	vidxd_wr(test, h, VIDXD_MSIX_TABLE, 8, 0x00000000fee01000ULL);
	vidxd_wr(test, h, VIDXD_MSIX_TABLE + 8, 4, 0x41);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, VIDXD_MSIX_TABLE, 8),
			0xfee01000ULL);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, VIDXD_MSIX_TABLE + 8, 4), 0x41);
	vidxd_wr(test, h, VIDXD_MSIX_TABLE + PCI_MSIX_ENTRY_VECTOR_CTRL, 4, ~0U);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, VIDXD_MSIX_TABLE +
				       PCI_MSIX_ENTRY_VECTOR_CTRL, 4),
			PCI_MSIX_ENTRY_CTRL_MASKBIT);
}

static void vidxd_mmio_msix_perm(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;

	vidxd_wr(test, h, VIDXD_MSIX_PERM + 8, 8, ~0ULL);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, VIDXD_MSIX_PERM + 8, 8),
			(u64)VIDXD_MSIX_PERM_WMASK);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, VIDXD_MSIX_PERM, 8), 0);
}

static struct kunit_case vidxd_mmio_cases[] = {
	KUNIT_CASE(vidxd_mmio_access_rules),
	KUNIT_CASE(vidxd_mmio_read_only),
	KUNIT_CASE(vidxd_mmio_gencfg_locked_while_enabled),
	KUNIT_CASE(vidxd_mmio_swerr),
	KUNIT_CASE(vidxd_mmio_msix_mask_and_pending),
	KUNIT_CASE(vidxd_mmio_msix_perm),
	{}
};

static struct kunit_suite vidxd_mmio_suite = {
	.name = "vidxd_mmio",
	.init = vidxd_mmio_init_test,
	.test_cases = vidxd_mmio_cases,
};

kunit_test_suite(vidxd_mmio_suite);
