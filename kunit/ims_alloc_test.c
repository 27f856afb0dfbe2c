// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite ims_alloc: domain creation, slot bookkeeping, allocation,
 * freeing and their error paths, on a fake parent domain.
 */
#include <kunit/test.h>
#include <linux/irq.h>
#include <linux/interrupt.h>
#include <linux/slab.h>
#include <asm/cpufeature.h>

#include "ims_fake_parent.h"

#define NR_SLOTS	4

struct ims_alloc_ctx {
	struct ims_fake_parent *fake;
	struct ims_domain *domain;
	void __iomem *slots;
};

static u32 ctrl_of(struct ims_alloc_ctx *ctx, unsigned int slot)
{
	return ioread32(ctx->slots + slot * IMS_SLOT_SIZE + IMS_SLOT_CTRL);
}

static int ims_alloc_init(struct kunit *test)
{
	struct ims_alloc_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx);
	ctx->fake = ims_fake_parent_create(test);
	ctx->domain = ims_fake_domain_create(test, ctx->fake, NR_SLOTS,
					     &ctx->slots);
	test->priv = ctx;
	return 0;
}

static void ims_alloc_exit(struct kunit *test)
{
	struct ims_alloc_ctx *ctx = test->priv;

	ims_domain_destroy(ctx->domain);
	ims_fake_parent_destroy(ctx->fake);
}

static void ims_alloc_any_takes_lowest_free(struct kunit *test)
{
	struct ims_alloc_ctx *ctx = test->priv;
	struct ims_map map[3];
	int i;

	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_EQ(test, ims_alloc_irq(ctx->domain, IMS_ANY_SLOT,
						    NULL, NULL, &map[i]), 0);
		KUNIT_EXPECT_EQ(test, map[i].slot, i);
		KUNIT_EXPECT_GT(test, map[i].virq, 0);
	}
	ims_free_irq(ctx->domain, map[1]);
	KUNIT_ASSERT_EQ(test, ims_alloc_irq(ctx->domain, IMS_ANY_SLOT, NULL,
					    NULL, &map[1]), 0);
	KUNIT_EXPECT_EQ(test, map[1].slot, 1);
}

static void ims_alloc_parent_sees_device(struct kunit *test)
{
	struct ims_alloc_ctx *ctx = test->priv;
	struct ims_map map;

	KUNIT_ASSERT_EQ(test, ims_alloc_irq(ctx->domain, 2, NULL, NULL, &map), 0);
	KUNIT_EXPECT_EQ(test, ctx->fake->allocs, 1);
	/* What interrupt remapping needs to program the requester ID. */
	KUNIT_EXPECT_EQ(test, ctx->fake->last_info.type,
			X86_IRQ_ALLOC_TYPE_PCI_MSIX);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx->fake->last_info.desc);
	KUNIT_EXPECT_PTR_EQ(test, ctx->fake->last_info.desc->dev, ctx->fake->dev);
	KUNIT_EXPECT_EQ(test, ctx->fake->last_info.hwirq, 2);
	KUNIT_EXPECT_EQ(test, irq_get_irq_data(map.virq)->hwirq, 2);
	KUNIT_EXPECT_STREQ(test, irq_get_irq_data(map.virq)->chip->name, "IMS");
}

static void ims_alloc_explicit_slot(struct kunit *test)
{
	struct ims_alloc_ctx *ctx = test->priv;
	struct ims_map map, other;

	KUNIT_ASSERT_EQ(test, ims_alloc_irq(ctx->domain, 3, NULL, NULL, &map), 0);
	KUNIT_EXPECT_EQ(test, map.slot, 3);
	KUNIT_EXPECT_EQ(test, ims_alloc_irq(ctx->domain, 3, NULL, NULL, &other),
			-EBUSY);
	KUNIT_EXPECT_EQ(test, ims_alloc_irq(ctx->domain, NR_SLOTS, NULL, NULL,
					    &other), -EINVAL);
	KUNIT_EXPECT_EQ(test, ims_alloc_irq(ctx->domain, -2, NULL, NULL, &other),
			-EINVAL);
	/* The failures allocated nothing from the parent. */
	KUNIT_EXPECT_EQ(test, ctx->fake->allocs, 1);
}

