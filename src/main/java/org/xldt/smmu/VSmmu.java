package org.xldt.smmu;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

import org.xldt.smmu.CmdLayout.Opcode;

/**
 * Xen's emulated SMMUv3 for one domain (the vSMMUv3 series' design with its defects fixed): a
 * guest-facing programming interface at the guest base ({@link Mmio}, offsets from the base;
 * every call is a trapped guest access) that advertises stage 1 only and a 2-level stream table.
 * It reuses the physical model's {@link RegisterFile}, {@link Interrupts}, {@link CommandQueue}
 * and {@link EventQueue} over the guest's memory (through the p2m).
 *
 * <p>Guest commands: CFGI_STE/CFGI_STE_RANGE/CFGI_ALL re-read ("re-shadow") the guest STE of
 * each mapped vSID in scope and install the physical STE for its pSID: guest stage 1 over Xen's
 * stage 2 (nested), Xen's stage 2 alone for a guest bypass, abort for a guest abort (and the
 * reserved Config 0b001–0b011, which behave as abort), and an invalid physical STE for an
 * unusable guest STE (V = 0, ILLEGAL, or a stream table fault) whose C_BAD_STE Xen turns back
 * into the guest's event (C_BAD_STE, C_BAD_STREAMID or F_STE_FETCH with the vSID). CFGI_CD,
 * CFGI_CD_ALL and PREFETCH_* go to the pSID only; TLBI_NH_ASID/VA/VAA/ALL and TLBI_NSNH_ALL go
 * to the domain's VMID with the guest's scope, on the physical SMMUs its streams use; CMD_SYNC
 * publishes Xen's batched physical commands and signals as the guest asked. Commands the
 * vSMMU does not accept stop the queue with CERROR_ILL and GERROR.CMDQ_ERR, as the physical
 * model does ({@link CommandRules}).
 *
 * <p>Each trap runs at most {@link SmmuConfig#commandBudgetPerWrite()} commands; the rest wait
 * for a later trap or {@link #runContinuation()} (Xen's scheduled continuation).
 */
public final class VSmmu implements Mmio {

    /** What Xen installed in the physical STE of a guest stream. */
    public enum Shadow {
        /** Guest SMMUEN = 0 with GBPA.ABORT, or guest STE Config abort (and reserved 0b0xx). */
        ABORT,
        /** Guest SMMUEN = 0 without GBPA.ABORT, or guest STE bypass: Xen's stage 2 only. */
        BYPASS,
        /** Guest stage 1 over Xen's stage 2. */
        NESTED,
        /** The guest STE is unusable: an invalid physical STE, the guest gets its event. */
        INVALID
    }

    /** One guest stream: vSID → (physical SMMU, pSID), and what is installed for it. */
    public static final class Stream {
        private final int vsid;
        private final HostSmmu host;
        private final int psid;
        private Shadow shadow = Shadow.BYPASS;
        private EventType guestFault;
        private long guestFetchAddr;

        Stream(int vsid, HostSmmu host, int psid) {
            this.vsid = vsid;
            this.host = host;
            this.psid = psid;
        }

        public int vsid() {
            return vsid;
        }

        public HostSmmu host() {
            return host;
        }

        public int psid() {
            return psid;
        }

        public Shadow shadow() {
            return shadow;
        }

        /** For {@link Shadow#INVALID}: the event the guest gets on a transaction. */
        public EventType guestFault() {
            return guestFault;
        }
    }

    private final Domain domain;
    private final long base;
    private final long size;
    private final int virq;
    private final SmmuConfig vcfg;
    private final RegisterFile regs;
    private final Interrupts irqs;
    private final EventQueue evtq;
    private final CommandQueue cmdq;
    private final CommandQueue.Executor executor = this::execute;
    private final IrqLine combined = new IrqLine("combined");
    private final TreeMap<Long, Stream> streams = new TreeMap<>();
    private final Set<HostSmmu> hosts = new LinkedHashSet<>();
    private final long[] buf = new long[SteLayout.WORDS];
    private final StreamTables.WordReader guestReader;
    private boolean continuation;
    private long traps;
    private long commands;
    private long continuations;
    private int lastTrapCommands;
    private int maxTrapCommands;
    private long illegalCommands;
    private long forwarded;

