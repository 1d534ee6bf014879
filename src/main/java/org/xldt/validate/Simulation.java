package org.xldt.validate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xldt.smmu.Access;
import org.xldt.smmu.CdBuilder;
import org.xldt.smmu.CmdLayout;
import org.xldt.smmu.Commands;
import org.xldt.smmu.DmaResult;
import org.xldt.smmu.Domain;
import org.xldt.smmu.Event;
import org.xldt.smmu.Granule;
import org.xldt.smmu.HostSmmu;
import org.xldt.smmu.IrqLine;
import org.xldt.smmu.P2m;
import org.xldt.smmu.PageTableBuilder;
import org.xldt.smmu.SmmuConfig;
import org.xldt.smmu.SmmuDriver;
import org.xldt.smmu.SteBuilder;
import org.xldt.smmu.TableAllocator;
import org.xldt.smmu.VSmmu;
import org.xldt.smmu.XenSystem;
import org.xldt.validate.Topology.DomainInput;
import org.xldt.validate.Topology.PhysSmmu;
import org.xldt.validate.Topology.SidLink;
import org.xldt.xen.GuestMemoryMap.Region;

/**
 * Runs a {@link Topology}: Xen with the physical SMMUs and every domain (p2m from its memory,
 * its assigned streams), then, per domain, a Linux-like guest driver that knows only the guest
 * tree ({@link GuestView}): it probes the vSMMU at the tree's address, builds a 2-level stream
 * table, one CD and stage-1 table per master mapping DMA buffers in the tree's RAM, and issues
 * CFGI_STE + SYNC. Then devices do DMA. What happened is recorded as {@link Facts} for the
 * checks of {@link ValidateChecks}.
 */
public final class Simulation {
    /** Where each master's buffers are mapped (IOVA), one page per buffer. */
    static final long IOVA_BUFFERS = 0x1000_0000L;
    /** IOVAs mapped at other domains' memory (the isolation probe). */
    static final long IOVA_FOREIGN = 0x2000_0000L;
    /** An IOVA the guest never maps. */
    static final long IOVA_UNMAPPED = 0x7000_0000L;
    /** The guest driver's tables: this far into the first RAM bank (or a quarter of it), 4 MiB (or a quarter). */
    static final long TABLES_OFFSET = 16L << 20;
    static final long TABLES_SIZE = 4L << 20;
    static final long PAGE = 0x1000;
    /** Ranges (iommu-map) are exercised at their first and last stream ID. */
    static final int MAX_POLLS = 10_000;
    /** The vSID of a row whose master has no readable stream ID. */
    public static final long NO_VSID = -1;

    /** One DMA of the buffer probe: the IPA it should reach and what happened. */
    public record BufferDma(long ipa, long iova, long expectedPa, DmaResult result) {
    }

    /** The unmapped-IOVA probe. */
    public record FaultProbe(long iova, DmaResult result, List<Event> guestEvents, String irqName, IrqLine line, long pulsesBefore,
            long pulsesAfter) {
    }

    /** One isolation attempt: the guest maps an IOVA to {@code ipa}, standing for {@code what}. */
    public record ForeignDma(String what, long ipa, DmaResult result) {
    }

    /**
     * Everything observed about one stream of a master.
     *
     * @param skipped why the DMA probes did not run, or empty
     */
    public record StreamFacts(String domain, GuestView.Master master, long vsid, Optional<SidLink> link, Optional<PhysSmmu> smmu,
            Optional<Long> psid, Optional<String> conflict, Optional<String> skipped, List<BufferDma> buffers, Optional<FaultProbe> fault,
            List<ForeignDma> foreign, Domain xenDomain) {
    }

    /** The foreign-stream probe: the guest configures a vSID it was not given. */
    public record ForeignStream(long vsid, boolean vsmmuHasStream, List<String> changedHostStes, boolean queueOk) {
    }

