/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DSA model: executing descriptors, completion records and completion
 * interrupts.
 *
 * All DMA goes through the function's bus-master address space, so a
 * vIOMMU translates it; a failed access is a page fault (the model has no
 * block-on-fault) reported with the bytes completed before it.
 */

#include "qemu/osdep.h"
#include "qemu/crc32c.h"
#include "hw/pci/msix.h"
#include "sysemu/dma.h"
#include CONFIG_DEVICES
#ifdef CONFIG_VTD
#include "hw/i386/intel_iommu.h"
#endif
#include "idxd-dsa.h"
#include "trace.h"

/* The outcome of one descriptor: what its completion record says. */
typedef struct DsaResult {
    uint8_t status;
    uint8_t result;
    uint32_t bytes;
    uint64_t fault_addr;
    uint64_t op_specific;           /* CRC, or the invalid flags */
} DsaResult;

static uint64_t desc_q(const DsaDesc *d, unsigned int off)
{
    return ldq_le_p(d->b + off);
}

static uint32_t desc_l(const DsaDesc *d, unsigned int off)
{
    return ldl_le_p(d->b + off);
}

static uint32_t desc_flags(const DsaDesc *d)
{
    return desc_l(d, DSA_DESC_FLAGS_OPCODE) & DSA_DESC_FLAGS_MASK;
}

static uint8_t desc_opcode(const DsaDesc *d)
{
    return d->b[DSA_DESC_FLAGS_OPCODE + 3];
}

static void dsa_fault(DsaResult *r, uint64_t addr, bool write)
{
    r->status = DSA_COMP_PAGE_FAULT_NOBOF |
                (write ? DSA_COMP_STATUS_WRITE : 0);
    r->fault_addr = addr;
}

static bool dsa_bus_master(IdxdDsaState *s)
{
    return pci_get_word(PCI_DEVICE(s)->config + PCI_COMMAND) &
           PCI_COMMAND_MASTER;
}

/*
 * Where a WQ's DMA goes: PASID-tagged requests reach the vIOMMU's PASID
 * address space (which ignores bus mastering, so it is checked here).
 */
static AddressSpace *dsa_wq_as(IdxdDsaState *s, unsigned int wq)
{
    PCIDevice *pdev = PCI_DEVICE(s);
#ifdef CONFIG_VTD
    uint32_t mode = dsa_wqcfg(s, wq, DSA_WQCFG_DW_MODE);
    X86IOMMUState *x86 = x86_iommu_get_default();
    IntelIOMMUState *vtd = x86 ? (IntelIOMMUState *)
        object_dynamic_cast(OBJECT(x86), TYPE_INTEL_IOMMU_DEVICE) : NULL;

    if ((mode & DSA_WQCFG_PASID_EN) && vtd && vtd->pasid) {
        return &vtd_find_add_as(vtd, pci_get_bus(pdev), pdev->devfn,
                                DSA_WQCFG_PASID(mode))->as;
    }
#endif
    return pci_get_address_space(pdev);
}

static bool dsa_dma(IdxdDsaState *s, uint64_t addr, void *buf, uint64_t len,
                    DMADirection dir, DsaResult *r)
{
    if (!dsa_bus_master(s) ||
        dma_memory_rw(s->exec_as, addr, buf, len, dir,
                      MEMTXATTRS_UNSPECIFIED) != MEMTX_OK) {
        dsa_fault(r, addr, dir == DMA_DIRECTION_FROM_DEVICE);
        return false;
    }
    return true;
}

/*
 * A slice point, after @n bytes of work: once the slice's budget is spent,
 * the descriptor waits here for the engine's next slice while the guest
 * runs. False if an abort or reset abandoned it meanwhile.
 */
static bool coroutine_fn dsa_slice(IdxdDsaState *s, uint64_t n, DsaResult *r)
{
    s->slice_used += MAX(n, DSA_SLICE_MIN_COST);
    if (s->slice_used >= DSA_SLICE_BYTES && !s->unbounded && !s->cancel) {
        trace_idxd_dsa_slice_end(s->cur_wq);
        qemu_coroutine_yield();
    }
    if (s->cancel) {
        r->status = DSA_COMP_ABANDONED;
        return false;
    }
    return true;
}

