// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite vidxd_cmd: the command engine, first as the upstream guest
 * idxd driver (6.1) drives it, then command by command with its errors.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/pci_regs.h>

#include "vidxd_fake_host.h"

#define STATUS(err, result)	(FIELD_PREP(DSA_CMDSTS_ERR, err) | \
				 FIELD_PREP(DSA_CMDSTS_RESULT, result))

static int vidxd_cmd_init_test(struct kunit *test)
{
	test->priv = vidxd_fake_create(test);
	return 0;
}

/* Device and WQ enabled, as the guest driver leaves them after probe. */
static void enable_all(struct kunit *test, struct vidxd_fake_host *h)
{
	vidxd_fake_enable_msix(test, h);
	KUNIT_ASSERT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_DEVICE, 0), 0);
	KUNIT_ASSERT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_WQ, 0), 0);
}

/*
 * The guest driver's probe and WQ enable, in its order: reset the device
 * (polling CMDSTS, no interrupt), read the capabilities and the table
 * offsets, load the fixed group and WQ configuration, turn on MSI-X, ask
 * for an interrupt handle per WQ vector, enable the device, enable the
 * WQ; then take it all down again.
 */
static void vidxd_cmd_guest_driver_sequence(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;
	u64 gencap, wqcap, table;
	u32 grpcfg, wqcfg, cmdcap;

	vidxd_wr(test, h, DSA_CMD, 4,
		 FIELD_PREP(DSA_CMD_CODE, DSA_CMD_RESET_DEVICE));
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_CMDSTS, 4), 0);
	KUNIT_EXPECT_EQ(test, h->signals[0], 0);

	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_VERSION, 4), 0x100);
	gencap = vidxd_rd(test, h, DSA_GENCAP, 8);
	KUNIT_EXPECT_TRUE(test, gencap & DSA_GENCAP_CMD_CAP);
	KUNIT_EXPECT_FALSE(test, gencap & DSA_GENCAP_CONFIG_EN);
	KUNIT_EXPECT_FALSE(test, gencap & DSA_GENCAP_BLOCK_ON_FAULT);
	KUNIT_EXPECT_EQ(test, FIELD_GET(DSA_GENCAP_MAX_IMS_MULT, gencap), 0);
	KUNIT_EXPECT_EQ(test, FIELD_GET(DSA_GENCAP_MAX_XFER_SHIFT, gencap),
			FIELD_GET(DSA_GENCAP_MAX_XFER_SHIFT, vidxd_fake_caps.gencap));
	KUNIT_EXPECT_EQ(test, FIELD_GET(DSA_GENCAP_MAX_BATCH_SHIFT, gencap),
			FIELD_GET(DSA_GENCAP_MAX_BATCH_SHIFT, vidxd_fake_caps.gencap));
	cmdcap = vidxd_rd(test, h, DSA_CMDCAP, 4);
	KUNIT_EXPECT_EQ(test, cmdcap, GENMASK(DSA_CMD_MAX, 1));
	wqcap = vidxd_rd(test, h, DSA_WQCAP, 8);
	KUNIT_EXPECT_EQ(test, FIELD_GET(DSA_WQCAP_TOTAL_WQ_SIZE, wqcap), 16);
	KUNIT_EXPECT_EQ(test, FIELD_GET(DSA_WQCAP_NUM_WQS, wqcap), 1);
	KUNIT_EXPECT_EQ(test, FIELD_GET(DSA_WQCAP_WQCFG_SIZE, wqcap), 0);
	KUNIT_EXPECT_TRUE(test, wqcap & DSA_WQCAP_DEDICATED_MODE);
	KUNIT_EXPECT_FALSE(test, wqcap & DSA_WQCAP_SHARED_MODE);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GRPCAP, 8), 1);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_ENGCAP, 8), 2);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_OPCAP, 8),
			vidxd_fake_caps.opcap[0]);
	table = vidxd_rd(test, h, DSA_TABLE, 8);
	grpcfg = FIELD_GET(DSA_TABLE_GRPCFG, table) * DSA_TABLE_UNIT;
	wqcfg = FIELD_GET(DSA_TABLE_WQCFG, table) * DSA_TABLE_UNIT;
	KUNIT_EXPECT_EQ(test, grpcfg, VIDXD_GRPCFG);
	KUNIT_EXPECT_EQ(test, wqcfg, VIDXD_WQCFG);
	KUNIT_EXPECT_EQ(test, FIELD_GET(DSA_TABLE_MSIX_PERM, table) *
			DSA_TABLE_UNIT, VIDXD_MSIX_PERM);
	KUNIT_EXPECT_EQ(test, FIELD_GET(DSA_TABLE_IMS, table), 0);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_TABLE + 8, 8), 0);

	/* Group 0: WQ 0 and both engines. WQ 0: dedicated, size 16. */
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, grpcfg + DSA_GRPCFG_WQS, 8), 1);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, grpcfg + DSA_GRPCFG_WQS + 8, 8), 0);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, grpcfg + DSA_GRPCFG_ENGINES, 8), 3);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, wqcfg + DSA_WQCFG_SIZE, 4), 16);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, wqcfg + DSA_WQCFG_MODE_PRIO, 4),
			DSA_WQCFG_MODE_DEDICATED | FIELD_PREP(DSA_WQCFG_PRIORITY, 10));
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, wqcfg + DSA_WQCFG_STATE, 4), 0);

	vidxd_fake_enable_msix(test, h);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_REQUEST_INT_HANDLE, 1),
			STATUS(0, VIDXD_FAKE_HANDLE_BASE + 1));
	KUNIT_EXPECT_EQ(test, h->handles, BIT(1));
	/* Every command asked for an interrupt, and got it on vector 0. */
	KUNIT_EXPECT_EQ(test, h->signals[0], 1);
	KUNIT_EXPECT_TRUE(test, vidxd_rd(test, h, DSA_INTCAUSE, 4) &
			  DSA_INTCAUSE_CMD);
	vidxd_wr(test, h, DSA_INTCAUSE, 4, DSA_INTCAUSE_CMD);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_INTCAUSE, 4), 0);

	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_DEVICE, 0), 0);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GENSTS, 4), DSA_GENSTS_ENABLED);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_WQ, 0), 0);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, wqcfg + DSA_WQCFG_STATE, 4),
			FIELD_PREP(DSA_WQCFG_WQ_STATE, DSA_WQ_STATE_ENABLED));
	KUNIT_EXPECT_EQ(test, h->enables, 1);
	KUNIT_EXPECT_TRUE(test, h->wq_enabled);
	KUNIT_EXPECT_EQ(test, h->last_cfg.size, 16);
	KUNIT_EXPECT_EQ(test, h->last_cfg.priority, 10);
	KUNIT_EXPECT_FALSE(test, h->last_cfg.pasid_en);
	KUNIT_EXPECT_EQ(test, h->last_cfg.max_xfer_shift,
			FIELD_GET(DSA_GENCAP_MAX_XFER_SHIFT, gencap));
	KUNIT_EXPECT_EQ(test, h->last_cfg.max_batch_shift,
			FIELD_GET(DSA_GENCAP_MAX_BATCH_SHIFT, gencap));
	KUNIT_EXPECT_EQ(test, h->signals[0], 3);

	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_DISABLE_WQ, BIT(0)), 0);
	KUNIT_EXPECT_FALSE(test, h->wq_enabled);
	KUNIT_EXPECT_EQ(test, h->disables, 1);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_RELEASE_INT_HANDLE,
					VIDXD_FAKE_HANDLE_BASE + 1), 0);
	KUNIT_EXPECT_EQ(test, h->handles, 0UL);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_DISABLE_DEVICE, 0), 0);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GENSTS, 4), DSA_GENSTS_DISABLED);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_RESET_DEVICE, 0), 0);
	KUNIT_EXPECT_EQ(test, h->resets, 0);
	KUNIT_EXPECT_EQ(test, h->signals[0], 7);
}

