package org.xldt.validate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xldt.smmu.Access;
import org.xldt.smmu.DmaResult;
import org.xldt.smmu.Domain;
import org.xldt.smmu.Event;
import org.xldt.smmu.HostSmmu;
import org.xldt.smmu.IrqLine;
import org.xldt.smmu.P2m;
import org.xldt.smmu.SmmuConfig;
import org.xldt.smmu.TableAllocator;
import org.xldt.smmu.VSmmu;
import org.xldt.smmu.XenLogEntry;
import org.xldt.smmu.XenSystem;
import org.xldt.validate.Topology.DomainInput;
import org.xldt.validate.Topology.PhysSmmu;
import org.xldt.validate.Topology.PhysStream;
import org.xldt.validate.Topology.SidLink;
import org.xldt.xen.GuestMemoryMap.Region;

/**
 * Runs a {@link Topology}: Xen ({@link XenSystem}) with the physical SMMUs and every domain (its
 * p2m, its assigned streams, its vSMMUs), then, per domain, Linux's arm-smmu-v3 driver
 * ({@link GuestDriver}) knowing only the guest tree ({@link GuestView}): it probes each SMMUv3
 * node at the tree's address, puts its queues and tables in the tree's RAM, attaches every
 * master (CD, stage-1 table, STE, CFGI_STE + CMD_SYNC) and maps DMA buffers. Then the devices do
 * DMA through the physical SMMUs: writes to the buffers, reads of an unmapped IOVA, writes
 * aimed at other domains' memory. A device of a domain without a vSMMU does the same through
 * Xen's stage 2 alone. What happened is recorded as {@link Facts} for {@link ValidateChecks}.
 */
public final class Simulation {
    /** Where each master's buffers are mapped (IOVA), one page per buffer. */
    static final long IOVA_BUFFERS = 0x1000_0000L;
    /** IOVAs the guest maps at memory outside its domain (the isolation probe). */
    static final long IOVA_FOREIGN = 0x2000_0000L;
    /** An IOVA the guest never maps. */
    static final long IOVA_UNMAPPED = 0x7000_0000L;
    /** Offset of each DMA in its buffer page (so a wrong page offset shows). */
    static final long DMA_OFFSET = 0x10;
    /** The guest driver's tables: this far into the first RAM bank (or a quarter of it), 8 MiB (or a quarter). */
    static final long TABLES_OFFSET = 16L << 20;
    static final long TABLES_SIZE = 8L << 20;
    static final long PAGE = 0x1000;
    /** The vSID column of a row without one (a stream of Xen's stage 2 alone, an unreadable master). */
    public static final long NO_VSID = -1;
    /** Stream IDs of the vSMMUs (IDR1.SIDSIZE = 16). */
    static final long SID_LIMIT = 1L << 16;

    /** One DMA write to a buffer: where it should land and what happened. */
    public record BufferDma(long ipa, long iova, long expectedPa, DmaResult result, boolean dataSeen) {
    }

    /**
     * The unmapped-IOVA probe.
     *
     * @param guestEvents what the guest's driver found on its event queue afterwards (none without a vSMMU)
     * @param irqName     the interrupt the guest tree names for events, if any
     * @param irqRaised   whether Xen raised it
     * @param xenLog      what Xen logged for it
     */
    public record FaultProbe(long iova, DmaResult result, List<Event> guestEvents, Optional<String> irqName, boolean irqRaised,
            List<XenLogEntry> xenLog) {
    }

    /** What an isolation attempt aims at, in report order. */
    public enum Target {
        OTHER_DOMAIN("other domains' RAM"), XEN_HEAP("Xen's heap"), PAST_RAM("the IPA past its RAM");

        public final String label;

        Target(String label) {
            this.label = label;
        }
    }

    /** One isolation attempt at {@code ipa}, a {@code target}, described by {@code what}. */
    public record ForeignDma(Target target, String what, long ipa, DmaResult result) {
    }