/* How much of [addr, addr + len) lies in addr's page. */
static uint64_t dsa_in_page(uint64_t addr, uint64_t len)
{
    return MIN(len, DSA_PAGE_SIZE - (addr & (DSA_PAGE_SIZE - 1)));
}

static bool dsa_overlap(uint64_t a, uint64_t b, uint64_t len)
{
    return len && a < b + len && b < a + len;
}

/*
 * CRC-32C as DSA computes it: the register starts as the inverted seed and
 * the result is the inverted register, so a partial result seeds the rest
 * of the data. crc32c() inverts what it returns; undo that per piece.
 */
static uint32_t dsa_crc_update(uint32_t reg, const uint8_t *buf, uint64_t n)
{
    return ~crc32c(reg, buf, n);
}

/*
 * Copy @len bytes to one or two destinations, optionally computing a CRC
 * of the source, in pieces that cross no page. Overlapping copies with
 * the destination above the source run backwards (MEMMOVE's result 1).
 */
static void coroutine_fn dsa_copy(IdxdDsaState *s, uint64_t src,
                                  uint64_t dst, uint64_t dst2, bool two,
                                  uint64_t len, uint32_t *crc, DsaResult *r)
{
    uint8_t buf[DSA_PAGE_SIZE];
    bool backward = dst > src && dsa_overlap(src, dst, len);
    uint64_t done = 0, n, off;

    r->result = backward;
    while (done < len) {
        if (backward) {
            uint64_t end = len - done;

            /* The piece ends at end, and starts in the same pages. */
            n = MIN(end, MIN(((src + end - 1) & (DSA_PAGE_SIZE - 1)) + 1,
                             ((dst + end - 1) & (DSA_PAGE_SIZE - 1)) + 1));
            off = end - n;
        } else {
            off = done;
            n = dsa_in_page(src + off, len - off);
            n = dsa_in_page(dst + off, n);
            if (two) {
                n = dsa_in_page(dst2 + off, n);
            }
        }
        if (!dsa_dma(s, src + off, buf, n, DMA_DIRECTION_TO_DEVICE, r) ||
            !dsa_dma(s, dst + off, buf, n, DMA_DIRECTION_FROM_DEVICE, r) ||
            (two && !dsa_dma(s, dst2 + off, buf, n,
                             DMA_DIRECTION_FROM_DEVICE, r))) {
            break;
        }
        if (crc) {
            *crc = dsa_crc_update(*crc, buf, n);
        }
        done += n;
        if (!dsa_slice(s, n, r)) {
            break;
        }
    }
    r->bytes = done;
}

/* The 8-byte pattern repeats from the first destination byte on. */
static void coroutine_fn dsa_fill(IdxdDsaState *s, uint64_t dst,
                                  uint64_t pattern, uint64_t len,
                                  DsaResult *r)
{
    uint8_t buf[DSA_PAGE_SIZE], pat[8];
    uint64_t done = 0, n, i;

    stq_le_p(pat, pattern);
    while (done < len) {
        n = dsa_in_page(dst + done, len - done);
        for (i = 0; i < n; i++) {
            buf[i] = pat[(done + i) % 8];
        }
        if (!dsa_dma(s, dst + done, buf, n, DMA_DIRECTION_FROM_DEVICE, r)) {
            break;
        }
        done += n;
        if (!dsa_slice(s, n, r)) {
            break;
        }
    }
    r->bytes = done;
}

/*
 * COMPARE (@pattern NULL) or COMPVAL: result 1 and bytes completed = the
 * offset of the first difference, or result 0.
 */