    VSmmu(Domain domain, long base, long size, int virq, List<Stream> streamList, int budget) {
        this.domain = domain;
        this.base = base;
        this.size = size;
        this.virq = virq;
        for (Stream s : streamList) {
            streams.put((long) s.vsid, s);
            hosts.add(s.host);
        }
        this.vcfg = virtualConfig(hosts, domain.p2m().ipaBits(), budget);
        Memory gm = domain.memory();
        this.regs = new RegisterFile(vcfg);
        this.irqs = new Interrupts(regs, gm);
        this.evtq = new EventQueue(regs, gm, irqs);
        this.cmdq = new CommandQueue(regs, gm, irqs);
        this.guestReader = (addr, words) -> gm.readLongs(addr, buf, 0, words);
        for (IrqLine l : List.of(irqs.eventq(), irqs.gerror(), irqs.cmdqSync())) {
            l.addListener(x -> combined.pulse());
        }
    }

    /**
     * The features the guest sees (the series' IDRs, derived from the physical SMMUs as the
     * reworked emulator does): stage 1 only, AArch64 little-endian tables, 2-level stream
     * table, 16-bit vSIDs, no substreams, no MSI, no SEV, no HYP; granules, ASID16, RIL, HAD and
     * COHACC only if every physical SMMU behind it has them; OAS = the domain's IPA size.
     */
    static SmmuConfig virtualConfig(Collection<HostSmmu> hosts, int ipaBits, int budget) {
        boolean g4 = true;
        boolean g16 = true;
        boolean g64 = true;
        boolean asid16 = true;
        boolean ril = true;
        boolean had = true;
        boolean coh = true;
        for (HostSmmu h : hosts) {
            SmmuConfig c = h.config();
            g4 &= c.gran4k();
            g16 &= c.gran16k();
            g64 &= c.gran64k();
            asid16 &= c.asid16();
            ril &= c.ril();
            had &= c.had();
            coh &= c.cohacc();
        }
        if (!g4 && !g16 && !g64) {
            throw new IllegalArgumentException("the physical SMMUs share no translation granule");
        }
        return SmmuConfig.builder().s1p(true).s2p(false).granules(g4, g16, g64).oas(ipaBits)
                .sidSize(16).ssidSize(0).twoLevelStreamTable(true).cd2l(false).cmdqs(19)
                .eventqs(19).cohacc(coh).vmid16(false).asid16(asid16).hyp(false).ril(ril)
                .had(had).xnx(false).msi(false).sev(false).attrPermsOvr(false)
                .gbpaAbortAtReset(false).iidr(0x43B).aidr(0x02).tlbCapacity(1)
                .commandBudgetPerWrite(budget).build();
    }

    // ---- identity ----------------------------------------------------------------------

    public Domain domain() {
        return domain;
    }

    /** Guest physical base of the register window. */
    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    /** The guest interrupt (SPI 33 for a domU, the host SMMU's interrupt for dom0). */
    public int virq() {
        return virq;
    }

    /** The features advertised to the guest. */
    public SmmuConfig config() {
        return vcfg;
    }

    public RegisterFile registers() {
        return regs;
    }

    public Collection<Stream> streams() {
        return streams.values();
    }

    /** The guest stream {@code vsid}, or null if no device is behind it. */
    public Stream stream(long vsid) {
        return streams.get(vsid);
    }

    /** The physical SMMUs behind this vSMMU. */
    public Set<HostSmmu> hosts() {
        return hosts;
    }

    /**
     * The guest's interrupt: "combined" (the one line of the device-tree node) or one of the
     * lines it combines, "eventq", "gerror", "cmdq-sync"; null for another name.
     */
    public IrqLine irq(String name) {
        return name.equals("combined") ? combined : irqs.byName(name);
    }

    // ---- traps -------------------------------------------------------------------------

    /** A trapped guest read. */
    @Override
    public long mmioRead(long offset, int size) {
        trap();
        return regs.read(offset, size);
    }

