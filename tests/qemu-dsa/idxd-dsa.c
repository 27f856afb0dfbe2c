/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Model of an Intel DSA PCI function: PCI configuration, the BAR0 register
 * file, the command interface and the device's own (vector 0) interrupt.
 * Portals are in idxd-dsa-portal.c, descriptor execution in idxd-dsa-exec.c.
 *
 * The model supports dedicated WQs only; WQ configuration is writable
 * (GENCAP.config_en) and checked by ENABLE_DEVICE and ENABLE_WQ.
 */

#include "qemu/osdep.h"
#include "qemu/bitops.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "qemu/timer.h"
#include "qapi/error.h"
#include "hw/pci/msix.h"
#include "hw/pci/pcie.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "idxd-dsa.h"
#include "trace.h"

static uint64_t dsa_get(const uint8_t *base, hwaddr off, unsigned size)
{
    return ldn_le_p(base + off, size);
}

static void dsa_put(uint8_t *base, hwaddr off, uint64_t val, unsigned size)
{
    stn_le_p(base + off, size, val);
}

static uint32_t dsa_state(IdxdDsaState *s)
{
    return FIELD_EX32(dsa_get(s->regs, A_GENSTS, 4), GENSTS, STATE);
}

static hwaddr dsa_wqcfg_off(unsigned int wq, unsigned int dword)
{
    return DSA_WQCFG_OFFSET + wq * DSA_WQCFG_SIZE + dword * 4;
}

static hwaddr dsa_grpcfg_off(unsigned int group)
{
    return DSA_GRPCFG_OFFSET + group * DSA_GRPCFG_SIZE;
}

uint32_t dsa_wqcfg(IdxdDsaState *s, unsigned int wq, unsigned int dword)
{
    return dsa_get(s->regs, dsa_wqcfg_off(wq, dword), 4);
}

bool dsa_wq_enabled(IdxdDsaState *s, unsigned int wq)
{
    return dsa_wqcfg(s, wq, DSA_WQCFG_DW_STATE) & DSA_WQCFG_STATE_MASK;
}

uint64_t dsa_reg_read(IdxdDsaState *s, hwaddr off, unsigned size)
{
    return dsa_get(s->regs, off, size);
}

void dsa_set_occupancy(IdxdDsaState *s, unsigned int wq)
{
    hwaddr off = dsa_wqcfg_off(wq, DSA_WQCFG_DW_STATE);
    uint32_t v = dsa_get(s->regs, off, 4);

    v = (v & ~DSA_WQCFG_OCCUPANCY_MASK) | s->wq[wq].count;
    dsa_put(s->regs, off, v, 4);
}

static void dsa_set_wq_state(IdxdDsaState *s, unsigned int wq, bool enabled)
{
    hwaddr off = dsa_wqcfg_off(wq, DSA_WQCFG_DW_STATE);
    uint32_t v = dsa_get(s->regs, off, 4) & ~DSA_WQCFG_STATE_MASK;

    dsa_put(s->regs, off, v | ((uint32_t)enabled << DSA_WQCFG_STATE_SHIFT), 4);
}

/*
 * The device's own events are named in INTCAUSE; vector 0 announces them
 * when @notify (software may have disabled the interrupt, not the cause).
 */
static void dsa_signal_cause(IdxdDsaState *s, uint32_t cause, bool notify)
{
    uint32_t v = dsa_get(s->regs, A_INTCAUSE, 4);

    dsa_put(s->regs, A_INTCAUSE, v | cause, 4);
    trace_idxd_dsa_cause(cause);
    if (notify) {
        msix_notify(PCI_DEVICE(s), 0);
    }
}

void dsa_report_swerr(IdxdDsaState *s, uint8_t error, int wq,
                      const DsaDesc *desc, bool write, uint64_t fault_addr,
                      uint32_t info)
{
    uint64_t e = dsa_get(s->regs, A_SWERR, 8);
    uint32_t mode;

    trace_idxd_dsa_swerr(error, wq);
    if (FIELD_EX64(e, SWERR, VALID)) {
        /* The first error stays; later ones only set OVERFLOW. */
        dsa_put(s->regs, A_SWERR, FIELD_DP64(e, SWERR, OVERFLOW, 1), 8);
        return;
    }
    e = FIELD_DP64(0, SWERR, VALID, 1);
    e = FIELD_DP64(e, SWERR, ERROR, error);
    e = FIELD_DP64(e, SWERR, FAULT_RW, write);
    e = FIELD_DP64(e, SWERR, INFO_VALID, error == DSA_COMP_INT_HANDLE_INVAL ||
                   error == DSA_COMP_INVALID_FLAGS);
    if (wq >= 0) {
        e = FIELD_DP64(e, SWERR, WQ_IDX_VALID, 1);
        e = FIELD_DP64(e, SWERR, WQ_IDX, wq);
    }
    if (desc) {
        e = FIELD_DP64(e, SWERR, DESC_VALID, 1);
        e = FIELD_DP64(e, SWERR, OPERATION,
                       desc->b[DSA_DESC_FLAGS_OPCODE + 3]);
        mode = wq >= 0 ? dsa_wqcfg(s, wq, DSA_WQCFG_DW_MODE) : 0;
        if (mode & DSA_WQCFG_PASID_EN) {
            e = FIELD_DP64(e, SWERR, PASID, DSA_WQCFG_PASID(mode));
        }
    }
    dsa_put(s->regs, A_SWERR, e, 8);
    dsa_put(s->regs, A_SWERR + 8, (uint64_t)info << 32, 8);
    dsa_put(s->regs, DSA_SWERR_FAULT_ADDR, fault_addr, 8);
    dsa_put(s->regs, A_SWERR + 24, 0, 8);

    dsa_signal_cause(s, R_INTCAUSE_ERR_MASK,
                     FIELD_EX32(dsa_get(s->regs, A_GENCTRL, 4), GENCTRL,
                                SOFTERR_INT_EN));
}

