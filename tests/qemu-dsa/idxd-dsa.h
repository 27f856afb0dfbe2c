/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Model of an Intel Data Streaming Accelerator (DSA) PCI function, for
 * testing the idxd-mdev project without the hardware.
 *
 * The register layout follows the DSA architecture specification as the
 * Linux idxd driver uses it; where the model places tables (the offsets
 * are advertised in the TABLE register) is the model's own choice.
 */

#ifndef HW_MISC_IDXD_DSA_H
#define HW_MISC_IDXD_DSA_H

#include "hw/pci/pci.h"
#include "hw/registerfields.h"
#include "qemu/coroutine.h"
#include "qemu/units.h"
#include "qom/object.h"

#define TYPE_IDXD_DSA "idxd-dsa"
OBJECT_DECLARE_SIMPLE_TYPE(IdxdDsaState, IDXD_DSA)

#define DSA_VENDOR_ID           PCI_VENDOR_ID_INTEL
#define DSA_DEVICE_ID           0x0b25
#define DSA_CLASS               0x0880      /* system peripheral, other */
#define DSA_VERSION_1_0         0x100

/*
 * Generations the model can show (property "generation"): 1 as Sapphire
 * Rapids' DSA, without CMDCAP; 2 with CMDCAP and interrupt-handle requests.
 */
#define DSA_GEN_1               1
#define DSA_GEN_2               2

/* Limits of the model's properties (the layout below is sized for them). */
#define DSA_MAX_WQS             16
#define DSA_MAX_GROUPS          8
#define DSA_MAX_ENGINES         16
#define DSA_MAX_IMS             4096

/* --- BAR0: registers ---------------------------------------------------- */
REG64(VERSION, 0x00)
REG64(GENCAP, 0x10)
    FIELD(GENCAP, BLOCK_ON_FAULT, 0, 1)
    FIELD(GENCAP, OVERLAP_COPY, 1, 1)
    FIELD(GENCAP, CACHE_CTRL_MEM, 2, 1)
    FIELD(GENCAP, CACHE_CTRL_CACHE, 3, 1)
    FIELD(GENCAP, CMD_CAP, 4, 1)
    FIELD(GENCAP, DEST_READBACK, 8, 1)
    FIELD(GENCAP, DRAIN_READBACK, 9, 1)
    FIELD(GENCAP, MAX_XFER_SHIFT, 16, 5)
    FIELD(GENCAP, MAX_BATCH_SHIFT, 21, 4)
    FIELD(GENCAP, MAX_IMS_MULT, 25, 6)
    FIELD(GENCAP, CONFIG_EN, 31, 1)
REG64(WQCAP, 0x20)
    FIELD(WQCAP, TOTAL_WQ_SIZE, 0, 16)
    FIELD(WQCAP, NUM_WQS, 16, 8)
    FIELD(WQCAP, WQCFG_SIZE, 24, 4)
    FIELD(WQCAP, SHARED_MODE, 48, 1)
    FIELD(WQCAP, DEDICATED_MODE, 49, 1)
    FIELD(WQCAP, PRIORITY, 51, 1)
    FIELD(WQCAP, OCCUPANCY, 52, 1)
REG64(GRPCAP, 0x30)
    FIELD(GRPCAP, NUM_GROUPS, 0, 8)
REG64(ENGCAP, 0x38)
    FIELD(ENGCAP, NUM_ENGINES, 0, 8)
REG64(OPCAP, 0x40)                          /* 4 x 64 bits */
REG64(TABLE, 0x60)                          /* offsets in 0x100 units */
    FIELD(TABLE, GRPCFG, 0, 16)
    FIELD(TABLE, WQCFG, 16, 16)
    FIELD(TABLE, MSIX_PERM, 32, 16)
    FIELD(TABLE, IMS, 48, 16)
REG64(TABLE2, 0x68)                         /* perfmon: none */
REG32(GENCFG, 0x80)
    FIELD(GENCFG, RDBUF_LIMIT, 0, 8)
    FIELD(GENCFG, USER_INT_EN, 12, 1)