    /** A trapped guest write. */
    @Override
    public void mmioWrite(long offset, int size, long value) {
        traps++;
        lastTrapCommands = 0;
        boolean wasEnabled = regs.smmuEnabled();
        long gbpa = regs.get32(Reg.GBPA);
        int fx = regs.write(offset, size, value);
        if (regs.smmuEnabled() != wasEnabled
                || (!wasEnabled && regs.get32(Reg.GBPA) != gbpa)) {
            reshadowAll();
            flushHosts();
        }
        if ((fx & RegisterFile.FX_CMDQ) != 0 || continuation) {
            runCommands();
        }
        irqs.updateLevels();
    }

    /** Any other trap continues pending commands within the budget. */
    private void trap() {
        traps++;
        lastTrapCommands = 0;
        if (continuation) {
            runCommands();
            irqs.updateLevels();
        }
    }

    /** Xen's scheduled continuation: runs one more budget of commands; true if more remain. */
    public boolean runContinuation() {
        if (!continuation) {
            return false;
        }
        continuations++;
        lastTrapCommands = 0;
        runCommands();
        irqs.updateLevels();
        return continuation;
    }

    /** True if commands are waiting for a later trap or continuation. */
    public boolean hasContinuation() {
        return continuation;
    }

    private void runCommands() {
        int before = (int) Math.min(Integer.MAX_VALUE, commands);
        CommandQueue.State s = cmdq.process(vcfg.commandBudgetPerWrite(), executor);
        flushHosts();
        continuation = s == CommandQueue.State.MORE;
        lastTrapCommands += (int) (commands - before);
        maxTrapCommands = Math.max(maxTrapCommands, lastTrapCommands);
    }

    private void flushHosts() {
        for (HostSmmu h : hosts) {
            h.flush();
        }
    }

    // ---- statistics --------------------------------------------------------------------

    public long traps() {
        return traps;
    }

    /** Guest commands consumed (executed or rejected). */
    public long commands() {
        return commands;
    }

    public long continuations() {
        return continuations;
    }

    /** The most commands any single trap or continuation ran. */
    public int maxCommandsPerTrap() {
        return maxTrapCommands;
    }

    public long illegalCommands() {
        return illegalCommands;
    }

    /** Physical events delivered to the guest's event queue (or dropped by it). */
    public long forwardedEvents() {
        return forwarded;
    }

    // ---- commands ----------------------------------------------------------------------

    private int execute(long w0, long w1) {
        commands++;
        Opcode op = CommandRules.legal(w0, w1, vcfg);
        if (op == null) {
            illegalCommands++;
            return CmdLayout.CERROR_ILL;
        }
        int vmid = domain.vmid();
        switch (op) {
            case PREFETCH_CONFIG, PREFETCH_ADDR -> {
                Stream s = stream(CmdLayout.SID.get(w0));
                if (s != null) {
                    long p0 = CmdLayout.SID.insert(CmdLayout.OPCODE.insert(0, op.code), s.psid);
                    long p1 = op == Opcode.PREFETCH_ADDR ? w1 : 0;
                    s.host.queue(new long[] {p0, p1});
                }
            }
            case CFGI_STE -> {
                Stream s = stream(CmdLayout.SID.get(w0));
                if (s != null) {
                    reshadow(s);
                }
            }
            case CFGI_STE_RANGE -> {
                int range = (int) CmdLayout.RANGE.get(w1);
                long mask = range == 31 ? 0xffffffffL : (1L << (range + 1)) - 1;
                long lo = CmdLayout.SID.get(w0) & ~mask;
                for (Stream s : streams.subMap(lo, true, lo + mask, true).values()) {
                    reshadow(s);
                }
            }
            // No substreams (SSIDSIZE = 0): the one CD of a stream is at index 0 (§4.3.3).
            case CFGI_CD -> {
                Stream s = stream(CmdLayout.SID.get(w0));
                if (s != null) {
                    s.host.queue(Commands.cfgiCd(s.psid, 0, CmdLayout.LEAF.isSet(w1)));
                }
            }
            case CFGI_CD_ALL -> {
                Stream s = stream(CmdLayout.SID.get(w0));
                if (s != null) {
                    s.host.queue(Commands.cfgiCdAll(s.psid));
                }
            }
            // Stage 1 only: the guest's VMID parameter is not used; Xen's VMID tags the domain.
            case TLBI_NH_ALL, TLBI_NSNH_ALL -> {
                for (HostSmmu h : hosts) {
                    h.queue(Commands.tlbiNhAll(vmid));
                }
            }
            case TLBI_NH_ASID, TLBI_NH_VA, TLBI_NH_VAA -> {
                long[] c = {CmdLayout.VMID.insert(w0, vmid), w1};
                for (HostSmmu h : hosts) {
                    h.queue(c.clone());
                }
            }
            case SYNC -> {
                flushHosts(); // every earlier guest command is complete on the physical SMMUs
                if (CmdLayout.CS.get(w0) == CmdLayout.CS_IRQ) {
                    irqs.signalSync(CmdLayout.MSIADDR.getAddr(w1),
                            (int) CmdLayout.MSIDATA.get(w0));
                }
            }
            default -> throw new IllegalStateException(op + " passed the vSMMU's rules");
        }
        return CmdLayout.CERROR_NONE;
    }

