package org.xldt.smmu;

/**
 * The consumer side of a command queue (§3.5, §4.1, §7.1), with a budget: reads 16-byte
 * commands at CMDQ_CONS and hands them to an {@link Executor}. On an error CONS stays on the
 * failing command, CONS.ERR says why (CERROR_ABT for a read abort, else the executor's code),
 * GERROR.CMDQ_ERR toggles, and consumption stops until GERRORN acknowledges it. Reusable by a
 * vSMMU over guest memory with its own executor.
 */
public final class CommandQueue {

    /** Executes one command; returns a CERROR code ({@link CmdLayout#CERROR_NONE} = done). */
    public interface Executor {
        int execute(long w0, long w1);
    }

    /** State after {@link #process}. */
    public enum State {
        /** Nothing left to consume (CONS == PROD). */
        IDLE,
        /** The budget ran out with commands left. */
        MORE,
        /** Stopped on an error until GERRORN acknowledges GERROR.CMDQ_ERR. */
        ERROR,
        /** CR0.CMDQEN = 0. */
        DISABLED
    }

    private final RegisterFile regs;
    private final Memory mem;
    private final Interrupts irqs;
    private final long[] cmd = new long[2];

    public CommandQueue(RegisterFile regs, Memory mem, Interrupts irqs) {
        this.regs = regs;
        this.mem = mem;
        this.irqs = irqs;
    }

    /** Consumes at most {@code max} commands. */
    public State process(int max, Executor ex) {
        if (!regs.cmdqEnabled()) {
            return State.DISABLED;
        }
        if ((regs.activeErrors() & Regs.GERROR.CMDQ_ERR.mask()) != 0) {
            return State.ERROR;
        }
        SmmuConfig cfg = regs.config();
        long base = regs.get64(Reg.CMDQ_BASE);
        int ls = RegisterFile.log2size(base, cfg.cmdqs());
        long qbase = RegisterFile.queueBase(base, ls, CmdLayout.BYTES, cfg.oasBits());
        int done = 0;
        while (true) {
            long prod = regs.get32(Reg.CMDQ_PROD) & 0xffffffffL;
            long cons = regs.get32(Reg.CMDQ_CONS) & 0xffffffffL;
            if (RegisterFile.empty(prod, cons, ls)) {
                return State.IDLE;
            }
            if (done >= max) {
                return State.MORE;
            }
            long addr = qbase + CmdLayout.BYTES * RegisterFile.index(cons, ls);
            int err = mem.readLongs(addr, cmd, 0, 2) ? ex.execute(cmd[0], cmd[1])
                    : CmdLayout.CERROR_ABT;
            if (err != CmdLayout.CERROR_NONE) {
                regs.set(Reg.CMDQ_CONS, Regs.Q_PTR.ERR.insert(cons, err));
                irqs.raiseGlobalError(Regs.GERROR.CMDQ_ERR);
                return State.ERROR;
            }
            regs.set(Reg.CMDQ_CONS, RegisterFile.increment(cons, ls));
            done++;
        }
    }

    /** True if CONS != PROD (whether or not the queue can run now). */
    public boolean pending() {
        int ls = RegisterFile.log2size(regs.get64(Reg.CMDQ_BASE), regs.config().cmdqs());
        return !RegisterFile.empty(regs.get32(Reg.CMDQ_PROD) & 0xffffffffL,
                regs.get32(Reg.CMDQ_CONS) & 0xffffffffL, ls);
    }
}