    /**
     * Everything observed about one stream of a device.
     *
     * @param device   the device's path in the guest tree
     * @param master   how the guest tree names the stream; empty for a stream of Xen's stage 2 alone
     * @param vsid     the guest's stream ID, {@link #NO_VSID} when it has none
     * @param source   where the physical stream comes from (the toolstack's record), or empty
     * @param linked   whether the toolstack links the vSID to a physical stream (always for Xen's stage 2 alone)
     * @param psidOwner who had the physical stream first, when someone else did
     * @param vsidOwner which other master of the same SMMUv3 node has the vSID, if one does
     * @param claimed   whether the physical stream was free and taken for this device
     * @param blocked  why the DMA probes did not run ("the X check failed"), or empty
     * @param failure  why the guest driver failed for this stream, or empty
     */
    public record StreamFacts(String domain, String device, Optional<GuestView.Master> master, long vsid, Optional<PhysSmmu> smmu,
            Optional<Long> psid, Optional<String> source, boolean linked, Optional<String> psidOwner, Optional<String> vsidOwner, boolean claimed, Optional<String> blocked,
            Optional<String> failure, List<BufferDma> buffers, Optional<FaultProbe> fault, List<ForeignDma> foreign, Domain xenDomain) {
        public boolean stage2Only() {
            return master.isEmpty();
        }
    }

    /** The foreign-stream probe: the guest configures a vSID Xen did not give it. */
    public record ForeignStream(long vsid, boolean vsmmuHasStream, List<String> changedHostStes, boolean commandsCompleted) {
    }

    /** One SMMUv3 node of the guest tree: the vSMMU behind it, the driver's fate, the foreign-stream probe. */
    public record VsmmuFacts(GuestView.VsmmuNode node, Optional<VSmmu> vsmmu, Optional<String> driverError,
            Optional<ForeignStream> foreignStream) {
    }

    /**
     * Everything observed about one domain.
     *
     * @param orphans vSID links of the toolstack that no master of the guest tree uses
     */
    public record DomainFacts(DomainInput input, GuestView view, Optional<Domain> xen, Optional<String> createError,
            List<VsmmuFacts> vsmmus, List<StreamFacts> streams, List<SidLink> orphans) {
    }

    /** The result of a run. */
    public record Facts(Topology topology, List<DomainFacts> domains) {
    }

    private Simulation() {
    }

    /** A stream being planned and run. */
    private static final class Run {
        final String device;
        final Optional<GuestView.Master> master;
        final long vsid;
        Optional<PhysSmmu> smmu = Optional.empty();
        Optional<Long> psid = Optional.empty();
        Optional<String> source = Optional.empty();
        boolean linked;
        Optional<String> psidOwner = Optional.empty();
        Optional<String> vsidOwner = Optional.empty();
        boolean claimed;
        Optional<String> blocked = Optional.empty();
        Optional<String> failure = Optional.empty();
        List<BufferDma> buffers = List.of();
        Optional<FaultProbe> fault = Optional.empty();
        List<ForeignDma> foreign = List.of();

        Run(String device, Optional<GuestView.Master> master, long vsid) {
            this.device = device;
            this.master = master;
            this.vsid = vsid;
        }

        /** Stops the probes of this stream because check {@code check} fails (the check says why). */
        void block(String check) {
            if (blocked.isEmpty()) blocked = Optional.of("the " + check + " check failed" + (ValidateChecks.isDomainCheck(check) ? " for the domain" : ""));
        }

        String who(String domain) {
            return device + (vsid == NO_VSID ? "" : String.format(" (vSID 0x%x)", vsid)) + " of domain " + domain;
        }

        StreamFacts facts(String domain, Domain xd) {
            return new StreamFacts(domain, device, master, vsid, smmu, psid, source, linked, psidOwner, vsidOwner, claimed, blocked, failure, buffers, fault,
                    foreign, xd);
        }
    }

