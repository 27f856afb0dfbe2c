// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite vidxd_fuzz: hostile guests. 10^5 random accesses per seed
 * (config space and BAR0, any offset and size, commands with random
 * operands, host failures and errors) with the model's invariants checked
 * after each; KASAN catches any access outside the register arrays. The
 * fake host reports failures honestly (a WQ it failed to stop stays
 * enabled), so "model and host agree on the WQ" catches a model that
 * hides a host failure.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>
#include <linux/pci_regs.h>
#include <linux/prandom.h>

#include "vidxd_fake_host.h"
#include "vidxd_priv.h"

#define FUZZ_STEPS	100000

static const u32 fuzz_seeds[] = { 1, 0xdeadbeef, 20261124 };

static void fuzz_seed_desc(const u32 *seed, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "seed %#x", *seed);
}

KUNIT_ARRAY_PARAM(fuzz_seed, fuzz_seeds, fuzz_seed_desc);

static unsigned int fuzz_size(struct rnd_state *rnd)
{
	/* Mostly legal sizes, sometimes not. */
	static const unsigned int sizes[] = { 1, 2, 4, 8, 1, 2, 4, 8, 3, 16 };

	return sizes[prandom_u32_state(rnd) % ARRAY_SIZE(sizes)];
}

static unsigned int fuzz_offset(struct rnd_state *rnd, unsigned int space)
{
	u32 r = prandom_u32_state(rnd);

	/* Mostly inside, near the interesting registers; sometimes wild. */
	switch (r % 8) {
	case 0:
		return prandom_u32_state(rnd);
	case 1:
		return space - 1 - r % 16;
	case 2:
	case 3:
		return prandom_u32_state(rnd) % 0x100;
	default:
		return prandom_u32_state(rnd) % space;
	}
}

/* WQ 0, WQ bitmap of WQ 0 / vector 1, a small number, anything. */
static u32 fuzz_operand(u64 val)
{
	switch (val % 4) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return (val >> 8) % 4;
	default:
		return val >> 8;
	}
}

static bool legal(unsigned int off, unsigned int size, unsigned int space,
		  unsigned int max)
{
	return size <= max && is_power_of_2(size) && !(off % size) &&
	       off < space && size <= space - off;
}

static void fuzz_step(struct kunit *test, struct vidxd_fake_host *h,
		      struct rnd_state *rnd)
{
	struct vidxd *v = &h->vidxd;
	unsigned int off, size;
	u64 val = ((u64)prandom_u32_state(rnd) << 32) | prandom_u32_state(rnd);
	u64 rd = 0;
	u32 rd32 = 0, op = prandom_u32_state(rnd) % 16;
	u64 swerr[DSA_SWERR_WORDS] = { val };
	int ret;

	switch (op) {
	case 0 ... 3:
		off = fuzz_offset(rnd, VIDXD_BAR0_SIZE);
		size = fuzz_size(rnd);
		ret = vidxd_mmio_read(v, off, size, &rd);
		KUNIT_ASSERT_EQ(test, ret, legal(off, size, VIDXD_BAR0_SIZE, 8) ?
				0 : -EINVAL);
		break;
	case 4 ... 7:
		off = fuzz_offset(rnd, VIDXD_BAR0_SIZE);
		size = fuzz_size(rnd);
		ret = vidxd_mmio_write(v, off, size, val);
		KUNIT_ASSERT_EQ(test, ret, legal(off, size, VIDXD_BAR0_SIZE, 8) ?
				0 : -EINVAL);
		break;
	case 8 ... 9:
		off = fuzz_offset(rnd, VIDXD_CFG_SIZE);
		size = fuzz_size(rnd);
		ret = vidxd_cfg_read(v, off, size, &rd32);
		KUNIT_ASSERT_EQ(test, ret, legal(off, size, VIDXD_CFG_SIZE, 4) ?
				0 : -EINVAL);
		break;
	case 10:
		off = fuzz_offset(rnd, VIDXD_CFG_SIZE);
		size = fuzz_size(rnd);
		/* Bus mastering matters most: toggle it often. */
		if (val % 4 == 0) {
			off = PCI_COMMAND;
			size = 2;
		}
		ret = vidxd_cfg_write(v, off, size, val);
		KUNIT_ASSERT_EQ(test, ret, legal(off, size, VIDXD_CFG_SIZE, 4) ?
				0 : -EINVAL);
		break;
	case 11 ... 13:
		/* A command, mostly a real one, operand mostly meaningful. */
		vidxd_wr(test, h, DSA_CMD, 4,
			 FIELD_PREP(DSA_CMD_CODE, prandom_u32_state(rnd) % 16) |
			 FIELD_PREP(DSA_CMD_OPERAND, fuzz_operand(val)) |
			 (val & DSA_CMD_INT_REQ));
		break;
	case 14:
		h->fail = !h->fail;
		break;
	default:
		switch (val % 3) {
		case 0:
			vidxd_report_error(v, swerr);
			break;
		case 1:
			vidxd_raise(v, val % VIDXD_NR_VECTORS);
			break;
		default:
			/* The host takes its handles back, then tells. */
			h->handles = 0;
			vidxd_revoke_handles(v);
		}
	}
}

