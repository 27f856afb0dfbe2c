// SPDX-License-Identifier: GPL-2.0
/*
 * probe: HAVE_VM_FLAGS_SET
 *
 * v6.3, "mm: introduce vma->vm_flags wrapper functions" (commit
 * bc292ab00f6c): vm_flags became read-only to drivers, changed through
 * vm_flags_set() and friends.
 */
#include <linux/mm.h>

static void __used conftest_vm_flags_set(struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_IO);
}
