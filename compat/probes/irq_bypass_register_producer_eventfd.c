// SPDX-License-Identifier: GPL-2.0
/*
 * probe: HAVE_IRQ_BYPASS_REGISTER_PRODUCER_EVENTFD
 *
 * v6.17, "irqbypass: Take ownership of producer/consumer token tracking"
 * (commit 2b521d86ee80) and, in the same merge, "irqbypass: Require
 * producers to pass in Linux IRQ number during registration" (commit
 * 23b54381cee2): the producer is registered with its eventfd and IRQ
 * number as arguments, which the core stores (producer->eventfd); the
 * token and irq fields a producer filled in before are gone. No release
 * has the first change without the second, so one probe covers both.
 */
#include <linux/irqbypass.h>

static int __used conftest_irq_bypass_register_producer(struct irq_bypass_producer *p,
							struct eventfd_ctx *trigger)
{
	return irq_bypass_register_producer(p, trigger, 1);
}
