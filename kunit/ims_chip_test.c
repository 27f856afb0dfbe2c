// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite ims_chip: what the irq core does to an IMS vector through
 * the IMS irq_chip and domain ops (activation, startup, affinity, masking,
 * retrigger, vCPU affinity, shutdown), on a fake parent domain, with a
 * device-defined storage that logs every call.
 */
#include <kunit/test.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/slab.h>

#include "ims_fake_parent.h"

#define NR_SLOTS	4

struct ims_chip_ctx {
	struct ims_fake_parent *fake;
	struct ims_domain *domain;
	struct ims_map map;
	int handled;
	/* The storage: a message and a mask bit per slot, and a call log. */
	struct msi_msg msg[NR_SLOTS];
	bool masked[NR_SLOTS];
	char log[256];
};

static void log_call(struct ims_chip_ctx *ctx, char op, unsigned int slot)
{
	size_t len = strlen(ctx->log);

	snprintf(ctx->log + len, sizeof(ctx->log) - len, "%c%u ", op, slot);
}

static int rec_prepare(void *data, unsigned int slot,
		       const union ims_cookie *cookie)
{
	struct ims_chip_ctx *ctx = data;

	log_call(ctx, 'P', slot);
	ctx->masked[slot] = true;
	return 0;
}

static void rec_write_msg(void *data, unsigned int slot,
			  const struct msi_msg *msg)
{
	struct ims_chip_ctx *ctx = data;

	log_call(ctx, 'W', slot);
	ctx->msg[slot] = *msg;
}

static void rec_mask(void *data, unsigned int slot)
{
	struct ims_chip_ctx *ctx = data;

	log_call(ctx, 'M', slot);
	ctx->masked[slot] = true;
}

static void rec_unmask(void *data, unsigned int slot)
{
	struct ims_chip_ctx *ctx = data;

	log_call(ctx, 'U', slot);
	ctx->masked[slot] = false;
}

static void rec_shutdown(void *data, unsigned int slot)
{
	struct ims_chip_ctx *ctx = data;

	log_call(ctx, 'S', slot);
	ctx->masked[slot] = true;
	memset(&ctx->msg[slot], 0, sizeof(ctx->msg[slot]));
}

static void rec_release(void *data, unsigned int slot)
{
	struct ims_chip_ctx *ctx = data;

	log_call(ctx, 'R', slot);
	ctx->masked[slot] = true;
	memset(&ctx->msg[slot], 0, sizeof(ctx->msg[slot]));
}

static const struct ims_storage_ops rec_ops = {
	.prepare = rec_prepare,
	.write_msg = rec_write_msg,
	.mask = rec_mask,
	.unmask = rec_unmask,
	.shutdown = rec_shutdown,
	.release = rec_release,
};

/* Storage with nothing to undo on release. */
static const struct ims_storage_ops rec_ops_no_release = {
	.write_msg = rec_write_msg,
	.mask = rec_mask,
	.unmask = rec_unmask,
	.shutdown = rec_shutdown,
};

static irqreturn_t ims_chip_handler(int irq, void *data)
{
	struct ims_chip_ctx *ctx = data;

	ctx->handled++;
	return IRQ_HANDLED;
}

/* An interrupt arriving from the parent, as the CPU would deliver it. */
static void raise(struct ims_chip_ctx *ctx)
{
	local_irq_disable();
	generic_handle_irq(ctx->map.virq);
	local_irq_enable();
}

static int ims_chip_init(struct kunit *test)
{
	struct ims_domain_info info = { .nr_slots = NR_SLOTS, .ops = &rec_ops };
	struct ims_chip_ctx *ctx;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx);
	ctx->fake = ims_fake_parent_create(test);
	info.data = ctx;
	ctx->domain = __ims_domain_create(ctx->fake->dev, ctx->fake->domain,
					  &info);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx->domain);
	KUNIT_ASSERT_EQ(test, ims_alloc_irq(ctx->domain, 2, NULL, NULL,
					    &ctx->map), 0);
	test->priv = ctx;
	return 0;
}

static void ims_chip_exit(struct kunit *test)
{
	struct ims_chip_ctx *ctx = test->priv;

	if (ctx->map.virq)
		ims_free_irq(ctx->domain, ctx->map);
	ims_domain_destroy(ctx->domain);
	ims_fake_parent_destroy(ctx->fake);
}