static void ims_alloc_exhaustion(struct kunit *test)
{
	struct ims_alloc_ctx *ctx = test->priv;
	struct ims_map map;
	int i;

	for (i = 0; i < NR_SLOTS; i++)
		KUNIT_ASSERT_EQ(test, ims_alloc_irq(ctx->domain, IMS_ANY_SLOT,
						    NULL, NULL, &map), 0);
	KUNIT_EXPECT_EQ(test, ims_alloc_irq(ctx->domain, IMS_ANY_SLOT, NULL,
					    NULL, &map), -ENOSPC);
	KUNIT_EXPECT_EQ(test, ctx->fake->allocs, NR_SLOTS);
}

static void ims_alloc_parent_failure_unwinds(struct kunit *test)
{
	struct ims_alloc_ctx *ctx = test->priv;
	union ims_cookie cookie = { .value = 5 };
	struct ims_map map;

	ctx->fake->fail_alloc = -ENOSPC;
	KUNIT_EXPECT_EQ(test, ims_alloc_irq(ctx->domain, 1, &cookie, NULL, &map),
			-ENOSPC);
	/* The slot is masked and free again. */
	KUNIT_EXPECT_EQ(test, ctrl_of(ctx, 1), IMS_CTRL_MASK);
	KUNIT_ASSERT_EQ(test, ims_alloc_irq(ctx->domain, IMS_ANY_SLOT, NULL,
					    NULL, &map), 0);
	KUNIT_EXPECT_EQ(test, map.slot, 0);
	KUNIT_ASSERT_EQ(test, ims_alloc_irq(ctx->domain, IMS_ANY_SLOT, NULL,
					    NULL, &map), 0);
	KUNIT_EXPECT_EQ(test, map.slot, 1);
}

static void ims_alloc_bad_cookie_unwinds(struct kunit *test)
{
	struct ims_alloc_ctx *ctx = test->priv;
	union ims_cookie cookie = { .value = IMS_PASID_MAX + 1 };
	struct ims_map map;

	KUNIT_EXPECT_EQ(test, ims_alloc_irq(ctx->domain, 0, &cookie, NULL, &map),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ctx->fake->allocs, 0);
	KUNIT_ASSERT_EQ(test, ims_alloc_irq(ctx->domain, 0, NULL, NULL, &map), 0);
}

static void ims_alloc_cookie_tags_slot(struct kunit *test)
{
	struct ims_alloc_ctx *ctx = test->priv;
	union ims_cookie cookie = { .value = 0xabcde };
	struct ims_map map;

	KUNIT_ASSERT_EQ(test, ims_alloc_irq(ctx->domain, 2, &cookie, NULL, &map), 0);
	KUNIT_EXPECT_EQ(test, ctrl_of(ctx, 2),
			0xabcde000 | IMS_CTRL_PASID_EN | IMS_CTRL_MASK);
}

static void ims_alloc_affinity(struct kunit *test)
{
	struct ims_alloc_ctx *ctx = test->priv;
	struct irq_affinity_desc affdesc = { };
	unsigned int cpu = cpumask_last(cpu_online_mask);
	struct ims_map map;

	cpumask_copy(&affdesc.mask, cpumask_of(cpu));
	KUNIT_ASSERT_EQ(test, ims_alloc_irq(ctx->domain, IMS_ANY_SLOT, NULL,
					    &affdesc, &map), 0);
	KUNIT_EXPECT_TRUE(test, cpumask_equal(irq_get_affinity_mask(map.virq),
					      cpumask_of(cpu)));
}

static void ims_alloc_free_releases(struct kunit *test)
{
	struct ims_alloc_ctx *ctx = test->priv;
	struct ims_map map;

	KUNIT_ASSERT_EQ(test, ims_alloc_irq(ctx->domain, 1, NULL, NULL, &map), 0);
	ims_free_irq(ctx->domain, map);
	KUNIT_EXPECT_EQ(test, ctx->fake->frees, 1);
	KUNIT_EXPECT_PTR_EQ(test, irq_get_irq_data(map.virq), NULL);
	KUNIT_EXPECT_EQ(test, ctrl_of(ctx, 1), IMS_CTRL_MASK);
}

