// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite idxd_mdev_carve: the carving policy of a parent function
 * (idxd-mdev/pf_carve.c) on the shapes a device can have.
 */
#include <kunit/test.h>
#include <linux/bitops.h>

#include "pf_carve.h"

/* Every WQ in a used group, every used group with an engine, no engine twice. */
static void carve_check_invariants(struct kunit *test,
				   const struct pf_carve_in *in,
				   const struct pf_carve *c)
{
	unsigned int i, total = 0;
	u64 seen = 0;

	for (i = 0; i < c->nr_wqs; i++) {
		KUNIT_EXPECT_LT(test, c->wq_group[i], c->nr_groups);
		KUNIT_EXPECT_GE(test, c->wq_size[i], 1);
		total += c->wq_size[i];
	}
	KUNIT_EXPECT_LE(test, total, in->total_wq_size);
	for (i = 0; i < c->nr_groups; i++) {
		KUNIT_EXPECT_NE(test, c->group_engines[i], 0);
		KUNIT_EXPECT_EQ(test, c->group_engines[i] & seen, 0);
		seen |= c->group_engines[i];
	}
	for (; i < PF_CARVE_MAX_GROUPS; i++)
		KUNIT_EXPECT_EQ(test, c->group_engines[i], 0);
}

/* The QEMU model's default: 8 WQs, 4 groups, 4 engines, 128 entries. */
static void carve_model_default(struct kunit *test)
{
	struct pf_carve_in in = { 8, 4, 4, 128, 0 };
	struct pf_carve c;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, pf_carve(&in, &c), 0);
	KUNIT_EXPECT_EQ(test, c.nr_wqs, 8);
	KUNIT_EXPECT_EQ(test, c.nr_groups, 4);
	for (i = 0; i < 8; i++) {
		KUNIT_EXPECT_EQ(test, c.wq_size[i], 16);
		KUNIT_EXPECT_EQ(test, c.wq_group[i], i % 4);
	}
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, c.group_engines[i], BIT_ULL(i));
	carve_check_invariants(test, &in, &c);
}

/* More WQs than groups: WQs share groups round robin. */
static void carve_more_wqs_than_groups(struct kunit *test)
{
	struct pf_carve_in in = { 5, 2, 4, 100, 0 };
	struct pf_carve c;

	KUNIT_ASSERT_EQ(test, pf_carve(&in, &c), 0);
	KUNIT_EXPECT_EQ(test, c.nr_groups, 2);
	KUNIT_EXPECT_EQ(test, c.wq_group[0], 0);
	KUNIT_EXPECT_EQ(test, c.wq_group[1], 1);
	KUNIT_EXPECT_EQ(test, c.wq_group[4], 0);
	KUNIT_EXPECT_EQ(test, c.group_engines[0], BIT_ULL(0) | BIT_ULL(2));
	KUNIT_EXPECT_EQ(test, c.group_engines[1], BIT_ULL(1) | BIT_ULL(3));
	carve_check_invariants(test, &in, &c);
}

/* Fewer engines than groups: only as many groups as engines are used. */
static void carve_fewer_engines_than_groups(struct kunit *test)
{
	struct pf_carve_in in = { 4, 4, 2, 64, 0 };
	struct pf_carve c;

	KUNIT_ASSERT_EQ(test, pf_carve(&in, &c), 0);
	KUNIT_EXPECT_EQ(test, c.nr_groups, 2);
	KUNIT_EXPECT_EQ(test, c.wq_group[2], 0);
	KUNIT_EXPECT_EQ(test, c.wq_group[3], 1);
	KUNIT_EXPECT_EQ(test, c.group_engines[0], BIT_ULL(0));
	KUNIT_EXPECT_EQ(test, c.group_engines[1], BIT_ULL(1));
	carve_check_invariants(test, &in, &c);
}

