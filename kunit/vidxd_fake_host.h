/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake host side for the vidxd KUnit suites: it records what the model
 * asks of it, and can be told to fail.
 */
#ifndef _VIDXD_FAKE_HOST_H
#define _VIDXD_FAKE_HOST_H

#include "vidxd.h"

#define VIDXD_FAKE_HANDLE_BASE	0x100

/**
 * struct vidxd_fake_host - The fake and its records
 * @vidxd:	The model under test.
 * @wq_enabled:	The real WQ's state as the host sees it.
 * @handles:	Vectors the host backs with a handle.
 * @last_cfg:	The WQ configuration of the last wq_enable.
 * @fail:	Make WQ operations and handle requests fail with -EIO. A
 *		failed wq_disable or wq_reset leaves the WQ enabled, as a
 *		real one may be.
 * @failed_stops: How often wq_disable or wq_reset failed.
 * @enables:	Calls of wq_enable.
 * @disables:	Calls of wq_disable.
 * @drains:	Calls of wq_drain.
 * @aborts:	Calls of wq_abort.
 * @resets:	Calls of wq_reset.
 * @requests:	Calls of int_handle_request.
 * @releases:	Calls of int_handle_release.
 * @signals:	Per vector, how often it was sent.
 */
struct vidxd_fake_host {
	struct vidxd vidxd;
	bool wq_enabled;
	unsigned long handles;
	struct vidxd_wq_config last_cfg;
	bool fail;
	int failed_stops;
	int enables, disables, drains, aborts, resets, requests, releases;
	int signals[VIDXD_NR_VECTORS];
};

struct kunit;
struct vidxd_fake_host *vidxd_fake_create(struct kunit *test);
extern const struct vidxd_caps vidxd_fake_caps;

u64 vidxd_rd(struct kunit *test, struct vidxd_fake_host *h, unsigned int off,
	     unsigned int size);
void vidxd_wr(struct kunit *test, struct vidxd_fake_host *h, unsigned int off,
	      unsigned int size, u64 val);
u32 vidxd_cfg_rd(struct kunit *test, struct vidxd_fake_host *h,
		 unsigned int off, unsigned int size);
void vidxd_cfg_wr(struct kunit *test, struct vidxd_fake_host *h,
		  unsigned int off, unsigned int size, u32 val);
u32 vidxd_cmd(struct kunit *test, struct vidxd_fake_host *h, u32 code,
	      u32 operand);
void vidxd_fake_enable_msix(struct kunit *test, struct vidxd_fake_host *h);

#endif /* _VIDXD_FAKE_HOST_H */