/*
 * What software may write depends on the state: configuration only while
 * the device (GENCFG, GRPCFG, WQ sizes) or the WQ (the rest of WQCFG) is
 * disabled.
 */
static void dsa_update_wmask(IdxdDsaState *s)
{
    bool dev_disabled = dsa_state(s) == DSA_STATE_DISABLED;
    unsigned int i;

    dsa_put(s->wmask, A_GENCFG, dev_disabled ?
            R_GENCFG_RDBUF_LIMIT_MASK | R_GENCFG_USER_INT_EN_MASK : 0, 4);
    for (i = 0; i < s->num_groups; i++) {
        hwaddr g = dsa_grpcfg_off(i);

        dsa_put(s->wmask, g + DSA_GRPCFG_WQS, dev_disabled ?
                MAKE_64BIT_MASK(0, s->num_wqs) : 0, 8);
        dsa_put(s->wmask, g + DSA_GRPCFG_ENGINES, dev_disabled ?
                MAKE_64BIT_MASK(0, s->num_engines) : 0, 8);
        /* Stored, not acted on: the model has no traffic to shape. */
        dsa_put(s->wmask, g + DSA_GRPCFG_FLAGS, dev_disabled ?
                DSA_GRPCFG_FLAGS_WMASK : 0, 8);
    }
    for (i = 0; i < s->num_wqs; i++) {
        bool wq_disabled = !dsa_wq_enabled(s, i);

        dsa_put(s->wmask, dsa_wqcfg_off(i, DSA_WQCFG_DW_SIZE),
                dev_disabled ? DSA_WQCFG_SIZE_MASK : 0, 4);
        dsa_put(s->wmask, dsa_wqcfg_off(i, DSA_WQCFG_DW_THRESH),
                wq_disabled ? DSA_WQCFG_THRESH_MASK : 0, 4);
        dsa_put(s->wmask, dsa_wqcfg_off(i, DSA_WQCFG_DW_MODE),
                wq_disabled ? DSA_WQCFG_MODE_WMASK : 0, 4);
        dsa_put(s->wmask, dsa_wqcfg_off(i, DSA_WQCFG_DW_SHIFTS),
                wq_disabled ? DSA_WQCFG_SHIFTS_WMASK : 0, 4);
    }
}

static void dsa_set_state(IdxdDsaState *s, uint32_t state, uint32_t reset)
{
    uint32_t v = FIELD_DP32(0, GENSTS, STATE, state);

    dsa_put(s->regs, A_GENSTS, FIELD_DP32(v, GENSTS, RESET_TYPE, reset), 4);
    trace_idxd_dsa_state(state);
    dsa_update_wmask(s);
}

static void dsa_wq_disable(IdxdDsaState *s, unsigned int wq)
{
    dsa_set_wq_state(s, wq, false);
    dsa_update_wmask(s);
}

/* The configuration registers' reset values (WQCFG, GRPCFG, GENCFG...). */
static void dsa_config_reset(IdxdDsaState *s)
{
    unsigned int i;

    for (i = 0; i < s->num_wqs; i++) {
        dsa_wq_flush(s, i);
        memset(s->regs + dsa_wqcfg_off(i, 0), 0, DSA_WQCFG_SIZE);
    }
    memset(s->regs + DSA_GRPCFG_OFFSET, 0, s->num_groups * DSA_GRPCFG_SIZE);
    dsa_put(s->regs, A_GENCFG, 0, 4);
    dsa_put(s->regs, A_GENCTRL, 0, 4);
    dsa_put(s->regs, A_INTCAUSE, 0, 4);
    memset(s->regs + A_SWERR, 0, DSA_SWERR_WORDS * 8);
}