/* Fewer WQs than engines: the used groups get every engine between them. */
static void carve_more_engines_than_wqs(struct kunit *test)
{
	struct pf_carve_in in = { 8, 4, 4, 128, 1 };
	struct pf_carve c;

	KUNIT_ASSERT_EQ(test, pf_carve(&in, &c), 0);
	KUNIT_EXPECT_EQ(test, c.nr_wqs, 1);
	KUNIT_EXPECT_EQ(test, c.nr_groups, 1);
	KUNIT_EXPECT_EQ(test, c.wq_size[0], 128);
	KUNIT_EXPECT_EQ(test, c.group_engines[0], 0xf);
	carve_check_invariants(test, &in, &c);
}

/* Sizes that don't divide: the first total % n WQs take one more entry. */
static void carve_sizes_do_not_divide(struct kunit *test)
{
	struct pf_carve_in in = { 3, 3, 3, 100, 0 };
	struct pf_carve c;

	KUNIT_ASSERT_EQ(test, pf_carve(&in, &c), 0);
	KUNIT_EXPECT_EQ(test, c.wq_size[0], 34);
	KUNIT_EXPECT_EQ(test, c.wq_size[1], 33);
	KUNIT_EXPECT_EQ(test, c.wq_size[2], 33);
	carve_check_invariants(test, &in, &c);
}

/* Exactly one entry per WQ is enough; fewer is refused. */
static void carve_one_entry_each(struct kunit *test)
{
	struct pf_carve_in in = { 8, 4, 4, 8, 0 };
	struct pf_carve c;

	KUNIT_ASSERT_EQ(test, pf_carve(&in, &c), 0);
	KUNIT_EXPECT_EQ(test, c.wq_size[7], 1);
	carve_check_invariants(test, &in, &c);
	in.total_wq_size = 7;
	KUNIT_EXPECT_EQ(test, pf_carve(&in, &c), -EINVAL);
}

/* What the administrator or the device can get wrong. */
static void carve_rejects(struct kunit *test)
{
	static const struct pf_carve_in bad[] = {
		{ 8, 4, 4, 128, 9 },	/* more WQs wanted than there are */
		{ 0, 4, 4, 128, 0 },	/* no WQ */
		{ 8, 0, 4, 128, 0 },	/* no group */
		{ 8, 4, 0, 128, 0 },	/* no engine */
		{ 8, 4, 4, 0, 0 },	/* no WQ entry */
		{ 100, 4, 4, 1024, 65 },	/* past the driver's 64 */
	};
	struct pf_carve c;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, pf_carve(&bad[i], &c), -EINVAL,
				    "case %u", i);
}

/* A device with more than 64 WQs or engines: the driver's limits apply. */
static void carve_caps_at_driver_limits(struct kunit *test)
{
	struct pf_carve_in in = { 128, 128, 128, 1024, 0 };
	struct pf_carve c;

	KUNIT_ASSERT_EQ(test, pf_carve(&in, &c), 0);
	KUNIT_EXPECT_EQ(test, c.nr_wqs, PF_CARVE_MAX_WQS);
	KUNIT_EXPECT_EQ(test, c.nr_groups, PF_CARVE_MAX_GROUPS);
	KUNIT_EXPECT_EQ(test, c.wq_size[63], 16);
	KUNIT_EXPECT_EQ(test, c.group_engines[63], BIT_ULL(63));
	carve_check_invariants(test, &in, &c);
}

static struct kunit_case idxd_mdev_carve_cases[] = {
	KUNIT_CASE(carve_model_default),
	KUNIT_CASE(carve_more_wqs_than_groups),
	KUNIT_CASE(carve_fewer_engines_than_groups),
	KUNIT_CASE(carve_more_engines_than_wqs),
	KUNIT_CASE(carve_sizes_do_not_divide),
	KUNIT_CASE(carve_one_entry_each),
	KUNIT_CASE(carve_rejects),
	KUNIT_CASE(carve_caps_at_driver_limits),
	{}
};

static struct kunit_suite idxd_mdev_carve_suite = {
	.name = "idxd_mdev_carve",
	.test_cases = idxd_mdev_carve_cases,
};

kunit_test_suite(idxd_mdev_carve_suite);
