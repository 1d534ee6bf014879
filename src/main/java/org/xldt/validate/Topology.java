package org.xldt.validate;

import java.util.List;
import java.util.Optional;
import org.xldt.dt.DeviceTree;
import org.xldt.xen.GuestMemoryMap.Region;

/**
 * What {@code xldt validate} checks: the physical SMMUs, and per domain its guest device tree,
 * the toolstack's vSID → (physical SMMU, pSID) links and the memory Xen's p2m maps. Made by
 * {@link TopologyReader} from a guest cfg, a dom0less system or ready trees.
 *
 * @param smmus   the physical SMMUv3s
 * @param domains the domains, in creation order
 */
public record Topology(List<PhysSmmu> smmus, List<DomainInput> domains) {
    public Topology {
        smmus = List.copyOf(smmus);
        domains = List.copyOf(domains);
    }

    /**
     * A physical SMMUv3.
     *
     * @param phandle     the phandle devices' {@code iommus} use for it (-1: the vPCI range's SMMU, unnamed)
     * @param name        the host node's path, or how it was made up
     * @param base        its MMIO base
     * @param synthesised true when no host tree described it
     */
    public record PhysSmmu(long phandle, String name, long base, boolean synthesised) {
        public String describe() {
            return name + String.format(" @0x%x", base);
        }
    }

    /**
     * The toolstack's link of {@code count} vSIDs from {@code vsid} to pSIDs from {@code psid}.
     *
     * @param smmuPhandle the physical SMMU's phandle, -1 when the toolstack names none (vPCI)
     * @param source      who asked for it (a device-tree path and property, or "vPCI")
     */
    public record SidLink(long vsid, long count, long smmuPhandle, long psid, String source) {
        public boolean contains(long v) {
            return v >= vsid && v - vsid < count;
        }
    }

    /**
     * A domain.
     *
     * @param name      its name
     * @param tree      the device tree the guest boots with
     * @param treeName  a name for it in messages
     * @param links     its vSID links
     * @param p2m       guest-physical ranges Xen maps to RAM for it
     * @param extraIrqs interrupts routed to the guest that the tree need not show (xl.cfg {@code irqs}), with where they come from
     * @param dmaMasters guest paths of passed-through devices that the host or toolstack knows to be DMA masters (they have
     *                   physical stream IDs), so the guest tree must put them behind its vSMMU
     */
    public record DomainInput(String name, DeviceTree tree, String treeName, List<SidLink> links, List<Region> p2m,
            List<ExtraIrq> extraIrqs, List<String> dmaMasters) {
        public DomainInput {
            dmaMasters = List.copyOf(dmaMasters);
            links = List.copyOf(links);
            p2m = List.copyOf(p2m);
            extraIrqs = List.copyOf(extraIrqs);
        }

        public Optional<SidLink> link(long vsid) {
            return links.stream().filter(l -> l.contains(vsid)).findFirst();
        }
    }

    /** An interrupt the configuration routes to the guest. */
    public record ExtraIrq(int intid, String source) {
    }
}