REG32(GENCTRL, 0x88)
    FIELD(GENCTRL, SOFTERR_INT_EN, 0, 1)
    FIELD(GENCTRL, HALT_INT_EN, 1, 1)
REG32(GENSTS, 0x90)
    FIELD(GENSTS, STATE, 0, 2)
    FIELD(GENSTS, RESET_TYPE, 2, 2)
REG32(INTCAUSE, 0x98)
    FIELD(INTCAUSE, ERR, 0, 1)
    FIELD(INTCAUSE, CMD, 1, 1)
    FIELD(INTCAUSE, HALT, 4, 1)
REG32(CMD, 0xa0)
    FIELD(CMD, OPERAND, 0, 20)
    FIELD(CMD, CODE, 20, 5)
    FIELD(CMD, INT_REQ, 31, 1)
REG32(CMDSTS, 0xa8)
    FIELD(CMDSTS, ERR, 0, 8)
    FIELD(CMDSTS, RESULT, 8, 16)
    FIELD(CMDSTS, ACTIVE, 31, 1)
REG64(CMDCAP, 0xb0)
REG64(SWERR, 0xc0)                          /* 4 x 64 bits */
    FIELD(SWERR, VALID, 0, 1)
    FIELD(SWERR, OVERFLOW, 1, 1)
    FIELD(SWERR, DESC_VALID, 2, 1)
    FIELD(SWERR, WQ_IDX_VALID, 3, 1)
    FIELD(SWERR, BATCH, 4, 1)
    FIELD(SWERR, FAULT_RW, 5, 1)
    FIELD(SWERR, INFO_VALID, 7, 1)
    FIELD(SWERR, ERROR, 8, 8)
    FIELD(SWERR, WQ_IDX, 16, 8)
    FIELD(SWERR, OPERATION, 32, 8)
    FIELD(SWERR, PASID, 40, 20)
#define DSA_SWERR_WORDS         4
#define DSA_SWERR_FAULT_ADDR    (A_SWERR + 16)

#define DSA_STATE_DISABLED      0
#define DSA_STATE_ENABLED       1
#define DSA_STATE_DRAIN         2
#define DSA_STATE_HALT          3

#define DSA_INTCAUSE_W1C        (R_INTCAUSE_ERR_MASK | R_INTCAUSE_CMD_MASK | \
                                 R_INTCAUSE_HALT_MASK)

/* Commands (CMD.CODE). */
enum {
    DSA_CMD_ENABLE_DEVICE = 1,
    DSA_CMD_DISABLE_DEVICE,
    DSA_CMD_DRAIN_ALL,
    DSA_CMD_ABORT_ALL,
    DSA_CMD_RESET_DEVICE,
    DSA_CMD_ENABLE_WQ,
    DSA_CMD_DISABLE_WQ,
    DSA_CMD_DRAIN_WQ,
    DSA_CMD_ABORT_WQ,
    DSA_CMD_RESET_WQ,
    DSA_CMD_DRAIN_PASID,
    DSA_CMD_ABORT_PASID,
    DSA_CMD_REQUEST_INT_HANDLE,
    DSA_CMD_RELEASE_INT_HANDLE,
    DSA_CMD_MAX = DSA_CMD_RELEASE_INT_HANDLE,
};

/* Operands: WQ commands but ENABLE_WQ take a 16-bit map + 16 * block. */
#define DSA_CMD_WQ_MAP(op)      ((op) & 0xffff)
#define DSA_CMD_WQ_BLOCK(op)    (((op) >> 16) & 0xf)
#define DSA_CMD_INT_INDEX(op)   ((op) & 0xffff)
#define DSA_CMD_INT_IMS         (1u << 16)

