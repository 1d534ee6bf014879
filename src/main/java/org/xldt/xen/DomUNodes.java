package org.xldt.xen;

import java.util.List;
import java.util.Optional;
import org.xldt.dt.Node;
import org.xldt.dt.Property;
import org.xldt.xen.GuestMemoryMap.Region;

/**
 * The node makers of Xen's dom0less domU builder that {@link XenNodes} does not have (it holds
 * the ones shared with dom0): {@code make_chosen_node} for a domU, {@code make_gicv2_domU_node} /
 * {@code make_gicv3_domU_node} and {@code make_vpl011_uart_node}, with Xen 4.21's names, property
 * order and values. Kept apart from {@link XenNodes} only because the two were written in
 * parallel; they belong together.
 */
public final class DomUNodes {
    private DomUNodes() {
    }

    /**
     * {@code make_chosen_node}: {@code chosen} with {@code bootargs} when the kernel module has a
     * non-empty command line, and {@code linux,initrd-start}/{@code -end} (one 64-bit value each)
     * when there is a ramdisk; Xen writes zeros there and {@code initrd_load} fills them in place
     * with the ramdisk's load address and that address plus its exact size.
     */
    public static Node chosen(Optional<String> bootargs, Optional<Region> initrd) {
        // libxl's make_chosen_node without the rng-seed; an empty command line gives no bootargs here
        return LibxlNodes.chosen(bootargs.filter(s -> !s.isEmpty()).orElse(null), initrd.orElse(null), null);
    }

    /**
     * {@code make_gicv2_domU_node} / {@code make_gicv3_domU_node}: {@code interrupt-controller@3001000}
     * with {@code #address-cells = <0>}, {@code #interrupt-cells = <3>},
     * {@code interrupt-controller}, {@code compatible} ("arm,gic-400" for a GICv2, "arm,gic-v3"),
     * GICv3: {@code #redistributor-regions = <1>}; {@code reg} (GICD and GICC, or GICD and the one
     * redistributor region), {@code linux,phandle} and {@code phandle}.
     */
    public static Node gic(XenNodes.GicKind kind, int phandle) {
        Region dist = kind == XenNodes.GicKind.V3 ? GuestMemoryMap.GICD_V3 : GuestMemoryMap.GICD_V2;
        Node n = new Node("interrupt-controller@" + Long.toHexString(dist.base()));
        n.append(Property.cells("#address-cells", 0));
        n.append(Property.cells("#interrupt-cells", 3));
        n.append(Property.empty("interrupt-controller"));
        if (kind == XenNodes.GicKind.V3) {
            n.append(Property.strings("compatible", "arm,gic-v3"));
            n.append(Property.cells("#redistributor-regions", 1));
            n.append(XenNodes.reg(GuestMemoryMap.ROOT_ADDRESS_CELLS, GuestMemoryMap.ROOT_SIZE_CELLS,
                    List.of(dist, GuestMemoryMap.GICR0_V3)));
        } else {
            n.append(Property.strings("compatible", "arm,gic-400"));
            n.append(XenNodes.reg(GuestMemoryMap.ROOT_ADDRESS_CELLS, GuestMemoryMap.ROOT_SIZE_CELLS,
                    List.of(dist, GuestMemoryMap.GICC_V2)));
        }
        n.append(XenNodes.phandleProperty("linux,phandle", phandle));
        n.append(XenNodes.phandleProperty("phandle", phandle));
        return n;
    }

    /**
     * {@code make_vpl011_uart_node}: {@code sbsa-uart@22000000} (at {@link GuestMemoryMap#PL011}, SPI
     * {@link GuestMemoryMap#VPL011_SPI}) with {@code compatible =
     * "arm,sbsa-uart"}, {@code reg}, its SPI (level-high, all CPUs), {@code interrupt-parent}
     * and {@code current-speed = <115200>}.
     */
    public static Node vpl011(int gicPhandle) {
        // the same properties as libxl's, under the name Xen's domain_fdt_begin_node gives it
        Node n = LibxlNodes.vpl011(false);
        n.rename("sbsa-uart@" + Long.toHexString(GuestMemoryMap.PL011.base()));
        n.set(XenNodes.phandleProperty("interrupt-parent", gicPhandle));
        return n;
    }
}
