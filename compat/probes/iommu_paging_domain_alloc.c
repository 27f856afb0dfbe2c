// SPDX-License-Identifier: GPL-2.0
/*
 * probe: HAVE_IOMMU_PAGING_DOMAIN_ALLOC
 *
 * v6.11, "iommu: Add iommu_paging_domain_alloc() interface"
 * (a27bf2743cb8): a paging domain is allocated for the device that will
 * use it (ERR_PTR on failure) instead of for its bus with
 * iommu_domain_alloc() (NULL on failure), which 6.12 deprecates.
 */
#include <linux/iommu.h>

static struct iommu_domain * __used
conftest_iommu_paging_domain_alloc(struct device *dev)
{
	return iommu_paging_domain_alloc(dev);
}