static void coroutine_fn dsa_compare(IdxdDsaState *s, uint64_t src,
                                     uint64_t src2, const uint8_t *pattern,
                                     uint64_t len, DsaResult *r)
{
    uint8_t a[DSA_PAGE_SIZE], b[DSA_PAGE_SIZE];
    uint64_t done = 0, n, i;

    while (done < len) {
        n = dsa_in_page(src + done, len - done);
        if (!pattern) {
            n = dsa_in_page(src2 + done, n);
        }
        if (!dsa_dma(s, src + done, a, n, DMA_DIRECTION_TO_DEVICE, r)) {
            r->bytes = done;
            r->result = 0;
            return;
        }
        if (!pattern &&
            !dsa_dma(s, src2 + done, b, n, DMA_DIRECTION_TO_DEVICE, r)) {
            r->bytes = done;
            r->result = 0;
            return;
        }
        for (i = 0; i < n; i++) {
            uint8_t want = pattern ? pattern[(done + i) % 8] : b[i];

            if (a[i] != want) {
                r->result = 1;
                r->bytes = done + i;
                return;
            }
        }
        done += n;
        if (!dsa_slice(s, n, r)) {
            return;
        }
    }
    r->result = 0;
    r->bytes = 0;
}

static void coroutine_fn dsa_crcgen(IdxdDsaState *s, uint64_t src,
                                    uint64_t len, uint32_t *crc,
                                    DsaResult *r)
{
    uint8_t buf[DSA_PAGE_SIZE];
    uint64_t done = 0, n;

    while (done < len) {
        n = dsa_in_page(src + done, len - done);
        if (!dsa_dma(s, src + done, buf, n, DMA_DIRECTION_TO_DEVICE, r)) {
            break;
        }
        *crc = dsa_crc_update(*crc, buf, n);
        done += n;
        if (!dsa_slice(s, n, r)) {
            break;
        }
    }
    r->bytes = done;
}

static uint32_t dsa_flags_allowed(uint8_t op)
{
    switch (op) {
    case DSA_OP_COMPARE:
    case DSA_OP_COMPVAL:
        return DSA_FLAGS_COMMON | DSA_FLAG_CR;
    default:
        return DSA_FLAGS_COMMON;
    }
}

static uint32_t dsa_wq_max_xfer(IdxdDsaState *s, unsigned int wq)
{
    return DSA_WQCFG_MAX_XFER_SHIFT(dsa_wqcfg(s, wq, DSA_WQCFG_DW_SHIFTS));
}

static void coroutine_fn dsa_process(IdxdDsaState *s, unsigned int wq,
                                     bool ims, const DsaDesc *d,
                                     bool batch_member, DsaResult *r);

static void coroutine_fn dsa_batch(IdxdDsaState *s, unsigned int wq,
                                   bool ims, const DsaDesc *d, DsaResult *r)
{
    uint64_t list = desc_q(d, DSA_DESC_SRC);
    uint32_t count = desc_l(d, DSA_DESC_SIZE_COUNT);
    unsigned int shift = DSA_WQCFG_MAX_BATCH_SHIFT(
        dsa_wqcfg(s, wq, DSA_WQCFG_DW_SHIFTS));
    g_autofree DsaDesc *descs = NULL;
    bool failed = false;
    uint32_t i;

    if (count < 2 || count > (1u << shift)) {
        r->status = DSA_COMP_DESC_CNT_ERANGE;
        return;
    }
    if (list % DSA_DESC_SIZE) {
        r->status = DSA_COMP_DESCLIST_ALIGN;
        return;
    }
    descs = g_new(DsaDesc, count);
    if (!dsa_bus_master(s) ||
        dma_memory_read(s->exec_as, list, descs,
                        (dma_addr_t)count * DSA_DESC_SIZE,
                        MEMTXATTRS_UNSPECIFIED) != MEMTX_OK) {
        r->status = DSA_COMP_BATCH_PAGE_FAULT;
        r->fault_addr = list;
        return;
    }
    for (i = 0; i < count; i++) {
        DsaResult sub;

        /* After a failure, a fenced descriptor and the rest are dropped. */
        if (failed && (desc_flags(&descs[i]) & DSA_FLAG_FENCE)) {
            break;
        }
        dsa_process(s, wq, ims, &descs[i], true, &sub);
        /* Abandoned: so is the batch, with the members not yet done. */
        if (sub.status == DSA_COMP_ABANDONED ||
            !dsa_slice(s, DSA_SLICE_MIN_COST, r)) {
            r->status = DSA_COMP_ABANDONED;
            return;
        }
        failed |= sub.status != DSA_COMP_SUCCESS;
    }
    r->bytes = i;
    r->status = failed ? DSA_COMP_BATCH_FAIL : DSA_COMP_SUCCESS;
}