static void vidxd_cmd_enable_device_errors(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;

	/* Bus mastering off. */
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_DEVICE, 0),
			DSA_CMDSTS_ERR_BUSMASTER_EN);
	vidxd_fake_enable_msix(test, h);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_DEVICE, 0), 0);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_DEVICE, 0),
			DSA_CMDSTS_ERR_DEV_ENABLED);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_DISABLE_DEVICE, 0), 0);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_DISABLE_DEVICE, 0),
			DSA_CMDSTS_ERR_DIS_DEV_EN);
}

static void vidxd_cmd_enable_wq_errors(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;

	vidxd_fake_enable_msix(test, h);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_WQ, 0),
			DSA_CMDSTS_ERR_DEV_NOTEN);
	KUNIT_ASSERT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_DEVICE, 0), 0);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_WQ, 1),
			DSA_CMDSTS_INVAL_WQIDX);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_WQ, 0), 0);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_WQ, 0),
			DSA_CMDSTS_ERR_WQ_ENABLED);
	KUNIT_EXPECT_EQ(test, h->enables, 1);
}

static void vidxd_cmd_wq_commands(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;

	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_DRAIN_WQ, BIT(0)),
			DSA_CMDSTS_ERR_DEV_NOT_EN);
	enable_all(test, h);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_DRAIN_WQ, BIT(1)),
			DSA_CMDSTS_INVAL_WQIDX);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ABORT_WQ,
					BIT(0) | FIELD_PREP(DSA_CMD_WQ_BLOCK, 1)),
			DSA_CMDSTS_INVAL_WQIDX);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_DRAIN_WQ, BIT(0)), 0);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ABORT_WQ, BIT(0)), 0);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_DRAIN_ALL, 0), 0);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ABORT_ALL, 0), 0);
	KUNIT_EXPECT_EQ(test, h->drains, 2);
	KUNIT_EXPECT_EQ(test, h->aborts, 2);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_RESET_WQ, BIT(0)), 0);
	KUNIT_EXPECT_EQ(test, h->resets, 1);
	KUNIT_EXPECT_FALSE(test, h->wq_enabled);
	/* Nothing left to disable, drain or abort: no host call. */
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_DISABLE_WQ, BIT(0)), 0);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_DRAIN_ALL, 0), 0);
	KUNIT_EXPECT_EQ(test, h->disables + h->drains, 2);
}