    /** Everything observed about one domain. */
    public record DomainFacts(DomainInput input, GuestView view, Optional<String> createError, Optional<String> driverError,
            Optional<VSmmu> vsmmu, Optional<ForeignStream> foreignStream, List<StreamFacts> streams) {
    }

    /** The result of a run. */
    public record Facts(Topology topology, List<DomainFacts> domains) {
    }

    private Simulation() {
    }

    /** Runs everything. */
    public static Facts run(Topology t) {
        List<XenSystem.HostSpec> hosts = new ArrayList<>();
        Set<Long> bases = new LinkedHashSet<>();
        for (PhysSmmu s : t.smmus()) if (bases.add(s.base())) hosts.add(new XenSystem.HostSpec(s.base(), SmmuConfig.builder().build(), 0));
        XenSystem xen = new XenSystem(hosts);

        // what each domain's tree asks for, and Xen's stream assignment
        Map<String, String> ownerName = new HashMap<>();
        List<Pending> pending = new ArrayList<>();
        for (DomainInput d : t.domains()) {
            GuestView view = GuestView.read(d.tree());
            List<StreamFacts> streams = new ArrayList<>();
            List<XenSystem.StreamSpec> specs = new ArrayList<>();
            Set<Long> given = new LinkedHashSet<>();
            for (GuestView.Master m : view.masters()) {
                if (m.streams().isEmpty()) {
                    // a master whose property cannot be read: one row, nothing to run
                    streams.add(new StreamFacts(d.name(), m, NO_VSID, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                            Optional.of(m.problem().orElse("no stream IDs")), List.of(), Optional.empty(), List.of(), null));
                    continue;
                }
                for (GuestView.Stream s : m.streams()) {
                    List<Long> tested = s.count() <= 1 ? List.of(s.vsid()) : List.of(s.vsid(), s.vsid() + s.count() - 1);
                    for (long vsid : tested) {
                        Optional<SidLink> link = d.link(vsid);
                        Optional<PhysSmmu> smmu = link.flatMap(l -> t.smmus().stream().filter(p -> p.phandle() == l.smmuPhandle()).findFirst());
                        Optional<Long> psid = link.map(l -> l.psid() + (vsid - l.vsid()));
                        Optional<String> conflict = Optional.empty();
                        Optional<String> skipped = Optional.empty();
                        if (m.problem().isPresent() || !m.targetIsVsmmu()) skipped = Optional.of("the master does not reach the vSMMU");
                        else if (link.isEmpty()) skipped = Optional.of("no physical stream");
                        else if (smmu.isEmpty()) skipped = Optional.of("no physical SMMU");
                        else if (psid.get() >= (1L << 16) || vsid >= (1L << 16)) skipped = Optional.of("stream ID beyond 16 bits");
                        if (skipped.isEmpty()) {
                            String key = smmu.get().base() + ":" + psid.get();
                            String me = d.name() + " " + m.path() + String.format(" (vSID 0x%x)", vsid);
                            String prev = ownerName.get(key);
                            if (prev != null && !prev.startsWith(d.name() + " ")) {
                                conflict = Optional.of(prev);
                                skipped = Optional.of("the physical stream belongs to " + prev);
                            } else if (prev == null) {
                                ownerName.put(key, me);
                            }
                            if (skipped.isEmpty() && given.add(vsid)) specs.add(new XenSystem.StreamSpec((int) vsid, smmu.get().base(), (int) (long) psid.get()));
                            else if (skipped.isEmpty() && prev != null && !prev.equals(me)) {
                                // same stream twice in one domain: tested once
                            }
                        }
                        streams.add(new StreamFacts(d.name(), m, vsid, link, smmu, psid, conflict, skipped, List.of(), Optional.empty(), List.of(), null));
                    }
                }
            }
            // streams Xen gave the domain that no master of the tree uses (still assigned)
            for (SidLink l : d.links()) {
                if (l.count() != 1 || given.contains(l.vsid()) || l.vsid() >= (1L << 16) || l.psid() >= (1L << 16)) continue;
                Optional<PhysSmmu> smmu = t.smmus().stream().filter(p -> p.phandle() == l.smmuPhandle()).findFirst();
                if (smmu.isEmpty()) continue;
                String key = smmu.get().base() + ":" + l.psid();
                if (ownerName.containsKey(key)) continue;
                ownerName.put(key, d.name() + " " + l.source());
                given.add(l.vsid());
                specs.add(new XenSystem.StreamSpec((int) l.vsid(), smmu.get().base(), (int) l.psid()));
            }
            List<XenSystem.Ram> ram = d.p2m().stream().map(r -> new XenSystem.Ram(r.base(), r.size())).toList();
            Domain xd = null;
            Optional<String> err = Optional.empty();
            try {
                xd = xen.addDomain(XenSystem.DomainSpec.domU(d.name(), ram, specs));
            } catch (IllegalArgumentException e) {
                err = Optional.of("Xen could not create the domain: " + e.getMessage());
            }
            pending.add(new Pending(d, view, xd, err, streams, given));
        }

        List<DomainFacts> out = new ArrayList<>();
        for (Pending p : pending) out.add(runGuest(xen, p, pending));
        return new Facts(t, out);
    }