/* Run one operation; r->status is set unless the operation succeeded. */
static void coroutine_fn dsa_operate(IdxdDsaState *s, unsigned int wq,
                                     bool ims, const DsaDesc *d,
                                     bool batch_member, DsaResult *r)
{
    uint8_t op = desc_opcode(d);
    uint32_t flags = desc_flags(d);
    uint64_t src = desc_q(d, DSA_DESC_SRC), dst = desc_q(d, DSA_DESC_DST);
    uint64_t dst2 = desc_q(d, DSA_DESC_DEST2);
    uint32_t size = desc_l(d, DSA_DESC_SIZE_COUNT);
    uint32_t crc;
    uint8_t pattern[8];

    if (op >= 64 || !(dsa_reg_read(s, A_OPCAP, 8) & BIT_ULL(op)) ||
        (batch_member && (op == DSA_OP_BATCH || op == DSA_OP_DRAIN))) {
        r->status = DSA_COMP_BAD_OPCODE;
        return;
    }
    if (flags & ~dsa_flags_allowed(op)) {
        r->status = DSA_COMP_INVALID_FLAGS;
        r->op_specific = flags & ~dsa_flags_allowed(op);
        return;
    }
    if ((op == DSA_OP_COMPARE || op == DSA_OP_COMPVAL) &&
        (flags & (DSA_FLAG_CRAV | DSA_FLAG_RCR)) !=
        (DSA_FLAG_CRAV | DSA_FLAG_RCR)) {
        /* A compare whose result nobody reads is a mistake. */
        r->status = DSA_COMP_INVALID_FLAGS;
        r->op_specific = ~flags & (DSA_FLAG_CRAV | DSA_FLAG_RCR);
        return;
    }
    if (op != DSA_OP_BATCH && op != DSA_OP_NOOP && op != DSA_OP_DRAIN &&
        (uint64_t)size > (1ULL << dsa_wq_max_xfer(s, wq))) {
        r->status = DSA_COMP_XFER_ERANGE;
        return;
    }

    switch (op) {
    case DSA_OP_NOOP:
    case DSA_OP_DRAIN:
        /* A dedicated WQ runs in order: what came before is done. */
        break;
    case DSA_OP_BATCH:
        dsa_batch(s, wq, ims, d, r);
        return;
    case DSA_OP_MEMMOVE:
        dsa_copy(s, src, dst, 0, false, size, NULL, r);
        break;
    case DSA_OP_MEMFILL:
        dsa_fill(s, dst, src, size, r);
        break;
    case DSA_OP_COMPARE:
    case DSA_OP_COMPVAL:
        stq_le_p(pattern, dst);
        dsa_compare(s, src, dst, op == DSA_OP_COMPVAL ? pattern : NULL,
                    size, r);
        if (!r->status && (flags & DSA_FLAG_CR) &&
            r->result != (d->b[DSA_DESC_EXPECTED_RES] & 1)) {
            r->status = DSA_COMP_SUCCESS_PRED;
        }
        break;
    case DSA_OP_DUALCAST:
        if ((dst ^ dst2) & DSA_DUALCAST_SAME_BITS) {
            r->status = DSA_COMP_DCAST_ERR;
            return;
        }
        if (dsa_overlap(src, dst, size) || dsa_overlap(src, dst2, size) ||
            dsa_overlap(dst, dst2, size)) {
            r->status = DSA_COMP_OVERLAP_BUFFERS;
            return;
        }
        dsa_copy(s, src, dst, dst2, true, size, NULL, r);
        r->result = 0;
        break;
    case DSA_OP_CRCGEN:
    case DSA_OP_COPY_CRC:
        crc = ~desc_l(d, DSA_DESC_CRC_SEED);
        if (op == DSA_OP_CRCGEN) {
            dsa_crcgen(s, src, size, &crc, r);
        } else if (dsa_overlap(src, dst, size)) {
            r->status = DSA_COMP_OVERLAP_BUFFERS;
            return;
        } else {
            dsa_copy(s, src, dst, 0, false, size, &crc, r);
            r->result = 0;
        }
        r->op_specific = (uint32_t)~crc;
        break;
    }
}