/* Command status codes (CMDSTS.ERR). */
enum {
    DSA_CMDSTS_SUCCESS = 0x00,
    DSA_CMDSTS_INVAL_CMD = 0x01,
    DSA_CMDSTS_INVAL_WQIDX = 0x02,
    DSA_CMDSTS_HW_ERR = 0x03,
    DSA_CMDSTS_DEV_ENABLED = 0x10,
    DSA_CMDSTS_CONFIG = 0x11,
    DSA_CMDSTS_BUSMASTER_EN = 0x12,
    DSA_CMDSTS_WQ_SIZE_ERANGE = 0x14,
    DSA_CMDSTS_GRP_CONFIG = 0x15,
    DSA_CMDSTS_DEV_NOTEN = 0x20,
    DSA_CMDSTS_WQ_ENABLED = 0x21,
    DSA_CMDSTS_WQ_SIZE = 0x22,
    DSA_CMDSTS_WQ_PRIOR = 0x23,
    DSA_CMDSTS_WQ_MODE = 0x24,
    DSA_CMDSTS_BOF_EN = 0x25,
    DSA_CMDSTS_PASID_EN = 0x26,
    DSA_CMDSTS_MAX_BATCH_SIZE = 0x27,
    DSA_CMDSTS_MAX_XFER_SIZE = 0x28,
    DSA_CMDSTS_DIS_DEV_EN = 0x31,
    DSA_CMDSTS_WQ_NOT_EN = 0x32,
    DSA_CMDSTS_INVAL_INT_IDX = 0x41,
    DSA_CMDSTS_NO_HANDLE = 0x42,
};

/* --- BAR0: the model's tables ------------------------------------------- */
#define DSA_TABLE_UNIT          0x100       /* TABLE offsets count these */
#define DSA_GRPCFG_OFFSET       0x400
#define DSA_GRPCFG_SIZE         0x40
#define   DSA_GRPCFG_WQS        0x00        /* 4 x 64-bit WQ bitmaps */
#define   DSA_GRPCFG_ENGINES    0x20
#define   DSA_GRPCFG_FLAGS      0x28
/* traffic classes A/B, use read-buffer limit, read buffers reserved/allowed */
#define     DSA_GRPCFG_FLAGS_WMASK 0x0ff0ffbfULL
#define DSA_WQCFG_OFFSET        0x600
#define DSA_WQCFG_SIZE          0x20
#define   DSA_WQCFG_DW_SIZE     0           /* dword index: bits 15:0 */
#define     DSA_WQCFG_SIZE_MASK   0xffffu
#define   DSA_WQCFG_DW_THRESH   1           /* bits 15:0 */
#define     DSA_WQCFG_THRESH_MASK 0xffffu
#define   DSA_WQCFG_DW_MODE     2
/* mode, bof, ATS disable, priority, PASID, PASID enable, priv */
#define     DSA_WQCFG_MODE_WMASK  0x3ffffff7u
#define     DSA_WQCFG_DEDICATED   (1u << 0)
#define     DSA_WQCFG_BOF         (1u << 1)
#define     DSA_WQCFG_PRIORITY(v) (((v) >> 4) & 0xf)
#define     DSA_WQCFG_PASID(v)    (((v) >> 8) & 0xfffff)
#define     DSA_WQCFG_PASID_EN    (1u << 28)
#define     DSA_WQCFG_PRIV        (1u << 29)
#define   DSA_WQCFG_DW_SHIFTS   3
#define     DSA_WQCFG_SHIFTS_WMASK 0x1ffu
#define     DSA_WQCFG_MAX_XFER_SHIFT(v)  ((v) & 0x1f)
#define     DSA_WQCFG_MAX_BATCH_SHIFT(v) (((v) >> 5) & 0xf)
#define   DSA_WQCFG_DW_STATE    6
#define     DSA_WQCFG_OCCUPANCY_MASK  0xffffu
#define     DSA_WQCFG_STATE_SHIFT     30
#define     DSA_WQCFG_STATE_MASK      (3u << DSA_WQCFG_STATE_SHIFT)
#define DSA_WQCFG_DWORDS        (DSA_WQCFG_SIZE / 4)
#define DSA_MSIX_PERM_OFFSET    0x800       /* 8 bytes per vector */
#define   DSA_MSIX_PERM_IGNORE  (1u << 2)
#define   DSA_MSIX_PERM_PASID_EN (1u << 3)
#define   DSA_MSIX_PERM_PASID(v) (((v) >> 12) & 0xfffff)
#define   DSA_MSIX_PERM_WMASK   (DSA_MSIX_PERM_IGNORE | \
                                 DSA_MSIX_PERM_PASID_EN | 0xfffff000u)
