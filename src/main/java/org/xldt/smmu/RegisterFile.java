package org.xldt.smmu;

/**
 * The SMMUv3 register file (page 0 and page 1): storage, reset values, access-width checks and
 * the architectural write rules of every register. Side effects that reach beyond the
 * registers (running the command queue, interrupts) are returned as effect bits to the owner
 * ({@link Smmu}, or a vSMMU that reuses this class for a guest-facing register file).
 *
 * <p>Architectural choices (CONSTRAINED UNPREDICTABLE cases), also listed in README:
 * <ul>
 * <li>Accesses must be 32-bit to a 32-bit register, 64-bit or 32-bit (either half) to a 64-bit
 * register, naturally aligned. Other sizes or alignments are {@link Status#BAD_WIDTH}: read as
 * zero, writes ignored, no side effect.</li>
 * <li>Unallocated and absent registers (PRIQ without PRI, IRQ_CFG without MSI, AGBPA, the page-0
 * aliases of page-1 registers) are {@link Status#RAZ_WI}.</li>
 * <li>Writes to STRTAB_BASE/_CFG while SMMUEN = 1, to a queue's BASE while that queue is
 * enabled, to CMDQ_CONS while CMDQEN = 1 and to EVENTQ_PROD while EVENTQEN = 1 are ignored.</li>
 * <li>CR0, GBPA and IRQ_CTRL updates complete at once: CR0ACK and IRQ_CTRLACK follow the write,
 * GBPA.UPDATE reads 0. A GBPA write with UPDATE = 0 is ignored.</li>
 * <li>A GERRORN write takes effect only for bits whose error is active (acknowledge); toggling
 * an inactive bit is ignored, so software cannot forge a global error.</li>
 * </ul>
 */
public final class RegisterFile {

    /** Result of an access check. */
    public enum Status {
        OK,
        /** Reserved or unimplemented location: reads as zero, writes ignored. */
        RAZ_WI,
        /** Wrong size or alignment for the register: reads as zero, writes ignored. */
        BAD_WIDTH
    }

    /** Effect bits returned by {@link #write}. */
    public static final int FX_CMDQ = 1;
    public static final int FX_CR0 = 2;
    public static final int FX_IRQ_CTRL = 4;
    public static final int FX_GERRORN = 8;
    public static final int FX_EVENTQ_CONS = 16;
    public static final int FX_CR2 = 32;

    private final SmmuConfig cfg;
    private final int idr0;
    private final int idr1;
    private final int idr3;
    private final int idr5;
    private final long[] regs = new long[Reg.values().length];
    private final int gerrorMask;
    private final int cr0Mask;