/* The interrupt handle names an MSI-X vector or an IMS slot. */
static bool dsa_int_handle_valid(IdxdDsaState *s, unsigned int wq, bool ims,
                                 uint16_t handle)
{
    uint32_t mode = dsa_wqcfg(s, wq, DSA_WQCFG_DW_MODE), ctrl;
    bool pasid_en = mode & DSA_WQCFG_PASID_EN;
    uint32_t pasid = DSA_WQCFG_PASID(mode);

    if (!ims) {
        uint32_t perm;

        if (handle > s->num_wqs) {
            return false;
        }
        perm = dsa_reg_read(s, DSA_MSIX_PERM_OFFSET + handle * 8, 4);
        return !(perm & DSA_MSIX_PERM_PASID_EN) ||
               (pasid_en && DSA_MSIX_PERM_PASID(perm) == pasid);
    }
    if (handle >= s->ims_entries) {
        return false;
    }
    /* An IMS slot tied to a PASID fires only for that PASID's work. */
    ctrl = s->ims[handle * 4 + DSA_IMS_CTRL];
    return !(ctrl & DSA_IMS_CTRL_PASID_EN) ||
           (pasid_en && DSA_IMS_CTRL_PASID(ctrl) == pasid);
}

void dsa_ims_deliver(IdxdDsaState *s, unsigned int slot)
{
    PCIDevice *pdev = PCI_DEVICE(s);
    uint32_t *e = &s->ims[slot * 4];
    uint64_t addr = ((uint64_t)e[DSA_IMS_ADDR_HI] << 32) | e[DSA_IMS_ADDR_LO];
    MemTxAttrs attrs = { .requester_id = pci_requester_id(pdev) };

    if (e[DSA_IMS_CTRL] & DSA_IMS_CTRL_MASK) {
        set_bit(slot, s->ims_pending);
        trace_idxd_dsa_ims_pending(slot);
        return;
    }
    clear_bit(slot, s->ims_pending);
    trace_idxd_dsa_ims_send(slot, addr, e[DSA_IMS_DATA]);
    /* An MSI write like any other, so interrupt remapping sees it. */
    address_space_stl_le(pci_get_address_space(pdev), addr, e[DSA_IMS_DATA],
                         attrs, NULL);
}

static void dsa_interrupt(IdxdDsaState *s, bool ims, uint16_t handle)
{
    uint32_t perm;

    if (ims) {
        dsa_ims_deliver(s, handle);
        return;
    }
    perm = dsa_reg_read(s, DSA_MSIX_PERM_OFFSET + handle * 8, 4);
    if (perm & DSA_MSIX_PERM_IGNORE) {
        return;
    }
    trace_idxd_dsa_msix_send(handle);
    msix_notify(PCI_DEVICE(s), handle);
}

