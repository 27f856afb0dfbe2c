/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * DSA model: the WQ portals in BAR2 and the WQs behind them.
 *
 * Each WQ has four portal pages: unlimited and limited, each with MSI-X
 * or IMS interrupt handles. Real CPUs submit with MOVDIR64B, a 64-byte
 * store; TCG has none, and MMIO dispatch delivers at most 8 bytes per
 * access, so the portal assembles a descriptor from in-order stores and
 * refuses (SWERR) any it cannot attribute to one CPU's single submission.
 *
 * For dedicated WQs the limited portal behaves as the unlimited one: the
 * threshold only limits shared WQs, which the model does not offer.
 */

#include "qemu/osdep.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "hw/core/cpu.h"
#include "idxd-dsa.h"
#include "trace.h"

static int dsa_current_cpu(void)
{
    return current_cpu ? current_cpu->cpu_index : -1;
}

/*
 * Abort: the WQ's descriptor in flight and the queued ones are dropped
 * without completion records, and so are descriptors half written to the
 * portals.
 */
void dsa_wq_flush(IdxdDsaState *s, unsigned int wq)
{
    unsigned int i;

    dsa_engine_cancel(s, wq);
    if (s->wq[wq].count) {
        trace_idxd_dsa_wq_flush(wq, s->wq[wq].count);
    }
    s->wq[wq].head = 0;
    s->wq[wq].count = 0;
    for (i = 0; i < DSA_PORTALS_PER_WQ; i++) {
        s->wq[wq].portal[i].filled = 0;
    }
    dsa_set_occupancy(s, wq);
}

void dsa_wq_start(IdxdDsaState *s, unsigned int wq, unsigned int size)
{
    dsa_wq_flush(s, wq);
    s->wq[wq].size = size;
}

void dsa_engine_kick(IdxdDsaState *s)
{
    if (!s->engine_delay_us) {
        qemu_bh_schedule(s->bh);
    } else if (!timer_pending(s->engine_timer)) {
        timer_mod(s->engine_timer, qemu_clock_get_us(QEMU_CLOCK_VIRTUAL) +
                  s->engine_delay_us);
    }
}

/* The next WQ with work, taking them in turn; -1 if none. */
static int dsa_next_wq(IdxdDsaState *s, bool take)
{
    unsigned int n, i;

    for (n = 0; n < s->num_wqs; n++) {
        i = (s->next_wq + n) % s->num_wqs;
        if (s->wq[i].count) {
            if (take) {
                s->next_wq = (i + 1) % s->num_wqs;
            }
            return i;
        }
    }
    return -1;
}

/*
 * Nothing in flight any more, ahead of its next slice: the engines go on
 * as after any descriptor, the next one waiting for the delay if any.
 */
static void dsa_engine_settle(IdxdDsaState *s)
{
    timer_del(s->slice_timer);
    if (dsa_next_wq(s, false) >= 0) {
        dsa_engine_kick(s);
    }
}

static void coroutine_fn dsa_engine_co(void *opaque)
{
    IdxdDsaState *s = opaque;
    DsaQueued entry = s->cur;

    dsa_execute(s, s->cur_wq, entry.ims, &entry.desc);
    s->co = NULL;
}

/* Take @wq's next descriptor and run it until it ends or yields. */
static void dsa_wq_step(IdxdDsaState *s, unsigned int wq)
{
    DsaWq *q = &s->wq[wq];

    s->cur = q->ring[q->head];
    s->cur_wq = wq;
    q->head = (q->head + 1) % q->size;
    q->count--;
    dsa_set_occupancy(s, wq);
    s->co = qemu_coroutine_create(dsa_engine_co, s);
    qemu_coroutine_enter(s->co);
}

/*
 * Abandon the descriptor in flight if it is @wq's (any WQ's if @wq < 0):
 * it stops at its slice point and writes no completion record.
 */
void dsa_engine_cancel(IdxdDsaState *s, int wq)
{
    if (s->co && (wq < 0 || s->cur_wq == wq)) {
        trace_idxd_dsa_abandon(s->cur_wq);
        s->cancel = true;
        qemu_coroutine_enter(s->co);
        s->cancel = false;
        dsa_engine_settle(s);
    }
}

/*
 * Drain @wq: finish the descriptor in flight (whichever WQ's: the engines
 * run one at a time) and everything queued on @wq, without slicing.
 */
void dsa_wq_run(IdxdDsaState *s, unsigned int wq)
{
    s->unbounded = true;
    if (s->co) {
        qemu_coroutine_enter(s->co);
        dsa_engine_settle(s);
    }
    while (s->wq[wq].count) {
        dsa_wq_step(s, wq);
    }
    s->unbounded = false;
}

