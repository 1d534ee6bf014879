package org.xldt.smmu;

/**
 * The producer side of an event queue (§3.5, §7.4): writes 32-byte records at EVENTQ_PROD.
 * Reusable by a vSMMU over guest memory.
 */
public final class EventQueue {
    private final RegisterFile regs;
    private final Memory mem;
    private final Interrupts irqs;
    private long recorded;
    private long dropped;

    public EventQueue(RegisterFile regs, Memory mem, Interrupts irqs) {
        this.regs = regs;
        this.mem = mem;
        this.irqs = irqs;
    }

    /**
     * Writes the record; returns false if it was discarded: queue disabled, EVENTQ_ABT_ERR
     * active (the queue is not writable until acknowledged, §7.2.1), queue full (toggling
     * EVENTQ_PROD.OVFLG if no overflow is outstanding, i.e. OVFLG == EVENTQ_CONS.OVACKFLG,
     * and signalling), or the write aborted (raising GERROR.EVENTQ_ABT_ERR).
     */
    public boolean record(Event e) {
        return record(e.toWords());
    }

    public boolean record(long[] words) {
        if (!regs.eventqEnabled()
                || (regs.activeErrors() & Regs.GERROR.EVENTQ_ABT_ERR.mask()) != 0) {
            dropped++;
            return false;
        }
        SmmuConfig cfg = regs.config();
        long base = regs.get64(Reg.EVENTQ_BASE);
        int ls = RegisterFile.log2size(base, cfg.eventqs());
        long prod = regs.get32(Reg.EVENTQ_PROD) & 0xffffffffL;
        long cons = regs.get32(Reg.EVENTQ_CONS) & 0xffffffffL;
        if (RegisterFile.full(prod, cons, ls)) {
            dropped++;
            if (Regs.Q_PTR.OVFLG.get(prod) == Regs.Q_PTR.OVFLG.get(cons)) {
                regs.set(Reg.EVENTQ_PROD, prod ^ Regs.Q_PTR.OVFLG.mask());
                irqs.signalEventq();
            }
            irqs.updateLevels();
            return false;
        }
        long addr = RegisterFile.queueBase(base, ls, EvtLayout.BYTES, cfg.oasBits())
                + EvtLayout.BYTES * RegisterFile.index(prod, ls);
        if (!mem.writeLongs(addr, words, 0, EvtLayout.WORDS)) {
            dropped++;
            irqs.raiseGlobalError(Regs.GERROR.EVENTQ_ABT_ERR);
            return false;
        }
        regs.set(Reg.EVENTQ_PROD, RegisterFile.increment(prod, ls));
        recorded++;
        irqs.signalEventq();
        irqs.updateLevels();
        return true;
    }

    public long recorded() {
        return recorded;
    }

    public long dropped() {
        return dropped;
    }
}
