package org.xldt.smmu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.xldt.xen.GuestMemoryMap;

/**
 * The Xen side of the runtime: physical memory, the physical SMMUs Xen drives, domains with
 * their p2m, VMID, assigned streams and vSMMUs, and Xen's handling of physical events. This is
 * the facade {@code validate} uses:
 *
 * <pre>
 * XenSystem xen = new XenSystem(List.of(new HostSpec(0x09050000L, SmmuConfig.builder().build(), 74)));
 * Domain d = xen.addDomain(DomainSpec.domU("guest", List.of(new Ram(0x40000000L, 16 &lt;&lt; 20)),
 *         List.of(new StreamSpec(0, 0x09050000L, 0x10))));
 * new SmmuDriver(d.vsmmu(), d.memory(), new TableAllocator(0x40000000L, 1 &lt;&lt; 20)).init(...);
 * DmaResult r = xen.dma(0x09050000L, 0x10, iova, Access.WRITE); // d.owns(pa) if it succeeds
 * </pre>
 *
 * <p>Physical memory layout: Xen's heap (the physical SMMUs' queues and stream tables, every
 * p2m's stage-2 tables) at [{@link #XEN_HEAP_BASE}, +{@link #XEN_HEAP_SIZE}); domU RAM is
 * allocated from {@link #DOMU_RAM_BASE} upwards, 2 MiB aligned; dom0's RAM is identity-mapped
 * where its spec says. Physical events: Xen drains each physical event queue when its
 * interrupt fires and routes every record by {@link EventRouting}: to the owning guest's vSMMU
 * (pSID replaced by the vSID) or to {@link #xenLog()}.
 */
public final class XenSystem {

    /** A physical SMMU: MMIO base, features, first host interrupt (dom0's vSMMU interrupt). */
    public record HostSpec(long base, SmmuConfig config, int irq) {
        public HostSpec(long base, SmmuConfig config) {
            this(base, config, 0);
        }
    }

    /** A guest RAM bank at guest physical address {@code ipa}. */
    public record Ram(long ipa, long size) {
    }

    /** An assigned device stream: the guest's vSID is pSID {@code psid} of the SMMU at base. */
    public record StreamSpec(int vsid, long smmuBase, int psid) {
    }

    /**
     * A domain: {@code hardware} for dom0 (RAM identity-mapped, vSID = pSID, one vSMMU at each
     * physical SMMU's address), else a domU (RAM anywhere, one vSMMU at the guest vSMMUv3 base).
     */
    public record DomainSpec(String name, boolean hardware, List<Ram> memory,
            List<StreamSpec> streams, boolean vsmmu) {
        public DomainSpec {
            memory = List.copyOf(memory);
            streams = List.copyOf(streams);
        }

        public static DomainSpec domU(String name, List<Ram> memory, List<StreamSpec> streams) {
            return new DomainSpec(name, false, memory, streams, true);
        }

        public static DomainSpec dom0(List<Ram> memory, List<StreamSpec> streams) {
            return new DomainSpec("Domain-0", true, memory, streams, true);
        }
    }

    /** Where Xen routes events of a physical stream. */
    private record Binding(Domain domain, VSmmu vsmmu, VSmmu.Stream stream) {
    }

    public static final long XEN_HEAP_BASE = 0x7000_0000L;
    public static final long XEN_HEAP_SIZE = 0x1000_0000L;
    public static final long DOMU_RAM_BASE = 0x1_0000_0000L;
    private static final long DOMU_ALIGN = 2L << 20;
    /** Guest commands per trap unless told otherwise. */
    public static final int DEFAULT_COMMAND_BUDGET = 64;

    private final SparseMemory mem = new SparseMemory(48);
    private final TableAllocator heap = new TableAllocator(XEN_HEAP_BASE, XEN_HEAP_SIZE);
    private final List<HostSmmu> hosts = new ArrayList<>();
    private final List<Domain> domains = new ArrayList<>();
    private final List<long[]> usedPa = new ArrayList<>();
    private final Map<Long, Binding> bindings = new HashMap<>();
    private final List<XenLogEntry> log = new ArrayList<>();
    private final int budget;
    private final int paBits;
    private long nextPa = DOMU_RAM_BASE;
    private int nextVmid = 1;
    private int nextDomid = 1;
    private boolean draining;

    public XenSystem(List<HostSpec> specs) {
        this(specs, DEFAULT_COMMAND_BUDGET);
    }

    /** Xen driving the physical SMMUs {@code specs}; vSMMUs run {@code commandBudget}/trap. */
    public XenSystem(List<HostSpec> specs, int commandBudget) {
        if (commandBudget < 1) {
            throw new IllegalArgumentException("command budget " + commandBudget);
        }
        this.budget = commandBudget;
        usedPa.add(new long[] {XEN_HEAP_BASE, XEN_HEAP_BASE + XEN_HEAP_SIZE});
        int pa = 48;
        for (HostSpec s : specs) {
            for (HostSmmu h : hosts) {
                if (s.base() < h.base() + Reg.WINDOW && h.base() < s.base() + Reg.WINDOW) {
                    throw new IllegalArgumentException(String.format(
                            "SMMU windows at 0x%x and 0x%x overlap", h.base(), s.base()));
                }
            }
            HostSmmu h = new HostSmmu(this, s.base(), s.irq(), s.config(), mem, heap);
            h.smmu().eventqIrq().addListener(l -> drain(h));
            hosts.add(h);
            pa = Math.min(pa, s.config().oasBits());
        }
        this.paBits = pa;
    }