/* ENABLE_DEVICE's configuration checks. */
static uint32_t dsa_check_config(IdxdDsaState *s)
{
    uint32_t total = 0, owners;
    unsigned int i, g;

    for (i = 0; i < s->num_wqs; i++) {
        total += dsa_wqcfg(s, i, DSA_WQCFG_DW_SIZE) & DSA_WQCFG_SIZE_MASK;
        owners = 0;
        for (g = 0; g < s->num_groups; g++) {
            owners += !!(dsa_get(s->regs, dsa_grpcfg_off(g) + DSA_GRPCFG_WQS,
                                 8) & BIT_ULL(i));
        }
        if (owners > 1) {
            return DSA_CMDSTS_GRP_CONFIG;
        }
    }
    if (total > s->total_wq_size) {
        return DSA_CMDSTS_WQ_SIZE_ERANGE;
    }
    for (g = 0; g < s->num_groups; g++) {
        hwaddr off = dsa_grpcfg_off(g);
        uint64_t engines = dsa_get(s->regs, off + DSA_GRPCFG_ENGINES, 8);
        uint64_t wqs = dsa_get(s->regs, off + DSA_GRPCFG_WQS, 8);

        /* A group with WQs needs an engine to run them. */
        if (wqs && !engines) {
            return DSA_CMDSTS_GRP_CONFIG;
        }
    }
    return DSA_CMDSTS_SUCCESS;
}

static int dsa_wq_group(IdxdDsaState *s, unsigned int wq)
{
    unsigned int g;

    for (g = 0; g < s->num_groups; g++) {
        if (dsa_get(s->regs, dsa_grpcfg_off(g) + DSA_GRPCFG_WQS, 8) &
            BIT_ULL(wq)) {
            return g;
        }
    }
    return -1;
}

static bool dsa_pasid_enabled(IdxdDsaState *s)
{
    PCIDevice *pdev = PCI_DEVICE(s);

    return pci_get_word(pdev->config + DSA_EXT_CAP_PASID + PCI_PASID_CTRL) &
           PCI_PASID_CTRL_ENABLE;
}

static uint32_t dsa_enable_wq(IdxdDsaState *s, unsigned int wq)
{
    uint64_t gencap = dsa_get(s->regs, A_GENCAP, 8);
    uint32_t size, mode, shifts;

    if (wq >= s->num_wqs) {
        return DSA_CMDSTS_INVAL_WQIDX;
    }
    size = dsa_wqcfg(s, wq, DSA_WQCFG_DW_SIZE) & DSA_WQCFG_SIZE_MASK;
    mode = dsa_wqcfg(s, wq, DSA_WQCFG_DW_MODE);
    shifts = dsa_wqcfg(s, wq, DSA_WQCFG_DW_SHIFTS);
    if (dsa_state(s) != DSA_STATE_ENABLED) {
        return DSA_CMDSTS_DEV_NOTEN;
    }
    if (dsa_wq_enabled(s, wq)) {
        return DSA_CMDSTS_WQ_ENABLED;
    }
    if (!size || dsa_wq_group(s, wq) < 0) {
        return DSA_CMDSTS_WQ_SIZE;
    }
    if (!DSA_WQCFG_PRIORITY(mode)) {
        return DSA_CMDSTS_WQ_PRIOR;
    }
    if (!(mode & DSA_WQCFG_DEDICATED)) {
        return DSA_CMDSTS_WQ_MODE;
    }
    if (mode & DSA_WQCFG_BOF) {
        return DSA_CMDSTS_BOF_EN;
    }
    if ((mode & DSA_WQCFG_PASID_EN) && !dsa_pasid_enabled(s)) {
        return DSA_CMDSTS_PASID_EN;
    }
    if (DSA_WQCFG_MAX_BATCH_SHIFT(shifts) >
        FIELD_EX64(gencap, GENCAP, MAX_BATCH_SHIFT)) {
        return DSA_CMDSTS_MAX_BATCH_SIZE;
    }
    if (DSA_WQCFG_MAX_XFER_SHIFT(shifts) >
        FIELD_EX64(gencap, GENCAP, MAX_XFER_SHIFT)) {
        return DSA_CMDSTS_MAX_XFER_SIZE;
    }
    dsa_wq_start(s, wq, size);
    dsa_set_wq_state(s, wq, true);
    dsa_update_wmask(s);
    return DSA_CMDSTS_SUCCESS;
}

/* Apply a WQ command (not ENABLE_WQ) to one WQ. */
static void dsa_wq_cmd(IdxdDsaState *s, uint32_t code, unsigned int wq)
{
    switch (code) {
    case DSA_CMD_DISABLE_WQ:
        dsa_wq_run(s, wq);
        dsa_wq_disable(s, wq);
        break;
    case DSA_CMD_DRAIN_WQ:
        dsa_wq_run(s, wq);
        break;
    case DSA_CMD_ABORT_WQ:
        dsa_wq_flush(s, wq);
        break;
    case DSA_CMD_RESET_WQ:
        dsa_wq_flush(s, wq);
        dsa_wq_disable(s, wq);
        memset(s->regs + dsa_wqcfg_off(wq, 0), 0, DSA_WQCFG_SIZE);
        dsa_update_wmask(s);
        break;
    }
}