#define DSA_REGS_SIZE           0x1000
#define DSA_MSIX_TABLE_OFFSET   0x1000
#define DSA_MSIX_PBA_OFFSET     0x1800
#define DSA_IMS_OFFSET          0x2000
#define DSA_IMS_SLOT_SIZE       16
#define   DSA_IMS_ADDR_LO       0
#define   DSA_IMS_ADDR_HI       1
#define   DSA_IMS_DATA          2
#define   DSA_IMS_CTRL          3
#define     DSA_IMS_CTRL_MASK     (1u << 0)
#define     DSA_IMS_CTRL_PASID_EN (1u << 3)
#define     DSA_IMS_CTRL_PASID(v) (((v) >> 12) & 0xfffff)
#define     DSA_IMS_CTRL_WMASK    (DSA_IMS_CTRL_MASK | DSA_IMS_CTRL_PASID_EN | \
                                   0xfffff000u)
#define DSA_BAR0_SIZE           0x20000

/* Registers, IMS slots and portals take 4- and 8-byte accesses. */
#define DSA_MMIO_ACCESS                                                 \
    .endianness = DEVICE_LITTLE_ENDIAN,                                 \
    .valid = { .min_access_size = 4, .max_access_size = 8 },            \
    .impl = { .min_access_size = 4, .max_access_size = 8 }

/* --- BAR2: four portal pages per WQ ------------------------------------- */
#define DSA_PORTAL_SIZE         0x1000
#define DSA_PORTALS_PER_WQ      4
#define DSA_PORTAL_LIMITED      (1u << 0)   /* page bit: limited portal */
#define DSA_PORTAL_IMS          (1u << 1)   /* page bit: handles are IMS */

/* --- PCI configuration space -------------------------------------------- */
#define DSA_CAP_PCIE            0x40
#define DSA_CAP_MSIX            0x90
#define DSA_EXT_CAP_PASID       0x100
#define DSA_EXT_CAP_PASID_SIZE  8
#define DSA_EXT_CAP_SIOV        0x110       /* Intel Scalable IOV DVSEC */
#define DSA_SIOV_DVSEC_SIZE     0x18
#define   DSA_SIOV_DVSEC_ID     5
#define   DSA_SIOV_PAGE_SIZES   0x0c        /* supported; bit 0: 4 KiB */
#define   DSA_SIOV_SYS_PAGE     0x10        /* system page size */
#define   DSA_SIOV_CAP          0x14        /* bit 0: IMS supported */

/* --- Descriptors and completion records --------------------------------- */
#define DSA_DESC_SIZE           64
#define DSA_COMP_SIZE           32
#define DSA_COMP_ALIGN          32
#define DSA_PAGE_SIZE           0x1000      /* DMA is split at these */

/* Byte offsets in a descriptor. */
#define DSA_DESC_PASID_PRIV     0           /* pasid 19:0, priv 31 */
#define DSA_DESC_FLAGS_OPCODE   4           /* flags 23:0, opcode 31:24 */
#define   DSA_DESC_FLAGS_MASK   0xffffffu
#define DSA_DESC_COMPLETION     8
#define DSA_DESC_SRC            16          /* or pattern, desc list */
#define DSA_DESC_DST            24          /* or src2, compare pattern */
#define DSA_DESC_SIZE_COUNT     32          /* xfer size or desc count */
#define DSA_DESC_INT_HANDLE     36
#define DSA_DESC_EXPECTED_RES   40          /* compare ops */
#define DSA_DESC_DEST2          40          /* dualcast */
#define   DSA_DUALCAST_SAME_BITS 0xfffu     /* destinations agree in 11:0 */
#define DSA_DESC_CRC_SEED       40          /* crc ops */