static int request(struct kunit *test, struct ims_chip_ctx *ctx)
{
	return request_irq(ctx->map.virq, ims_chip_handler, 0, "ims-kunit", ctx);
}

static void ims_chip_startup_writes_message(struct kunit *test)
{
	struct ims_chip_ctx *ctx = test->priv;
	unsigned int cpu;

	KUNIT_EXPECT_STREQ(test, ctx->log, "P2 ");
	KUNIT_ASSERT_EQ(test, request(test, ctx), 0);
	cpu = ctx->fake->cpu[2];
	/*
	 * Activation writes the parent's message, the startup affinity is
	 * set while still masked (written again, no mask dance), then the
	 * slot is unmasked.
	 */
	KUNIT_EXPECT_STREQ(test, ctx->log, "P2 W2 W2 U2 ");
	KUNIT_EXPECT_EQ(test, ctx->msg[2].address_lo, ims_fake_addr(cpu));
	KUNIT_EXPECT_EQ(test, ctx->msg[2].data, IMS_FAKE_VECTOR_BASE + 2);
	KUNIT_EXPECT_FALSE(test, ctx->masked[2]);
	KUNIT_EXPECT_EQ(test, ctx->fake->activates, 1);
	free_irq(ctx->map.virq, ctx);
}

static void ims_chip_startup_under_remapping(struct kunit *test)
{
	struct ims_chip_ctx *ctx = test->priv;

	ctx->fake->remapping = true;
	KUNIT_ASSERT_EQ(test, request(test, ctx), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log, "P2 W2 U2 ");
	free_irq(ctx->map.virq, ctx);
}

static void ims_chip_interrupt_runs_handler(struct kunit *test)
{
	struct ims_chip_ctx *ctx = test->priv;

	KUNIT_ASSERT_EQ(test, request(test, ctx), 0);
	raise(ctx);
	raise(ctx);
	KUNIT_EXPECT_EQ(test, ctx->handled, 2);
	/* handle_edge_irq acks through the chip: the parent must see it. */
	KUNIT_EXPECT_EQ(test, ctx->fake->acks, 2);
	free_irq(ctx->map.virq, ctx);
}

/*
 * Start the vector on CPU 0, optionally mask it, clear the log and move it
 * to the last CPU. Return: that CPU, or -1 (test skipped) on one CPU.
 */
static int move_to_last_cpu(struct kunit *test, struct ims_chip_ctx *ctx,
			    bool masked)
{
	unsigned int cpu = cpumask_last(cpu_online_mask);

	if (num_online_cpus() < 2) {
		kunit_mark_skipped(test, "needs two CPUs");
		return -1;
	}
	KUNIT_EXPECT_EQ(test, request(test, ctx), 0);
	irq_set_affinity(ctx->map.virq, cpumask_of(0));
	if (masked) {
		irq_set_status_flags(ctx->map.virq, IRQ_DISABLE_UNLAZY);
		disable_irq(ctx->map.virq);
	}
	ctx->log[0] = '\0';
	KUNIT_EXPECT_EQ(test, irq_set_affinity(ctx->map.virq, cpumask_of(cpu)), 0);
	return cpu;
}

static void ims_chip_affinity_rewrites_masked(struct kunit *test)
{
	struct ims_chip_ctx *ctx = test->priv;
	int cpu = move_to_last_cpu(test, ctx, false);

	if (cpu < 0)
		return;
	/* A live slot is masked while its words change. */
	KUNIT_EXPECT_STREQ(test, ctx->log, "M2 W2 U2 ");
	KUNIT_EXPECT_EQ(test, ctx->msg[2].address_lo, ims_fake_addr(cpu));
	KUNIT_EXPECT_FALSE(test, ctx->masked[2]);
	free_irq(ctx->map.virq, ctx);
}

static void ims_chip_affinity_of_masked_slot(struct kunit *test)
{
	struct ims_chip_ctx *ctx = test->priv;
	int cpu = move_to_last_cpu(test, ctx, true);

	if (cpu < 0)
		return;
	/* Already masked: written as is, and left masked. */
	KUNIT_EXPECT_STREQ(test, ctx->log, "W2 ");
	KUNIT_EXPECT_EQ(test, ctx->msg[2].address_lo, ims_fake_addr(cpu));
	KUNIT_EXPECT_TRUE(test, ctx->masked[2]);
	enable_irq(ctx->map.virq);
	free_irq(ctx->map.virq, ctx);
}

