package org.xldt.validate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.xldt.smmu.DmaResult;
import org.xldt.smmu.Event;
import org.xldt.smmu.EventType;
import org.xldt.smmu.Reg;
import org.xldt.smmu.VSmmu;
import org.xldt.smmu.XenLogEntry;
import org.xldt.validate.Report.Check;
import org.xldt.validate.Report.Row;
import org.xldt.validate.Simulation.DomainFacts;
import org.xldt.validate.Simulation.Facts;
import org.xldt.validate.Simulation.StreamFacts;
import org.xldt.validate.Simulation.VsmmuFacts;
import org.xldt.validate.Topology.ExtraIrq;
import org.xldt.validate.Topology.ExtraMmio;
import org.xldt.validate.Topology.SidLink;
import org.xldt.xen.GuestMemoryMap.Region;

/**
 * The checks of {@code xldt validate}, as a table of small named functions (as dtc's checks.c):
 * {@link #STREAM_CHECKS} judge one device stream, {@link #DOMAIN_CHECKS} a whole domain. Each
 * passes or fails with a reason a user understands, or is skipped when a failure elsewhere kept
 * its probe from running (the reason names that failure).
 */
public final class ValidateChecks {
    private ValidateChecks() {
    }

    /** A device stream in its run. */
    public record StreamCtx(Facts facts, DomainFacts domain, StreamFacts stream) {
    }

    /** A domain in its run. */
    public record DomainCtx(Facts facts, DomainFacts domain) {
    }

    /** A named check of a device stream. */
    public record StreamCheck(String name, Function<StreamCtx, Check> fn) {
    }

    /** A named check of a domain. */
    public record DomainCheck(String name, Function<DomainCtx, Check> fn) {
    }

    public static final List<StreamCheck> STREAM_CHECKS = List.of(
            new StreamCheck("iommu", ValidateChecks::iommu),
            new StreamCheck("psid", ValidateChecks::psid),
            new StreamCheck("psid-unique", ValidateChecks::psidUnique),
            new StreamCheck("dma", ValidateChecks::dma),
            new StreamCheck("fault", ValidateChecks::fault),
            new StreamCheck("isolation", ValidateChecks::isolation));

    public static final List<DomainCheck> DOMAIN_CHECKS = List.of(
            new DomainCheck("vsmmu", ValidateChecks::vsmmu),
            new DomainCheck("passthrough-iommus", ValidateChecks::passthroughIommus),
            new DomainCheck("foreign-stream", ValidateChecks::foreignStream),
            new DomainCheck("irq-unique", ValidateChecks::irqUnique),
            new DomainCheck("mmio-disjoint", ValidateChecks::mmioDisjoint));

    /** Whether {@code name} is one of {@link #DOMAIN_CHECKS}. */
    static boolean isDomainCheck(String name) {
        return DOMAIN_CHECKS.stream().anyMatch(c -> c.name().equals(name));
    }

    /** Runs every check over a simulation's facts. */
    public static Report report(String subject, Facts facts) {
        List<Row> rows = new ArrayList<>();
        for (DomainFacts d : facts.domains()) {
            List<Check> dc = new ArrayList<>();
            for (DomainCheck c : DOMAIN_CHECKS) dc.add(c.fn().apply(new DomainCtx(facts, d)));
            rows.add(new Row(d.input().name(), Report.DOMAIN_ROW, "-", "-", "-", dc));
            for (StreamFacts s : d.streams()) {
                List<Check> sc = new ArrayList<>();
                for (StreamCheck c : STREAM_CHECKS) sc.add(c.fn().apply(new StreamCtx(facts, d, s)));
                rows.add(new Row(d.input().name(), s.device(), s.vsid() == Simulation.NO_VSID ? "-" : hex(s.vsid()),
                        s.psid().map(ValidateChecks::hex).orElse("-"), s.smmu().map(Topology.PhysSmmu::describe).orElse("-"), sc));
            }
        }
        return new Report(subject, facts.topology().smmus().stream().map(Topology.PhysSmmu::describe).toList(), rows, facts.topology().notes());
    }