    /** A domain between planning and running. */
    private record Plan(DomainInput input, GuestView view, Optional<Domain> xd, Optional<String> createError, List<Run> runs,
            List<SidLink> orphans) {
    }

    /** Runs everything. */
    public static Facts run(Topology t) {
        List<XenSystem.HostSpec> hosts = new ArrayList<>();
        for (PhysSmmu s : t.smmus()) hosts.add(new XenSystem.HostSpec(s.base(), SmmuConfig.builder().build(), s.irq()));
        XenSystem xen = new XenSystem(hosts);
        Map<String, String> owners = new HashMap<>();
        List<Plan> plans = new ArrayList<>();
        for (DomainInput d : t.domains()) plans.add(plan(xen, t, d, owners));
        List<DomainFacts> out = new ArrayList<>();
        for (Plan p : plans) out.add(runGuest(xen, p, plans));
        return new Facts(t, out);
    }

    // ---- Xen's side: what each domain is given ------------------------------------------------

    private static Plan plan(XenSystem xen, Topology t, DomainInput d, Map<String, String> owners) {
        GuestView view = GuestView.read(d.tree());
        List<Run> runs = new ArrayList<>();
        List<XenSystem.StreamSpec> specs = new ArrayList<>();
        Map<String, String> vsidOwners = new HashMap<>();
        for (GuestView.Master m : view.masters()) {
            if (m.streams().isEmpty()) {
                Run r = new Run(m.path(), Optional.of(m), NO_VSID);
                r.block("iommu");
                runs.add(r);
                continue;
            }
            for (GuestView.Stream s : m.streams()) {
                // a range (iommu-map) is exercised at its first and last stream ID
                List<Long> tested = s.count() <= 1 ? List.of(s.vsid()) : List.of(s.vsid(), s.vsid() + s.count() - 1);
                for (long vsid : tested) {
                    Run r = new Run(m.path(), Optional.of(m), vsid);
                    runs.add(r);
                    Optional<SidLink> link = link(t, d, m, vsid);
                    r.linked = link.isPresent();
                    link.ifPresent(l -> {
                        r.smmu = t.smmu(l.smmuPhandle());
                        r.psid = Optional.of(l.psid() + (vsid - l.vsid()));
                        r.source = Optional.of(l.source());
                    });
                    if (m.problem().isPresent() || m.vsmmu().isEmpty() || vsid >= SID_LIMIT) r.block("iommu");
                    if (link.isEmpty() || r.smmu.isEmpty()) r.block("psid");
                    if (r.psid.orElse(0L) >= SID_LIMIT) r.block("psid");
                    if (r.blocked.isPresent()) continue;
                    String vkey = m.vsmmu().get().path() + ":" + vsid;
                    String first = vsidOwners.putIfAbsent(vkey, r.device);
                    if (first != null) {
                        r.vsidOwner = Optional.of(first);
                        r.block("psid-unique");
                        continue;
                    }
                    if (claim(owners, r, d.name())) specs.add(new XenSystem.StreamSpec((int) vsid, r.smmu.get().base(), r.psid.get().intValue()));
                }
            }
        }
        int placeholder = 0;
        for (PhysStream ps : d.stage2()) {
            Run r = new Run(ps.device(), Optional.empty(), NO_VSID);
            runs.add(r);
            r.smmu = t.smmu(ps.smmuPhandle());
            r.psid = Optional.of(ps.psid());
            r.source = Optional.of(ps.source());
            r.linked = true;
            if (r.smmu.isEmpty()) r.block("psid");
            if (ps.psid() >= SID_LIMIT) r.block("psid");
            if (r.blocked.isPresent() || !claim(owners, r, d.name())) continue;
            // Xen's handle for the stream: dom0's vSIDs are its pSIDs; a domU's are unused numbers
            int xenVsid = (int) ps.psid();
            if (!d.hardware()) {
                while (vsidTaken(specs, placeholder)) placeholder++;
                xenVsid = placeholder;
            }
            specs.add(new XenSystem.StreamSpec(xenVsid, r.smmu.get().base(), (int) ps.psid()));
        }
        // vSIDs the toolstack gave that no master uses: Xen assigns them all the same; those for a
        // device the guest tree does not have are orphans (a device of the tree without iommus is
        // the passthrough-iommus check's, one with another vSID the psid check's)
        List<SidLink> orphans = new ArrayList<>();
        for (SidLink l : d.links()) {
            if (runs.stream().anyMatch(r -> r.vsid != NO_VSID && l.contains(r.vsid)
                    && (!d.hardware() || r.smmu.map(PhysSmmu::phandle).orElse(NO_VSID) == l.smmuPhandle()))) continue;
            if (l.device().map(p -> d.tree().find(p) == null).orElse(true)) orphans.add(l);
            Optional<PhysSmmu> smmu = t.smmu(l.smmuPhandle());
            if (l.count() != 1 || smmu.isEmpty() || l.vsid() >= SID_LIMIT || l.psid() >= SID_LIMIT || vsidTaken(specs, (int) l.vsid())) continue;
            String key = key(smmu.get(), l.psid());
            if (owners.putIfAbsent(key, d.name() + " " + l.source()) == null) {
                specs.add(new XenSystem.StreamSpec((int) l.vsid(), smmu.get().base(), (int) l.psid()));
            }
        }
        List<XenSystem.Ram> ram = d.p2m().stream().map(r -> new XenSystem.Ram(r.base(), r.size())).toList();
        try {
            Domain xd = xen.addDomain(new XenSystem.DomainSpec(d.name(), d.hardware(), ram, specs, d.xenVsmmu()));
            return new Plan(d, view, Optional.of(xd), Optional.empty(), runs, orphans);
        } catch (IllegalArgumentException | IllegalStateException e) {
            String why = "Xen could not create the domain: " + e.getMessage();
            for (Run r : runs) r.block("vsmmu");
            return new Plan(d, view, Optional.empty(), Optional.of(why), runs, orphans);
        }
    }