static void ims_chip_affinity_deferred_to_interrupt(struct kunit *test)
{
	struct ims_chip_ctx *ctx = test->priv;
	unsigned int cpu = cpumask_last(cpu_online_mask);

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two CPUs");
	KUNIT_ASSERT_EQ(test, request(test, ctx), 0);
	irq_set_affinity(ctx->map.virq, cpumask_of(0));
	irq_clear_status_flags(ctx->map.virq, IRQ_MOVE_PCNTXT);
	ctx->log[0] = '\0';
	KUNIT_ASSERT_EQ(test, irq_set_affinity(ctx->map.virq, cpumask_of(cpu)), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	raise(ctx);
	/*
	 * The core masks around the move it completes in the ack, without
	 * marking the irq masked: the chip masks once more itself. Redundant
	 * but harmless; what matters is that the write is inside a mask.
	 */
	KUNIT_EXPECT_STREQ(test, ctx->log, "M2 M2 W2 U2 U2 ");
	KUNIT_EXPECT_EQ(test, ctx->msg[2].address_lo, ims_fake_addr(cpu));
	KUNIT_EXPECT_EQ(test, ctx->handled, 1);
	free_irq(ctx->map.virq, ctx);
}

static void ims_chip_affinity_under_remapping(struct kunit *test)
{
	struct ims_chip_ctx *ctx = test->priv;
	unsigned int cpu = cpumask_last(cpu_online_mask);
	struct msi_msg before;

	ctx->fake->remapping = true;
	KUNIT_ASSERT_EQ(test, request(test, ctx), 0);
	before = ctx->msg[2];
	ctx->log[0] = '\0';
	KUNIT_ASSERT_EQ(test, irq_set_affinity(ctx->map.virq, cpumask_of(cpu)), 0);
	/* The remapping entry moved; the slot is not touched. */
	KUNIT_EXPECT_STREQ(test, ctx->log, "");
	KUNIT_EXPECT_EQ(test, ctx->msg[2].address_lo, before.address_lo);
	KUNIT_EXPECT_EQ(test, ctx->fake->cpu[2], cpu);
	free_irq(ctx->map.virq, ctx);
}

static void ims_chip_mask_unmask(struct kunit *test)
{
	struct ims_chip_ctx *ctx = test->priv;

	KUNIT_ASSERT_EQ(test, request(test, ctx), 0);
	irq_set_status_flags(ctx->map.virq, IRQ_DISABLE_UNLAZY);
	disable_irq(ctx->map.virq);
	KUNIT_EXPECT_TRUE(test, ctx->masked[2]);
	enable_irq(ctx->map.virq);
	KUNIT_EXPECT_FALSE(test, ctx->masked[2]);
	free_irq(ctx->map.virq, ctx);
}

static void ims_chip_lazy_disable_retriggers(struct kunit *test)
{
	struct ims_chip_ctx *ctx = test->priv;

	KUNIT_ASSERT_EQ(test, request(test, ctx), 0);
	disable_irq(ctx->map.virq);
	KUNIT_EXPECT_FALSE(test, ctx->masked[2]);
	raise(ctx);
	/* The core masks on arrival and keeps it pending... */
	KUNIT_EXPECT_EQ(test, ctx->handled, 0);
	KUNIT_EXPECT_TRUE(test, ctx->masked[2]);
	enable_irq(ctx->map.virq);
	/* ...and resends it through the parent on enable. */
	KUNIT_EXPECT_EQ(test, ctx->fake->retriggers, 1);
	KUNIT_EXPECT_FALSE(test, ctx->masked[2]);
	free_irq(ctx->map.virq, ctx);
}

static void ims_chip_vcpu_affinity_to_parent(struct kunit *test)
{
	struct ims_chip_ctx *ctx = test->priv;
	int token;

	KUNIT_ASSERT_EQ(test, request(test, ctx), 0);
	KUNIT_EXPECT_EQ(test, irq_set_vcpu_affinity(ctx->map.virq, &token), 0);
	KUNIT_EXPECT_PTR_EQ(test, ctx->fake->last_vcpu, (void *)&token);
	free_irq(ctx->map.virq, ctx);
}

static void ims_chip_shutdown_clears(struct kunit *test)
{
	struct ims_chip_ctx *ctx = test->priv;

	KUNIT_ASSERT_EQ(test, request(test, ctx), 0);
	ctx->log[0] = '\0';
	free_irq(ctx->map.virq, ctx);
	/*
	 * irq_shutdown, then deactivation: both leave it masked and clear,
	 * and neither releases the slot (its tag stays).
	 */
	KUNIT_EXPECT_STREQ(test, ctx->log, "S2 S2 ");
	KUNIT_EXPECT_TRUE(test, ctx->masked[2]);
	KUNIT_EXPECT_EQ(test, ctx->msg[2].address_lo, 0);
	KUNIT_EXPECT_EQ(test, ctx->msg[2].data, 0);
}

/* Only giving the slot back undoes prepare; free_irq() must not. */
static void ims_chip_free_releases(struct kunit *test)
{
	struct ims_chip_ctx *ctx = test->priv;

	KUNIT_ASSERT_EQ(test, request(test, ctx), 0);
	free_irq(ctx->map.virq, ctx);
	KUNIT_EXPECT_NULL(test, strchr(ctx->log, 'R'));
	ctx->log[0] = '\0';
	ims_free_irq(ctx->domain, ctx->map);
	ctx->map.virq = 0;
	KUNIT_EXPECT_STREQ(test, ctx->log, "R2 ");
}

static void ims_chip_free_without_release(struct kunit *test)
{
	struct ims_chip_ctx *ctx = test->priv;
	struct ims_domain_info info = {
		.nr_slots = NR_SLOTS, .ops = &rec_ops_no_release, .data = ctx,
	};
	struct ims_domain *domain;
	struct ims_map map;

	domain = __ims_domain_create(ctx->fake->dev, ctx->fake->domain, &info);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, domain);
	KUNIT_ASSERT_EQ(test, ims_alloc_irq(domain, 1, NULL, NULL, &map), 0);
	ctx->log[0] = '\0';
	ims_free_irq(domain, map);
	KUNIT_EXPECT_STREQ(test, ctx->log, "S1 ");
	ims_domain_destroy(domain);
}

