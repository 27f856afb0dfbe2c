// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite ims_slot: the library's slot array storage, bit by bit.
 */
#include <kunit/test.h>
#include <linux/msi.h>
#include <linux/slab.h>

#include "ims_internal.h"

#define NR_SLOTS	4
#define POISON		0xa5a5a5a5

struct ims_slot_ctx {
	struct ims_slot_array *array;
	u32 *mem;
};

static u32 word(struct ims_slot_ctx *ctx, unsigned int slot, unsigned int reg)
{
	return ctx->mem[(slot * IMS_SLOT_SIZE + reg) / 4];
}

static int ims_slot_init(struct kunit *test)
{
	struct ims_slot_ctx *ctx;
	unsigned int i;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx);
	ctx->mem = kunit_kzalloc(test, NR_SLOTS * IMS_SLOT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx->mem);
	ctx->array = kunit_kzalloc(test, struct_size(ctx->array, ctrl, NR_SLOTS),
				   GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx->array);
	/* Poison every word: a stray write shows up in a neighbour. */
	for (i = 0; i < NR_SLOTS * IMS_SLOT_SIZE / 4; i++)
		ctx->mem[i] = POISON;
	ctx->array->base = (void __iomem __force *)ctx->mem;
	test->priv = ctx;
	return 0;
}

static void expect_neighbours_untouched(struct kunit *test,
					struct ims_slot_ctx *ctx,
					unsigned int slot)
{
	unsigned int s, reg;

	for (s = 0; s < NR_SLOTS; s++) {
		if (s == slot)
			continue;
		for (reg = 0; reg < IMS_SLOT_SIZE; reg += 4)
			KUNIT_EXPECT_EQ(test, word(ctx, s, reg), POISON);
	}
}

static void ims_slot_prepare_resets_masked(struct kunit *test)
{
	struct ims_slot_ctx *ctx = test->priv;

	KUNIT_ASSERT_EQ(test, ims_slot_array_ops.prepare(ctx->array, 2, NULL), 0);
	KUNIT_EXPECT_EQ(test, word(ctx, 2, IMS_SLOT_ADDR_LO), 0);
	KUNIT_EXPECT_EQ(test, word(ctx, 2, IMS_SLOT_ADDR_HI), 0);
	KUNIT_EXPECT_EQ(test, word(ctx, 2, IMS_SLOT_DATA), 0);
	KUNIT_EXPECT_EQ(test, word(ctx, 2, IMS_SLOT_CTRL), IMS_CTRL_MASK);
	expect_neighbours_untouched(test, ctx, 2);
}

static void ims_slot_prepare_pasid(struct kunit *test)
{
	struct ims_slot_ctx *ctx = test->priv;
	union ims_cookie cookie = { .value = 0x12345 };

	KUNIT_ASSERT_EQ(test, ims_slot_array_ops.prepare(ctx->array, 1, &cookie), 0);
	/* PASID in bits 31:12, PASID enable bit 3, still masked. */
	KUNIT_EXPECT_EQ(test, word(ctx, 1, IMS_SLOT_CTRL), 0x12345009);
	expect_neighbours_untouched(test, ctx, 1);
}

static void ims_slot_prepare_pasid_max(struct kunit *test)
{
	struct ims_slot_ctx *ctx = test->priv;
	union ims_cookie cookie = { .value = IMS_PASID_MAX };

	KUNIT_ASSERT_EQ(test, ims_slot_array_ops.prepare(ctx->array, 0, &cookie), 0);
	KUNIT_EXPECT_EQ(test, word(ctx, 0, IMS_SLOT_CTRL), 0xfffff009);
}

static void ims_slot_prepare_pasid_too_wide(struct kunit *test)
{
	struct ims_slot_ctx *ctx = test->priv;
	union ims_cookie cookie = { .value = IMS_PASID_MAX + 1 };

	KUNIT_EXPECT_EQ(test, ims_slot_array_ops.prepare(ctx->array, 3, &cookie),
			-EINVAL);
	/* Refused before touching the device. */
	expect_neighbours_untouched(test, ctx, NR_SLOTS);
}

static void ims_slot_mask_unmask_keep_pasid(struct kunit *test)
{
	struct ims_slot_ctx *ctx = test->priv;
	union ims_cookie cookie = { .value = 0x42 };

	ims_slot_array_ops.prepare(ctx->array, 3, &cookie);
	ims_slot_array_ops.unmask(ctx->array, 3);
	KUNIT_EXPECT_EQ(test, word(ctx, 3, IMS_SLOT_CTRL), 0x42008);
	ims_slot_array_ops.mask(ctx->array, 3);
	KUNIT_EXPECT_EQ(test, word(ctx, 3, IMS_SLOT_CTRL), 0x42009);
	ims_slot_array_ops.unmask(ctx->array, 3);
	KUNIT_EXPECT_EQ(test, word(ctx, 3, IMS_SLOT_CTRL), 0x42008);
	expect_neighbours_untouched(test, ctx, 3);
}

static void ims_slot_unmask_without_pasid(struct kunit *test)
{
	struct ims_slot_ctx *ctx = test->priv;

	ims_slot_array_ops.prepare(ctx->array, 0, NULL);
	ims_slot_array_ops.unmask(ctx->array, 0);
	KUNIT_EXPECT_EQ(test, word(ctx, 0, IMS_SLOT_CTRL), 0);
}

