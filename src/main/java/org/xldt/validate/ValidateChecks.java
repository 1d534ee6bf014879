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
import org.xldt.validate.Report.Check;
import org.xldt.validate.Report.Row;
import org.xldt.validate.Simulation.DomainFacts;
import org.xldt.validate.Simulation.Facts;
import org.xldt.validate.Simulation.StreamFacts;
import org.xldt.validate.Topology.ExtraIrq;
import org.xldt.xen.GuestMemoryMap;
import org.xldt.xen.GuestMemoryMap.Region;

/**
 * The checks of {@code xldt validate}, as a table of small named functions (as dtc's checks.c):
 * {@link #STREAM_CHECKS} judge one device stream, {@link #DOMAIN_CHECKS} a whole domain. Each
 * gives pass or fail with a reason a user understands.
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
                rows.add(new Row(d.input().name(), s.master().path(), s.vsid() == Simulation.NO_VSID ? "-" : hex(s.vsid()), s.psid().map(ValidateChecks::hex).orElse("-"),
                        s.smmu().map(Topology.PhysSmmu::describe).orElse("-"), sc));
            }
        }
        return new Report(subject, facts.topology().smmus().stream().map(Topology.PhysSmmu::describe).toList(), rows);
    }

    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    // ---- device streams ----------------------------------------------------------------------

    static Check iommu(StreamCtx c) {
        GuestView.Master m = c.stream().master();
        String name = "iommu";
        if (m.problem().isPresent()) return Check.fail(name, m.problem().get());
        if (!m.targetIsVsmmu()) {
            return Check.fail(name, m.via() + " points at " + m.target().orElse("?") + ", which is not the guest's vSMMUv3"
                    + c.domain().view().vsmmu().map(v -> " (" + v.path() + ")").orElse(" (the guest tree has none)"));
        }
        return Check.pass(name, m.via() + " → " + m.target().orElse("?") + ", the guest's vSMMUv3");
    }

    static Check psid(StreamCtx c) {
        StreamFacts s = c.stream();
        String name = "psid";
        if (s.vsid() == Simulation.NO_VSID) return Check.fail(name, "no stream ID to look up: " + s.skipped().orElse("unreadable"));
        if (s.link().isEmpty()) {
            return Check.fail(name, "vSID " + hex(s.vsid()) + " has no physical stream: the toolstack gave the guest no such vSID, so Xen "
                    + "cannot route the device's DMA (the device would be unusable or another device's)");
        }
        if (s.smmu().isEmpty()) {
            return Check.fail(name, "pSID " + hex(s.psid().orElse(-1L)) + " is behind SMMU phandle " + hex(s.link().get().smmuPhandle())
                    + ", which is no SMMUv3 of the host tree");
        }
        if (s.psid().get() >= 1 << 16) return Check.fail(name, "pSID " + hex(s.psid().get()) + " does not fit the physical SMMU's 16-bit stream IDs");
        return Check.pass(name, "vSID " + hex(s.vsid()) + " is pSID " + hex(s.psid().get()) + " of " + s.smmu().get().describe()
                + " (" + s.link().get().source() + ")");
    }

    static Check psidUnique(StreamCtx c) {
        StreamFacts s = c.stream();
        String name = "psid-unique";
        if (s.conflict().isPresent()) {
            return Check.fail(name, "pSID " + hex(s.psid().get()) + " of " + s.smmu().get().describe() + " is already assigned to "
                    + s.conflict().get() + ": two domains would share one physical stream");
        }
        if (s.psid().isEmpty() || s.smmu().isEmpty()) return Check.fail(name, "no physical stream to compare");
        if (s.conflict().isEmpty() && s.skipped().isPresent() && s.skipped().get().startsWith("the physical stream")) {
            return Check.fail(name, s.skipped().get());
        }
        return Check.pass(name, "no other domain uses pSID " + hex(s.psid().get()) + " of this SMMU");
    }

    static Check dma(StreamCtx c) {
        StreamFacts s = c.stream();
        String name = "dma";
        if (s.skipped().isPresent()) return Check.fail(name, "not run: " + s.skipped().get());
        if (s.buffers().isEmpty()) return Check.fail(name, "no DMA buffer could be placed in the guest's RAM");
        for (Simulation.BufferDma b : s.buffers()) {
            String at = String.format("DMA to IOVA 0x%x (buffer at IPA 0x%x)", b.iova() + 0x10, b.ipa());
            if (b.result() instanceof DmaResult.Fault f) {
                if (f.event().s2()) {
                    return Check.fail(name, at + ": stage-2 fault: the guest tree says there is RAM at IPA " + hex(b.ipa())
                            + " but Xen's p2m maps nothing there (a stage-2 hole under the DMA buffer)");
                }
                return Check.fail(name, at + ": " + f.event().type() + " at stage 1: the guest's own tables did not translate it");
            }
            if (b.result() instanceof DmaResult.Abort a) return Check.fail(name, at + ": aborted: " + a.reason());
            DmaResult.Ok ok = (DmaResult.Ok) b.result();
            if (b.expectedPa() < 0 || ok.pa() != b.expectedPa() + 0x10) {
                return Check.fail(name, at + String.format(" reached PA 0x%x, not the page Xen backs the IPA with", ok.pa()));
            }
            if (!s.xenDomain().owns(ok.pa())) return Check.fail(name, at + String.format(" reached PA 0x%x, which is not the domain's", ok.pa()));
        }
        return Check.pass(name, s.buffers().size() + " buffers (first and last page of each RAM bank) reached the host page Xen "
                + "backs their IPA with, through the guest's stage 1 and Xen's stage 2");
    }

    static Check fault(StreamCtx c) {
        StreamFacts s = c.stream();
        String name = "fault";
        if (s.fault().isEmpty()) return Check.fail(name, "not run: " + s.skipped().orElse("no probe"));
        Simulation.FaultProbe f = s.fault().get();
        String at = "DMA to unmapped IOVA " + hex(f.iova());
        if (f.result().ok()) return Check.fail(name, at + " succeeded; it must fault");
        if (f.line() == null) {
            return Check.fail(name, at + ": the guest tree names the vSMMU interrupt \"" + f.irqName() + "\", which the emulated SMMUv3 does not raise");
        }
        Optional<Event> ev = f.guestEvents().stream()
                .filter(e -> e.type() == EventType.F_TRANSLATION && e.sid() == s.vsid() && e.inputAddr() == f.iova()).findFirst();
        if (ev.isEmpty()) {
            return Check.fail(name, at + ": no F_TRANSLATION with vSID " + hex(s.vsid()) + " on the guest's event queue (got "
                    + f.guestEvents().stream().map(e -> e.type() + " sid " + hex(e.sid())).toList() + ")");
        }
        if (f.pulsesAfter() <= f.pulsesBefore()) return Check.fail(name, at + ": F_TRANSLATION queued but the \"" + f.irqName() + "\" interrupt was not raised");
        return Check.pass(name, at + ": F_TRANSLATION with vSID " + hex(s.vsid()) + " on the guest's event queue, \"" + f.irqName()
                + "\" interrupt raised");
    }

    static Check isolation(StreamCtx c) {
        StreamFacts s = c.stream();
        String name = "isolation";
        if (s.skipped().isPresent()) return Check.fail(name, "not run: " + s.skipped().get());
        for (Simulation.ForeignDma f : s.foreign()) {
            if (f.result() instanceof DmaResult.Ok ok && !s.xenDomain().owns(ok.pa())) {
                return Check.fail(name, String.format("the guest mapped IPA 0x%x (%s) and its device wrote PA 0x%x, outside the domain", f.ipa(),
                        f.what(), ok.pa()));
            }
        }
        return Check.pass(name, s.foreign().size() + " attempts at memory outside the domain (other domains' RAM, IPAs past its own) stopped at stage 2");
    }

    // ---- domains --------------------------------------------------------------------------------

    static Check vsmmu(DomainCtx c) {
        DomainFacts d = c.domain();
        String name = "vsmmu";
        if (d.createError().isPresent()) return Check.fail(name, d.createError().get());
        Optional<GuestView.VsmmuNode> node = d.view().vsmmu();
        if (node.isEmpty()) {
            if (d.view().masters().isEmpty()) return Check.pass(name, "no vSMMU and no masters: passed-through devices are confined by Xen's stage 2 alone");
            return Check.fail(name, "the guest tree has masters (" + d.view().masters().get(0).path() + ") but no arm,smmu-v3 node");
        }
        GuestView.VsmmuNode v = node.get();
        if (v.iommuCells() != 1) return Check.fail(name, v.path() + ": #iommu-cells = " + v.iommuCells() + "; an SMMUv3 takes 1");
        if (v.reg().isEmpty()) return Check.fail(name, v.path() + ": no reg");
        if (d.driverError().isPresent()) return Check.fail(name, d.driverError().get());
        String irq = Simulation.eventIrqName(v);
        Integer intid = v.irqs().get(irq);
        if (intid == null) return Check.fail(name, v.path() + ": no interrupt the driver can use (interrupt-names lacks \"combined\" and \"eventq\")");
        int virq = d.vsmmu().get().virq();
        if (intid != virq) {
            return Check.fail(name, v.path() + ": interrupt \"" + irq + "\" is " + intid + " in the tree but Xen injects the vSMMU's events as " + virq);
        }
        return Check.pass(name, String.format("%s at 0x%x, interrupt \"%s\" = %d: the guest driver probed it, set up queues and a 2-level stream table",
                v.path(), v.reg().get().base(), irq, intid));
    }

    static Check passthroughIommus(DomainCtx c) {
        DomainFacts d = c.domain();
        String name = "passthrough-iommus";
        if (d.view().vsmmu().isEmpty()) return Check.pass(name, "no vSMMU: passed-through devices are confined by Xen's stage 2 alone");
        List<String> bare = new ArrayList<>();
        for (String path : d.input().dmaMasters()) {
            boolean behind = d.view().passthrough().stream().anyMatch(p -> p.path().equals(path) && (p.hasIommus() || p.hasIommuMap()));
            if (!behind) bare.add(path);
        }
        if (!bare.isEmpty()) {
            return Check.fail(name, bare.get(0) + " is a DMA master on the host (it has stream IDs) but has no iommus in the guest tree:"
                    + " the guest's driver cannot attach it to the vSMMU, so its DMA gets no stage-1 translation"
                    + (bare.size() > 1 ? " (and " + (bare.size() - 1) + " more)" : ""));
        }
        return Check.pass(name, d.input().dmaMasters().size() + " passed-through DMA masters, all behind the vSMMU"
                + (d.view().grantDma().isEmpty() ? "" : "; " + d.view().grantDma().size() + " behind Xen's grant-DMA node"));
    }

    static Check foreignStream(DomainCtx c) {
        DomainFacts d = c.domain();
        String name = "foreign-stream";
        if (d.foreignStream().isEmpty()) {
            return d.view().vsmmu().isEmpty() ? Check.pass(name, "no vSMMU: the guest configures no streams")
                    : Check.fail(name, "not run: " + d.driverError().or(d::createError).orElse("no driver"));
        }
        Simulation.ForeignStream f = d.foreignStream().get();
        if (f.vsid() < 0) return Check.fail(name, f.changedHostStes().get(0));
        if (f.vsmmuHasStream()) return Check.fail(name, "the vSMMU has a stream for vSID " + hex(f.vsid()) + ", which the toolstack did not give the guest");
        if (!f.changedHostStes().isEmpty()) {
            return Check.fail(name, "configuring vSID " + hex(f.vsid()) + " (not the guest's) changed the physical STE of " + f.changedHostStes().get(0));
        }
        return Check.pass(name, "the guest wrote an STE for vSID " + hex(f.vsid()) + " (not given to it) and issued CFGI_STE + SYNC: no physical STE changed");
    }

    static Check irqUnique(DomainCtx c) {
        DomainFacts d = c.domain();
        String name = "irq-unique";
        Map<Integer, String> seen = new LinkedHashMap<>();
        for (GuestView.IrqUse u : d.view().interrupts()) {
            String prev = seen.putIfAbsent(u.intid(), u.path());
            if (prev != null && !prev.equals(u.path())) {
                return Check.fail(name, "interrupt " + u.intid() + " is used by both " + prev + " and " + u.path() + describeVsmmu(d, prev, u.path()));
            }
        }
        for (ExtraIrq x : d.input().extraIrqs()) {
            String owner = seen.get(x.intid());
            if (owner != null && !owner.startsWith("/passthrough")) {
                return Check.fail(name, "interrupt " + x.intid() + " (" + x.source() + ", a passed-through IRQ) is also " + owner + "'s"
                        + describeVsmmu(d, owner, owner));
            }
        }
        return Check.pass(name, seen.size() + " interrupts in the tree, each used by one node");
    }

    private static String describeVsmmu(DomainFacts d, String a, String b) {
        String v = d.view().vsmmu().map(GuestView.VsmmuNode::path).orElse("");
        return !v.isEmpty() && (v.equals(a) || v.equals(b)) ? " (the vSMMU's interrupt would be taken by the passed-through device)" : "";
    }

    static Check mmioDisjoint(DomainCtx c) {
        DomainFacts d = c.domain();
        String name = "mmio-disjoint";
        List<GuestView.MmioUse> all = new ArrayList<>(d.view().mmio());
        for (Region r : d.view().ram()) all.add(new GuestView.MmioUse("RAM", r));
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                GuestView.MmioUse a = all.get(i);
                GuestView.MmioUse b = all.get(j);
                if (a.path().equals(b.path())) continue;
                if (a.region().base() < b.region().end() && b.region().base() < a.region().end()) {
                    return Check.fail(name, String.format("%s [0x%x, 0x%x) overlaps %s [0x%x, 0x%x)", a.path(), a.region().base(), a.region().end(),
                            b.path(), b.region().base(), b.region().end()));
                }
            }
        }
        Optional<GuestView.VsmmuNode> v = d.view().vsmmu();
        if (v.isPresent() && v.get().reg().isPresent() && !v.get().reg().get().equals(GuestMemoryMap.VSMMUV3)) {
            Region r = v.get().reg().get();
            return Check.fail(name, String.format("the vSMMU window [0x%x, 0x%x) is not the one Xen emulates [0x%x, 0x%x)", r.base(), r.end(),
                    GuestMemoryMap.VSMMUV3.base(), GuestMemoryMap.VSMMUV3.end()));
        }
        return Check.pass(name, all.size() + " MMIO and RAM ranges, none overlapping");
    }
}