/* Status byte last: software polls it and reads the rest after. */
static bool dsa_write_completion(IdxdDsaState *s, uint64_t addr,
                                 const DsaResult *r)
{
    uint8_t rec[DSA_COMP_SIZE] = { 0 };
    MemTxAttrs attrs = MEMTXATTRS_UNSPECIFIED;

    if (!dsa_bus_master(s)) {
        return false;
    }
    rec[DSA_CR_RESULT] = r->result;
    stl_le_p(rec + DSA_CR_BYTES, r->bytes);
    stq_le_p(rec + DSA_CR_FAULT_ADDR, r->fault_addr);
    stq_le_p(rec + DSA_CR_OP_SPECIFIC, r->op_specific);
    if (dma_memory_write(s->exec_as, addr + 1, rec + 1, sizeof(rec) - 1,
                         attrs) != MEMTX_OK) {
        return false;
    }
    /* The record's body is in memory before its status says it is done. */
    smp_wmb();
    return dma_memory_write(s->exec_as, addr, &r->status, 1, attrs) ==
           MEMTX_OK;
}

static uint32_t dsa_swerr_info(const DsaResult *r, uint16_t handle)
{
    if (r->status == DSA_COMP_INT_HANDLE_INVAL) {
        return handle;
    }
    return r->status == DSA_COMP_INVALID_FLAGS ? r->op_specific : 0;
}

static void coroutine_fn dsa_process(IdxdDsaState *s, unsigned int wq,
                                     bool ims, const DsaDesc *d,
                                     bool batch_member, DsaResult *r)
{
    uint32_t flags = desc_flags(d);
    uint64_t comp = desc_q(d, DSA_DESC_COMPLETION);
    uint16_t handle = lduw_le_p(d->b + DSA_DESC_INT_HANDLE);
    bool crav = flags & DSA_FLAG_CRAV;

    memset(r, 0, sizeof(*r));
    if (crav && comp % DSA_COMP_ALIGN) {
        r->status = DSA_COMP_CRA_ALIGN;
        dsa_report_swerr(s, r->status, wq, d, false, comp, 0);
        return;
    }
    /* A record that cannot be written: the descriptor is not run. */
    if (crav && (!dsa_bus_master(s) ||
                 !dma_memory_valid(s->exec_as, comp, DSA_COMP_SIZE,
                                   DMA_DIRECTION_FROM_DEVICE,
                                   MEMTXATTRS_UNSPECIFIED))) {
        r->status = DSA_COMP_CRA_XLAT;
        dsa_report_swerr(s, r->status, wq, d, true, comp, 0);
        return;
    }

    if ((flags & DSA_FLAG_RCI) && !dsa_int_handle_valid(s, wq, ims, handle)) {
        r->status = DSA_COMP_INT_HANDLE_INVAL;
    } else {
        dsa_operate(s, wq, ims, d, batch_member, r);
        if (!r->status) {
            r->status = DSA_COMP_SUCCESS;
        }
    }
    trace_idxd_dsa_complete(wq, desc_opcode(d), r->status, r->bytes);
    if (r->status == DSA_COMP_ABANDONED) {
        /* No completion record, no interrupt: software aborted it. */
        return;
    }

    if (r->status != DSA_COMP_SUCCESS && r->status != DSA_COMP_SUCCESS_PRED &&
        (!crav || r->status == DSA_COMP_INT_HANDLE_INVAL)) {
        dsa_report_swerr(s, r->status & ~DSA_COMP_STATUS_WRITE, wq, d,
                         r->status & DSA_COMP_STATUS_WRITE, r->fault_addr,
                         dsa_swerr_info(r, handle));
    }
    if (crav && ((flags & DSA_FLAG_RCR) || r->status != DSA_COMP_SUCCESS) &&
        !dsa_write_completion(s, comp, r)) {
        dsa_report_swerr(s, DSA_COMP_CRA_XLAT, wq, d, true, comp, 0);
        return;
    }
    if ((flags & DSA_FLAG_RCI) && r->status != DSA_COMP_INT_HANDLE_INVAL) {
        dsa_interrupt(s, ims, handle);
    }
}

void coroutine_fn dsa_execute(IdxdDsaState *s, unsigned int wq, bool ims,
                              const DsaDesc *d)
{
    DsaResult r;

    s->exec_as = dsa_wq_as(s, wq);
    dsa_process(s, wq, ims, d, false, &r);
}
