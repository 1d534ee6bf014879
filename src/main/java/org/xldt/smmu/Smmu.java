package org.xldt.smmu;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Predicate;

import org.xldt.smmu.CmdLayout.Opcode;

/**
 * A physical Arm SMMUv3 (Non-secure programming interface): register file on page 0 and page
 * 1, command queue, event queue, wired interrupts, configuration cache, IOTLB and walk cache,
 * and DMA translation. Everything runs synchronously in the caller's thread; the model is
 * not thread-safe.
 *
 * <p>Use: {@link #mmioRead}/{@link #mmioWrite} with offsets into the 128 KiB window,
 * {@link #translate} for a device transaction, {@link #processCommands} to run at most N
 * commands (a write to CMDQ_PROD, CR0 or GERRORN runs up to
 * {@link SmmuConfig#commandBudgetPerWrite()} at once).
 */
public final class Smmu implements Mmio {

    /** Substream argument for a transaction without a SubstreamID. */
    public static final int NO_SSID = -1;

    private final SmmuConfig cfg;
    private final Memory mem;
    private final RegisterFile regs;
    private final Interrupts irqs;
    private final EventQueue evtq;
    private final CommandQueue cmdq;
    private final Translator tr;
    private final CommandQueue.Executor executor = this::execute;
    private final Map<Opcode, Long> commandCounts = new EnumMap<>(Opcode.class);
    private long sevCount;
    private long syncCount;
    private int lastInvalidated;
    private Opcode lastOpcode;

    public Smmu(SmmuConfig cfg, Memory mem) {
        this.cfg = cfg;
        this.mem = mem;
        this.regs = new RegisterFile(cfg);
        this.irqs = new Interrupts(regs, mem);
        this.evtq = new EventQueue(regs, mem, irqs);
        this.cmdq = new CommandQueue(regs, mem, irqs);
        this.tr = new Translator(cfg, mem, regs, evtq::record);
    }

    public SmmuConfig config() {
        return cfg;
    }

    public Memory memory() {
        return mem;
    }

    public RegisterFile registers() {
        return regs;
    }

    // ---- MMIO --------------------------------------------------------------------------

    /** How an access of {@code size} bytes at {@code offset} is treated. */
    public RegisterFile.Status mmioCheck(long offset, int size) {
        return regs.check(offset, size);
    }

    @Override
    public long mmioRead(long offset, int size) {
        return regs.read(offset, size);
    }

    @Override
    public void mmioWrite(long offset, int size, long value) {
        int fx = regs.write(offset, size, value);
        if (fx == 0) {
            return;
        }
        if ((fx & RegisterFile.FX_CMDQ) != 0) {
            processCommands(cfg.commandBudgetPerWrite());
        }
        irqs.updateLevels();
    }

    /** Reads a register by name (as software would). */
    public long read(Reg r) {
        return regs.value(r);
    }

    /** Writes a register by name with its natural width. */
    public void write(Reg r, long value) {
        mmioWrite(r.offset, r.size, value);
    }

    // ---- interrupts and event queue -----------------------------------------------------

    public Interrupts interrupts() {
        return irqs;
    }

    public IrqLine eventqIrq() {
        return irqs.eventq();
    }

    public IrqLine priqIrq() {
        return irqs.priq();
    }

    public IrqLine cmdqSyncIrq() {
        return irqs.cmdqSync();
    }

    public IrqLine gerrorIrq() {
        return irqs.gerror();
    }

    /** The wired line by its device-tree interrupt name, or null. */
    public IrqLine irq(String name) {
        return irqs.byName(name);
    }

    /** Activates a global error (see {@link Interrupts#raiseGlobalError}). */
    void raiseGlobalError(BitField bit) {
        irqs.raiseGlobalError(bit);
    }

    /** Writes an event record (see {@link EventQueue#record(Event)}). */
    public boolean recordEvent(Event e) {
        return evtq.record(e);
    }

    public long eventsRecorded() {
        return evtq.recorded();
    }

    public long eventsDropped() {
        return evtq.dropped();
    }