static irqreturn_t ims_alloc_handler(int irq, void *data)
{
	return IRQ_HANDLED;
}

static u32 msg_word(struct ims_alloc_ctx *ctx, unsigned int slot,
		    unsigned int reg)
{
	return ioread32(ctx->slots + slot * IMS_SLOT_SIZE + reg);
}

/*
 * free_irq() keeps the PASID tag while the vector stays allocated; only
 * ims_free_irq() gives the slot back untagged.
 */
static void ims_alloc_free_irq_keeps_tag(struct kunit *test)
{
	struct ims_alloc_ctx *ctx = test->priv;
	union ims_cookie cookie = { .value = 0x42 };
	struct ims_map map;

	KUNIT_ASSERT_EQ(test, ims_alloc_irq(ctx->domain, 2, &cookie, NULL, &map), 0);
	KUNIT_ASSERT_EQ(test, request_irq(map.virq, ims_alloc_handler, 0,
					  "ims-kunit", ctx), 0);
	KUNIT_EXPECT_EQ(test, ctrl_of(ctx, 2), 0x42000 | IMS_CTRL_PASID_EN);
	KUNIT_EXPECT_NE(test, msg_word(ctx, 2, IMS_SLOT_DATA), 0);
	free_irq(map.virq, ctx);
	KUNIT_EXPECT_EQ(test, ctrl_of(ctx, 2),
			0x42000 | IMS_CTRL_PASID_EN | IMS_CTRL_MASK);
	KUNIT_EXPECT_EQ(test, msg_word(ctx, 2, IMS_SLOT_ADDR_LO), 0);
	KUNIT_EXPECT_EQ(test, msg_word(ctx, 2, IMS_SLOT_DATA), 0);
	/* Requested again: the same tag, unmasked. */
	KUNIT_ASSERT_EQ(test, request_irq(map.virq, ims_alloc_handler, 0,
					  "ims-kunit", ctx), 0);
	KUNIT_EXPECT_EQ(test, ctrl_of(ctx, 2), 0x42000 | IMS_CTRL_PASID_EN);
	free_irq(map.virq, ctx);
	ims_free_irq(ctx->domain, map);
	KUNIT_EXPECT_EQ(test, ctrl_of(ctx, 2), IMS_CTRL_MASK);
	KUNIT_EXPECT_EQ(test, msg_word(ctx, 2, IMS_SLOT_ADDR_LO), 0);
}

static void ims_alloc_destroy_releases_tags(struct kunit *test)
{
	struct ims_alloc_ctx *ctx = test->priv;
	union ims_cookie cookie = { .value = 5 };
	struct ims_map map;

	KUNIT_ASSERT_EQ(test, ims_alloc_irq(ctx->domain, 3, &cookie, NULL, &map), 0);
	ims_domain_destroy(ctx->domain);
	ctx->domain = NULL;
	KUNIT_EXPECT_EQ(test, ctrl_of(ctx, 3), IMS_CTRL_MASK);
}

static void ims_alloc_free_bad_map_ignored(struct kunit *test)
{
	struct ims_alloc_ctx *ctx = test->priv;
	struct ims_map map, bad;

	KUNIT_ASSERT_EQ(test, ims_alloc_irq(ctx->domain, 1, NULL, NULL, &map), 0);
	bad = map;
	bad.slot = 2;
	ims_free_irq(ctx->domain, bad);
	bad.slot = NR_SLOTS + 10;
	ims_free_irq(ctx->domain, bad);
	bad = map;
	bad.virq = map.virq + 1;
	ims_free_irq(ctx->domain, bad);
	KUNIT_EXPECT_EQ(test, ctx->fake->frees, 0);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, irq_get_irq_data(map.virq));
}