    private record Pending(DomainInput input, GuestView view, Domain xd, Optional<String> createError, List<StreamFacts> streams,
            Set<Long> given) {
    }

    /** The guest's driver, then the DMA probes of each of its streams. */
    private static DomainFacts runGuest(XenSystem xen, Pending p, List<Pending> all) {
        GuestView view = p.view();
        if (p.xd() == null || view.vsmmu().isEmpty() || view.vsmmu().get().reg().isEmpty()) {
            String why = p.xd() == null ? p.createError().orElse("no domain")
                    : view.vsmmu().isEmpty() ? "no vSMMU in the guest tree" : "the vSMMU node has no readable reg";
            return new DomainFacts(p.input(), view, p.createError(), Optional.empty(), Optional.empty(), Optional.empty(),
                    skipAll(p.streams(), why, p.xd()));
        }
        Domain d = p.xd();
        GuestView.VsmmuNode node = view.vsmmu().get();
        VSmmu v = d.vsmmuAt(node.reg().get().base());
        if (v == null) {
            String why = String.format("the guest tree puts the vSMMU at 0x%x, where Xen emulates none", node.reg().get().base());
            return new DomainFacts(p.input(), view, p.createError(), Optional.of(why), Optional.empty(), Optional.empty(),
                    skipAll(p.streams(), why, d));
        }
        List<Region> ram = view.ram();
        if (ram.isEmpty()) {
            String why = "the guest tree has no memory node: the driver has nowhere to put its tables";
            return new DomainFacts(p.input(), view, p.createError(), Optional.of(why), Optional.of(v), Optional.empty(), skipAll(p.streams(), why, d));
        }
        Region bank0 = ram.get(0);
        long off = Math.min(TABLES_OFFSET, (bank0.size() / 4) & ~0xffffL);
        long size = Math.min(TABLES_SIZE, (bank0.size() / 4) & ~0xffffL);
        TableAllocator alloc = new TableAllocator(bank0.base() + off, size);
        SmmuDriver drv;
        try {
            drv = new SmmuDriver(v, d.memory(), alloc).init(8, 16, true);
            if (drv.commandError() != 0) throw new IllegalStateException("command error " + drv.commandError());
        } catch (RuntimeException e) {
            String why = String.format("the guest driver could not set up the vSMMU with its tables at IPA 0x%x (%s)", bank0.base() + off,
                    e.getMessage());
            return new DomainFacts(p.input(), view, p.createError(), Optional.of(why), Optional.of(v), Optional.empty(), skipAll(p.streams(), why, d));
        }

        // other domains' memory, as IPAs the guest may try
        List<ForeignDma> targets = new ArrayList<>();
        for (Pending o : all) {
            if (o == p || o.xd() == null) continue;
            for (P2m.Extent e : o.xd().p2m().extents()) targets.add(new ForeignDma(o.input().name() + "'s RAM at PA 0x" + Long.toHexString(e.pa()), e.pa(), null));
        }
        for (P2m.Extent e : d.p2m().extents()) {
            if (d.p2m().extentAt(e.end()) == null) targets.add(new ForeignDma("the IPA just past its own RAM", e.end(), null));
        }

        List<StreamFacts> done = new ArrayList<>();
        int k = 0;
        Set<Long> programmed = new LinkedHashSet<>();
        for (StreamFacts s : p.streams()) {
            if (s.skipped().isPresent()) {
                done.add(withDomain(s, d));
                continue;
            }
            k++;
            try {
                done.add(probe(xen, d, v, drv, alloc, s, k, ram, targets, programmed.add(s.vsid()), eventIrqName(node)));
            } catch (RuntimeException e) {
                done.add(new StreamFacts(s.domain(), s.master(), s.vsid(), s.link(), s.smmu(), s.psid(), s.conflict(),
                        Optional.of("the guest driver failed: " + e.getMessage()), List.of(), Optional.empty(), List.of(), d));
            }
        }
        Optional<ForeignStream> fs = Optional.empty();
        try {
            fs = Optional.of(foreignStream(xen, d, v, drv, alloc, p.given(), ram.get(0)));
        } catch (RuntimeException e) {
            fs = Optional.of(new ForeignStream(-1, false, List.of("the probe failed: " + e.getMessage()), false));
        }
        return new DomainFacts(p.input(), view, p.createError(), Optional.empty(), Optional.of(v), fs, done);
    }