    // ---- domains -----------------------------------------------------------------------

    /** Creates a domain: p2m, VMID, stream assignment (Xen's stage 2 only), vSMMUs. */
    public Domain addDomain(DomainSpec spec) {
        if (spec.name() == null || spec.name().isEmpty() || domain(spec.name()) != null) {
            throw new IllegalArgumentException("domain name '" + spec.name() + "'");
        }
        if (spec.hardware() && domains.stream().anyMatch(Domain::hardware)) {
            throw new IllegalArgumentException("there is already a hardware domain");
        }
        List<HostSmmu> used = checkStreams(spec);
        int vmid = nextVmid;
        for (HostSmmu h : hosts) {
            if (!h.config().vmid16() && vmid > 255) {
                throw new IllegalArgumentException("out of 8-bit VMIDs");
            }
        }
        nextVmid++;
        P2m p2m = new P2m(mem, heap, paBits, paBits);
        for (Ram r : spec.memory()) {
            long pa = spec.hardware() ? reserve(r.ipa(), r.size()) : allocate(r.size());
            p2m.map(r.ipa(), pa, r.size(), true);
        }
        Domain d = new Domain(spec.name(), spec.hardware() ? 0 : nextDomid++, vmid,
                spec.hardware(), p2m, spec.streams(), used);
        List<VSmmu.Stream> all = new ArrayList<>();
        for (StreamSpec s : spec.streams()) {
            HostSmmu h = host(s.smmuBase());
            all.add(new VSmmu.Stream(s.vsid(), h, s.psid()));
            // until the guest configures its vSMMU: the device is confined by stage 2
            h.installSte(s.psid(), p2m.stage2(new SteBuilder().config(SteLayout.CONFIG_S2),
                    vmid).words());
        }
        if (spec.vsmmu()) {
            if (spec.hardware()) {
                for (HostSmmu h : hosts) {
                    List<VSmmu.Stream> mine = all.stream().filter(x -> x.host() == h).toList();
                    d.addVsmmu(new VSmmu(d, h.base(), Reg.WINDOW, h.irq(), mine, budget));
                }
            } else {
                d.addVsmmu(new VSmmu(d, GuestMemoryMap.VSMMUV3.base(),
                        GuestMemoryMap.VSMMUV3.size(), GuestMemoryMap.VSMMU_SPI, all, budget));
            }
        }
        for (VSmmu.Stream s : all) {
            VSmmu v = null;
            for (VSmmu x : d.vsmmus()) {
                if (x.stream(s.vsid()) == s) {
                    v = x;
                }
            }
            bindings.put(key(s.host(), s.psid()), new Binding(d, v, v == null ? null : s));
        }
        for (HostSmmu h : used) {
            h.flush();
        }
        domains.add(d);
        return d;
    }

    private List<HostSmmu> checkStreams(DomainSpec spec) {
        Set<HostSmmu> used = new LinkedHashSet<>();
        Set<Integer> vsids = new HashSet<>();
        Set<Long> psids = new HashSet<>();
        for (StreamSpec s : spec.streams()) {
            HostSmmu h = host(s.smmuBase());
            if (h == null) {
                throw new IllegalArgumentException(String.format("no SMMU at 0x%x",
                        s.smmuBase()));
            }
            if (!h.config().s2p() || (spec.vsmmu() && !h.config().s1p())) {
                throw new IllegalArgumentException(String.format("SMMU at 0x%x lacks stage %s",
                        h.base(), h.config().s2p() ? "1 (the vSMMU needs nesting)"
                                : "2 (Xen's p2m)"));
            }
            if (s.psid() < 0 || (s.psid() >>> h.sidBits()) != 0) {
                throw new IllegalArgumentException(String.format("pSID 0x%x beyond %d bits",
                        s.psid(), h.sidBits()));
            }
            if (s.vsid() < 0 || (s.vsid() >>> 16) != 0 || !vsids.add(s.vsid())) {
                throw new IllegalArgumentException(String.format("vSID 0x%x", s.vsid()));
            }
            if (spec.hardware() && s.vsid() != s.psid()) {
                throw new IllegalArgumentException("dom0's vSIDs are its pSIDs");
            }
            long k = key(h, s.psid());
            if (bindings.containsKey(k) || !psids.add(k)) {
                throw new IllegalArgumentException(String.format(
                        "pSID 0x%x of SMMU 0x%x already assigned", s.psid(), h.base()));
            }
            used.add(h);
        }
        return new ArrayList<>(used);
    }

    private long key(HostSmmu h, long psid) {
        return ((long) hosts.indexOf(h) << 32) | (psid & 0xffffffffL);
    }