    public RegisterFile(SmmuConfig cfg) {
        this.cfg = cfg;
        int i0 = 0;
        i0 = (int) Regs.IDR0.S2P.insert(i0, cfg.s2p() ? 1 : 0);
        i0 = (int) Regs.IDR0.S1P.insert(i0, cfg.s1p() ? 1 : 0);
        i0 = (int) Regs.IDR0.TTF.insert(i0, Regs.IDR0.TTF_AARCH64);
        i0 = (int) Regs.IDR0.COHACC.insert(i0, cfg.cohacc() ? 1 : 0);
        i0 = (int) Regs.IDR0.HYP.insert(i0, cfg.hyp() ? 1 : 0);
        i0 = (int) Regs.IDR0.ASID16.insert(i0, cfg.asid16() ? 1 : 0);
        i0 = (int) Regs.IDR0.MSI.insert(i0, cfg.msi() ? 1 : 0);
        i0 = (int) Regs.IDR0.SEV.insert(i0, cfg.sev() ? 1 : 0);
        i0 = (int) Regs.IDR0.VMID16.insert(i0, cfg.vmid16() ? 1 : 0);
        i0 = (int) Regs.IDR0.CD2L.insert(i0, cfg.cd2l() ? 1 : 0);
        i0 = (int) Regs.IDR0.TTENDIAN.insert(i0, Regs.IDR0.TTENDIAN_LE);
        i0 = (int) Regs.IDR0.STALL_MODEL.insert(i0, Regs.IDR0.STALL_NONE);
        i0 = (int) Regs.IDR0.TERM_MODEL.insert(i0, 1);
        i0 = (int) Regs.IDR0.ST_LVL.insert(i0, cfg.twoLevelStreamTable() ? 1 : 0);
        idr0 = i0;
        int i1 = 0;
        i1 = (int) Regs.IDR1.SIDSIZE.insert(i1, cfg.sidSize());
        i1 = (int) Regs.IDR1.SSIDSIZE.insert(i1, cfg.ssidSize());
        i1 = (int) Regs.IDR1.EVENTQS.insert(i1, cfg.eventqs());
        i1 = (int) Regs.IDR1.CMDQS.insert(i1, cfg.cmdqs());
        idr1 = i1;
        int i3 = 0;
        i3 = (int) Regs.IDR3.HAD.insert(i3, cfg.had() ? 1 : 0);
        i3 = (int) Regs.IDR3.XNX.insert(i3, cfg.xnx() && cfg.s2p() ? 1 : 0);
        i3 = (int) Regs.IDR3.RIL.insert(i3, cfg.ril() ? 1 : 0);
        idr3 = i3;
        int i5 = 0;
        i5 = (int) Regs.IDR5.OAS.insert(i5, SmmuConfig.oasEncoding(cfg.oasBits()));
        i5 = (int) Regs.IDR5.GRAN4K.insert(i5, cfg.gran4k() ? 1 : 0);
        i5 = (int) Regs.IDR5.GRAN16K.insert(i5, cfg.gran16k() ? 1 : 0);
        i5 = (int) Regs.IDR5.GRAN64K.insert(i5, cfg.gran64k() ? 1 : 0);
        idr5 = i5;
        long gm = Regs.GERROR.CMDQ_ERR.mask() | Regs.GERROR.EVENTQ_ABT_ERR.mask()
                | Regs.GERROR.SFM_ERR.mask();
        if (cfg.msi()) {
            gm |= Regs.GERROR.MSI_CMDQ_ABT_ERR.mask() | Regs.GERROR.MSI_EVENTQ_ABT_ERR.mask()
                    | Regs.GERROR.MSI_GERROR_ABT_ERR.mask();
        }
        gerrorMask = (int) gm;
        cr0Mask = (int) (Regs.CR0.SMMUEN.mask() | Regs.CR0.EVENTQEN.mask()
                | Regs.CR0.CMDQEN.mask());
        reset();
    }

    public SmmuConfig config() {
        return cfg;
    }

    /** Reset state: everything zero except GBPA (SHCFG = use incoming, ABORT as configured). */
    public void reset() {
        java.util.Arrays.fill(regs, 0);
        long gbpa = Regs.GBPA.SHCFG.insert(0, 0b01);
        gbpa = Regs.GBPA.ABORT.insert(gbpa, cfg.gbpaAbortAtReset() ? 1 : 0);
        regs[Reg.GBPA.ordinal()] = gbpa;
    }

    /** Whether this configuration implements {@code r}. */
    public boolean implemented(Reg r) {
        return switch (r) {
            case AGBPA, PRIQ_BASE, PRIQ_PROD, PRIQ_CONS, PRIQ_IRQ_CFG0, PRIQ_IRQ_CFG1,
                    PRIQ_IRQ_CFG2 -> false;
            case GERROR_IRQ_CFG0, GERROR_IRQ_CFG1, GERROR_IRQ_CFG2, EVENTQ_IRQ_CFG0,
                    EVENTQ_IRQ_CFG1, EVENTQ_IRQ_CFG2 -> cfg.msi();
            default -> true;
        };
    }