    /** {@code n thing} or {@code n things}. */
    static String n(long n, String thing) {
        return n + " " + thing + (n == 1 ? "" : "s");
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    // ---- device streams ----------------------------------------------------------------------

    static Check iommu(StreamCtx c) {
        StreamFacts s = c.stream();
        String name = "iommu";
        if (s.stage2Only()) return Check.pass(name, "no vSMMU for it: Xen's stage 2 alone translates its DMA (IOVA = IPA)");
        GuestView.Master m = s.master().get();
        if (m.problem().isPresent()) return Check.fail(name, m.problem().get());
        if (m.vsmmu().isEmpty()) {
            return Check.fail(name, m.via() + " points at " + m.target().orElse("?") + ", an IOMMU but not an arm,smmu-v3 node: Linux's "
                    + "arm-smmu-v3 driver never attaches the device");
        }
        if (s.vsid() >= Simulation.SID_LIMIT) {
            return Check.fail(name, m.via() + " gives stream ID " + hex(s.vsid()) + ", beyond the vSMMU's 16 bits (IDR1.SIDSIZE): Linux's driver "
                    + "refuses the master");
        }
        return Check.pass(name, m.via() + " → " + m.vsmmu().get().path() + ", an SMMUv3 node of the guest tree");
    }

    static Check psid(StreamCtx c) {
        StreamFacts s = c.stream();
        String name = "psid";
        if (s.master().isPresent() && (s.master().get().problem().isPresent() || s.master().get().vsmmu().isEmpty() || s.vsid() >= Simulation.SID_LIMIT)) {
            return Check.skip(name, s.blocked().orElse("the iommu check failed"));
        }
        if (s.master().isPresent() && !s.linked()) {
            return Check.fail(name, "vSID " + hex(s.vsid()) + " has no physical stream: the toolstack gave the guest no such vSID, so the "
                    + "device behind it cannot do DMA (Xen has no physical stream to program)");
        }
        if (s.smmu().isEmpty()) {
            return Check.fail(name, "pSID " + hex(s.psid().orElse(-1L)) + " is behind an SMMU phandle that names no SMMUv3 of the host ("
                    + s.source().orElse("?") + ")");
        }
        if (s.psid().get() >= Simulation.SID_LIMIT) {
            return Check.fail(name, "pSID " + hex(s.psid().get()) + " does not fit Xen's 16-bit stream IDs");
        }
        String from = s.stage2Only() ? "pSID " : "vSID " + hex(s.vsid()) + " is pSID ";
        return Check.pass(name, from + hex(s.psid().get()) + " of " + s.smmu().get().describe() + " (" + s.source().orElse("?") + ")");
    }

    static Check psidUnique(StreamCtx c) {
        StreamFacts s = c.stream();
        String name = "psid-unique";
        if (s.psidOwner().isPresent()) {
            return Check.fail(name, "pSID " + hex(s.psid().get()) + " of " + s.smmu().get().describe() + " is already assigned to "
                    + s.psidOwner().get() + ": one physical stream cannot belong to two devices or domains (Xen refuses the second)");
        }
        if (s.vsidOwner().isPresent()) {
            return Check.fail(name, "vSID " + hex(s.vsid()) + " is also " + s.vsidOwner().get() + "'s: Linux's driver refuses a stream ID "
                    + "that two masters use, so the second gets no IOMMU");
        }
        if (!s.claimed()) return Check.skip(name, s.blocked().orElse("no physical stream to compare"));
        return Check.pass(name, "no other device or domain has pSID " + hex(s.psid().get()) + " of this SMMU");
    }

    static Check dma(StreamCtx c) {
        StreamFacts s = c.stream();
        String name = "dma";
        if (s.blocked().isPresent()) return Check.skip(name, s.blocked().get());
        if (s.failure().isPresent()) return Check.fail(name, s.failure().get());
        if (s.buffers().isEmpty()) return Check.fail(name, "no DMA buffer could be placed: the guest tree gives the domain no RAM");
        String path = s.stage2Only() ? "through Xen's stage 2 (IOVA = IPA)" : "through the guest's stage 1 and Xen's stage 2";
        for (Simulation.BufferDma b : s.buffers()) {
            String at = String.format("DMA write to IOVA 0x%x (buffer at IPA 0x%x)", b.iova() + Simulation.DMA_OFFSET, b.ipa());
            if (b.result() instanceof DmaResult.Fault f) {
                if (f.event().s2()) {
                    return Check.fail(name, at + ": stage-2 " + f.event().type() + ": the guest tree says there is RAM at IPA " + hex(b.ipa())
                            + " but Xen's p2m maps nothing there (a stage-2 hole under the DMA buffer)");
                }
                return Check.fail(name, at + ": " + f.event().type() + " at stage 1: the guest's own tables did not translate it");
            }
            if (b.result() instanceof DmaResult.Abort a) return Check.fail(name, at + ": aborted: " + a.reason());
            DmaResult.Ok ok = (DmaResult.Ok) b.result();
            if (ok.pa() != b.expectedPa()) {
                return Check.fail(name, at + String.format(" reached PA 0x%x, not 0x%x, where Xen backs the buffer", ok.pa(), b.expectedPa()));
            }
            if (!s.xenDomain().owns(ok.pa())) return Check.fail(name, at + String.format(" reached PA 0x%x, which is not the domain's", ok.pa()));
            if (!b.dataSeen()) return Check.fail(name, at + ": the guest does not read back what the device wrote");
        }
        return Check.pass(name, n(s.buffers().size(), "buffer") + " (first and last pages of each RAM bank): each DMA write went " + path
                + " to the host page Xen backs the buffer with, and the guest read it back");
    }

    static Check fault(StreamCtx c) {
        StreamFacts s = c.stream();
        String name = "fault";
        if (s.blocked().isPresent()) return Check.skip(name, s.blocked().get());
        if (s.failure().isPresent() || s.fault().isEmpty()) return Check.skip(name, "the dma check failed");
        Simulation.FaultProbe f = s.fault().get();
        if (s.stage2Only()) {
            String at = "DMA to IPA " + hex(f.iova()) + " (outside the domain's RAM)";
            if (!(f.result() instanceof DmaResult.Fault ft) || !ft.event().s2()) return Check.fail(name, at + " did not fault at stage 2: " + f.result());
            Optional<XenLogEntry> log = f.xenLog().stream().filter(e -> e.event() != null && e.event().sid() == s.psid().get()).findFirst();
            if (log.isEmpty()) return Check.fail(name, at + ": stage-2 " + ft.event().type() + ", but Xen logged nothing for pSID " + hex(s.psid().get()));
            return Check.pass(name, at + ": stage-2 " + ft.event().type() + ", in Xen's log for pSID " + hex(s.psid().get())
                    + " (a guest without a vSMMU is not told)");
        }
        String at = "DMA to unmapped IOVA " + hex(f.iova());
        if (f.result().ok()) return Check.fail(name, at + " succeeded; it must fault");
        Optional<Event> ev = f.guestEvents().stream()
                .filter(e -> e.type() == EventType.F_TRANSLATION && e.sid() == s.vsid() && e.inputAddr() == f.iova()).findFirst();
        if (ev.isEmpty()) {
            return Check.fail(name, at + ": no F_TRANSLATION with vSID " + hex(s.vsid()) + " on the guest's event queue (it holds "
                    + f.guestEvents().stream().map(e -> e.type() + " sid " + hex(e.sid())).toList() + "; Xen logged "
                    + f.xenLog().stream().map(XenLogEntry::toString).toList() + ")");
        }
        if (f.irqName().isEmpty()) {
            return Check.fail(name, at + ": F_TRANSLATION is queued, but the SMMUv3 node names neither a \"combined\" nor an \"eventq\" "
                    + "interrupt, so Linux never hears of it");
        }
        if (!f.irqRaised()) return Check.fail(name, at + ": F_TRANSLATION is queued but the \"" + f.irqName().get() + "\" interrupt was not raised");
        return Check.pass(name, at + ": F_TRANSLATION with vSID " + hex(s.vsid()) + " on the guest's event queue, \"" + f.irqName().get()
                + "\" interrupt raised");
    }

    static Check isolation(StreamCtx c) {
        StreamFacts s = c.stream();
        String name = "isolation";
        if (s.blocked().isPresent()) return Check.skip(name, s.blocked().get());
        if (s.failure().isPresent()) return Check.skip(name, "the dma check failed");
        for (Simulation.ForeignDma f : s.foreign()) {
            if (f.result() instanceof DmaResult.Ok ok && !s.xenDomain().owns(ok.pa())) {
                return Check.fail(name, String.format("the device wrote PA 0x%x (%s, aimed at IPA 0x%x): outside the domain", ok.pa(), f.what(),
                        f.ipa()));
            }
        }
        String how = s.stage2Only() ? "DMA at" : "the guest mapped";
        // name only what was tried (a domain alone has no other domains' RAM to aim at)
        java.util.EnumSet<Simulation.Target> kinds = java.util.EnumSet.noneOf(Simulation.Target.class);
        for (Simulation.ForeignDma f : s.foreign()) kinds.add(f.target());
        List<String> labels = kinds.stream().map(t -> t.label).toList();
        return Check.pass(name, n(s.foreign().size(), "attempt") + " (" + how + " " + String.join(", ", labels) + ") stopped at stage 2");
    }

    // ---- domains --------------------------------------------------------------------------------

    static Check vsmmu(DomainCtx c) {
        DomainFacts d = c.domain();
        String name = "vsmmu";
        if (d.createError().isPresent()) return Check.fail(name, d.createError().get());
        long assigned = d.streams().size();
        if (d.vsmmus().isEmpty()) {
            if (d.input().xenVsmmu() && d.input().links().size() > 0) {
                return Check.fail(name, "Xen emulates a vSMMUv3 for the domain and gives it " + n(d.input().links().size(), "vSID range")
                        + ", but the guest tree has no arm,smmu-v3 node to drive it");
            }
            long s2 = d.streams().stream().filter(StreamFacts::stage2Only).count();
            return Check.pass(name, "no vSMMU in the guest tree" + (d.input().xenVsmmu() ? "" : " nor in Xen") + ": "
                    + (s2 == 0 ? "no device stream is assigned to the domain" : n(s2, "assigned stream") + (s2 == 1 ? " is" : " are") + " translated by Xen's stage 2 alone"));
        }
        List<String> ok = new ArrayList<>();
        for (VsmmuFacts v : d.vsmmus()) {
            GuestView.VsmmuNode n = v.node();
            if (n.iommuCells() != 1) return Check.fail(name, n.path() + ": #iommu-cells = " + n.iommuCells() + "; an SMMUv3 takes 1 (the stream ID)");
            if (v.driverError().isPresent()) return Check.fail(name, v.driverError().get());
            VSmmu x = v.vsmmu().get();
            Region r = n.reg().get();
            if (r.base() != x.base() || r.size() < Reg.WINDOW || x.size() < Reg.WINDOW) {
                return Check.fail(name, String.format("%s: reg [0x%x, 0x%x), but Linux's driver uses the two 64 KiB register pages "
                        + "[0x%x, 0x%x) and Xen emulates [0x%x, 0x%x)", n.path(), r.base(), r.end(), r.base(), r.base() + Reg.WINDOW, x.base(),
                        x.base() + x.size()));
            }
            Optional<String> irq = n.eventIrqName();
            if (irq.isEmpty()) {
                return Check.fail(name, n.path() + ": interrupt-names has neither \"combined\" nor \"eventq\" (it has " + n.irqs().keySet()
                        + "): Linux's driver takes no event interrupt");
            }
            int intid = n.irqs().get(irq.get());
            if (intid != x.virq()) {
                return Check.fail(name, n.path() + ": interrupt \"" + irq.get() + "\" is " + intid + " in the tree but Xen injects the vSMMU's "
                        + "interrupt as " + x.virq());
            }
            ok.add(String.format("%s at 0x%x (interrupt \"%s\" = %d)", n.path(), r.base(), irq.get(), intid));
        }
        return Check.pass(name, String.join(", ", ok) + ": Linux's driver probed " + (ok.size() == 1 ? "it" : "each")
                + " (IDR0/1/5), enabled queues and the stream table in guest RAM; " + n(assigned, "stream") + " to attach");
    }

    static Check passthroughIommus(DomainCtx c) {
        DomainFacts d = c.domain();
        String name = "passthrough-iommus";
        String masters = (d.input().hardware() ? "DMA master" : "passed-through DMA master") + (d.input().dmaMasters().size() == 1 ? "" : "s")
                + (d.input().hardware() ? " of the host" : "");
        if (d.vsmmus().isEmpty()) {
            return Check.pass(name, "no vSMMU: the domain's DMA masters are confined by Xen's stage 2 alone");
        }
        List<String> bare = new ArrayList<>();
        for (String path : d.input().dmaMasters()) {
            boolean behind = d.view().passthrough().stream().anyMatch(p -> p.path().equals(path) && (p.hasIommus() || p.hasIommuMap()))
                    || d.view().masters().stream().anyMatch(m -> m.path().equals(path));
            if (!behind) bare.add(path);
        }
        if (!bare.isEmpty()) {
            return Check.fail(name, bare.get(0) + " does DMA (the host gives it stream IDs) but has no iommus in the guest tree: Linux "
                    + "never attaches it to the vSMMU, so it gets no stage-1 translation" + (bare.size() > 1 ? " (and " + (bare.size() - 1) + " more)" : ""));
        }
        if (!d.orphans().isEmpty()) {
            SidLink l = d.orphans().get(0);
            return Check.fail(name, "vSID " + hex(l.vsid()) + (l.count() > 1 ? "+" + l.count() : "") + ", which the toolstack gave for " + l.source()
                    + ", is for a device the guest tree does not have" + (d.orphans().size() > 1 ? " (and " + (d.orphans().size() - 1) + " more)" : ""));
        }
        return Check.pass(name, d.input().dmaMasters().size() + " " + masters + (d.input().dmaMasters().size() == 1 ? ", behind" : ", all behind") + " the vSMMU"
                + (d.view().grantDma().isEmpty() ? "" : "; " + d.view().grantDma().size() + " virtio devices behind Xen's grant-DMA node"));
    }

    static Check foreignStream(DomainCtx c) {
        DomainFacts d = c.domain();
        String name = "foreign-stream";
        if (d.vsmmus().isEmpty()) return Check.pass(name, "no vSMMU: the guest configures no streams");
        List<String> ok = new ArrayList<>();
        for (VsmmuFacts v : d.vsmmus()) {
            if (v.foreignStream().isEmpty()) return Check.skip(name, "the vsmmu check failed");
            Simulation.ForeignStream f = v.foreignStream().get();
            if (f.vsid() == Simulation.NO_VSID) {
                ok.add(v.node().path() + ": every vSID is the guest's");
                continue;
            }
            if (f.vsmmuHasStream()) return Check.fail(name, v.node().path() + " has a stream for vSID " + hex(f.vsid()) + ", which Xen did not give the guest");
            if (!f.changedHostStes().isEmpty()) {
                return Check.fail(name, "configuring vSID " + hex(f.vsid()) + " (not the guest's) changed the physical STE of " + f.changedHostStes().get(0));
            }
            ok.add(v.node().path() + ": vSID " + hex(f.vsid()));
        }
        return Check.pass(name, "the guest attached a stream Xen did not give it (" + String.join(", ", ok)
                + "; CD, STE, CFGI_STE + SYNC): no physical STE changed");
    }

    static Check irqUnique(DomainCtx c) {
        DomainFacts d = c.domain();
        String name = "irq-unique";
        Map<Integer, String> seen = new LinkedHashMap<>();
        for (GuestView.IrqUse u : d.view().interrupts()) {
            String prev = seen.putIfAbsent(u.intid(), u.path());
            if (prev != null && !prev.equals(u.path())) {
                return Check.fail(name, "interrupt " + u.intid() + " is used by both " + prev + " and " + u.path() + vsmmuNote(d, prev, u.path()));
            }
        }
        Map<Integer, String> xen = new LinkedHashMap<>();
        for (VsmmuFacts v : d.vsmmus()) v.vsmmu().ifPresent(x -> xen.putIfAbsent(x.virq(), "the vSMMU " + v.node().path()));
        for (ExtraIrq x : d.input().extraIrqs()) {
            String owner = xen.get(x.intid());
            if (owner == null) owner = seen.get(x.intid());
            if (owner != null && !owner.startsWith("/passthrough")) {
                return Check.fail(name, "interrupt " + x.intid() + " (" + x.source() + ", routed to a passed-through device) is also "
                        + owner + "'s" + (owner.startsWith("the vSMMU") || vsmmuNote(d, owner, owner).length() > 0
                                ? ": the vSMMU's event interrupt would be taken by the passed-through device" : ""));
            }
        }
        return Check.pass(name, n(seen.size(), "interrupt") + " in the tree" + (d.input().extraIrqs().isEmpty() ? "" : " and "
                + d.input().extraIrqs().size() + " routed by the configuration") + ", none shared");
    }

    private static String vsmmuNote(DomainFacts d, String a, String b) {
        for (GuestView.VsmmuNode v : d.view().vsmmus()) {
            if (v.path().equals(a) || v.path().equals(b)) return " (the vSMMU's event interrupt would be taken by the other device)";
        }
        return "";
    }

    static Check mmioDisjoint(DomainCtx c) {
        DomainFacts d = c.domain();
        String name = "mmio-disjoint";
        List<GuestView.MmioUse> all = new ArrayList<>(d.view().mmio());
        for (Region r : d.view().ram()) all.add(new GuestView.MmioUse("RAM", r));
        int inherited = 0;
        for (GuestView.MmioUse[] o : GuestView.overlaps(all)) {
            if (d.input().boardOverlaps().contains(Topology.DomainInput.pair(o[0].path(), o[1].path()))) {
                inherited++;
                continue;
            }
            return Check.fail(name, describe(o[0]) + " overlaps " + describe(o[1]));
        }
        int extra = 0;
        for (ExtraMmio x : d.input().extraMmio()) {
            for (GuestView.MmioUse u : all) {
                if (u.path().startsWith("/passthrough/") || !overlap(x.region(), u.region())) continue;
                return Check.fail(name, String.format("%s maps host MMIO at [0x%x, 0x%x), over %s", x.source(), x.region().base(), x.region().end(),
                        describe(u)));
            }
            extra++;
        }
        return Check.pass(name, n(all.size(), "MMIO and RAM range") + " in the tree" + (extra == 0 ? "" : " and " + n(extra, "iomem range"))
                + ", none overlapping" + (inherited == 0 ? "" : " but " + n(inherited, "pair") + " that overlap on the host already (the board's layout)"));
    }

    private static boolean overlap(Region a, Region b) {
        return a.base() < b.end() && b.base() < a.end();
    }

    private static String describe(GuestView.MmioUse u) {
        return String.format("%s [0x%x, 0x%x)", u.path(), u.region().base(), u.region().end());
    }
}