/* Descriptor flags. */
#define DSA_FLAG_FENCE          (1u << 0)
#define DSA_FLAG_BOF            (1u << 1)
#define DSA_FLAG_CRAV           (1u << 2)
#define DSA_FLAG_RCR            (1u << 3)
#define DSA_FLAG_RCI            (1u << 4)
#define DSA_FLAG_CRSTS          (1u << 5)
#define DSA_FLAG_CR             (1u << 7)   /* check result */
#define DSA_FLAG_CC             (1u << 8)
#define DSA_FLAG_ADDR1_TCS      (1u << 9)
#define DSA_FLAG_ADDR2_TCS      (1u << 10)
#define DSA_FLAG_ADDR3_TCS      (1u << 11)
#define DSA_FLAG_CR_TCS         (1u << 12)
#define DSA_FLAG_STORD          (1u << 13)
#define DSA_FLAG_DRDBK          (1u << 14)
#define DSA_FLAG_DSTS           (1u << 15)
/* Flags every operation accepts; the model ignores the cache hints. */
#define DSA_FLAGS_COMMON        (DSA_FLAG_FENCE | DSA_FLAG_CRAV | \
                                 DSA_FLAG_RCR | DSA_FLAG_RCI | \
                                 DSA_FLAG_CC | DSA_FLAG_ADDR1_TCS | \
                                 DSA_FLAG_ADDR2_TCS | DSA_FLAG_ADDR3_TCS | \
                                 DSA_FLAG_CR_TCS | DSA_FLAG_STORD)

/* Opcodes. */
enum {
    DSA_OP_NOOP = 0x00,
    DSA_OP_BATCH = 0x01,
    DSA_OP_DRAIN = 0x02,
    DSA_OP_MEMMOVE = 0x03,
    DSA_OP_MEMFILL = 0x04,
    DSA_OP_COMPARE = 0x05,
    DSA_OP_COMPVAL = 0x06,
    DSA_OP_DUALCAST = 0x09,
    DSA_OP_CRCGEN = 0x10,
    DSA_OP_COPY_CRC = 0x11,
};

/* Completion record: byte offsets and status codes. */
#define DSA_CR_STATUS           0
#define DSA_CR_RESULT           1
#define DSA_CR_BYTES            4
#define DSA_CR_FAULT_ADDR       8
#define DSA_CR_OP_SPECIFIC      16          /* CRC, or the invalid flags */
#define DSA_COMP_STATUS_WRITE   0x80        /* the fault was a write */
enum {
    DSA_COMP_SUCCESS = 0x01,
    DSA_COMP_SUCCESS_PRED = 0x02,
    DSA_COMP_PAGE_FAULT_NOBOF = 0x03,
    DSA_COMP_BATCH_FAIL = 0x05,
    DSA_COMP_BATCH_PAGE_FAULT = 0x06,
    DSA_COMP_BAD_OPCODE = 0x10,
    DSA_COMP_INVALID_FLAGS = 0x11,
    DSA_COMP_NOZERO_RESERVE = 0x12,
    DSA_COMP_XFER_ERANGE = 0x13,
    DSA_COMP_DESC_CNT_ERANGE = 0x14,
    DSA_COMP_OVERLAP_BUFFERS = 0x16,
    DSA_COMP_DCAST_ERR = 0x17,
    DSA_COMP_DESCLIST_ALIGN = 0x18,
    DSA_COMP_INT_HANDLE_INVAL = 0x19,
    DSA_COMP_CRA_XLAT = 0x1a,
    DSA_COMP_CRA_ALIGN = 0x1b,
    DSA_COMP_ADDR_ALIGN = 0x1c,
    DSA_COMP_TRANSLATION_FAIL = 0x22,
    /* The model's own: abandoned by an abort or reset, no record written. */
    DSA_COMP_ABANDONED = 0xff,
};

/*
 * The engine works in slices of this many bytes (at least
 * DSA_SLICE_MIN_COST per piece of work, so that tiny descriptors count),
 * then lets the main loop, and with it the guest, run before the next.
 */
#define DSA_SLICE_BYTES         (4 * MiB)
#define DSA_SLICE_MIN_COST      DSA_DESC_SIZE

/*
 * Errors only SWERR reports (DSA architecture specification, table 5-7),
 * and one of the model's own: a descriptor torn by portal stores that were
 * not eight in-order 8-byte stores from one CPU (MOVDIR64B stores 64 bytes
 * at once, so real hardware never sees one).
 */