static uint32_t dsa_cmd_wqs(IdxdDsaState *s, uint32_t code, uint32_t operand)
{
    unsigned int base = DSA_CMD_WQ_BLOCK(operand) * 16;
    uint32_t map = DSA_CMD_WQ_MAP(operand);
    unsigned int i;

    if (!map || base + 32 - clz32(map) > s->num_wqs) {
        return DSA_CMDSTS_INVAL_WQIDX;
    }
    if (dsa_state(s) != DSA_STATE_ENABLED) {
        return DSA_CMDSTS_WQ_NOT_EN;
    }
    for (i = 0; i < 16; i++) {
        if ((map & BIT(i)) && !dsa_wq_enabled(s, base + i)) {
            return DSA_CMDSTS_WQ_NOT_EN;
        }
    }
    for (i = 0; i < 16; i++) {
        if (map & BIT(i)) {
            dsa_wq_cmd(s, code, base + i);
        }
    }
    return DSA_CMDSTS_SUCCESS;
}

/* A dedicated WQ's descriptors all carry the WQ's PASID. */
static uint32_t dsa_cmd_pasid(IdxdDsaState *s, uint32_t code, uint32_t pasid)
{
    unsigned int i;

    if (dsa_state(s) != DSA_STATE_ENABLED) {
        return DSA_CMDSTS_WQ_NOT_EN;
    }
    for (i = 0; i < s->num_wqs; i++) {
        uint32_t mode = dsa_wqcfg(s, i, DSA_WQCFG_DW_MODE);

        if (!dsa_wq_enabled(s, i) || !(mode & DSA_WQCFG_PASID_EN) ||
            DSA_WQCFG_PASID(mode) != pasid) {
            continue;
        }
        dsa_wq_cmd(s, code == DSA_CMD_DRAIN_PASID ? DSA_CMD_DRAIN_WQ :
                   DSA_CMD_ABORT_WQ, i);
    }
    return DSA_CMDSTS_SUCCESS;
}

static uint32_t dsa_cmd_int_handle(IdxdDsaState *s, uint32_t code,
                                   uint32_t operand, uint32_t *result)
{
    unsigned int index = DSA_CMD_INT_INDEX(operand);
    unsigned int limit = operand & DSA_CMD_INT_IMS ? s->ims_entries :
                         s->num_wqs + 1;

    /* Handles are the vector or slot index: nothing to allocate. */
    if (index >= limit) {
        return code == DSA_CMD_REQUEST_INT_HANDLE ?
               DSA_CMDSTS_INVAL_INT_IDX : DSA_CMDSTS_NO_HANDLE;
    }
    if (code == DSA_CMD_REQUEST_INT_HANDLE) {
        *result = index;
    }
    return DSA_CMDSTS_SUCCESS;
}

static void dsa_disable_all(IdxdDsaState *s, bool drain)
{
    unsigned int i;

    for (i = 0; i < s->num_wqs; i++) {
        if (drain) {
            dsa_wq_run(s, i);
        }
        dsa_wq_flush(s, i);
        dsa_set_wq_state(s, i, false);
        dsa_set_occupancy(s, i);
    }
}

static uint32_t dsa_cmd_device(IdxdDsaState *s, uint32_t code)
{
    uint32_t state = dsa_state(s), status;
    unsigned int i;

    switch (code) {
    case DSA_CMD_ENABLE_DEVICE:
        if (state == DSA_STATE_ENABLED) {
            return DSA_CMDSTS_DEV_ENABLED;
        }
        if (!(pci_get_word(PCI_DEVICE(s)->config + PCI_COMMAND) &
              PCI_COMMAND_MASTER)) {
            return DSA_CMDSTS_BUSMASTER_EN;
        }
        status = dsa_check_config(s);
        if (status == DSA_CMDSTS_SUCCESS) {
            dsa_set_state(s, DSA_STATE_ENABLED, 0);
        }
        return status;
    case DSA_CMD_DISABLE_DEVICE:
        if (state != DSA_STATE_ENABLED) {
            return DSA_CMDSTS_DIS_DEV_EN;
        }
        dsa_disable_all(s, true);
        dsa_set_state(s, DSA_STATE_DISABLED, 0);
        return DSA_CMDSTS_SUCCESS;
    case DSA_CMD_DRAIN_ALL:
    case DSA_CMD_ABORT_ALL:
        if (state != DSA_STATE_ENABLED) {
            return DSA_CMDSTS_WQ_NOT_EN;
        }
        for (i = 0; i < s->num_wqs; i++) {
            if (code == DSA_CMD_DRAIN_ALL) {
                dsa_wq_run(s, i);
            } else {
                dsa_wq_flush(s, i);
            }
        }
        return DSA_CMDSTS_SUCCESS;
    }
    /* RESET_DEVICE, from any state: configuration back to reset values. */
    dsa_disable_all(s, false);
    dsa_config_reset(s);
    dsa_set_state(s, DSA_STATE_DISABLED, 0);
    return DSA_CMDSTS_SUCCESS;
}