    private static List<StreamFacts> skipAll(List<StreamFacts> in, String why, Domain d) {
        List<StreamFacts> out = new ArrayList<>();
        for (StreamFacts s : in) {
            out.add(new StreamFacts(s.domain(), s.master(), s.vsid(), s.link(), s.smmu(), s.psid(), s.conflict(),
                    Optional.of(s.skipped().orElse(why)), List.of(), Optional.empty(), List.of(), d));
        }
        return out;
    }

    private static StreamFacts withDomain(StreamFacts s, Domain d) {
        return new StreamFacts(s.domain(), s.master(), s.vsid(), s.link(), s.smmu(), s.psid(), s.conflict(), s.skipped(), s.buffers(),
                s.fault(), s.foreign(), d);
    }

    /** Linux's attach for one master: stage-1 table, CD, STE, CFGI_STE + SYNC; then the DMA probes. */
    private static StreamFacts probe(XenSystem xen, Domain d, VSmmu v, SmmuDriver drv, TableAllocator alloc, StreamFacts s, int k,
            List<Region> ram, List<ForeignDma> targets, boolean program, String name) {
        int vsid = (int) s.vsid();
        PageTableBuilder pt = PageTableBuilder.stage1(d.memory(), Granule.G4K, 16, alloc);
        List<long[]> bufs = new ArrayList<>(); // {ipa, iova}
        long iova = IOVA_BUFFERS;
        for (Region r : ram) {
            for (long ipa : new long[] {r.base() + k * PAGE, r.end() - k * PAGE}) {
                if (ipa < r.base() || ipa + PAGE > r.end()) continue;
                pt.mapPage(iova, ipa, PageTableBuilder.S1_RW);
                bufs.add(new long[] {ipa, iova});
                iova += PAGE;
            }
        }
        long fiova = IOVA_FOREIGN;
        for (ForeignDma f : targets) {
            pt.mapPage(fiova, f.ipa() & ~(PAGE - 1), PageTableBuilder.S1_RW);
            fiova += PAGE;
        }
        if (program) {
            long cd = alloc.alloc(64, 64);
            CdBuilder.of(k, Granule.G4K, 16, pt.root()).writeTo(d.memory(), cd);
            drv.streamTable().put(vsid, SteBuilder.s1(cd));
            if (!drv.submitAndWait(MAX_POLLS, Commands.cfgiSte(vsid, true), Commands.sync(CmdLayout.CS_NONE))) {
                throw new IllegalStateException("CFGI_STE + SYNC for vSID " + vsid + " did not complete (command error " + drv.commandError() + ")");
            }
        }
        List<BufferDma> buffers = new ArrayList<>();
        for (long[] b : bufs) {
            long expected = d.p2m().translate(b[0]);
            buffers.add(new BufferDma(b[0], b[1], expected, xen.dma(d, vsid, b[1] + 0x10, Access.WRITE)));
        }
        List<ForeignDma> foreign = new ArrayList<>();
        fiova = IOVA_FOREIGN;
        for (ForeignDma f : targets) {
            foreign.add(new ForeignDma(f.what(), f.ipa(), xen.dma(d, vsid, fiova, Access.WRITE)));
            fiova += PAGE;
        }
        drv.drainEvents();
        IrqLine line = v.irq(name);
        long before = line == null ? 0 : line.pulses();
        DmaResult r = xen.dma(d, vsid, IOVA_UNMAPPED, Access.READ);
        List<Event> events = drv.drainEvents();
        FaultProbe fp = new FaultProbe(IOVA_UNMAPPED, r, events, name, line, before, line == null ? 0 : line.pulses());
        return new StreamFacts(s.domain(), s.master(), s.vsid(), s.link(), s.smmu(), s.psid(), s.conflict(), s.skipped(), buffers,
                Optional.of(fp), foreign, d);
    }