static void vidxd_cmd_pasid_commands(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;

	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_DRAIN_PASID, 5),
			DSA_CMDSTS_ERR_DEV_NOT_EN);
	enable_all(test, h);
	/* The WQ carries no PASID: nothing of PASID 5 can be in it. */
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_DRAIN_PASID, 5), 0);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ABORT_PASID, 5), 0);
	KUNIT_EXPECT_EQ(test, h->drains + h->aborts, 0);
}

static void vidxd_cmd_int_handles(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;

	vidxd_fake_enable_msix(test, h);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_REQUEST_INT_HANDLE, 0),
			DSA_CMDSTS_ERR_INVAL_INT_IDX);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_REQUEST_INT_HANDLE, 2),
			DSA_CMDSTS_ERR_INVAL_INT_IDX);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_REQUEST_INT_HANDLE,
					1 | DSA_CMD_INT_HANDLE_IMS),
			DSA_CMDSTS_ERR_NO_HANDLE);
	h->fail = true;
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_REQUEST_INT_HANDLE, 1),
			DSA_CMDSTS_ERR_NO_HANDLE);
	h->fail = false;
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_REQUEST_INT_HANDLE, 1),
			STATUS(0, VIDXD_FAKE_HANDLE_BASE + 1));
	/* Asking again returns the same handle without a new host request. */
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_REQUEST_INT_HANDLE, 1),
			STATUS(0, VIDXD_FAKE_HANDLE_BASE + 1));
	KUNIT_EXPECT_EQ(test, h->requests, 2);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_RELEASE_INT_HANDLE, 7),
			DSA_CMDSTS_ERR_NO_HANDLE);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_RELEASE_INT_HANDLE,
					VIDXD_FAKE_HANDLE_BASE + 1), 0);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_RELEASE_INT_HANDLE,
					VIDXD_FAKE_HANDLE_BASE + 1),
			DSA_CMDSTS_ERR_NO_HANDLE);
	KUNIT_EXPECT_EQ(test, h->handles, 0UL);
}