/*
 * GENSTS moves DISABLED -> ENABLED (enable), ENABLED -> DISABLED (disable,
 * reset), ENABLED -> HALT (bus mastering off, the host failing to stop the
 * WQ), HALT -> DISABLED (reset), HALT -> HALT (a reset the host fails).
 */
static bool legal_transition(u32 from, u32 to)
{
	switch (from) {
	case DSA_GENSTS_DISABLED:
		return to == DSA_GENSTS_DISABLED || to == DSA_GENSTS_ENABLED;
	case DSA_GENSTS_ENABLED:
		return to != DSA_GENSTS_DRAIN;
	case DSA_GENSTS_HALT:
		return to == DSA_GENSTS_HALT || to == DSA_GENSTS_DISABLED;
	}
	return false;
}

static void check_invariants(struct kunit *test, struct vidxd_fake_host *h,
			     int step, u32 *prev_state)
{
	struct vidxd *v = &h->vidxd;
	u32 gensts = vidxd_load(v->bar0, DSA_GENSTS, 4);
	u32 state = FIELD_GET(DSA_GENSTS_STATE, gensts);
	bool wq_on = FIELD_GET(DSA_WQCFG_WQ_STATE, vidxd_load(v->bar0, VIDXD_WQCFG +
							DSA_WQCFG_STATE, 4));

	KUNIT_ASSERT_FALSE_MSG(test, vidxd_load(v->bar0, DSA_CMDSTS, 4) &
			       DSA_CMDSTS_ACTIVE, "step %d: CMDSTS stuck active", step);
	/* Commands complete synchronously: no state is ever DRAIN. */
	KUNIT_ASSERT_TRUE_MSG(test, legal_transition(*prev_state, state),
			      "step %d: GENSTS state %u -> %u", step,
			      *prev_state, state);
	*prev_state = state;
	/* Only a WQ the host failed to stop outlives its enabled device. */
	KUNIT_ASSERT_TRUE_MSG(test, !wq_on || state == DSA_GENSTS_ENABLED ||
			      (state == DSA_GENSTS_HALT && h->failed_stops),
			      "step %d: WQ enabled in device state %u", step,
			      state);
	KUNIT_ASSERT_EQ_MSG(test, wq_on, h->wq_enabled,
			    "step %d: model and host disagree on the WQ", step);
	KUNIT_ASSERT_EQ_MSG(test, v->handles & ~h->handles, 0UL,
			    "step %d: model holds a handle the host released",
			    step);
	KUNIT_ASSERT_EQ_MSG(test, vidxd_load(v->bar0, VIDXD_WQCFG + DSA_WQCFG_SIZE, 2),
			    vidxd_fake_caps.wq_size, "step %d: WQ size changed",
			    step);
	KUNIT_ASSERT_EQ_MSG(test, (u32)vidxd_load(v->cfg, 0, 4), 0x0b258086U,
			    "step %d: IDs changed", step);
}

static void vidxd_fuzz_random_guest(struct kunit *test)
{
	const u32 *seed = test->param_value;
	struct vidxd_fake_host *h = vidxd_fake_create(test);
	u32 state = DSA_GENSTS_DISABLED;
	struct rnd_state rnd;
	int step, halts = 0;

	prandom_seed_state(&rnd, *seed);
	for (step = 0; step < FUZZ_STEPS; step++) {
		fuzz_step(test, h, &rnd);
		check_invariants(test, h, step, &state);
		halts += state == DSA_GENSTS_HALT;
	}
	/* The walk went where it matters: WQ enabled, then stopped. */
	KUNIT_EXPECT_GT(test, h->enables, 0);
	KUNIT_EXPECT_GT(test, h->resets + h->disables, 0);
	KUNIT_EXPECT_GT(test, h->requests, 0);
	KUNIT_EXPECT_GT(test, halts, 0);
	KUNIT_EXPECT_GT(test, h->failed_stops, 0);
	/* A reset the host does not fail always brings it back. */
	h->fail = false;
	KUNIT_EXPECT_EQ(test, vidxd_reset(&h->vidxd), 0);
	KUNIT_EXPECT_FALSE(test, h->wq_enabled);
	KUNIT_EXPECT_EQ(test, h->handles, 0UL);
	KUNIT_EXPECT_EQ(test, vidxd_rd(test, h, DSA_GENSTS, 4), 0);
}

static struct kunit_case vidxd_fuzz_cases[] = {
	KUNIT_CASE_PARAM(vidxd_fuzz_random_guest, fuzz_seed_gen_params),
	{}
};

static struct kunit_suite vidxd_fuzz_suite = {
	.name = "vidxd_fuzz",
	.test_cases = vidxd_fuzz_cases,
};

kunit_test_suite(vidxd_fuzz_suite);