static void dsa_command(IdxdDsaState *s, uint32_t cmd)
{
    uint32_t code = FIELD_EX32(cmd, CMD, CODE);
    uint32_t operand = FIELD_EX32(cmd, CMD, OPERAND);
    uint32_t status, result = 0;

    trace_idxd_dsa_cmd(code, operand);
    if (!(s->commands & BIT_ULL(code))) {
        status = DSA_CMDSTS_INVAL_CMD;
    } else if (dsa_state(s) == DSA_STATE_HALT &&
               code != DSA_CMD_RESET_DEVICE) {
        status = DSA_CMDSTS_HW_ERR;
    } else if (code <= DSA_CMD_RESET_DEVICE) {
        status = dsa_cmd_device(s, code);
    } else if (code == DSA_CMD_ENABLE_WQ) {
        status = dsa_enable_wq(s, operand);
    } else if (code <= DSA_CMD_RESET_WQ) {
        status = dsa_cmd_wqs(s, code, operand);
    } else if (code <= DSA_CMD_ABORT_PASID) {
        status = dsa_cmd_pasid(s, code, operand);
    } else {
        status = dsa_cmd_int_handle(s, code, operand, &result);
    }
    trace_idxd_dsa_cmd_done(code, status, result);

    /* Commands finish before the CMD write returns: ACTIVE is never seen. */
    dsa_put(s->regs, A_CMDSTS, FIELD_DP32(status, CMDSTS, RESULT, result), 4);
    if (FIELD_EX32(cmd, CMD, INT_REQ)) {
        dsa_signal_cause(s, R_INTCAUSE_CMD_MASK, true);
    }
}

static uint64_t dsa_regs_read(void *opaque, hwaddr addr, unsigned size)
{
    IdxdDsaState *s = opaque;
    uint64_t val = dsa_get(s->regs, addr, size);

    trace_idxd_dsa_reg_read(addr, size, val);
    return val;
}

static void dsa_regs_write(void *opaque, hwaddr addr, uint64_t val,
                           unsigned size)
{
    IdxdDsaState *s = opaque;
    uint64_t old = dsa_get(s->regs, addr, size);
    uint64_t wmask = dsa_get(s->wmask, addr, size);
    uint64_t w1c = dsa_get(s->w1cmask, addr, size);
    uint64_t new = (old & ~wmask) | (val & wmask);

    trace_idxd_dsa_reg_write(addr, size, val);
    new &= ~(val & w1c);
    dsa_put(s->regs, addr, new, size);

    /* CMD is a 32-bit register; an 8-byte store at 0xa0 covers it too. */
    if (addr == A_CMD) {
        dsa_command(s, val);
    } else if (addr < A_CMD && addr + size > A_CMD) {
        qemu_log_mask(LOG_GUEST_ERROR, "idxd-dsa: CMD written at 0x%"
                      HWADDR_PRIx " size %u: ignored\n", addr, size);
    }
}

static const MemoryRegionOps dsa_regs_ops = {
    .read = dsa_regs_read,
    .write = dsa_regs_write,
    DSA_MMIO_ACCESS,
};

static uint64_t dsa_ims_read(void *opaque, hwaddr addr, unsigned size)
{
    IdxdDsaState *s = opaque;
    uint64_t val = s->ims[addr / 4];

    if (size == 8) {
        val |= (uint64_t)s->ims[addr / 4 + 1] << 32;
    }
    return val;
}

static void dsa_ims_write_dword(IdxdDsaState *s, unsigned int idx,
                                uint32_t val)
{
    unsigned int slot = idx / 4;

    if (idx % 4 != DSA_IMS_CTRL) {
        s->ims[idx] = val;
        return;
    }
    s->ims[idx] = val & DSA_IMS_CTRL_WMASK;
    trace_idxd_dsa_ims_ctrl(slot, s->ims[idx]);
    /* Unmasking sends what arrived while the slot was masked. */
    if (!(val & DSA_IMS_CTRL_MASK) && test_bit(slot, s->ims_pending)) {
        dsa_ims_deliver(s, slot);
    }
}

static void dsa_ims_write(void *opaque, hwaddr addr, uint64_t val,
                          unsigned size)
{
    IdxdDsaState *s = opaque;

    dsa_ims_write_dword(s, addr / 4, val);
    if (size == 8) {
        dsa_ims_write_dword(s, addr / 4 + 1, val >> 32);
    }
}

static const MemoryRegionOps dsa_ims_ops = {
    .read = dsa_ims_read,
    .write = dsa_ims_write,
    DSA_MMIO_ACCESS,
};