    /**
     * The toolstack's link for {@code vsid} of master {@code m}: a domU's vSIDs share one space; dom0's
     * are per SMMUv3 node, the link of the physical SMMU at the node's address.
     */
    private static Optional<SidLink> link(Topology t, DomainInput d, GuestView.Master m, long vsid) {
        if (!d.hardware()) return d.link(vsid);
        Optional<Long> base = m.vsmmu().flatMap(GuestView.VsmmuNode::reg).map(Region::base);
        return d.links().stream().filter(l -> l.contains(vsid) && t.smmu(l.smmuPhandle()).map(PhysSmmu::base).equals(base)).findFirst();
    }

    private static boolean vsidTaken(List<XenSystem.StreamSpec> specs, int vsid) {
        return specs.stream().anyMatch(s -> s.vsid() == vsid);
    }

    private static String key(PhysSmmu s, long psid) {
        return s.base() + ":" + psid;
    }

    /** Takes the physical stream of {@code r} for its domain; false (the run blocked) when someone has it. */
    private static boolean claim(Map<String, String> owners, Run r, String domain) {
        String first = owners.putIfAbsent(key(r.smmu.get(), r.psid.get()), r.who(domain));
        r.claimed = first == null;
        if (first == null) return true;
        r.psidOwner = Optional.of(first);
        r.block("psid-unique");
        return false;
    }

    // ---- the guest's side -------------------------------------------------------------------