static void vidxd_cmd_revoked_handles(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;

	vidxd_fake_enable_msix(test, h);
	KUNIT_ASSERT_EQ(test, vidxd_cmd(test, h, DSA_CMD_REQUEST_INT_HANDLE, 1),
			STATUS(0, VIDXD_FAKE_HANDLE_BASE + 1));
	h->signals[0] = 0;
	vidxd_revoke_handles(&h->vidxd);
	KUNIT_EXPECT_EQ(test, h->signals[0], 1);
	KUNIT_EXPECT_TRUE(test, vidxd_rd(test, h, DSA_INTCAUSE, 4) &
			  DSA_INTCAUSE_HANDLE_REVOKED);
	/* The guest asks again and the host backs the vector anew. */
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_REQUEST_INT_HANDLE, 1),
			STATUS(0, VIDXD_FAKE_HANDLE_BASE + 1));
	KUNIT_EXPECT_EQ(test, h->requests, 2);
}

/*
 * The host lost the real WQ (its device halted and was reset): the WQ is
 * stopped, the handles go back, the device halts with the host's error
 * and only RESET_DEVICE brings it back.
 */
static void vidxd_cmd_host_halt(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;

	enable_all(test, h);
	vidxd_wr(test, h, DSA_GENCTRL, 4, DSA_GENCTRL_HALT_INT_EN);
	KUNIT_ASSERT_EQ(test, vidxd_cmd(test, h, DSA_CMD_REQUEST_INT_HANDLE, 1),
			STATUS(0, VIDXD_FAKE_HANDLE_BASE + 1));
	h->signals[0] = 0;
	vidxd_halt(&h->vidxd, 0x51);
	KUNIT_EXPECT_EQ(test, h->resets, 1);
	KUNIT_EXPECT_FALSE(test, h->wq_enabled);
	KUNIT_EXPECT_EQ(test, h->handles, 0UL);
	KUNIT_EXPECT_EQ(test, h->releases, 1);
	KUNIT_EXPECT_EQ(test, FIELD_GET(DSA_GENSTS_STATE,
					vidxd_rd(test, h, DSA_GENSTS, 4)),
			DSA_GENSTS_HALT);
	KUNIT_EXPECT_EQ(test, FIELD_GET(DSA_SWERR_ERROR,
					vidxd_rd(test, h, DSA_SWERR, 8)), 0x51);
	KUNIT_EXPECT_TRUE(test, vidxd_rd(test, h, DSA_INTCAUSE, 4) &
			  DSA_INTCAUSE_HALT);
	KUNIT_EXPECT_EQ(test, h->signals[0], 1);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_DEVICE, 0),
			DSA_CMDSTS_HW_ERR);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_RESET_DEVICE, 0), 0);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_DEVICE, 0), 0);
}

static void vidxd_cmd_unsupported(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;
	u32 code;

	vidxd_fake_enable_msix(test, h);
	for (code = 0; code < 32; code++) {
		if (code >= DSA_CMD_ENABLE_DEVICE && code <= DSA_CMD_MAX)
			continue;
		KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, code, 0),
				DSA_CMDSTS_INVAL_CMD);
	}
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GENSTS, 4), 0);
}

static void vidxd_cmd_host_failure(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;

	vidxd_fake_enable_msix(test, h);
	KUNIT_ASSERT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_DEVICE, 0), 0);
	h->fail = true;
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_WQ, 0),
			DSA_CMDSTS_HW_ERR);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, VIDXD_WQCFG + DSA_WQCFG_STATE, 4), 0);
	KUNIT_EXPECT_FALSE(test, h->wq_enabled);
	/* A failed drain or abort changes nothing but the status. */
	h->fail = false;
	KUNIT_ASSERT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ENABLE_WQ, 0), 0);
	h->fail = true;
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_DRAIN_WQ, BIT(0)),
			DSA_CMDSTS_HW_ERR);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_ABORT_ALL, 0),
			DSA_CMDSTS_HW_ERR);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GENSTS, 4),
			DSA_GENSTS_ENABLED);
	KUNIT_EXPECT_TRUE(test, h->wq_enabled);
}

