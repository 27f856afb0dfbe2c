// SPDX-License-Identifier: GPL-2.0
/*
 * probe: HAVE_IOMMU_MAP_GFP
 *
 * v6.3, "iommu: Add a gfp parameter to iommu_map()" (1369459b2e21): the
 * caller passes the allocation flags for the page tables iommu_map()
 * may allocate; before, the core always used GFP_KERNEL (and
 * iommu_map_atomic() GFP_ATOMIC).
 */
#include <linux/iommu.h>

static int __used conftest_iommu_map_gfp(struct iommu_domain *domain)
{
	return iommu_map(domain, 0, 0, PAGE_SIZE, IOMMU_READ, GFP_KERNEL);
}
