/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A PCI function bound to vfio-pci, seen from userspace: config space,
 * BARs, DMA mappings in its IOMMU container and MSI-X eventfds.
 */
#ifndef DSA_USER_VFIO_H
#define DSA_USER_VFIO_H

#include <stddef.h>
#include <stdint.h>

#define VFIO_MAX_IRQS	32

struct vfio_dev {
	int container;
	int group;
	int device;
	uint64_t region_off[8];		/* by VFIO_PCI_*_REGION_INDEX */
	uint64_t region_size[8];
	int nirqs;
	int efd[VFIO_MAX_IRQS];
	uint64_t irq_count[VFIO_MAX_IRQS];
};

int vfio_open(struct vfio_dev *v, const char *bdf);
void vfio_close(struct vfio_dev *v);
int vfio_reset(struct vfio_dev *v);

uint32_t vfio_cfg_read(struct vfio_dev *v, unsigned int off, unsigned int size);
int vfio_cfg_write(struct vfio_dev *v, unsigned int off, unsigned int size,
		   uint32_t val);
uint64_t vfio_bar_read(struct vfio_dev *v, int bar, uint64_t off,
		       unsigned int size);
int vfio_bar_write(struct vfio_dev *v, int bar, uint64_t off,
		   unsigned int size, uint64_t val);
void *vfio_bar_mmap(struct vfio_dev *v, int bar, size_t *len);

int vfio_dma_map(struct vfio_dev *v, void *va, uint64_t iova, size_t len);
int vfio_dma_unmap(struct vfio_dev *v, uint64_t iova, size_t len);

int vfio_msix_enable(struct vfio_dev *v, int nvec);
void vfio_msix_disable(struct vfio_dev *v);
uint64_t vfio_irq_count(struct vfio_dev *v, int vec);
int vfio_irq_wait(struct vfio_dev *v, int vec, uint64_t count, int timeout_ms);

#endif