    /** dom0 RAM: [pa, pa+size) must be free and below every SMMU's OAS. */
    private long reserve(long pa, long size) {
        if (pa < 0 || size <= 0 || pa + size > (1L << paBits)) {
            throw new IllegalArgumentException(String.format("RAM 0x%x+0x%x", pa, size));
        }
        for (long[] u : usedPa) {
            if (pa < u[1] && u[0] < pa + size) {
                throw new IllegalArgumentException(String.format(
                        "RAM 0x%x+0x%x overlaps memory in use", pa, size));
            }
        }
        usedPa.add(new long[] {pa, pa + size});
        return pa;
    }

    /** domU RAM: the next free 2 MiB-aligned physical range. */
    private long allocate(long size) {
        long pa = (nextPa + DOMU_ALIGN - 1) & ~(DOMU_ALIGN - 1);
        boolean moved = true;
        while (moved) {
            moved = false;
            for (long[] u : usedPa) {
                if (pa < u[1] && u[0] < pa + size) {
                    pa = (u[1] + DOMU_ALIGN - 1) & ~(DOMU_ALIGN - 1);
                    moved = true;
                }
            }
        }
        reserve(pa, size);
        nextPa = pa + size;
        return pa;
    }

    public List<Domain> domains() {
        return Collections.unmodifiableList(domains);
    }

    public Domain domain(String name) {
        for (Domain d : domains) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    // ---- physical SMMUs and DMA --------------------------------------------------------

    public List<HostSmmu> hosts() {
        return Collections.unmodifiableList(hosts);
    }

    /** The physical SMMU at {@code base}, or null. */
    public HostSmmu host(long base) {
        for (HostSmmu h : hosts) {
            if (h.base() == base) {
                return h;
            }
        }
        return null;
    }

    /** Physical memory (RAM of every domain, Xen's heap). */
    public SparseMemory memory() {
        return mem;
    }

    /** The physical address size Xen uses: the smallest OAS of the SMMUs. */
    public int paBits() {
        return paBits;
    }

    /** A transaction without SubstreamID from stream {@code psid} of the SMMU at base. */
    public DmaResult dma(long smmuBase, int psid, long iova, Access access) {
        return dma(smmuBase, psid, Smmu.NO_SSID, iova, access);
    }

    public DmaResult dma(long smmuBase, int psid, int ssid, long iova, Access access) {
        HostSmmu h = host(smmuBase);
        if (h == null) {
            throw new IllegalArgumentException(String.format("no SMMU at 0x%x", smmuBase));
        }
        return h.smmu().translate(psid, ssid, iova, access);
    }

    /** A transaction from the device behind vSID {@code vsid} of domain {@code d}. */
    public DmaResult dma(Domain d, int vsid, long iova, Access access) {
        StreamSpec s = d.stream(vsid);
        if (s == null) {
            throw new IllegalArgumentException(d + " has no vSID " + vsid);
        }
        return dma(s.smmuBase(), s.psid(), iova, access);
    }

    /**
     * A device write of {@code data} at {@code iova} (translated page by page, then written to
     * physical memory); the first failing translation, else the last one.
     */
    public DmaResult dmaWrite(long smmuBase, int psid, long iova, byte[] data) {
        DmaResult last = null;
        int off = 0;
        while (off < data.length) {
            long a = iova + off;
            int n = (int) Math.min(data.length - off, 0x1000 - (a & 0xfff));
            last = dma(smmuBase, psid, a, Access.WRITE);
            if (!(last instanceof DmaResult.Ok ok) || !mem.write(ok.pa(), data, off, n)) {
                return last;
            }
            off += n;
        }
        return last;
    }

    /** Runs one budget of every vSMMU with waiting commands; true if some still wait. */
    public boolean runContinuations() {
        boolean more = false;
        for (Domain d : domains) {
            for (VSmmu v : d.vsmmus()) {
                more |= v.runContinuation();
            }
        }
        return more;
    }

    // ---- physical events and Xen's log -------------------------------------------------

    /** Xen's log: physical events Xen kept, and its own command errors. */
    public List<XenLogEntry> xenLog() {
        return Collections.unmodifiableList(log);
    }

    void log(long base, String domain, Event e, String message) {
        log.add(new XenLogEntry(base, domain, e, message));
    }

    /** The physical event queue interrupt: drain it and route every record. */
    private void drain(HostSmmu h) {
        if (draining) {
            return;
        }
        draining = true;
        try {
            for (Event e : h.driver().drainEvents()) {
                route(h, e);
            }
        } finally {
            draining = false;
        }
    }

    private void route(HostSmmu h, Event e) {
        if (e == null) {
            log(h.base(), null, null, "unknown event record");
            return;
        }
        Binding b = bindings.get(key(h, e.sid()));
        EventRouting.Rule r = EventRouting.route(new EventRouting.Context(e, b != null,
                b != null && b.vsmmu() != null, b != null && b.stream() != null
                        && b.stream().shadow() == VSmmu.Shadow.INVALID));
        if (r.toGuest()) {
            b.vsmmu().deliver(b.stream(), e);
        } else {
            log(h.base(), b == null ? null : b.domain().name(), e, r.name());
        }
    }
}