static void ims_slot_write_msg(struct kunit *test)
{
	struct ims_slot_ctx *ctx = test->priv;
	struct msi_msg msg = {
		.address_lo = 0xfee01234, .address_hi = 0x1, .data = 0xbeef,
	};

	ims_slot_array_ops.prepare(ctx->array, 1, NULL);
	ims_slot_array_ops.write_msg(ctx->array, 1, &msg);
	KUNIT_EXPECT_EQ(test, word(ctx, 1, IMS_SLOT_ADDR_LO), 0xfee01234);
	KUNIT_EXPECT_EQ(test, word(ctx, 1, IMS_SLOT_ADDR_HI), 0x1);
	KUNIT_EXPECT_EQ(test, word(ctx, 1, IMS_SLOT_DATA), 0xbeef);
	/* Writing the message does not unmask. */
	KUNIT_EXPECT_EQ(test, word(ctx, 1, IMS_SLOT_CTRL), IMS_CTRL_MASK);
	expect_neighbours_untouched(test, ctx, 1);
}

/* A slot in use: tagged with PASID 7, a message written, unmasked. */
static void make_live_slot(struct ims_slot_ctx *ctx, unsigned int slot)
{
	union ims_cookie cookie = { .value = 7 };
	struct msi_msg msg = { .address_lo = 0xfee00000, .data = 0x31 };

	ims_slot_array_ops.prepare(ctx->array, slot, &cookie);
	ims_slot_array_ops.write_msg(ctx->array, slot, &msg);
	ims_slot_array_ops.unmask(ctx->array, slot);
}

static void expect_no_message(struct kunit *test, struct ims_slot_ctx *ctx,
			      unsigned int slot)
{
	KUNIT_EXPECT_EQ(test, word(ctx, slot, IMS_SLOT_ADDR_LO), 0);
	KUNIT_EXPECT_EQ(test, word(ctx, slot, IMS_SLOT_ADDR_HI), 0);
	KUNIT_EXPECT_EQ(test, word(ctx, slot, IMS_SLOT_DATA), 0);
}

static void ims_slot_shutdown_keeps_tag(struct kunit *test)
{
	struct ims_slot_ctx *ctx = test->priv;

	make_live_slot(ctx, 2);
	ims_slot_array_ops.shutdown(ctx->array, 2);
	expect_no_message(test, ctx, 2);
	/* Masked, still tagged: the device refuses other PASIDs' work. */
	KUNIT_EXPECT_EQ(test, word(ctx, 2, IMS_SLOT_CTRL), 0x7009);
	/* The next startup unmasks it with the same tag. */
	ims_slot_array_ops.unmask(ctx->array, 2);
	KUNIT_EXPECT_EQ(test, word(ctx, 2, IMS_SLOT_CTRL), 0x7008);
	expect_neighbours_untouched(test, ctx, 2);
}

static void ims_slot_release_clears(struct kunit *test)
{
	struct ims_slot_ctx *ctx = test->priv;

	make_live_slot(ctx, 1);
	ims_slot_array_ops.release(ctx->array, 1);
	expect_no_message(test, ctx, 1);
	KUNIT_EXPECT_EQ(test, word(ctx, 1, IMS_SLOT_CTRL), IMS_CTRL_MASK);
	/* Nothing of the old tag is remembered for the slot's next user. */
	KUNIT_EXPECT_EQ(test, ctx->array->ctrl[1], 0);
	expect_neighbours_untouched(test, ctx, 1);
}

static void ims_slot_prepare_retags(struct kunit *test)
{
	struct ims_slot_ctx *ctx = test->priv;
	union ims_cookie first = { .value = 7 }, second = { .value = 9 };

	ims_slot_array_ops.prepare(ctx->array, 0, &first);
	ims_slot_array_ops.release(ctx->array, 0);
	ims_slot_array_ops.prepare(ctx->array, 0, &second);
	KUNIT_EXPECT_EQ(test, word(ctx, 0, IMS_SLOT_CTRL), 0x9009);
	ims_slot_array_ops.release(ctx->array, 0);
	ims_slot_array_ops.prepare(ctx->array, 0, NULL);
	KUNIT_EXPECT_EQ(test, word(ctx, 0, IMS_SLOT_CTRL), IMS_CTRL_MASK);
}

static struct kunit_case ims_slot_cases[] = {
	KUNIT_CASE(ims_slot_prepare_resets_masked),
	KUNIT_CASE(ims_slot_prepare_pasid),
	KUNIT_CASE(ims_slot_prepare_pasid_max),
	KUNIT_CASE(ims_slot_prepare_pasid_too_wide),
	KUNIT_CASE(ims_slot_mask_unmask_keep_pasid),
	KUNIT_CASE(ims_slot_unmask_without_pasid),
	KUNIT_CASE(ims_slot_write_msg),
	KUNIT_CASE(ims_slot_shutdown_keeps_tag),
	KUNIT_CASE(ims_slot_release_clears),
	KUNIT_CASE(ims_slot_prepare_retags),
	{}
};

static struct kunit_suite ims_slot_suite = {
	.name = "ims_slot",
	.init = ims_slot_init,
	.test_cases = ims_slot_cases,
};

kunit_test_suite(ims_slot_suite);