/*
 * The engines, one slice of work: the descriptor in flight resumes, then
 * queued ones start, until DSA_SLICE_BYTES of work are done. A descriptor
 * still in flight resumes in the next slice, which starts after as long as
 * this one took: the main loop sleeps meanwhile, so the vCPUs waiting for
 * the BQL get it and the guest's timers fire, whatever the engine's load.
 * With x-engine-delay-us, a slice starts at most one descriptor, and the
 * next one waits for the engine timer.
 */
void dsa_engine_work(void *opaque)
{
    IdxdDsaState *s = opaque;
    int64_t start = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    bool started = false;
    int wq;

    s->slice_used = 0;
    if (s->co) {
        qemu_coroutine_enter(s->co);
        started = true;
    }
    while (!s->co && s->slice_used < DSA_SLICE_BYTES &&
           !(s->engine_delay_us && started)) {
        wq = dsa_next_wq(s, true);
        if (wq < 0) {
            return;
        }
        dsa_wq_step(s, wq);
        started = true;
    }
    if (s->co) {
        timer_mod(s->slice_timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) +
                  qemu_clock_get_ns(QEMU_CLOCK_REALTIME) - start);
    } else if (dsa_next_wq(s, false) >= 0) {
        dsa_engine_kick(s);
    }
}

static void dsa_submit(IdxdDsaState *s, unsigned int wq, bool ims,
                       const DsaDesc *desc)
{
    DsaWq *q = &s->wq[wq];
    DsaQueued *slot;

    /* A posted write to a disabled WQ is discarded without a trace. */
    if (FIELD_EX32(dsa_reg_read(s, A_GENSTS, 4), GENSTS, STATE) !=
        DSA_STATE_ENABLED || !dsa_wq_enabled(s, wq)) {
        trace_idxd_dsa_submit_discarded(wq);
        return;
    }
    if (q->count >= q->size) {
        trace_idxd_dsa_submit_full(wq);
        dsa_report_swerr(s, DSA_SWERR_WQ_FULL, wq, desc, false, 0, 0);
        return;
    }
    slot = &q->ring[(q->head + q->count) % q->size];
    slot->desc = *desc;
    slot->ims = ims;
    q->count++;
    dsa_set_occupancy(s, wq);
    trace_idxd_dsa_submit(wq, desc->b[DSA_DESC_FLAGS_OPCODE + 3], q->count);
    dsa_engine_kick(s);
}

/* The timers, guarded as the bottom half is against re-entrant DMA. */
void dsa_engine_tick(void *opaque)
{
    MemReentrancyGuard *guard = &DEVICE(opaque)->mem_reentrancy_guard;
    bool engaged = guard->engaged_in_io;

    guard->engaged_in_io = true;
    dsa_engine_work(opaque);
    guard->engaged_in_io = engaged;
}

static void dsa_portal_torn(IdxdDsaState *s, unsigned int wq, DsaPortal *p)
{
    trace_idxd_dsa_portal_torn(wq, p->filled);
    qemu_log_mask(LOG_GUEST_ERROR, "idxd-dsa: WQ %u: descriptor torn after "
                  "%u bytes\n", wq, p->filled);
    dsa_report_swerr(s, DSA_SWERR_TORN_DESC, wq, NULL, false, 0, 0);
    p->filled = 0;
}

static void dsa_portal_write(void *opaque, hwaddr addr, uint64_t val,
                             unsigned size)
{
    IdxdDsaState *s = opaque;
    unsigned int page = addr / DSA_PORTAL_SIZE;
    unsigned int wq = page / DSA_PORTALS_PER_WQ;
    unsigned int kind = page % DSA_PORTALS_PER_WQ;
    hwaddr pos = addr % DSA_DESC_SIZE, base = addr - pos;
    DsaPortal *p;

    if (wq >= s->num_wqs) {
        qemu_log_mask(LOG_GUEST_ERROR, "idxd-dsa: store to portal of "
                      "nonexistent WQ %u\n", wq);
        return;
    }
    p = &s->wq[wq].portal[kind];
    if (p->filled && (base != p->base || pos != p->filled ||
                      dsa_current_cpu() != p->cpu)) {
        dsa_portal_torn(s, wq, p);
    }
    if (!p->filled) {
        if (pos) {
            dsa_portal_torn(s, wq, p);
            return;
        }
        p->base = base;
        p->cpu = dsa_current_cpu();
    }
    stn_le_p(p->desc.b + pos, size, val);
    p->filled += size;
    if (p->filled == DSA_DESC_SIZE) {
        p->filled = 0;
        dsa_submit(s, wq, kind & DSA_PORTAL_IMS, &p->desc);
    }
}

/* Portals are write-only: reads return all ones. */
static uint64_t dsa_portal_read(void *opaque, hwaddr addr, unsigned size)
{
    return MAKE_64BIT_MASK(0, size * 8);
}

const MemoryRegionOps dsa_portal_ops = {
    .read = dsa_portal_read,
    .write = dsa_portal_write,
    DSA_MMIO_ACCESS,
};