static void ims_chip_restart_rewrites(struct kunit *test)
{
	struct ims_chip_ctx *ctx = test->priv;

	ctx->fake->remapping = true;
	KUNIT_ASSERT_EQ(test, request(test, ctx), 0);
	free_irq(ctx->map.virq, ctx);
	ctx->log[0] = '\0';
	KUNIT_ASSERT_EQ(test, request(test, ctx), 0);
	KUNIT_EXPECT_STREQ(test, ctx->log, "W2 U2 ");
	KUNIT_EXPECT_EQ(test, ctx->msg[2].data, IMS_FAKE_VECTOR_BASE + 2);
	free_irq(ctx->map.virq, ctx);
}

static struct kunit_case ims_chip_cases[] = {
	KUNIT_CASE(ims_chip_startup_writes_message),
	KUNIT_CASE(ims_chip_startup_under_remapping),
	KUNIT_CASE(ims_chip_interrupt_runs_handler),
	KUNIT_CASE(ims_chip_affinity_rewrites_masked),
	KUNIT_CASE(ims_chip_affinity_of_masked_slot),
	KUNIT_CASE(ims_chip_affinity_deferred_to_interrupt),
	KUNIT_CASE(ims_chip_affinity_under_remapping),
	KUNIT_CASE(ims_chip_mask_unmask),
	KUNIT_CASE(ims_chip_lazy_disable_retriggers),
	KUNIT_CASE(ims_chip_vcpu_affinity_to_parent),
	KUNIT_CASE(ims_chip_shutdown_clears),
	KUNIT_CASE(ims_chip_free_releases),
	KUNIT_CASE(ims_chip_free_without_release),
	KUNIT_CASE(ims_chip_restart_rewrites),
	{}
};

static struct kunit_suite ims_chip_suite = {
	.name = "ims_chip",
	.init = ims_chip_init,
	.exit = ims_chip_exit,
	.test_cases = ims_chip_cases,
};

kunit_test_suite(ims_chip_suite);
