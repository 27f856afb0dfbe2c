/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A VFIO device seen from userspace: a PCI function bound to vfio-pci (by
 * its BDF) or a mediated device (by its UUID), its config space, BARs,
 * DMA mappings in its IOMMU container, MSI-X and request eventfds.
 */
#ifndef DSA_USER_VFIO_H
#define DSA_USER_VFIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VFIO_MAX_IRQS	32
#define VFIO_MAX_AREAS	8

struct vfio_dev {
	int container;
	int group;
	int device;
	int group_no;
	int iommu_type;			/* VFIO_TYPE1v2_IOMMU or VFIO_TYPE1_IOMMU */
	uint64_t region_off[8];		/* by VFIO_PCI_*_REGION_INDEX */
	uint64_t region_size[8];
	int nirqs;
	int efd[VFIO_MAX_IRQS];
	uint64_t irq_count[VFIO_MAX_IRQS];
	int req_efd;			/* VFIO_PCI_REQ_IRQ_INDEX, or -1 */
	uint64_t req_count;
};

/* A region as VFIO_DEVICE_GET_REGION_INFO describes it, caps parsed. */
struct vfio_region {
	uint32_t flags;			/* VFIO_REGION_INFO_FLAG_* */
	uint64_t size, offset;
	bool sparse;			/* has a sparse-mmap capability */
	unsigned int nareas;		/* its areas (at most VFIO_MAX_AREAS) */
	struct { uint64_t offset, size; } areas[VFIO_MAX_AREAS];
	unsigned int ncaps;		/* capabilities in the chain */
};

/*
 * Called with the group in its container and the IOMMU set, before the
 * device is opened: where a VMM adds the group to KVM. Returns 0 or fails
 * the open.
 */
typedef int (*vfio_group_hook)(void *arg, int group_fd);

int vfio_open(struct vfio_dev *v, const char *bdf);
int vfio_open_pci(struct vfio_dev *v, const char *bdf, vfio_group_hook hook,
		  void *arg);
int vfio_open_mdev(struct vfio_dev *v, const char *uuid,
		   vfio_group_hook hook, void *arg);
void vfio_close(struct vfio_dev *v);
int vfio_reset(struct vfio_dev *v);

int vfio_region_info(struct vfio_dev *v, unsigned int index,
		     struct vfio_region *r);

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

int vfio_req_enable(struct vfio_dev *v);
void vfio_req_disable(struct vfio_dev *v);
uint64_t vfio_req_count(struct vfio_dev *v);
int vfio_req_wait(struct vfio_dev *v, uint64_t count, int timeout_ms);

#endif
