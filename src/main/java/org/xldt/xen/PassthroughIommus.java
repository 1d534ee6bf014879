package org.xldt.xen;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xldt.BadInputException;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.Node;
import org.xldt.dt.Property;
import org.xldt.xen.VsidMap.PhysicalSmmu;

/**
 * The {@code iommus} properties of passed-through devices, as the vSMMUv3 series rewrites them
 * (libxl's {@code modify_partial_fdt} / {@code viommu_modify_partial_fdt}, dom0less'
 * {@code modify_pfdt_node}): every {@code <physical-SMMU-phandle SID>} entry becomes
 * {@code <65002 vSID>}, the vSID coming from a {@link VsidMap}. Without a vIOMMU the property is
 * removed (the guest has no IOMMU it could name). Used by the libxl and dom0less builders.
 */
public final class PassthroughIommus {
    private PassthroughIommus() {
    }

    /** One {@code iommus} entry: the physical SMMU (its phandle, and its path when known) and the stream ID. */
    public record Stream(PhysicalSmmu smmu, long sid) {
    }

    /**
     * The entries of an {@code iommus} property: {@code <phandle SID>} pairs, the phandles looked
     * up in {@code lookup} (may be null) to name the physical SMMU and check its {@code #iommu-cells}.
     *
     * @param sourceName the file name, for locations
     * @param where      the property's location
     * @throws BadInputException when a named SMMU node has {@code #iommu-cells} other than 1, or
     *                           the value is not a whole number of pairs
     */
    public static List<Stream> streams(Property iommus, DeviceTree lookup, String sourceName, String where) {
        int cells = iommus.cellCount();
        List<Stream> out = new ArrayList<>();
        for (int i = 0; i < cells; i += 2) {
            PhysicalSmmu smmu = physicalSmmu(lookup, iommus.cell(i), sourceName, where);
            if (i + 1 >= cells) break;
            out.add(new Stream(smmu, iommus.cell(i + 1)));
        }
        if (iommus.length() == 0 || iommus.length() % 8 != 0) {
            throw new BadInputException(where, "iommus must be a list of <phandle stream-ID> pairs (#iommu-cells = <1>), but it has "
                    + iommus.length() + " bytes");
        }
        return out;
    }

    /**
     * Rewrites every {@code iommus} in {@code subtree} (any depth, document order) to point at the
     * emulated SMMUv3 with vSIDs from {@code vsids}.
     *
     * @param lookup     the tree the entries' phandles are looked up in to name and check the
     *                   physical SMMU (a partial device tree usually lacks it: the phandle is the
     *                   host's, copied by hand; the host tree has it); may be null
     * @param sourceName the file name, for locations ({@code NAME:/path:iommus})
     * @throws BadInputException for a malformed {@code iommus}, or a physical SMMU node in
     *                           {@code lookup} whose {@code #iommu-cells} is not 1
     */
    public static void virtualise(Node subtree, DeviceTree lookup, VsidMap vsids, String sourceName) {
        forEachIommus(subtree, (node, prop) -> {
            String where = sourceName + ":" + pathIn(node, subtree) + ":iommus";
            List<Stream> streams = streams(prop, lookup, sourceName, where);
            long[] cells = new long[streams.size() * 2];
            for (int i = 0; i < streams.size(); i++) {
                cells[i * 2] = GuestMemoryMap.PHANDLE_VSMMUV3;
                cells[i * 2 + 1] = vsids.map(streams.get(i).smmu(), streams.get(i).sid(), where + "[" + i + "]");
            }
            node.set(LibxlNodes.cells("iommus", cells));
        });
    }

    /**
     * Removes every {@code iommus} in {@code subtree}; returns the paths of the nodes that had
     * one, for warnings.
     */
    public static List<String> strip(Node subtree) {
        List<String> paths = new ArrayList<>();
        forEachIommus(subtree, (node, prop) -> {
            paths.add(pathIn(node, subtree));
            node.removeProperty("iommus");
        });
        return paths;
    }

    /** The physical SMMU a phandle names, checked against its node when {@code lookup} has one. */
    private static PhysicalSmmu physicalSmmu(DeviceTree lookup, long phandle, String sourceName, String where) {
        Node target = phandle == 0 || phandle > Integer.MAX_VALUE || lookup == null ? null : lookup.byPhandle((int) phandle);
        if (target == null) return PhysicalSmmu.of(phandle);
        Property cellsProp = target.property("#iommu-cells");
        if (cellsProp != null && (cellsProp.length() != 4 || cellsProp.cell(0) != 1)) {
            String value = cellsProp.length() == 4 ? "<" + cellsProp.cell(0) + ">" : cellsProp.length() + " bytes";
            throw new BadInputException(sourceName + ":" + target.path() + ":#iommu-cells",
                    "#iommu-cells = " + value + " in the IOMMU that " + where.substring(sourceName.length() + 1)
                            + " names (phandle 0x" + Long.toHexString(phandle) + "); the vSMMUv3 needs #iommu-cells = <1>: one stream ID per entry");
        }
        return new PhysicalSmmu(phandle, Optional.of(target.path()));
    }

    private static void forEachIommus(Node subtree, java.util.function.BiConsumer<Node, Property> action) {
        List<Node> order = new ArrayList<>();
        DeviceTree.walk(subtree, order::add);
        for (Node n : order) {
            Property p = n.property("iommus");
            if (p != null) action.accept(n, p);
        }
    }

    /**
     * The path of {@code node} as it is in its own tree; for a detached copy (whose root is
     * {@code subtree}), the path as if {@code subtree} hung from the root.
     */
    private static String pathIn(Node node, Node subtree) {
        if (subtree.parent() != null) return node.path();
        StringBuilder sb = new StringBuilder();
        for (Node n = node; n != null; n = n.parent()) sb.insert(0, "/" + n.name());
        return sb.toString();
    }
}
