// SPDX-License-Identifier: GPL-2.0
/*
 * probe: HAVE_ZAP_SPECIAL_VMA_RANGE
 *
 * v7.1, "mm: rename zap_vma_ptes() to zap_special_vma_range()" (commit
 * 52a9e9cd181f): the one zap a driver may do on its VM_PFNMAP mappings
 * got a new name, same arguments; the old one is gone.
 */
#include <linux/mm.h>

static void __used conftest_zap_special_vma_range(struct vm_area_struct *vma)
{
	zap_special_vma_range(vma, vma->vm_start, PAGE_SIZE);
}