/* Capabilities and the fixed parts of the register file. */
static void dsa_regs_init(IdxdDsaState *s)
{
    uint64_t v;
    unsigned int i;

    memset(s->regs, 0, sizeof(s->regs));
    memset(s->wmask, 0, sizeof(s->wmask));
    memset(s->w1cmask, 0, sizeof(s->w1cmask));

    dsa_put(s->regs, A_VERSION, DSA_VERSION_1_0, 8);
    v = FIELD_DP64(0, GENCAP, OVERLAP_COPY, 1);
    v = FIELD_DP64(v, GENCAP, CACHE_CTRL_MEM, 1);
    /* Only a device with CMDCAP says so. */
    v = FIELD_DP64(v, GENCAP, CMD_CAP, s->generation >= DSA_GEN_2);
    v = FIELD_DP64(v, GENCAP, DRAIN_READBACK, 1);
    v = FIELD_DP64(v, GENCAP, MAX_XFER_SHIFT, 31);
    v = FIELD_DP64(v, GENCAP, MAX_BATCH_SHIFT, 10);
    v = FIELD_DP64(v, GENCAP, MAX_IMS_MULT, s->ims_entries / 256);
    v = FIELD_DP64(v, GENCAP, CONFIG_EN, 1);
    dsa_put(s->regs, A_GENCAP, v, 8);
    v = FIELD_DP64(0, WQCAP, TOTAL_WQ_SIZE, s->total_wq_size);
    v = FIELD_DP64(v, WQCAP, NUM_WQS, s->num_wqs);
    v = FIELD_DP64(v, WQCAP, DEDICATED_MODE, 1);
    v = FIELD_DP64(v, WQCAP, PRIORITY, 1);
    v = FIELD_DP64(v, WQCAP, OCCUPANCY, 1);
    dsa_put(s->regs, A_WQCAP, v, 8);
    dsa_put(s->regs, A_GRPCAP, FIELD_DP64(0, GRPCAP, NUM_GROUPS,
                                          s->num_groups), 8);
    dsa_put(s->regs, A_ENGCAP, FIELD_DP64(0, ENGCAP, NUM_ENGINES,
                                          s->num_engines), 8);
    dsa_put(s->regs, A_OPCAP, s->opcap, 8);
    v = FIELD_DP64(0, TABLE, GRPCFG, DSA_GRPCFG_OFFSET / DSA_TABLE_UNIT);
    v = FIELD_DP64(v, TABLE, WQCFG, DSA_WQCFG_OFFSET / DSA_TABLE_UNIT);
    v = FIELD_DP64(v, TABLE, MSIX_PERM, DSA_MSIX_PERM_OFFSET / DSA_TABLE_UNIT);
    v = FIELD_DP64(v, TABLE, IMS, DSA_IMS_OFFSET / DSA_TABLE_UNIT);
    dsa_put(s->regs, A_TABLE, v, 8);
    /*
     * Generation 1 has no CMDCAP (reserved: reads 0) and no interrupt
     * handle commands: handles are the vector or slot index. Generation 2
     * has every command, 1 to DSA_CMD_MAX.
     */
    if (s->generation >= DSA_GEN_2) {
        s->commands = MAKE_64BIT_MASK(DSA_CMD_ENABLE_DEVICE, DSA_CMD_MAX);
        dsa_put(s->regs, A_CMDCAP, s->commands, 8);
    } else {
        s->commands = MAKE_64BIT_MASK(DSA_CMD_ENABLE_DEVICE,
                                      DSA_CMD_ABORT_PASID);
    }

    dsa_put(s->wmask, A_GENCTRL, R_GENCTRL_SOFTERR_INT_EN_MASK |
            R_GENCTRL_HALT_INT_EN_MASK, 4);
    dsa_put(s->w1cmask, A_INTCAUSE, DSA_INTCAUSE_W1C, 4);
    dsa_put(s->wmask, A_CMD, UINT32_MAX, 4);
    dsa_put(s->w1cmask, A_SWERR, R_SWERR_VALID_MASK | R_SWERR_OVERFLOW_MASK,
            8);
    for (i = 0; i <= s->num_wqs; i++) {
        dsa_put(s->wmask, DSA_MSIX_PERM_OFFSET + i * 8, DSA_MSIX_PERM_WMASK,
                4);
    }
    dsa_set_state(s, DSA_STATE_DISABLED, 0);
}

static void dsa_ims_init(IdxdDsaState *s)
{
    unsigned int i;

    memset(s->ims, 0, s->ims_entries * DSA_IMS_SLOT_SIZE);
    bitmap_zero(s->ims_pending, s->ims_entries);
    for (i = 0; i < s->ims_entries; i++) {
        s->ims[i * 4 + DSA_IMS_CTRL] = DSA_IMS_CTRL_MASK;
    }
}

static void dsa_reset(DeviceState *dev)
{
    IdxdDsaState *s = IDXD_DSA(dev);
    unsigned int i;

    for (i = 0; i < s->num_wqs; i++) {
        dsa_wq_flush(s, i);
    }
    dsa_regs_init(s);
    dsa_ims_init(s);
}

/*
 * Turning bus mastering off under an enabled device halts it: it could
 * not do any of its DMA.
 */
