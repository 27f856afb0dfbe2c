// SPDX-License-Identifier: GPL-2.0
/*
 * probe: HAVE_IOMMU_ALLOC_GLOBAL_PASID
 *
 * v6.6, "iommu: Move global PASID allocation from SVA to core" (the
 * "Re-enable IDXD kernel workqueue under DMA API" series): a driver can
 * take a PASID of the global space for a domain of its own. The same
 * series let VT-d attach paging domains to a PASID, so this is also the
 * probe for that.
 */
#include <linux/iommu.h>

static ioasid_t __used conftest_iommu_alloc_global_pasid(struct device *dev)
{
	return iommu_alloc_global_pasid(dev);
}