enum {
    DSA_SWERR_PCI_CONFIG = 0x51,
    DSA_SWERR_WQ_FULL = 0x53,
    DSA_SWERR_TORN_DESC = 0xf0,
};

typedef struct DsaDesc {
    uint8_t b[DSA_DESC_SIZE];
} DsaDesc;

/* A descriptor being assembled from the CPU's (at most 8-byte) stores. */
typedef struct DsaPortal {
    DsaDesc desc;
    hwaddr base;                    /* 64-byte slot of the portal page */
    unsigned int filled;
    int cpu;
} DsaPortal;

/* A queued descriptor, and whether its interrupt handle names IMS. */
typedef struct DsaQueued {
    DsaDesc desc;
    bool ims;
} DsaQueued;

typedef struct DsaWq {
    DsaQueued *ring;
    unsigned int size;              /* WQ size while enabled */
    unsigned int head;
    unsigned int count;
    DsaPortal portal[DSA_PORTALS_PER_WQ];
} DsaWq;

struct IdxdDsaState {
    PCIDevice parent_obj;

    MemoryRegion bar0;
    MemoryRegion regs_mr;
    MemoryRegion ims_mr;
    MemoryRegion bar2;
    QEMUBH *bh;
    QEMUTimer *engine_timer;
    QEMUTimer *slice_timer;         /* the next slice of a long descriptor */

    /* Properties. */
    uint32_t num_wqs;
    uint32_t total_wq_size;
    uint32_t num_groups;
    uint32_t num_engines;
    uint32_t ims_entries;
    uint64_t opcap;
    uint32_t generation;
    uint32_t engine_delay_us;

    /* The register file and what software may write in it. */
    uint8_t regs[DSA_REGS_SIZE];
    uint8_t wmask[DSA_REGS_SIZE];
    uint8_t w1cmask[DSA_REGS_SIZE];
    uint64_t commands;              /* CMD codes accepted, by bit */
    uint32_t *ims;                  /* 4 dwords per slot */
    unsigned long *ims_pending;

    DsaWq wq[DSA_MAX_WQS];
    unsigned int next_wq;           /* round-robin among WQs */
    AddressSpace *exec_as;          /* DMA of the descriptor running */

    /* The descriptor in flight: at most one, run in slices. */
    Coroutine *co;                  /* running it; NULL when none */
    DsaQueued cur;
    unsigned int cur_wq;
    uint64_t slice_used;            /* bytes of work in this slice */
    bool unbounded;                 /* drain: finish it without slicing */
    bool cancel;                    /* abort or reset: abandon it */
};

/* idxd-dsa.c */
uint64_t dsa_reg_read(IdxdDsaState *s, hwaddr off, unsigned size);
uint32_t dsa_wqcfg(IdxdDsaState *s, unsigned int wq, unsigned int dword);
bool dsa_wq_enabled(IdxdDsaState *s, unsigned int wq);
void dsa_report_swerr(IdxdDsaState *s, uint8_t error, int wq,
                      const DsaDesc *desc, bool write, uint64_t fault_addr,
                      uint32_t info);
void dsa_set_occupancy(IdxdDsaState *s, unsigned int wq);

/* idxd-dsa-portal.c */
extern const MemoryRegionOps dsa_portal_ops;
void dsa_wq_start(IdxdDsaState *s, unsigned int wq, unsigned int size);
void dsa_wq_run(IdxdDsaState *s, unsigned int wq);
void dsa_wq_flush(IdxdDsaState *s, unsigned int wq);
void dsa_engine_kick(IdxdDsaState *s);
void dsa_engine_work(void *opaque);
void dsa_engine_tick(void *opaque);
void dsa_engine_cancel(IdxdDsaState *s, int wq);

/* idxd-dsa-exec.c */
void coroutine_fn dsa_execute(IdxdDsaState *s, unsigned int wq, bool ims,
                              const DsaDesc *d);
void dsa_ims_deliver(IdxdDsaState *s, unsigned int slot);

#endif