    /** The guest's driver on each SMMUv3 node, then the DMA probes of each stream. */
    private static DomainFacts runGuest(XenSystem xen, Plan p, List<Plan> all) {
        GuestView view = p.view();
        if (p.xd().isEmpty()) {
            List<VsmmuFacts> vf = view.vsmmus().stream().map(n -> new VsmmuFacts(n, Optional.empty(), p.createError(), Optional.empty())).toList();
            return new DomainFacts(p.input(), view, Optional.empty(), p.createError(), vf, facts(p, null), p.orphans());
        }
        Domain d = p.xd().get();
        Optional<TableAllocator> alloc = Optional.empty();
        if (!view.ram().isEmpty()) {
            Region bank0 = view.ram().get(0);
            long off = Math.min(TABLES_OFFSET, (bank0.size() / 4) & ~0xffffL);
            long size = Math.min(TABLES_SIZE, (bank0.size() / 4) & ~0xffffL);
            alloc = Optional.of(new TableAllocator(bank0.base() + off, size));
        }
        Map<String, GuestDriver> drivers = new LinkedHashMap<>();
        Map<String, VSmmu> vsmmus = new LinkedHashMap<>();
        Map<String, String> errors = new LinkedHashMap<>();
        for (GuestView.VsmmuNode n : view.vsmmus()) {
            VSmmu v = n.reg().map(r -> d.vsmmuAt(r.base())).orElse(null);
            if (n.reg().isEmpty()) {
                errors.put(n.path(), n.path() + " has no reg the guest can read");
            } else if (v == null) {
                errors.put(n.path(), String.format("the guest tree puts an SMMUv3 at 0x%x (%s), where Xen emulates none for %s", n.reg().get().base(),
                        n.path(), d.name()));
            } else if (alloc.isEmpty()) {
                errors.put(n.path(), "the guest tree has no memory node: the driver has nowhere to put its queues and tables");
            } else {
                vsmmus.put(n.path(), v);
                try {
                    drivers.put(n.path(), GuestDriver.probe(v, d.memory(), alloc.get()));
                } catch (RuntimeException e) {
                    errors.put(n.path(), String.format("Linux's driver failed on %s (its tables at IPA 0x%x): %s", n.path(),
                            view.ram().get(0).base() + Math.min(TABLES_OFFSET, (view.ram().get(0).size() / 4) & ~0xffffL), e.getMessage()));
                }
            }
        }
        List<ForeignDma> targets = foreignTargets(xen, d, all);
        int k = 0;
        for (Run r : p.runs()) {
            if (r.blocked.isPresent()) continue;
            k++;
            if (r.master.isEmpty()) {
                probeStage2(xen, d, r, view.ram(), targets);
                continue;
            }
            String node = r.master.get().vsmmu().get().path();
            GuestDriver drv = drivers.get(node);
            if (drv == null) {
                r.block("vsmmu");
                continue;
            }
            try {
                probeNested(xen, d, drv, r, k, view.ram(), targets, view.vsmmu(node).get(), vsmmus.get(node));
            } catch (RuntimeException e) {
                r.failure = Optional.of("the guest driver failed: " + e.getMessage());
            }
        }
        List<VsmmuFacts> vf = new ArrayList<>();
        for (GuestView.VsmmuNode n : view.vsmmus()) {
            Optional<ForeignStream> fs = Optional.empty();
            GuestDriver drv = drivers.get(n.path());
            if (drv != null) fs = Optional.of(foreignStream(xen, d, vsmmus.get(n.path()), drv, view.ram().get(0)));
            vf.add(new VsmmuFacts(n, Optional.ofNullable(vsmmus.get(n.path())), Optional.ofNullable(errors.get(n.path())), fs));
        }
        return new DomainFacts(p.input(), view, Optional.of(d), Optional.empty(), vf, facts(p, d), p.orphans());
    }

    private static List<StreamFacts> facts(Plan p, Domain d) {
        return p.runs().stream().map(r -> r.facts(p.input().name(), d)).toList();
    }