/* Halted by a host that could not stop the WQ, which still shows enabled. */
static void expect_host_failure_halt(struct kunit *test,
				     struct vidxd_fake_host *h)
{
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GENSTS, 4),
			FIELD_PREP(DSA_GENSTS_STATE, DSA_GENSTS_HALT) |
			FIELD_PREP(DSA_GENSTS_RESET_TYPE,
				   DSA_GENSTS_RESET_FLR));
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, VIDXD_WQCFG + DSA_WQCFG_STATE, 4),
			FIELD_PREP(DSA_WQCFG_WQ_STATE, DSA_WQ_STATE_ENABLED));
	KUNIT_EXPECT_TRUE(test, h->wq_enabled);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_SWERR, 8),
			FIELD_PREP(DSA_SWERR_ERROR, VIDXD_SWERR_HOST_WQ) |
			DSA_SWERR_VALID);
	KUNIT_EXPECT_TRUE(test, vidxd_rd(test, h, DSA_INTCAUSE, 4) &
			  DSA_INTCAUSE_HALT);
}

/*
 * A command that must stop the WQ, and a host that fails to: the command
 * reports HW_ERR, the device halts with the WQ still enabled, and only a
 * reset the host carries out brings the device back.
 */
static void vidxd_cmd_host_failure_halts(struct kunit *test)
{
	static const u32 cmds[][2] = {
		{ DSA_CMD_DISABLE_DEVICE, 0 },
		{ DSA_CMD_DISABLE_WQ, BIT(0) },
		{ DSA_CMD_RESET_WQ, BIT(0) },
		{ DSA_CMD_RESET_DEVICE, 0 },
	};
	struct vidxd_fake_host *h;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		h = vidxd_fake_create(test);
		enable_all(test, h);
		h->fail = true;
		KUNIT_EXPECT_EQ_MSG(test, vidxd_cmd(test, h, cmds[i][0], cmds[i][1]),
				    DSA_CMDSTS_HW_ERR, "command %u", cmds[i][0]);
		expect_host_failure_halt(test, h);
		KUNIT_EXPECT_EQ(test, h->failed_stops, 1);

		/* Halted: only RESET_DEVICE acts, and retries the host. */
		KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_DISABLE_WQ,
						BIT(0)), DSA_CMDSTS_HW_ERR);
		KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_RESET_DEVICE, 0),
				DSA_CMDSTS_HW_ERR);
		KUNIT_EXPECT_EQ(test, h->failed_stops, 2);
		KUNIT_EXPECT_TRUE(test, h->wq_enabled);
		h->fail = false;
		KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_RESET_DEVICE, 0),
				0);
		KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GENSTS, 4), 0);
		KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, VIDXD_WQCFG +
					       DSA_WQCFG_STATE, 4), 0);
		KUNIT_EXPECT_FALSE(test, h->wq_enabled);
	}
}

/*
 * An FLR, or the VFIO layer's reset, that the host fails: config space
 * and registers reset all the same, the device comes back halted with the
 * WQ enabled, and vidxd_reset() hands the error to its caller.
 */
static void vidxd_cmd_reset_host_failure(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;

	enable_all(test, h);
	h->fail = true;
	KUNIT_EXPECT_EQ(test, vidxd_reset(&h->vidxd), -EIO);
	expect_host_failure_halt(test, h);
	KUNIT_EXPECT_EQ(test, vidxd_cfg_rd(test, h, PCI_COMMAND, 2), 0);

	vidxd_cfg_wr(test, h, VIDXD_CAP_PCIE + PCI_EXP_DEVCTL, 2,
		     PCI_EXP_DEVCTL_BCR_FLR);
	expect_host_failure_halt(test, h);
	KUNIT_EXPECT_EQ(test, h->failed_stops, 2);

	h->fail = false;
	KUNIT_EXPECT_EQ(test, vidxd_reset(&h->vidxd), 0);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GENSTS, 4), 0);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_SWERR, 8), 0);
	KUNIT_EXPECT_FALSE(test, h->wq_enabled);
}

