// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite idxd_mdev_events: what vector 0 of a parent function makes
 * of INTCAUSE, GENSTS and SWERR (idxd-mdev/pf_event.c), and the software
 * error an instance's guest sees.
 */
#include <kunit/test.h>
#include <linux/bitfield.h>

#include "pf_event.h"

#define NR_WQS	8

/* A software error of code 0x1b (misaligned record) on WQ @wq, PASID 5. */
static void swerr_on_wq(u64 swerr[DSA_SWERR_WORDS], unsigned int wq)
{
	swerr[0] = DSA_SWERR_VALID | DSA_SWERR_WQ_IDX_VALID |
		   FIELD_PREP(DSA_SWERR_ERROR, 0x1b) |
		   FIELD_PREP(DSA_SWERR_WQ_IDX, wq) |
		   FIELD_PREP(DSA_SWERR_OPERATION, 0) |
		   FIELD_PREP(DSA_SWERR_PASID, 5);
	swerr[1] = 0;
	swerr[2] = 0x100001;
	swerr[3] = 0;
}

static void events_wq_error(struct kunit *test)
{
	u64 swerr[DSA_SWERR_WORDS];
	struct pf_event ev;
	unsigned int wq;

	for (wq = 0; wq < NR_WQS; wq++) {
		swerr_on_wq(swerr, wq);
		ev = pf_event_decode(DSA_INTCAUSE_ERR, DSA_GENSTS_ENABLED,
				     swerr, NR_WQS);
		KUNIT_EXPECT_EQ(test, ev.kind, PF_EVENT_WQ_ERROR);
		KUNIT_EXPECT_EQ(test, ev.wq, wq);
	}
}

/* A WQ past the carved ones, or none named, is nobody's. */
static void events_stray_error(struct kunit *test)
{
	u64 swerr[DSA_SWERR_WORDS];

	swerr_on_wq(swerr, NR_WQS);
	KUNIT_EXPECT_EQ(test, pf_event_decode(DSA_INTCAUSE_ERR,
					      DSA_GENSTS_ENABLED, swerr,
					      NR_WQS).kind,
			PF_EVENT_STRAY_ERROR);
	swerr_on_wq(swerr, 3);
	swerr[0] &= ~DSA_SWERR_WQ_IDX_VALID;
	KUNIT_EXPECT_EQ(test, pf_event_decode(DSA_INTCAUSE_ERR,
					      DSA_GENSTS_ENABLED, swerr,
					      NR_WQS).kind,
			PF_EVENT_STRAY_ERROR);
}

/* INTCAUSE.ERR with SWERR already read and cleared: nothing to do. */
static void events_nothing(struct kunit *test)
{
	u64 swerr[DSA_SWERR_WORDS] = { };

	KUNIT_EXPECT_EQ(test, pf_event_decode(DSA_INTCAUSE_ERR,
					      DSA_GENSTS_ENABLED, swerr,
					      NR_WQS).kind,
			PF_EVENT_NONE);
	KUNIT_EXPECT_EQ(test, pf_event_decode(0, DSA_GENSTS_ENABLED, swerr,
					      NR_WQS).kind,
			PF_EVENT_NONE);
}

/* A halt, by its cause or by the state alone, wins over a WQ's error. */
static void events_halt(struct kunit *test)
{
	u64 swerr[DSA_SWERR_WORDS];

	swerr_on_wq(swerr, 2);
	KUNIT_EXPECT_EQ(test, pf_event_decode(DSA_INTCAUSE_HALT |
					      DSA_INTCAUSE_ERR,
					      DSA_GENSTS_ENABLED, swerr,
					      NR_WQS).kind,
			PF_EVENT_HALT);
	KUNIT_EXPECT_EQ(test, pf_event_decode(DSA_INTCAUSE_ERR,
					      DSA_GENSTS_HALT, swerr,
					      NR_WQS).kind,
			PF_EVENT_HALT);
	memset(swerr, 0, sizeof(swerr));
	KUNIT_EXPECT_EQ(test, pf_event_decode(DSA_INTCAUSE_HALT,
					      DSA_GENSTS_HALT, swerr,
					      NR_WQS).kind,
			PF_EVENT_HALT);
}

/* The guest's SWERR names its WQ 0 and no PASID; the rest is its own. */
static void events_guest_swerr(struct kunit *test)
{
	u64 host[DSA_SWERR_WORDS], guest[DSA_SWERR_WORDS];

	swerr_on_wq(host, 6);
	pf_event_guest_swerr(host, guest);
	KUNIT_EXPECT_EQ(test, FIELD_GET(DSA_SWERR_WQ_IDX, guest[0]), 0);
	KUNIT_EXPECT_EQ(test, FIELD_GET(DSA_SWERR_PASID, guest[0]), 0);
	KUNIT_EXPECT_EQ(test, guest[0] & ~(DSA_SWERR_WQ_IDX | DSA_SWERR_PASID),
			host[0] & ~(DSA_SWERR_WQ_IDX | DSA_SWERR_PASID));
	KUNIT_EXPECT_TRUE(test, guest[0] & DSA_SWERR_WQ_IDX_VALID);
	KUNIT_EXPECT_EQ(test, guest[1], host[1]);
	KUNIT_EXPECT_EQ(test, guest[2], host[2]);
	KUNIT_EXPECT_EQ(test, guest[3], host[3]);
}

static struct kunit_case idxd_mdev_events_cases[] = {
	KUNIT_CASE(events_wq_error),
	KUNIT_CASE(events_stray_error),
	KUNIT_CASE(events_nothing),
	KUNIT_CASE(events_halt),
	KUNIT_CASE(events_guest_swerr),
	{ }
};

static struct kunit_suite idxd_mdev_events_suite = {
	.name = "idxd_mdev_events",
	.test_cases = idxd_mdev_events_cases,
};

kunit_test_suite(idxd_mdev_events_suite);