    /** Memory outside the domain, as IPAs its guest may aim a device at: other domains' RAM, Xen's heap, the IPA past its RAM. */
    private static List<ForeignDma> foreignTargets(XenSystem xen, Domain d, List<Plan> all) {
        List<ForeignDma> targets = new ArrayList<>();
        for (Plan o : all) {
            if (o.xd().isEmpty() || o.xd().get() == d) continue;
            for (P2m.Extent e : o.xd().get().p2m().extents()) {
                targets.add(new ForeignDma(Target.OTHER_DOMAIN, o.input().name() + "'s RAM at PA 0x" + Long.toHexString(e.pa()), e.pa(), null));
            }
        }
        targets.add(new ForeignDma(Target.XEN_HEAP, "Xen's heap (stream and stage-2 tables) at PA 0x" + Long.toHexString(XenSystem.XEN_HEAP_BASE),
                XenSystem.XEN_HEAP_BASE, null));
        for (P2m.Extent e : d.p2m().extents()) {
            if (d.p2m().extentAt(e.end()) == null) targets.add(new ForeignDma(Target.PAST_RAM, "the IPA just past its own RAM", e.end(), null));
        }
        return targets;
    }

    /** The buffers of stream number {@code k}: one page near the start and one near the end of each RAM bank. */
    private static List<Long> bufferIpas(List<Region> ram, int k) {
        List<Long> out = new ArrayList<>();
        for (Region r : ram) {
            for (long ipa : new long[] {r.base() + k * PAGE, r.end() - (k + 1) * PAGE}) {
                if (ipa >= r.base() && ipa + PAGE <= r.end() && !out.contains(ipa)) out.add(ipa);
            }
        }
        return out;
    }

    /** What a device writes: its stream and the buffer, so a write landing in another buffer shows. */
    private static byte[] pattern(Run r, long ipa) {
        return String.format("xldt %s %x %x", r.device, r.psid.orElse(-1L), ipa).getBytes(StandardCharsets.US_ASCII);
    }

    /** One device write of its pattern at {@code iova}, then the guest reads the buffer at {@code ipa}. */
    private static BufferDma write(XenSystem xen, Domain d, Run r, long iova, long ipa) {
        byte[] data = pattern(r, ipa);
        DmaResult res = xen.dmaWrite(r.smmu.get().base(), r.psid.get().intValue(), iova + DMA_OFFSET, data);
        byte[] back = new byte[data.length];
        boolean seen = res instanceof DmaResult.Ok && d.memory().read(ipa + DMA_OFFSET, back, 0, back.length) && Arrays.equals(back, data);
        long expected = d.p2m().translate(ipa);
        return new BufferDma(ipa, iova, expected < 0 ? -1 : expected + DMA_OFFSET, res, seen);
    }