    // ---- command queue -----------------------------------------------------------------

    /** Consumes at most {@code max} commands; tells whether more remain. */
    public CommandQueue.State processCommands(int max) {
        return cmdq.process(max, executor);
    }

    /** True if CONS != PROD (whether or not the queue can run now). */
    public boolean commandsPending() {
        return cmdq.pending();
    }

    /** How many times each opcode completed. */
    public long commandCount(Opcode op) {
        return commandCounts.getOrDefault(op, 0L);
    }

    /** Cache entries (config, IOTLB and walk cache) the last completed command removed. */
    public int lastInvalidated() {
        return lastInvalidated;
    }

    public Opcode lastOpcode() {
        return lastOpcode;
    }

    public long syncCount() {
        return syncCount;
    }

    /** CMD_SYNC completions signalled with CS = SEV (a WFE wake-up event). */
    public long sevCount() {
        return sevCount;
    }

    /**
     * Executes one command; returns its CERROR code. Every opcode is decoded by name; a
     * reserved opcode, a non-zero RES0 bit, SSec = 1 on this Non-secure queue, or a command
     * for a feature this SMMU does not implement gives CERROR_ILL (§4.1.3).
     */
    int execute(long w0, long w1) {
        Opcode op = CommandRules.legal(w0, w1, cfg);
        if (op == null) {
            return CmdLayout.CERROR_ILL;
        }
        int n = switch (op) {
            case PREFETCH_CONFIG, PREFETCH_ADDR -> 0; // hints: prefetching nothing is allowed
            case CFGI_STE -> tr.cache.invalidateSte(CmdLayout.SID.get(w0),
                    CmdLayout.LEAF.isSet(w1));
            case CFGI_STE_RANGE -> {
                int range = (int) CmdLayout.RANGE.get(w1);
                long sid = CmdLayout.SID.get(w0);
                long mask = range == 31 ? 0xffffffffL : (1L << (range + 1)) - 1;
                long lo = sid & ~mask;
                yield tr.cache.invalidateSteRange(lo, lo + mask);
            }
            case CFGI_CD -> tr.cache.invalidateCd(CmdLayout.SID.get(w0),
                    CmdLayout.SSID.get(w0), CmdLayout.LEAF.isSet(w1));
            case CFGI_CD_ALL -> tr.cache.invalidateCdAll(CmdLayout.SID.get(w0));
            case TLBI_NH_ALL, TLBI_NH_ASID, TLBI_NH_VA, TLBI_NH_VAA -> tlbiNh(op, w0, w1);
            case TLBI_EL2_ALL, TLBI_EL2_ASID, TLBI_EL2_VA, TLBI_EL2_VAA -> tlbiEl2(op, w0, w1);
            case TLBI_S12_VMALL, TLBI_S2_IPA -> tlbiS2(op, w0, w1);
            case TLBI_NSNH_ALL -> invalidate(e -> e.world() == StreamWorld.NS_EL1,
                    w -> w.world() == StreamWorld.NS_EL1);
            case SYNC -> sync(w0, w1);
            default -> throw new IllegalStateException(op + " passed CommandRules");
        };
        commandCounts.merge(op, 1L, Long::sum);
        lastInvalidated = n;
        lastOpcode = op;
        return CmdLayout.CERROR_NONE;
    }

    private int sync(long w0, long w1) {
        int cs = (int) CmdLayout.CS.get(w0);
        syncCount++;
        // All earlier commands have completed: this model executes them synchronously.
        if (cs == CmdLayout.CS_IRQ) {
            irqs.signalSync(CmdLayout.MSIADDR.getAddr(w1), (int) CmdLayout.MSIDATA.get(w0));
        } else if (cs == CmdLayout.CS_SEV && cfg.sev()) {
            sevCount++; // with IDR0.SEV = 0, SIG_SEV sends nothing
        }
        return 0;
    }

    /** VMID/ASID parameters above an 8-bit implementation make a TLBI match nothing. */
    private boolean tooWide(long v, boolean sixteen) {
        return !sixteen && (v >>> 8) != 0;
    }