    public Status check(long offset, int size) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            return Status.BAD_WIDTH;
        }
        Reg r = Reg.at(offset & ~3L);
        if (r == null || !implemented(r)) {
            return Status.RAZ_WI;
        }
        if ((offset & (size - 1)) != 0) {
            return Status.BAD_WIDTH;
        }
        if (r.size == 4) {
            return size == 4 && offset == r.offset ? Status.OK : Status.BAD_WIDTH;
        }
        if (size == 8) {
            return offset == r.offset ? Status.OK : Status.BAD_WIDTH;
        }
        return size == 4 ? Status.OK : Status.BAD_WIDTH;
    }

    /** MMIO read of {@code size} bytes at {@code offset} into the 128 KiB window. */
    public long read(long offset, int size) {
        if (check(offset, size) != Status.OK) {
            return 0;
        }
        Reg r = Reg.at(offset);
        long v = value(r);
        if (r.size == 8 && size == 4) {
            return offset == r.offset ? v & 0xffffffffL : v >>> 32;
        }
        return v;
    }

    /** The current value of a register as software would read it. */
    public long value(Reg r) {
        return switch (r) {
            case IDR0 -> idr0 & 0xffffffffL;
            case IDR1 -> idr1 & 0xffffffffL;
            case IDR3 -> idr3;
            case IDR5 -> idr5;
            case IIDR -> cfg.iidr() & 0xffffffffL;
            case AIDR -> cfg.aidr();
            case IDR2, IDR4, STATUSR -> 0;
            default -> implemented(r) ? regs[r.ordinal()] : 0;
        };
    }

    /** Raw register state, for the owning model. */
    public int get32(Reg r) {
        return (int) value(r);
    }

    public long get64(Reg r) {
        return value(r);
    }

    /** Sets a register directly (the SMMU's own updates: PROD/CONS, GERROR, ERR, OVFLG). */
    void set(Reg r, long v) {
        regs[r.ordinal()] = r.size == 4 ? v & 0xffffffffL : v;
    }

    public boolean smmuEnabled() {
        return Regs.CR0.SMMUEN.isSet(regs[Reg.CR0ACK.ordinal()]);
    }

    public boolean cmdqEnabled() {
        return Regs.CR0.CMDQEN.isSet(regs[Reg.CR0ACK.ordinal()]);
    }

    public boolean eventqEnabled() {
        return Regs.CR0.EVENTQEN.isSet(regs[Reg.CR0ACK.ordinal()]);
    }

    /** Active global errors: GERROR xor GERRORN. */
    public int activeErrors() {
        return (int) (regs[Reg.GERROR.ordinal()] ^ regs[Reg.GERRORN.ordinal()]) & gerrorMask;
    }

    public int gerrorImplementedMask() {
        return gerrorMask;
    }

    /**
     * MMIO write; returns effect bits ({@code FX_*}) for the owner to act on. Writes that the
     * architecture makes read-only or ignored return 0.
     */
    public int write(long offset, int size, long value) {
        if (check(offset, size) != Status.OK) {
            return 0;
        }
        Reg r = Reg.at(offset);
        long v = value;
        if (r.size == 8 && size == 4) {
            long old = regs[r.ordinal()];
            v = offset == r.offset ? (old & 0xffffffff00000000L) | (value & 0xffffffffL)
                    : (old & 0xffffffffL) | (value << 32);
        } else if (r.size == 4) {
            v = value & 0xffffffffL;
        }
        int i = r.ordinal();
        switch (r) {
            case CR0 -> {
                regs[i] = v & cr0Mask;
                regs[Reg.CR0ACK.ordinal()] = v & cr0Mask; // update completes immediately
                return FX_CR0 | FX_CMDQ;
            }
            case CR1 -> regs[i] = v & (Regs.CR1.QUEUE_IC.mask() | Regs.CR1.QUEUE_OC.mask()
                    | Regs.CR1.QUEUE_SH.mask() | Regs.CR1.TABLE_IC.mask()
                    | Regs.CR1.TABLE_OC.mask() | Regs.CR1.TABLE_SH.mask());
            case CR2 -> {
                long m = Regs.CR2.RECINVSID.mask() | Regs.CR2.PTM.mask()
                        | (cfg.hyp() ? Regs.CR2.E2H.mask() : 0);
                regs[i] = v & m;
                return FX_CR2;
            }
            case GBPA -> {
                if (Regs.GBPA.UPDATE.isSet(v)) {
                    long m = Regs.GBPA.MEMATTR.mask() | Regs.GBPA.MTCFG.mask()
                            | Regs.GBPA.ALLOCCFG.mask() | Regs.GBPA.SHCFG.mask()
                            | Regs.GBPA.PRIVCFG.mask() | Regs.GBPA.INSTCFG.mask()
                            | Regs.GBPA.ABORT.mask();
                    regs[i] = v & m; // UPDATE completes at once and reads back as 0
                }
            }
            case IRQ_CTRL -> {
                long m = Regs.IRQ_CTRL.GERROR_IRQEN.mask() | Regs.IRQ_CTRL.EVENTQ_IRQEN.mask();
                regs[i] = v & m;
                regs[Reg.IRQ_CTRLACK.ordinal()] = v & m;
                return FX_IRQ_CTRL;
            }
            case GERRORN -> {
                long active = activeErrors();
                long toggled = (v ^ regs[i]) & gerrorMask;
                regs[i] ^= toggled & active;
                return FX_GERRORN | FX_CMDQ;
            }
            case GERROR_IRQ_CFG0, EVENTQ_IRQ_CFG0 -> regs[i] = v & Regs.IRQ_CFG0.ADDR.mask();
            case GERROR_IRQ_CFG1, EVENTQ_IRQ_CFG1 -> regs[i] = v & Regs.IRQ_CFG1.DATA.mask();
            case GERROR_IRQ_CFG2, EVENTQ_IRQ_CFG2 ->
                regs[i] = v & (Regs.IRQ_CFG2.MEMATTR.mask() | Regs.IRQ_CFG2.SH.mask());
            case STRTAB_BASE -> {
                if (!smmuEnabled()) {
                    regs[i] = v & (Regs.STRTAB_BASE.ADDR.mask() | Regs.STRTAB_BASE.RA.mask());
                }
            }
            case STRTAB_BASE_CFG -> {
                if (!smmuEnabled()) {
                    long m = Regs.STRTAB_BASE_CFG.LOG2SIZE.mask()
                            | Regs.STRTAB_BASE_CFG.SPLIT.mask()
                            | (cfg.twoLevelStreamTable() ? Regs.STRTAB_BASE_CFG.FMT.mask() : 0);
                    regs[i] = v & m;
                }
            }
            case CMDQ_BASE -> {
                if (!cmdqEnabled()) {
                    regs[i] = v & (Regs.Q_BASE.ADDR.mask() | Regs.Q_BASE.LOG2SIZE.mask()
                            | Regs.Q_BASE.RA.mask());
                }
            }
            case EVENTQ_BASE -> {
                if (!eventqEnabled()) {
                    regs[i] = v & (Regs.Q_BASE.ADDR.mask() | Regs.Q_BASE.LOG2SIZE.mask()
                            | Regs.Q_BASE.RA.mask());
                }
            }
            case CMDQ_PROD -> {
                regs[i] = v & Regs.Q_PTR.PTR.mask();
                return FX_CMDQ;
            }
            case CMDQ_CONS -> {
                if (!cmdqEnabled()) {
                    regs[i] = (regs[i] & Regs.Q_PTR.ERR.mask()) | (v & Regs.Q_PTR.PTR.mask());
                }
            }
            case EVENTQ_PROD -> {
                if (!eventqEnabled()) {
                    regs[i] = v & (Regs.Q_PTR.PTR.mask() | Regs.Q_PTR.OVFLG.mask());
                }
            }
            case EVENTQ_CONS -> {
                regs[i] = v & (Regs.Q_PTR.PTR.mask() | Regs.Q_PTR.OVFLG.mask());
                return FX_EVENTQ_CONS;
            }
            default -> {
                // IDRs, IIDR, AIDR, CR0ACK, STATUSR, IRQ_CTRLACK, GERROR: read-only
            }
        }
        return 0;
    }

    // ---- queue pointer arithmetic (§3.5: index and wrap bit in log2size+1 bits) ----------

    /** Effective log2 of a queue's size: BASE.LOG2SIZE capped to the IDR1 maximum. */
    public static int log2size(long base, int max) {
        return (int) Math.min(Regs.Q_BASE.LOG2SIZE.get(base), max);
    }

    /** The queue base address: ADDR aligned to the queue size, truncated to {@code oas} bits. */
    public static long queueBase(long base, int log2size, int entryBytes, int oas) {
        long a = Regs.Q_BASE.ADDR.getAddr(base);
        long align = Math.max(32L, (long) entryBytes << log2size);
        return (a & ~(align - 1)) & ((1L << oas) - 1);
    }

    public static boolean empty(long prod, long cons, int ls) {
        long m = (2L << ls) - 1;
        return ((prod ^ cons) & m) == 0;
    }

    public static boolean full(long prod, long cons, int ls) {
        long idx = (1L << ls) - 1;
        return ((prod ^ cons) & idx) == 0 && (((prod ^ cons) >>> ls) & 1) != 0;
    }

    public static long index(long p, int ls) {
        return p & ((1L << ls) - 1);
    }

    /** p + 1 within log2size+1 bits; bits above (ERR, OVFLG) are preserved. */
    public static long increment(long p, int ls) {
        long m = (2L << ls) - 1;
        return (p & ~m) | ((p + 1) & m);
    }
}
