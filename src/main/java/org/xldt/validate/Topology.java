package org.xldt.validate;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.xldt.dt.DeviceTree;
import org.xldt.xen.GuestMemoryMap.Region;

/**
 * What {@code xldt validate} checks: the physical SMMUs, and per domain its guest device tree,
 * the streams Xen assigns it (vSID → physical SMMU and pSID when the domain has a vSMMU, or
 * translated by Xen's stage 2 alone) and the memory Xen's p2m maps. Made by
 * {@link TopologyReader} from a guest cfg, a dom0less system, dom0's tree or ready trees.
 *
 * @param smmus   the physical SMMUv3s (distinct bases, windows apart)
 * @param domains the domains, in creation order
 * @param notes   what the input holds that is not validated, and why (one line each)
 */
public record Topology(List<PhysSmmu> smmus, List<DomainInput> domains, List<String> notes) {
    public Topology {
        smmus = List.copyOf(smmus);
        domains = List.copyOf(domains);
        notes = List.copyOf(notes);
    }

    public Topology(List<PhysSmmu> smmus, List<DomainInput> domains) {
        this(smmus, domains, List.of());
    }

    /** The physical SMMU devices' {@code iommus} name by {@code phandle}, if any. */
    public Optional<PhysSmmu> smmu(long phandle) {
        return smmus.stream().filter(s -> s.phandle() == phandle).findFirst();
    }

    /**
     * A physical SMMUv3.
     *
     * @param phandle the phandle devices' {@code iommus} use for it ({@link TopologyReader#NO_PHANDLE}: the vPCI range's SMMU)
     * @param name    the host node's path, or where it was found or how it was made up
     * @param base    its MMIO base
     * @param irq     its first GIC interrupt (what Xen gives dom0's vSMMU), 0 when unknown
     */
    public record PhysSmmu(long phandle, String name, long base, int irq) {
        public String describe() {
            return name + String.format(" @0x%x", base);
        }
    }

    /**
     * The toolstack's link of {@code count} vSIDs from {@code vsid} to pSIDs from {@code psid}.
     *
     * @param smmuPhandle the physical SMMU's phandle, {@link TopologyReader#NO_PHANDLE} when the toolstack names none (vPCI)
     * @param source      who asked for it (a device-tree path and property, or "vPCI")
     * @param device      the path in the guest tree of the device it is for, when known
     */
    public record SidLink(long vsid, long count, long smmuPhandle, long psid, String source, Optional<String> device) {
        public boolean contains(long v) {
            return v >= vsid && v - vsid < count;
        }
    }

    /**
     * A physical stream Xen assigns to a domain without a vSMMU for it: the device's DMA goes
     * through Xen's stage 2 alone (IOVA = IPA).
     *
     * @param device the device's path in the domain's tree
     */
    public record PhysStream(String device, long smmuPhandle, long psid, String source) {
    }

    /** An interrupt the configuration routes to the guest, with where it comes from. */
    public record ExtraIrq(int intid, String source) {
    }

    /** A guest-physical range the configuration maps to host MMIO ({@code iomem}), with where it comes from. */
    public record ExtraMmio(Region region, String source) {
    }

    /**
     * A domain.
     *
     * @param name       its name
     * @param hardware   dom0: RAM identity-mapped, vSID = pSID, one vSMMU per physical SMMU at its address
     * @param xenVsmmu   whether Xen emulates a vSMMUv3 for it (the toolstack's setting, not the tree's)
     * @param tree       the device tree the guest boots with
     * @param treeName   a name for it in messages
     * @param links      its vSID links
     * @param stage2     its streams translated by Xen's stage 2 alone
     * @param p2m        guest-physical ranges Xen maps to RAM for it
     * @param extraIrqs  interrupts routed to it that the tree need not show (xl.cfg {@code irqs})
     * @param extraMmio  MMIO mapped into it that the tree need not show (xl.cfg {@code iomem})
     * @param dmaMasters guest paths of passed-through devices that the host or toolstack knows to be DMA masters (they
     *                   have physical stream IDs), so that a guest tree with a vSMMU must put them behind it
     * @param boardOverlaps pairs of node paths ({@link #pair}) whose MMIO overlaps on the host already: the board's
     *                   layout (an SMMU's PMCG inside its register pages, say), which dom0 inherits
     */
    public record DomainInput(String name, boolean hardware, boolean xenVsmmu, DeviceTree tree, String treeName, List<SidLink> links,
            List<PhysStream> stage2, List<Region> p2m, List<ExtraIrq> extraIrqs, List<ExtraMmio> extraMmio, List<String> dmaMasters,
            Set<String> boardOverlaps) {
        public DomainInput {
            boardOverlaps = Set.copyOf(boardOverlaps);
            links = List.copyOf(links);
            stage2 = List.copyOf(stage2);
            p2m = List.copyOf(p2m);
            extraIrqs = List.copyOf(extraIrqs);
            extraMmio = List.copyOf(extraMmio);
            dmaMasters = List.copyOf(dmaMasters);
        }

        public DomainInput(String name, boolean hardware, boolean xenVsmmu, DeviceTree tree, String treeName, List<SidLink> links,
                List<PhysStream> stage2, List<Region> p2m, List<ExtraIrq> extraIrqs, List<ExtraMmio> extraMmio, List<String> dmaMasters) {
            this(name, hardware, xenVsmmu, tree, treeName, links, stage2, p2m, extraIrqs, extraMmio, dmaMasters, Set.of());
        }

        public Optional<SidLink> link(long vsid) {
            return links.stream().filter(l -> l.contains(vsid)).findFirst();
        }

        /** The key of two paths in {@link #boardOverlaps}, in either order. */
        public static String pair(String a, String b) {
            return a.compareTo(b) < 0 ? a + "\n" + b : b + "\n" + a;
        }
    }
}