static void dsa_config_write(PCIDevice *pdev, uint32_t addr, uint32_t val,
                             int len)
{
    IdxdDsaState *s = IDXD_DSA(pdev);

    pci_default_write_config(pdev, addr, val, len);
    pcie_cap_flr_write_config(pdev, addr, val, len);
    if (ranges_overlap(addr, len, PCI_COMMAND, 2) &&
        !(pci_get_word(pdev->config + PCI_COMMAND) & PCI_COMMAND_MASTER) &&
        dsa_state(s) == DSA_STATE_ENABLED) {
        dsa_disable_all(s, false);
        dsa_set_state(s, DSA_STATE_HALT, 0);
        dsa_report_swerr(s, DSA_SWERR_PCI_CONFIG, -1, NULL, false, 0, 0);
        dsa_signal_cause(s, R_INTCAUSE_HALT_MASK,
                         FIELD_EX32(dsa_get(s->regs, A_GENCTRL, 4), GENCTRL,
                                    HALT_INT_EN));
    }
}

static void dsa_add_ext_caps(IdxdDsaState *s)
{
    PCIDevice *pdev = PCI_DEVICE(s);
    uint8_t *siov;

    /*
     * PASID: 20-bit PASIDs and privileged mode, as a DSA has: idxd
     * refuses a dedicated kernel WQ with a PASID without privileged mode,
     * and 7.x's idxd gives its kernel WQs a PASID. Software may write the
     * two enables.
     */
    pcie_add_capability(pdev, PCI_EXT_CAP_ID_PASID, 1, DSA_EXT_CAP_PASID,
                        DSA_EXT_CAP_PASID_SIZE);
    pci_set_word(pdev->config + DSA_EXT_CAP_PASID + PCI_PASID_CAP,
                 20 << 8 | PCI_PASID_CAP_PRIV);
    pci_set_word(pdev->wmask + DSA_EXT_CAP_PASID + PCI_PASID_CTRL,
                 PCI_PASID_CTRL_ENABLE | PCI_PASID_CTRL_PRIV);

    /* Intel's Scalable IOV DVSEC, advertising IMS. */
    pcie_add_capability(pdev, PCI_EXT_CAP_ID_DVSEC, 1, DSA_EXT_CAP_SIOV,
                        DSA_SIOV_DVSEC_SIZE);
    siov = pdev->config + DSA_EXT_CAP_SIOV;
    pci_set_long(siov + 4, PCI_VENDOR_ID_INTEL | (1 << 16) |
                 (DSA_SIOV_DVSEC_SIZE << 20));
    pci_set_word(siov + 8, DSA_SIOV_DVSEC_ID);
    pci_set_long(siov + DSA_SIOV_PAGE_SIZES, 1);
    pci_set_long(siov + DSA_SIOV_SYS_PAGE, 1);
    pci_set_long(siov + DSA_SIOV_CAP, 1);   /* IMS supported */
}

static void dsa_realize(PCIDevice *pdev, Error **errp)
{
    IdxdDsaState *s = IDXD_DSA(pdev);
    unsigned int i, nvec;
    int ret;

    if (!s->num_wqs || s->num_wqs > DSA_MAX_WQS ||
        !s->num_groups || s->num_groups > DSA_MAX_GROUPS ||
        !s->num_engines || s->num_engines > DSA_MAX_ENGINES) {
        error_setg(errp, "idxd-dsa: num-wqs 1..%d, num-groups 1..%d and "
                   "num-engines 1..%d", DSA_MAX_WQS, DSA_MAX_GROUPS,
                   DSA_MAX_ENGINES);
        return;
    }
    if (!s->ims_entries || s->ims_entries % 256 ||
        s->ims_entries > DSA_MAX_IMS) {
        error_setg(errp, "idxd-dsa: ims-entries must be a multiple of 256 "
                   "up to %d", DSA_MAX_IMS);
        return;
    }
    if (s->generation < DSA_GEN_1 || s->generation > DSA_GEN_2) {
        error_setg(errp, "idxd-dsa: generation must be %d or %d", DSA_GEN_1,
                   DSA_GEN_2);
        return;
    }
    if (!s->total_wq_size || s->total_wq_size > DSA_WQCFG_SIZE_MASK) {
        error_setg(errp, "idxd-dsa: wq-size must be 1..65535");
        return;
    }

    pci_config_set_interrupt_pin(pdev->config, 0);
    pcie_endpoint_cap_init(pdev, DSA_CAP_PCIE);
    pcie_cap_flr_init(pdev);
    dsa_add_ext_caps(s);

    memory_region_init(&s->bar0, OBJECT(s), "idxd-dsa-bar0", DSA_BAR0_SIZE);
    memory_region_init_io(&s->regs_mr, OBJECT(s), &dsa_regs_ops, s,
                          "idxd-dsa-regs", DSA_REGS_SIZE);
    memory_region_add_subregion(&s->bar0, 0, &s->regs_mr);
    memory_region_init_io(&s->ims_mr, OBJECT(s), &dsa_ims_ops, s,
                          "idxd-dsa-ims", s->ims_entries * DSA_IMS_SLOT_SIZE);
    memory_region_add_subregion(&s->bar0, DSA_IMS_OFFSET, &s->ims_mr);
    pci_register_bar(pdev, 0, PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64, &s->bar0);

    nvec = s->num_wqs + 1;
    ret = msix_init(pdev, nvec, &s->bar0, 0, DSA_MSIX_TABLE_OFFSET,
                    &s->bar0, 0, DSA_MSIX_PBA_OFFSET, DSA_CAP_MSIX, errp);
    if (ret) {
        return;
    }
    for (i = 0; i < nvec; i++) {
        msix_vector_use(pdev, i);
    }

    memory_region_init_io(&s->bar2, OBJECT(s), &dsa_portal_ops, s,
                          "idxd-dsa-portals",
                          pow2ceil(s->num_wqs * DSA_PORTALS_PER_WQ *
                                   DSA_PORTAL_SIZE));
    pci_register_bar(pdev, 2, PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64, &s->bar2);

    s->ims = g_new0(uint32_t, s->ims_entries * 4);
    s->ims_pending = bitmap_new(s->ims_entries);
    for (i = 0; i < s->num_wqs; i++) {
        s->wq[i].ring = g_new0(DsaQueued, s->total_wq_size);
    }
    /* The engines' DMA must not reach the device's own registers. */
    s->bh = qemu_bh_new_guarded(dsa_engine_work, s,
                                &DEVICE(s)->mem_reentrancy_guard);
    s->engine_timer = timer_new_us(QEMU_CLOCK_VIRTUAL, dsa_engine_tick, s);
    s->slice_timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, dsa_engine_tick, s);
    dsa_reset(DEVICE(s));
}