    /** Linux's attach and DMA mappings for one master, then its device's DMA. */
    private static void probeNested(XenSystem xen, Domain d, GuestDriver drv, Run r, int k, List<Region> ram, List<ForeignDma> targets,
            GuestView.VsmmuNode node, VSmmu v) {
        GuestDriver.Attached a = drv.attach((int) r.vsid);
        List<Long> ipas = bufferIpas(ram, k);
        for (int i = 0; i < ipas.size(); i++) drv.map(a, IOVA_BUFFERS + i * PAGE, ipas.get(i));
        for (int i = 0; i < targets.size(); i++) drv.map(a, IOVA_FOREIGN + i * PAGE, targets.get(i).ipa() & ~(PAGE - 1));
        List<BufferDma> buffers = new ArrayList<>();
        for (int i = 0; i < ipas.size(); i++) buffers.add(write(xen, d, r, IOVA_BUFFERS + i * PAGE, ipas.get(i)));
        r.buffers = buffers;
        List<ForeignDma> foreign = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            ForeignDma f = targets.get(i);
            foreign.add(new ForeignDma(f.target(), f.what(), f.ipa(), xen.dma(r.smmu.get().base(), r.psid.get().intValue(), IOVA_FOREIGN + i * PAGE, Access.WRITE)));
        }
        r.foreign = foreign;
        drv.drainEvents();
        Optional<String> irqName = node.eventIrqName();
        IrqLine line = irqName.map(v::irq).orElse(null);
        long before = line == null ? 0 : line.pulses();
        int logBefore = xen.xenLog().size();
        DmaResult res = xen.dma(r.smmu.get().base(), r.psid.get().intValue(), IOVA_UNMAPPED, Access.READ);
        List<Event> events = drv.drainEvents();
        r.fault = Optional.of(new FaultProbe(IOVA_UNMAPPED, res, events, irqName, line != null && line.pulses() > before,
                List.copyOf(xen.xenLog().subList(logBefore, xen.xenLog().size()))));
    }

    /** A device of Xen's stage 2 alone: DMA addresses are IPAs. */
    private static void probeStage2(XenSystem xen, Domain d, Run r, List<Region> ram, List<ForeignDma> targets) {
        List<BufferDma> buffers = new ArrayList<>();
        for (long ipa : bufferIpas(ram, 1)) buffers.add(write(xen, d, r, ipa, ipa));
        r.buffers = buffers;
        List<ForeignDma> foreign = new ArrayList<>();
        for (ForeignDma f : targets) foreign.add(new ForeignDma(f.target(), f.what(), f.ipa(), xen.dma(r.smmu.get().base(), r.psid.get().intValue(), f.ipa(), Access.WRITE)));
        r.foreign = foreign;
        long hole = unmappedIpa(d.p2m());
        int logBefore = xen.xenLog().size();
        DmaResult res = xen.dma(r.smmu.get().base(), r.psid.get().intValue(), hole, Access.READ);
        r.fault = Optional.of(new FaultProbe(hole, res, List.of(), Optional.empty(), false,
                List.copyOf(xen.xenLog().subList(logBefore, xen.xenLog().size()))));
    }

    /** An IPA the p2m does not map: {@link #IOVA_UNMAPPED} if free, else the end of the first extent followed by a hole. */
    static long unmappedIpa(P2m p2m) {
        if (p2m.extentAt(IOVA_UNMAPPED) == null) return IOVA_UNMAPPED;
        for (P2m.Extent e : p2m.extents()) if (p2m.extentAt(e.end()) == null) return e.end();
        return 0;
    }

    private record HostSte(String what, HostSmmu host, int psid, long[] words) {
    }

    /** The guest attaches a vSID Xen did not give it (CD, STE, CFGI_STE + SYNC) and no physical STE may change. */
    private static ForeignStream foreignStream(XenSystem xen, Domain d, VSmmu v, GuestDriver drv, Region bank0) {
        long f = 0;
        while (f < SID_LIMIT && v.stream(f) != null) f++;
        if (f >= SID_LIMIT) return new ForeignStream(NO_VSID, false, List.of(), false);
        List<HostSte> before = new ArrayList<>();
        for (Domain o : xen.domains()) {
            if (o == d) continue;
            for (XenSystem.StreamSpec s : o.streams()) {
                HostSmmu h = xen.host(s.smmuBase());
                before.add(new HostSte(o.name() + String.format("'s pSID 0x%x on the SMMU at 0x%x", s.psid(), h.base()), h, s.psid(), h.ste(s.psid())));
            }
        }
        for (HostSmmu h : xen.hosts()) {
            final long sid = f;
            if (f >= (1L << h.sidBits()) || d.streams().stream().anyMatch(s -> s.smmuBase() == h.base() && s.psid() == sid)) continue;
            before.add(new HostSte(String.format("pSID 0x%x on the SMMU at 0x%x", f, h.base()), h, (int) f, h.ste((int) f)));
        }
        boolean completed;
        try {
            GuestDriver.Attached a = drv.attach((int) f);
            drv.map(a, IOVA_BUFFERS, bank0.base());
            completed = true;
        } catch (RuntimeException e) {
            completed = false;
        }
        List<String> changed = new ArrayList<>();
        for (HostSte h : before) if (!Arrays.equals(h.words(), h.host().ste(h.psid()))) changed.add(h.what());
        return new ForeignStream(f, v.stream(f) != null, changed, completed);
    }
}
