package org.xldt.smmu;

/**
 * The interrupt outputs of one SMMU programming interface and the global-error logic that
 * drives them. Reusable by a vSMMU with its own {@link RegisterFile} (its lines' listeners
 * inject the guest's interrupt).
 *
 * <p>An interrupt is an MSI write of IRQ_CFG1.DATA to IRQ_CFG0.ADDR when IDR0.MSI = 1 and
 * ADDR != 0, else a pulse on the wired line; a failed MSI write raises GERROR.MSI_*_ABT_ERR.
 * Levels: eventq = EVENTQ_IRQEN and queue not empty; gerror = GERROR_IRQEN and an error
 * active; cmdq-sync and priq have no lasting condition.
 */
public final class Interrupts {
    private final RegisterFile regs;
    private final Memory mem;
    private final long oasMask;
    private final IrqLine eventq = new IrqLine("eventq");
    private final IrqLine priq = new IrqLine("priq");
    private final IrqLine cmdqSync = new IrqLine("cmdq-sync");
    private final IrqLine gerror = new IrqLine("gerror");

    public Interrupts(RegisterFile regs, Memory mem) {
        this.regs = regs;
        this.mem = mem;
        this.oasMask = (1L << regs.config().oasBits()) - 1;
    }

    public IrqLine eventq() {
        return eventq;
    }

    public IrqLine priq() {
        return priq;
    }

    public IrqLine cmdqSync() {
        return cmdqSync;
    }

    public IrqLine gerror() {
        return gerror;
    }

    /** The line by its device-tree interrupt name, or null. */
    public IrqLine byName(String name) {
        return switch (name) {
            case "eventq" -> eventq;
            case "priq" -> priq;
            case "cmdq-sync" -> cmdqSync;
            case "gerror" -> gerror;
            default -> null;
        };
    }

    public boolean enabled(BitField irqen) {
        return irqen.isSet(regs.get32(Reg.IRQ_CTRLACK));
    }

    /** Recomputes the eventq and gerror levels from the registers. */
    public void updateLevels() {
        long prod = regs.get32(Reg.EVENTQ_PROD) & 0xffffffffL;
        long cons = regs.get32(Reg.EVENTQ_CONS) & 0xffffffffL;
        int ls = RegisterFile.log2size(regs.get64(Reg.EVENTQ_BASE), regs.config().eventqs());
        eventq.setLevel(enabled(Regs.IRQ_CTRL.EVENTQ_IRQEN)
                && !RegisterFile.empty(prod, cons, ls));
        gerror.setLevel(enabled(Regs.IRQ_CTRL.GERROR_IRQEN) && regs.activeErrors() != 0);
    }

    /** Event queue interrupt (if EVENTQ_IRQEN). */
    public void signalEventq() {
        if (enabled(Regs.IRQ_CTRL.EVENTQ_IRQEN)) {
            signal(eventq, Reg.EVENTQ_IRQ_CFG0, Reg.EVENTQ_IRQ_CFG1,
                    Regs.GERROR.MSI_EVENTQ_ABT_ERR);
        }
    }

    /**
     * CMD_SYNC with CS = SIG_IRQ: an MSI to the command's MSIAddr when MSIs are implemented
     * and the address is not 0, else a cmdq-sync pulse. There is no enable bit for it.
     */
    public void signalSync(long msiAddr, int msiData) {
        long addr = msiAddr & oasMask;
        if (regs.config().msi() && addr != 0) {
            if (!msiWrite(addr, msiData)) {
                raiseGlobalError(Regs.GERROR.MSI_CMDQ_ABT_ERR);
            }
        } else {
            cmdqSync.pulse();
        }
    }

    /**
     * Activates a global error: toggles its GERROR bit unless it is already active, then
     * signals the gerror interrupt if GERROR_IRQEN = 1.
     */
    public void raiseGlobalError(BitField bit) {
        long mask = bit.mask();
        if ((regs.activeErrors() & mask) != 0) {
            return;
        }
        regs.set(Reg.GERROR, regs.get32(Reg.GERROR) ^ mask);
        if (enabled(Regs.IRQ_CTRL.GERROR_IRQEN)) {
            if (bit == Regs.GERROR.MSI_GERROR_ABT_ERR) {
                gerror.pulse(); // never loop on a failing GERROR MSI
            } else {
                signal(gerror, Reg.GERROR_IRQ_CFG0, Reg.GERROR_IRQ_CFG1,
                        Regs.GERROR.MSI_GERROR_ABT_ERR);
            }
        }
        updateLevels();
    }

    private void signal(IrqLine line, Reg cfg0, Reg cfg1, BitField msiAbt) {
        if (regs.config().msi()) {
            long addr = Regs.IRQ_CFG0.ADDR.getAddr(regs.get64(cfg0)) & oasMask;
            if (addr != 0) {
                if (!msiWrite(addr, regs.get32(cfg1))) {
                    raiseGlobalError(msiAbt);
                }
                return;
            }
        }
        line.pulse();
    }

    private boolean msiWrite(long addr, int data) {
        byte[] b = new byte[4];
        Memory.Le.put(b, 0, 4, data);
        return mem.write(addr, b, 0, 4);
    }
}
