// SPDX-License-Identifier: GPL-2.0
/*
 * Little-endian register arrays of the virtual device, and how a guest
 * write merges into them.
 */
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>

#include "vidxd_priv.h"

/**
 * vidxd_load - Read @size bytes (1-8) at @off of a register array
 * @regs:	The array (little endian, as the device is).
 * @off:	Byte offset.
 * @size:	Bytes.
 *
 * Context: Any; the caller keeps the array stable.
 * Return: The value.
 */
u64 vidxd_load(const u8 *regs, unsigned int off, unsigned int size)
{
	u64 val = 0;

	while (size--)
		val = val << 8 | regs[off + size];
	return val;
}

/**
 * vidxd_store - Store @size bytes (1-8) of @val at @off of a register array
 * @regs:	The array.
 * @off:	Byte offset.
 * @size:	Bytes.
 * @val:	Value.
 *
 * Context: Any; the caller serializes writers.
 */
void vidxd_store(u8 *regs, unsigned int off, unsigned int size, u64 val)
{
	unsigned int i;

	for (i = 0; i < size; i++, val >>= 8)
		regs[off + i] = val;
}

/**
 * vidxd_merge - Apply a guest write to a register array
 * @regs:	The array.
 * @wmask:	Per byte, the bits a write may set or clear.
 * @w1c:	Per byte, the bits a write of 1 clears.
 * @off:	Byte offset.
 * @size:	Bytes.
 * @val:	What the guest wrote.
 *
 * Context: Any; the caller serializes writers.
 */
void vidxd_merge(u8 *regs, const u8 *wmask, const u8 *w1c, unsigned int off,
		 unsigned int size, u64 val)
{
	unsigned int i;
	u8 byte;

	for (i = 0; i < size; i++, val >>= 8) {
		byte = val;
		regs[off + i] = (regs[off + i] & ~wmask[off + i]) |
				(byte & wmask[off + i]);
		regs[off + i] &= ~(byte & w1c[off + i]);
	}
}

/**
 * vidxd_check_access - Is this a guest access the device accepts?
 * @off:	Offset.
 * @size:	Bytes.
 * @space:	Size of the register space.
 * @max_size:	Largest access the space takes.
 *
 * Context: Any.
 * Return: 0 for a naturally aligned access of a power-of-two size up to
 * @max_size inside the space, -EINVAL otherwise.
 */
int vidxd_check_access(unsigned int off, unsigned int size, unsigned int space,
		       unsigned int max_size)
{
	if (size > max_size || !is_power_of_2(size) || off % size ||
	    off >= space || size > space - off)
		return -EINVAL;
	return 0;
}

/**
 * vidxd_read_regs - A guest read, without side effects
 * @vidxd:	The device.
 * @regs:	Its config space or BAR0 array.
 * @off:	Checked offset.
 * @size:	Checked size.
 *
 * Context: Process context.
 * Return: The value.
 */
u64 vidxd_read_regs(struct vidxd *vidxd, const u8 *regs, unsigned int off,
		    unsigned int size)
{
	u64 val;

	mutex_lock(&vidxd->lock);
	spin_lock_irq(&vidxd->irq_lock);
	val = vidxd_load(regs, off, size);
	spin_unlock_irq(&vidxd->irq_lock);
	mutex_unlock(&vidxd->lock);
	return val;
}
