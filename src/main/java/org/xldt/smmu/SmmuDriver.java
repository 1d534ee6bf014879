package org.xldt.smmu;

import java.util.ArrayList;
import java.util.List;

/**
 * Minimal software side of an SMMUv3: sets up queues and a stream table the way Linux's
 * arm-smmu-v3 driver does, submits commands and drains the event queue. It talks to any
 * {@link Mmio} window (the physical {@link Smmu} or a vSMMU) and writes its structures into
 * the given {@link Memory} (physical memory, or guest memory for a guest driver).
 */
public final class SmmuDriver {
    private final Mmio mmio;
    private final Memory mem;
    private final TableAllocator alloc;
    private long cmdqBase;
    private int cmdqLog2;
    private long evtqBase;
    private int evtqLog2;
    private StreamTableBuilder strtab;

    public SmmuDriver(Mmio mmio, Memory mem, TableAllocator alloc) {
        this.mmio = mmio;
        this.mem = mem;
        this.alloc = alloc;
    }

    public long read(Reg r) {
        return mmio.mmioRead(r.offset, r.size);
    }

    public void write(Reg r, long v) {
        mmio.mmioWrite(r.offset, r.size, v);
    }

    /**
     * Probe and enable: disable, GBPA abort, queues of 2^log2 entries, stream table (2-level
     * with SPLIT 8 if {@code twoLevel}), IRQ_CTRL = GERROR|EVENTQ, then CMDQEN, EVENTQEN,
     * CFGI_ALL + TLBI_NSNH_ALL + SYNC, SMMUEN.
     */
    public SmmuDriver init(int queueLog2, int sidBits, boolean twoLevel) {
        write(Reg.CR0, 0);
        write(Reg.GBPA, Regs.GBPA.UPDATE.mask() | Regs.GBPA.ABORT.mask());
        cmdqLog2 = queueLog2;
        cmdqBase = alloc.allocAligned(16L << queueLog2);
        evtqLog2 = queueLog2;
        evtqBase = alloc.allocAligned(32L << queueLog2);
        write(Reg.CMDQ_BASE, cmdqBase | queueLog2);
        write(Reg.CMDQ_PROD, 0);
        write(Reg.CMDQ_CONS, 0);
        write(Reg.EVENTQ_BASE, evtqBase | queueLog2);
        write(Reg.EVENTQ_PROD, 0);
        write(Reg.EVENTQ_CONS, 0);
        strtab = twoLevel ? StreamTableBuilder.twoLevel(mem, alloc, sidBits, 8)
                : StreamTableBuilder.linear(mem, alloc, sidBits);
        write(Reg.STRTAB_BASE, strtab.strtabBase());
        write(Reg.STRTAB_BASE_CFG, strtab.strtabBaseCfg());
        write(Reg.IRQ_CTRL, Regs.IRQ_CTRL.GERROR_IRQEN.mask()
                | Regs.IRQ_CTRL.EVENTQ_IRQEN.mask());
        write(Reg.CR0, Regs.CR0.CMDQEN.mask());
        write(Reg.CR0, Regs.CR0.CMDQEN.mask() | Regs.CR0.EVENTQEN.mask());
        submit(Commands.cfgiAll(), Commands.tlbiNsnhAll(), Commands.sync(CmdLayout.CS_SEV));
        write(Reg.CR0, Regs.CR0.CMDQEN.mask() | Regs.CR0.EVENTQEN.mask()
                | Regs.CR0.SMMUEN.mask());
        return this;
    }

    public StreamTableBuilder streamTable() {
        return strtab;
    }

    public long cmdqBase() {
        return cmdqBase;
    }

    public long eventqBase() {
        return evtqBase;
    }

    /** Writes the commands at CMDQ_PROD and publishes them with one PROD write. */
    public void submit(long[]... cmds) {
        long prod = read(Reg.CMDQ_PROD);
        long m = (2L << cmdqLog2) - 1;
        for (long[] c : cmds) {
            long addr = cmdqBase + 16 * (prod & ((1L << cmdqLog2) - 1));
            mem.writeLongs(addr, c, 0, 2);
            prod = (prod + 1) & m;
        }
        write(Reg.CMDQ_PROD, prod);
    }

    /** CONS.ERR while GERROR.CMDQ_ERR is active, else 0 (ERR is stale once acknowledged). */
    public int commandError() {
        long active = read(Reg.GERROR) ^ read(Reg.GERRORN);
        if (!Regs.GERROR.CMDQ_ERR.isSet(active)) {
            return 0;
        }
        return (int) Regs.Q_PTR.ERR.get(read(Reg.CMDQ_CONS));
    }

    /**
     * Submits the commands and polls CMDQ_CONS until it reaches the new PROD (as Linux waits
     * for a CMD_SYNC), at most {@code maxPolls} reads. Returns false if the queue stopped on
     * an error or the polls ran out.
     */
    public boolean submitAndWait(int maxPolls, long[]... cmds) {
        submit(cmds);
        long prod = read(Reg.CMDQ_PROD);
        long m = (2L << cmdqLog2) - 1;
        for (int i = 0; i < maxPolls; i++) {
            if (commandError() != 0) {
                return false;
            }
            if (((read(Reg.CMDQ_CONS) ^ prod) & m) == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * After a command error: replaces the failing command (at CMDQ_CONS) with a CMD_SYNC and
     * acknowledges the error, so the queue resumes after it (as Linux's driver does).
     */
    public void skipFailedCommand() {
        long cons = read(Reg.CMDQ_CONS);
        mem.writeLongs(cmdqBase + 16 * (cons & ((1L << cmdqLog2) - 1)),
                Commands.sync(CmdLayout.CS_NONE), 0, 2);
        acknowledgeErrors();
    }

    /** Acknowledges every active global error by writing GERRORN = GERROR. */
    public void acknowledgeErrors() {
        write(Reg.GERRORN, read(Reg.GERROR));
    }

    /** Reads and consumes all pending event records; acknowledges an overflow. */
    public List<Event> drainEvents() {
        List<Event> out = new ArrayList<>();
        long prod = read(Reg.EVENTQ_PROD);
        long cons = read(Reg.EVENTQ_CONS);
        long m = (2L << evtqLog2) - 1;
        long[] w = new long[EvtLayout.WORDS];
        while (((prod ^ cons) & m) != 0) {
            mem.readLongs(evtqBase + 32 * (cons & ((1L << evtqLog2) - 1)), w, 0, 4);
            out.add(EventParser.parse(w));
            cons = (cons & ~m) | ((cons + 1) & m);
        }
        long ov = Regs.Q_PTR.OVFLG.get(prod);
        write(Reg.EVENTQ_CONS, Regs.Q_PTR.OVFLG.insert(cons & m, ov));
        return out;
    }
}