    /** The interrupt Linux's driver takes for events: "combined", else "eventq", else the first one the tree lists. */
    static String eventIrqName(GuestView.VsmmuNode node) {
        if (node.irqs().containsKey("combined")) return "combined";
        if (node.irqs().containsKey("eventq")) return "eventq";
        return node.irqs().keySet().stream().findFirst().orElse("combined");
    }

    private record HostSte(String what, HostSmmu host, int psid, long[] words) {
    }

    /** The guest writes an STE for a vSID it was not given and invalidates it. */
    private static ForeignStream foreignStream(XenSystem xen, Domain d, VSmmu v, SmmuDriver drv, TableAllocator alloc, Set<Long> given,
            Region bank0) {
        long free = 0;
        while (given.contains(free)) free++;
        final long f = free;
        List<HostSte> before = new ArrayList<>();
        for (Domain o : xen.domains()) {
            if (o == d) continue;
            for (XenSystem.StreamSpec s : o.streams()) {
                HostSmmu h = xen.host(s.smmuBase());
                before.add(new HostSte(o.name() + String.format("'s pSID 0x%x on SMMU 0x%x", s.psid(), h.base()), h, s.psid(), h.ste(s.psid())));
            }
        }
        for (HostSmmu h : xen.hosts()) {
            if (d.streams().stream().anyMatch(s -> s.smmuBase() == h.base() && s.psid() == f)) continue;
            before.add(new HostSte(String.format("pSID 0x%x on SMMU 0x%x", f, h.base()), h, (int) f, h.ste((int) f)));
        }
        PageTableBuilder pt = PageTableBuilder.stage1(d.memory(), Granule.G4K, 16, alloc);
        pt.mapPage(IOVA_BUFFERS, bank0.base(), PageTableBuilder.S1_RW);
        long cd = alloc.alloc(64, 64);
        CdBuilder.of(0x7f, Granule.G4K, 16, pt.root()).writeTo(d.memory(), cd);
        drv.streamTable().put(f, SteBuilder.s1(cd));
        boolean ok = drv.submitAndWait(MAX_POLLS, Commands.cfgiSte((int) f, true), Commands.sync(CmdLayout.CS_NONE));
        if (!ok) {
            drv.skipFailedCommand();
        }
        List<String> changed = new ArrayList<>();
        for (HostSte h : before) if (!Arrays.equals(h.words(), h.host().ste(h.psid()))) changed.add(h.what());
        return new ForeignStream(f, v.stream(f) != null, changed, ok);
    }
}