    /** The input address range [lo, hi] a TLBI by address covers, with TG/TTL filters. */
    private record AddrScope(long lo, long hi, Granule granule, int ttl, boolean leaf) {

        boolean matches(TlbEntry e) {
            return (granule == null || e.granule() == granule)
                    && (ttl == 0 || e.level() == ttl) && e.overlaps(lo, hi);
        }

        /** Walk-cache entries a Leaf = 0 TLBI removes: tables above the TTL level. */
        boolean matches(WalkCache.Entry w) {
            return !leaf && (granule == null || w.granule() == granule)
                    && (ttl == 0 || w.level() < ttl) && w.overlaps(lo, hi);
        }
    }

    /** Decodes NUM/SCALE/TG/TTL/Leaf/Address of a command {@link CommandRules} accepted. */
    private AddrScope scope(long w0, long w1, long addr) {
        int num = (int) CmdLayout.NUM.get(w0);
        int scale = (int) CmdLayout.SCALE.get(w0);
        int tg = (int) CmdLayout.TG.get(w1);
        boolean leaf = CmdLayout.LEAF.isSet(w1);
        if (tg == 0) {
            return new AddrScope(addr, addr, null, 0, leaf);
        }
        Granule g = Granule.ofCmdTg(tg);
        long len = ((long) (num + 1) << scale) << g.shift;
        long hi = addr + len - 1;
        if (Long.compareUnsigned(hi, addr) < 0) {
            hi = -1L; // no wrap past the top of the address space
        }
        return new AddrScope(addr, hi, g, CommandRules.effectiveTtl(w1), leaf);
    }

    private int invalidate(Predicate<TlbEntry> tlbP, Predicate<WalkCache.Entry> walkP) {
        return tr.tlb.invalidate(tlbP) + tr.walkCache.invalidate(walkP);
    }

    private static boolean stage1(TlbEntry e) {
        return e.kind() == TlbEntry.S1 || e.kind() == TlbEntry.NESTED;
    }

    private int tlbiNh(Opcode op, long w0, long w1) {
        long vmidArg = CmdLayout.VMID.get(w0);
        long asidArg = CmdLayout.ASID.get(w0);
        if (tooWide(vmidArg, cfg.vmid16()) && cfg.s2p()) {
            return 0;
        }
        // Without stage 2 there is no VMID tagging: the VMID parameter is not used.
        int vmid = cfg.s2p() ? (int) vmidArg : -1;
        StreamWorld el1 = StreamWorld.NS_EL1;
        switch (op) {
            case TLBI_NH_ALL:
                return invalidate(e -> e.world() == el1 && stage1(e) && e.vmid() == vmid,
                        w -> w.world() == el1 && w.stage() == TlbEntry.S1 && w.vmid() == vmid);
            case TLBI_NH_ASID: {
                if (tooWide(asidArg, cfg.asid16())) {
                    return 0;
                }
                int asid = (int) asidArg;
                return invalidate(e -> e.world() == el1 && stage1(e) && e.vmid() == vmid
                        && !e.global() && e.asid() == asid,
                        w -> w.world() == el1 && w.stage() == TlbEntry.S1 && w.vmid() == vmid
                                && w.asid() == asid);
            }
            default: {
                boolean va = op == Opcode.TLBI_NH_VA;
                if (va && tooWide(asidArg, cfg.asid16())) {
                    return 0;
                }
                AddrScope s = scope(w0, w1, canonicalVa(CmdLayout.ADDR.getAddr(w1)));
                int asid = (int) asidArg;
                return invalidate(e -> e.world() == el1 && stage1(e) && e.vmid() == vmid
                        && (!va || e.global() || e.asid() == asid) && s.matches(e),
                        w -> w.world() == el1 && w.stage() == TlbEntry.S1 && w.vmid() == vmid
                                && (!va || w.asid() == asid) && s.matches(w));
            }
        }
    }