static void ims_alloc_destroy_frees_live(struct kunit *test)
{
	struct ims_alloc_ctx *ctx = test->priv;
	struct ims_map map;
	int i;

	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, ims_alloc_irq(ctx->domain, IMS_ANY_SLOT,
						    NULL, NULL, &map), 0);
	ims_domain_destroy(ctx->domain);
	ctx->domain = NULL;
	KUNIT_EXPECT_EQ(test, ctx->fake->frees, 3);
	KUNIT_EXPECT_PTR_EQ(test, irq_get_irq_data(map.virq), NULL);
}

static void ims_alloc_create_rejects_bad_info(struct kunit *test)
{
	struct ims_alloc_ctx *ctx = test->priv;
	static const struct ims_storage_ops no_mask = { };
	struct ims_domain_info info = { .nr_slots = 0, .slots = ctx->slots };
	struct device *dev = ctx->fake->dev;
	struct irq_domain *parent = ctx->fake->domain;

	KUNIT_EXPECT_EQ(test, PTR_ERR(__ims_domain_create(dev, parent, &info)),
			-EINVAL);
	info.nr_slots = 1;
	info.ops = &ims_slot_array_ops;
	KUNIT_EXPECT_EQ(test, PTR_ERR(__ims_domain_create(dev, parent, &info)),
			-EINVAL);
	info.slots = NULL;
	info.ops = NULL;
	KUNIT_EXPECT_EQ(test, PTR_ERR(__ims_domain_create(dev, parent, &info)),
			-EINVAL);
	info.ops = &no_mask;
	KUNIT_EXPECT_EQ(test, PTR_ERR(__ims_domain_create(dev, parent, &info)),
			-EINVAL);
}

static void ims_alloc_msi_parent_lookup(struct kunit *test)
{
	struct ims_alloc_ctx *ctx = test->priv;
	struct irq_domain *msi = ctx->domain->irqdomain;
	struct device *dev = ctx->fake->dev;

	KUNIT_EXPECT_PTR_EQ(test, ims_msi_parent(dev), NULL);
	/* A PCI/MSI domain of the device, as on 6.1: its parent it is. */
	dev_set_msi_domain(dev, msi);
	KUNIT_EXPECT_PTR_EQ(test, ims_msi_parent(dev), ctx->fake->domain);
	dev_set_msi_domain(dev, NULL);
}

static void ims_alloc_guest_policy(struct kunit *test)
{
	struct ims_alloc_ctx *ctx = test->priv;
	bool saved = ims_allow_guest;

	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR))
		kunit_skip(test, "not running under a hypervisor");
	ims_allow_guest = false;
	KUNIT_EXPECT_FALSE(test, ims_platform_allowed(ctx->fake->dev));
	ims_allow_guest = true;
	KUNIT_EXPECT_TRUE(test, ims_platform_allowed(ctx->fake->dev));
	ims_allow_guest = saved;
}

static struct kunit_case ims_alloc_cases[] = {
	KUNIT_CASE(ims_alloc_any_takes_lowest_free),
	KUNIT_CASE(ims_alloc_parent_sees_device),
	KUNIT_CASE(ims_alloc_explicit_slot),
	KUNIT_CASE(ims_alloc_exhaustion),
	KUNIT_CASE(ims_alloc_parent_failure_unwinds),
	KUNIT_CASE(ims_alloc_bad_cookie_unwinds),
	KUNIT_CASE(ims_alloc_cookie_tags_slot),
	KUNIT_CASE(ims_alloc_affinity),
	KUNIT_CASE(ims_alloc_free_releases),
	KUNIT_CASE(ims_alloc_free_irq_keeps_tag),
	KUNIT_CASE(ims_alloc_destroy_releases_tags),
	KUNIT_CASE(ims_alloc_free_bad_map_ignored),
	KUNIT_CASE(ims_alloc_destroy_frees_live),
	KUNIT_CASE(ims_alloc_create_rejects_bad_info),
	KUNIT_CASE(ims_alloc_msi_parent_lookup),
	KUNIT_CASE(ims_alloc_guest_policy),
	{}
};

static struct kunit_suite ims_alloc_suite = {
	.name = "ims_alloc",
	.init = ims_alloc_init,
	.exit = ims_alloc_exit,
	.test_cases = ims_alloc_cases,
};

kunit_test_suite(ims_alloc_suite);