static void vidxd_cmd_no_interrupt_unless_asked(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;

	vidxd_fake_enable_msix(test, h);
	vidxd_wr(test, h, DSA_CMD, 4,
		 FIELD_PREP(DSA_CMD_CODE, DSA_CMD_ENABLE_DEVICE));
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_CMDSTS, 4), 0);
	KUNIT_EXPECT_EQ(test, h->signals[0], 0);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_INTCAUSE, 4), 0);
	/* Part of CMD, or only the reserved dword above it, does nothing. */
	vidxd_wr(test, h, DSA_CMD + 2, 2, 0x20);
	vidxd_wr(test, h, DSA_CMD, 1, 0);
	vidxd_wr(test, h, DSA_CMD + 4, 4,
		 FIELD_PREP(DSA_CMD_CODE, DSA_CMD_DISABLE_DEVICE));
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GENSTS, 4), DSA_GENSTS_ENABLED);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_CMD + 4, 4), 0);
}

/*
 * An 8-byte write at CMD covers CMD and the reserved dword above it: the
 * command runs, as in the QEMU model, and the reserved half is dropped.
 */
static void vidxd_cmd_8_byte_write(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;
	u32 cmd = FIELD_PREP(DSA_CMD_CODE, DSA_CMD_ENABLE_DEVICE) |
		  DSA_CMD_INT_REQ;

	vidxd_fake_enable_msix(test, h);
	vidxd_wr(test, h, DSA_CMD, 8, 0xdead0000ULL << 32 | cmd);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_CMDSTS, 4), 0);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GENSTS, 4),
			DSA_GENSTS_ENABLED);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_CMD, 8), (u64)cmd);
	KUNIT_EXPECT_EQ(test, h->signals[0], 1);
}

static void vidxd_cmd_reset_device_quiesces(struct kunit *test)
{
	struct vidxd_fake_host *h = test->priv;

	enable_all(test, h);
	KUNIT_ASSERT_EQ(test, vidxd_cmd(test, h, DSA_CMD_REQUEST_INT_HANDLE, 1),
			STATUS(0, VIDXD_FAKE_HANDLE_BASE + 1));
	vidxd_wr(test, h, DSA_GENCTRL, 4, DSA_GENCTRL_HALT_INT_EN);
	KUNIT_EXPECT_EQ(test, vidxd_cmd(test, h, DSA_CMD_RESET_DEVICE, 0), 0);
	KUNIT_EXPECT_FALSE(test, h->wq_enabled);
	KUNIT_EXPECT_EQ(test, h->resets, 1);
	KUNIT_EXPECT_EQ(test, h->handles, 0UL);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GENCTRL, 4), 0);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GENSTS, 4), 0);
	/* The guest's MSI-X table survives: only an FLR resets it. */
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, VIDXD_MSIX_TABLE + PCI_MSIX_ENTRY_VECTOR_CTRL,
				       4), 0);
}

static struct kunit_case vidxd_cmd_cases[] = {
	KUNIT_CASE(vidxd_cmd_guest_driver_sequence),
	KUNIT_CASE(vidxd_cmd_enable_device_errors),
	KUNIT_CASE(vidxd_cmd_enable_wq_errors),
	KUNIT_CASE(vidxd_cmd_wq_commands),
	KUNIT_CASE(vidxd_cmd_pasid_commands),
	KUNIT_CASE(vidxd_cmd_int_handles),
	KUNIT_CASE(vidxd_cmd_revoked_handles),
	KUNIT_CASE(vidxd_cmd_host_halt),
	KUNIT_CASE(vidxd_cmd_unsupported),
	KUNIT_CASE(vidxd_cmd_host_failure),
	KUNIT_CASE(vidxd_cmd_host_failure_halts),
	KUNIT_CASE(vidxd_cmd_reset_host_failure),
	KUNIT_CASE(vidxd_cmd_no_interrupt_unless_asked),
	KUNIT_CASE(vidxd_cmd_8_byte_write),
	KUNIT_CASE(vidxd_cmd_reset_device_quiesces),
	{}
};

static struct kunit_suite vidxd_cmd_suite = {
	.name = "vidxd_cmd",
	.init = vidxd_cmd_init_test,
	.test_cases = vidxd_cmd_cases,
};

kunit_test_suite(vidxd_cmd_suite);