    private int tlbiEl2(Opcode op, long w0, long w1) {
        boolean e2h = Regs.CR2.E2H.isSet(regs.get32(Reg.CR2));
        StreamWorld world = e2h ? StreamWorld.NS_EL2_E2H : StreamWorld.NS_EL2;
        long asidArg = CmdLayout.ASID.get(w0);
        switch (op) {
            case TLBI_EL2_ALL:
                return invalidate(e -> e.world() != StreamWorld.NS_EL1,
                        w -> w.world() != StreamWorld.NS_EL1);
            case TLBI_EL2_ASID: {
                if (tooWide(asidArg, cfg.asid16())) {
                    return 0;
                }
                int asid = (int) asidArg;
                StreamWorld e2hw = StreamWorld.NS_EL2_E2H;
                return invalidate(e -> e.world() == e2hw && !e.global() && e.asid() == asid,
                        w -> w.world() == e2hw && w.asid() == asid);
            }
            default: {
                boolean byAsid = op == Opcode.TLBI_EL2_VA && e2h;
                if (byAsid && tooWide(asidArg, cfg.asid16())) {
                    return 0;
                }
                AddrScope s = scope(w0, w1, canonicalVa(CmdLayout.ADDR.getAddr(w1)));
                int asid = (int) asidArg;
                return invalidate(e -> e.world() == world
                        && (!byAsid || e.global() || e.asid() == asid) && s.matches(e),
                        w -> w.world() == world && (!byAsid || w.asid() == asid)
                                && s.matches(w));
            }
        }
    }

    private int tlbiS2(Opcode op, long w0, long w1) {
        long vmidArg = CmdLayout.VMID.get(w0);
        if (tooWide(vmidArg, cfg.vmid16())) {
            return 0;
        }
        int vmid = (int) vmidArg;
        StreamWorld el1 = StreamWorld.NS_EL1;
        if (op == Opcode.TLBI_S12_VMALL) {
            return invalidate(e -> e.world() == el1 && e.vmid() == vmid,
                    w -> w.world() == el1 && w.vmid() == vmid);
        }
        AddrScope s = scope(w0, w1, CmdLayout.IPA.getAddr(w1));
        // Stage 2 entries only: combined stage 1+2 entries need TLBI_NH_* (§4.4.3.1).
        return invalidate(e -> e.kind() == TlbEntry.S2 && e.vmid() == vmid && s.matches(e),
                w -> w.stage() == TlbEntry.S2 && w.vmid() == vmid && s.matches(w));
    }

    /** TLB entries hold VAs sign-extended from bit 55 (TBI); so are TLBI addresses. */
    private static long canonicalVa(long va) {
        return (va << 8) >> 8;
    }

    // ---- translation -------------------------------------------------------------------

    /**
     * Translates one device transaction. {@code ssid} is {@link #NO_SSID} when the
     * transaction carries no SubstreamID. Faults are recorded in the event queue as the
     * architecture says; the result tells whether the event was recorded.
     */
    public DmaResult translate(int sid, int ssid, long iova, Access access) {
        return tr.translate(sid, ssid, iova, access);
    }

    public DmaResult translate(int sid, long iova, boolean write) {
        return tr.translate(sid, NO_SSID, iova, write ? Access.WRITE : Access.READ);
    }

    /**
     * As {@link #translate}, returning the PA or -1, without allocating on an IOTLB hit;
     * {@link #lastFailure()} describes a -1.
     */
    public long translatePa(int sid, int ssid, long iova, Access access) {
        return tr.translatePa(sid, ssid, iova, access);
    }

    public DmaResult lastFailure() {
        return tr.lastFailure();
    }

    // ---- inspection --------------------------------------------------------------------

    public Iotlb iotlb() {
        return tr.tlb;
    }

    public WalkCache walkCache() {
        return tr.walkCache;
    }

    public ConfigCache configCache() {
        return tr.cache;
    }

    /** Descriptor, STE, CD and L1 reads made by translations so far. */
    public long structureReads() {
        return tr.descriptorReads();
    }
}