    // ---- shadow STEs -------------------------------------------------------------------

    private void reshadowAll() {
        for (Stream s : streams.values()) {
            reshadow(s);
        }
    }

    /** Reads the guest's configuration of {@code s} and installs the physical STE for it. */
    void reshadow(Stream s) {
        if (!regs.smmuEnabled()) {
            install(s, Regs.GBPA.ABORT.isSet(regs.get32(Reg.GBPA)) ? Shadow.ABORT
                    : Shadow.BYPASS, 0, null, 0);
            return;
        }
        StreamTables.Fetch f = StreamTables.of(regs).fetch(s.vsid, guestReader, buf, null, vcfg,
                false);
        Ste ste = f.ste();
        if (ste == null) {
            install(s, Shadow.INVALID, 0, f.fault(), f.fetchAddr());
        } else if (ste.abort()) {
            install(s, Shadow.ABORT, 0, null, 0);
        } else if (!ste.s1()) {
            install(s, Shadow.BYPASS, 0, null, 0);
        } else {
            install(s, Shadow.NESTED, ste.s1ContextPtr(), null, 0);
        }
    }

    private void install(Stream s, Shadow kind, long cdIpa, EventType fault, long fetchAddr) {
        P2m p2m = domain.p2m();
        int vmid = domain.vmid();
        SteBuilder b = switch (kind) {
            case ABORT -> SteBuilder.abort();
            case BYPASS -> p2m.stage2(new SteBuilder().config(SteLayout.CONFIG_S2), vmid);
            case NESTED -> p2m.stage2(SteBuilder.s1(cdIpa).config(SteLayout.CONFIG_NESTED),
                    vmid);
            case INVALID -> new SteBuilder().valid(false);
        };
        s.shadow = kind;
        s.guestFault = fault;
        s.guestFetchAddr = fetchAddr;
        s.host.installSte(s.psid, b.words());
    }

    // ---- events ------------------------------------------------------------------------

    /**
     * Delivers a physical event of stream {@code s} (routed to the guest by
     * {@link EventRouting}) to the guest's event queue with the vSID; a C_BAD_STE of an
     * unusable guest STE becomes the guest's own fault. Returns true if it was recorded.
     */
    boolean deliver(Stream s, Event e) {
        forwarded++;
        Event v;
        if (e.type() == EventType.C_BAD_STE && s.shadow == Shadow.INVALID) {
            if (s.guestFault == EventType.C_BAD_STREAMID
                    && !Regs.CR2.RECINVSID.isSet(regs.get32(Reg.CR2))) {
                return false; // recorded only with CR2.RECINVSID = 1 (§7.3.3)
            }
            v = new Event(s.guestFault, s.vsid, e.ssv(), e.ssid(), false, false, false, false, 0,
                    false, 0, s.guestFetchAddr);
        } else {
            v = e.withSid(s.vsid);
        }
        boolean ok = evtq.record(v);
        irqs.updateLevels();
        return ok;
    }
}