static void dsa_exit(PCIDevice *pdev)
{
    IdxdDsaState *s = IDXD_DSA(pdev);
    unsigned int i;

    dsa_engine_cancel(s, -1);
    timer_free(s->engine_timer);
    timer_free(s->slice_timer);
    qemu_bh_delete(s->bh);
    for (i = 0; i < s->num_wqs; i++) {
        g_free(s->wq[i].ring);
    }
    g_free(s->ims_pending);
    g_free(s->ims);
    msix_uninit(pdev, &s->bar0, &s->bar0);
}

/* Queued descriptors and in-flight DMA are not migrated. */
static const VMStateDescription vmstate_idxd_dsa = {
    .name = TYPE_IDXD_DSA,
    .unmigratable = 1,
};

static Property dsa_properties[] = {
    DEFINE_PROP_UINT32("num-wqs", IdxdDsaState, num_wqs, 8),
    DEFINE_PROP_UINT32("wq-size", IdxdDsaState, total_wq_size, 128),
    DEFINE_PROP_UINT32("num-groups", IdxdDsaState, num_groups, 4),
    DEFINE_PROP_UINT32("num-engines", IdxdDsaState, num_engines, 4),
    DEFINE_PROP_UINT32("ims-entries", IdxdDsaState, ims_entries, 2048),
    DEFINE_PROP_UINT64("opcap", IdxdDsaState, opcap,
                       BIT_ULL(DSA_OP_NOOP) | BIT_ULL(DSA_OP_BATCH) |
                       BIT_ULL(DSA_OP_DRAIN) | BIT_ULL(DSA_OP_MEMMOVE) |
                       BIT_ULL(DSA_OP_MEMFILL) | BIT_ULL(DSA_OP_COMPARE) |
                       BIT_ULL(DSA_OP_COMPVAL) | BIT_ULL(DSA_OP_DUALCAST) |
                       BIT_ULL(DSA_OP_CRCGEN) | BIT_ULL(DSA_OP_COPY_CRC)),
    DEFINE_PROP_UINT32("generation", IdxdDsaState, generation, DSA_GEN_2),
    /* Engine time per descriptor: lets a test fill a WQ. 0: at once. */
    DEFINE_PROP_UINT32("x-engine-delay-us", IdxdDsaState, engine_delay_us, 0),
    DEFINE_PROP_END_OF_LIST(),
};

static void dsa_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->realize = dsa_realize;
    k->exit = dsa_exit;
    k->config_write = dsa_config_write;
    k->vendor_id = DSA_VENDOR_ID;
    k->device_id = DSA_DEVICE_ID;
    k->class_id = DSA_CLASS;
    k->revision = 0;
    dc->desc = "Intel Data Streaming Accelerator (model)";
    dc->reset = dsa_reset;
    dc->vmsd = &vmstate_idxd_dsa;
    device_class_set_props(dc, dsa_properties);
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
}

static const TypeInfo dsa_info = {
    .name = TYPE_IDXD_DSA,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(IdxdDsaState),
    .class_init = dsa_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_PCIE_DEVICE },
        { }
    },
};

static void dsa_register_types(void)
{
    type_register_static(&dsa_info);
}

type_init(dsa_register_types)
