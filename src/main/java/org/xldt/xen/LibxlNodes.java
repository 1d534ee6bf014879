package org.xldt.xen;

import static org.xldt.xen.GuestMemoryMap.PHANDLE_GIC;

import java.util.List;
import org.xldt.dt.Node;
import org.xldt.dt.Property;
import org.xldt.xen.GuestMemoryMap.Region;

/**
 * The nodes libxl writes into an Arm guest's device tree ({@code tools/libs/light/libxl_arm.c},
 * Xen 4.21, plus the vSMMUv3 series' {@code make_vsmmuv3_node} and vPCI {@code iommu-map}), one
 * maker per libxl {@code make_*_node} function, each with libxl's node name, property order and
 * values, and with the values libxl's finalise step fills in later (memory sizes, initrd range,
 * hypervisor regions) given directly. {@link LibxlGuestBuilder} decides which nodes a guest gets
 * and in which order.
 *
 * <p>Cell values are written without type markers ({@code new Property(name, bytes)}), as a DTB
 * read back has them, so phandle-bearing properties ({@code interrupt-parent}, {@code iommus},
 * {@code iommu-map}) are not taken for plain numbers by the checks.
 */
public final class LibxlNodes {
    private LibxlNodes() {
    }

    /** libxl passes interrupts to every vCPU: cpumask 0xf in the GIC specifier's flags. */
    public static final int CPUMASK_ALL = 0xf;
    /** vpl011 {@code current-speed}. */
    public static final int VPL011_BAUD = 115200;
    /** libxl's rng-seed length. */
    public static final int RNG_SEED_BYTES = 128;

    /** The guest kernel's architecture, which picks the cpu and timer compatibles. */
    public enum GuestArch {
        AARCH64("xen-3.0-aarch64", "arm,armv8", "arm,armv8-timer"),
        ARMV7L("xen-3.0-armv7l", "arm,cortex-a15", "arm,armv7-timer");

        private final String guestType;
        private final String cpuCompatible;
        private final String timerCompatible;

        GuestArch(String guestType, String cpuCompatible, String timerCompatible) {
            this.guestType = guestType;
            this.cpuCompatible = cpuCompatible;
            this.timerCompatible = timerCompatible;
        }

        public String guestType() {
            return guestType;
        }

        public String cpuCompatible() {
            return cpuCompatible;
        }

        public String timerCompatible() {
            return timerCompatible;
        }
    }

    /** A Xen version as libxl prints it ({@code %d.%d}). */
    public record XenVersion(int major, int minor) {
        public XenVersion {
            if (major < 0 || minor < 0) throw new IllegalArgumentException("version " + major + "." + minor);
        }

        @Override
        public String toString() {
            return major + "." + minor;
        }
    }

    // ---- value helpers ------------------------------------------------------------------------

    /** {@code name = <c0 c1 ...>} as raw big-endian cells, no type marker. */
    public static Property cells(String name, long... cells) {
        byte[] b = new byte[cells.length * 4];
        for (int i = 0; i < cells.length; i++) putCell(b, i, cells[i]);
        return new Property(name, b);
    }

    /** {@code reg} with libxl's root cells (2 + 2): one (base, size) per region. */
    public static Property regs(List<Region> regions) {
        long[] c = new long[regions.size() * 4];
        for (int i = 0; i < regions.size(); i++) {
            Region r = regions.get(i);
            c[i * 4] = r.base() >>> 32;
            c[i * 4 + 1] = r.base() & 0xffffffffL;
            c[i * 4 + 2] = r.size() >>> 32;
            c[i * 4 + 3] = r.size() & 0xffffffffL;
        }
        return cells("reg", c);
    }

    public static Property regs(Region... regions) {
        return regs(List.of(regions));
    }

    /** One 64-bit value as two cells (libxl's 8-byte initrd properties). */
    public static Property u64(String name, long value) {
        return cells(name, value >>> 32, value & 0xffffffffL);
    }

    /** A GIC interrupt specifier as libxl's set_interrupt writes it: PPI or SPI, number, cpumask 0xf and type. */
    public record Irq(int id, int type) {
        public Irq {
            if (id < 16) throw new IllegalArgumentException("SGIs are not described in the device tree: " + id);
        }

        long[] cells() {
            boolean ppi = id < GuestMemoryMap.SPI_BASE;
            return new long[] {ppi ? 1 : 0, id - (ppi ? 16 : GuestMemoryMap.SPI_BASE), ((long) CPUMASK_ALL << 8) | type};
        }
    }

    /**
     * libxl's fdt_property_interrupts: {@code interrupts}, then {@code interrupt-parent = <GIC>}.
     */
    public static void interrupts(Node n, Irq... irqs) {
        long[] c = new long[irqs.length * 3];
        for (int i = 0; i < irqs.length; i++) System.arraycopy(irqs[i].cells(), 0, c, i * 3, 3);
        n.append(cells("interrupts", c));
        n.append(cells("interrupt-parent", PHANDLE_GIC));
    }

    private static void putCell(byte[] b, int i, long c) {
        if (c < 0 || c > 0xffffffffL) throw new IllegalArgumentException("cell out of range: " + c);
        b[i * 4] = (byte) (c >>> 24);
        b[i * 4 + 1] = (byte) (c >>> 16);
        b[i * 4 + 2] = (byte) (c >>> 8);
        b[i * 4 + 3] = (byte) c;
    }

    /** {@code name@<hex>} as libxl's {@code "%s@%"PRIx64}. */
    public static String unitName(String base, long address) {
        return base + "@" + Long.toHexString(address);
    }

    // ---- nodes (make_* in libxl_arm.c order) --------------------------------------------------

    /** make_root_properties: model, compatible, interrupt-parent, #address-cells, #size-cells. */
    public static void rootProperties(Node root, XenVersion v) {
        root.append(Property.strings("model", "XENVM-" + v));
        root.append(Property.strings("compatible", "xen,xenvm-" + v, "xen,xenvm"));
        root.append(cells("interrupt-parent", PHANDLE_GIC));
        root.append(cells("#address-cells", GuestMemoryMap.ROOT_ADDRESS_CELLS));
        root.append(cells("#size-cells", GuestMemoryMap.ROOT_SIZE_CELLS));
    }

    /**
     * make_chosen_node with the initrd placeholders already filled in: bootargs when there is a
     * command line, {@code linux,initrd-start}/{@code -end} (8 bytes each) when there is a
     * ramdisk, then {@code rng-seed} unless {@code seed} is null.
     *
     * @param initrd the ramdisk's guest range (end = start + size rounded up to 4 KiB), or null
     */
    public static Node chosen(String bootargs, Region initrd, byte[] seed) {
        Node n = new Node("chosen");
        if (bootargs != null) n.append(Property.strings("bootargs", bootargs));
        if (initrd != null) {
            n.append(u64("linux,initrd-start", initrd.base()));
            n.append(u64("linux,initrd-end", initrd.end()));
        }
        if (seed != null) n.append(new Property("rng-seed", seed));
        return n;
    }

    /** libxl__compute_mpdir: Aff0 = vCPU bits 0-3, Aff1 = bits 4-11. */
    public static long mpidr(int vcpu) {
        return (vcpu & 0xf) | (((long) (vcpu >> 4) & 0xff) << 8);
    }

    /** make_cpus_node: one {@code cpu@MPIDR} per vCPU. */
    public static Node cpus(int count, GuestArch arch) {
        Node n = new Node("cpus");
        n.append(cells("#address-cells", 1));
        n.append(cells("#size-cells", 0));
        for (int i = 0; i < count; i++) {
            long mpidr = mpidr(i);
            Node cpu = n.addChild(unitName("cpu", mpidr));
            cpu.append(Property.strings("device_type", "cpu"));
            cpu.append(Property.strings("compatible", arch.cpuCompatible()));
            cpu.append(Property.strings("enable-method", "psci"));
            cpu.append(cells("reg", mpidr));
        }
        return n;
    }

    /** make_psci_node. */
    public static Node psci() {
        Node n = new Node("psci");
        n.append(Property.strings("compatible", "arm,psci-1.0", "arm,psci-0.2", "arm,psci"));
        n.append(Property.strings("method", "hvc"));
        n.append(cells("cpu_off", GuestMemoryMap.PSCI_CPU_OFF));
        n.append(cells("cpu_on", GuestMemoryMap.PSCI_CPU_ON));
        return n;
    }

    /** make_memory_nodes after finalise: {@code memory@BANKBASE} with the bank's populated size. */
    public static Node memory(Region bank) {
        Node n = new Node(unitName("memory", bank.base()));
        n.append(Property.strings("device_type", "memory"));
        n.append(regs(bank));
        return n;
    }

    /** make_gicv2_node. */
    public static Node gicV2() {
        Node n = new Node(unitName("interrupt-controller", GuestMemoryMap.GICD_V2.base()));
        n.append(Property.strings("compatible", "arm,cortex-a15-gic", "arm,cortex-a9-gic"));
        gicCommon(n, GuestMemoryMap.GICD_V2, GuestMemoryMap.GICC_V2);
        return n;
    }

    /** make_gicv3_node: one redistributor region. */
    public static Node gicV3() {
        Node n = new Node(unitName("interrupt-controller", GuestMemoryMap.GICD_V3.base()));
        n.append(Property.strings("compatible", "arm,gic-v3"));
        gicCommon(n, GuestMemoryMap.GICD_V3, GuestMemoryMap.GICR0_V3);
        return n;
    }

    private static void gicCommon(Node n, Region dist, Region second) {
        n.append(cells("#interrupt-cells", 3));
        n.append(cells("#address-cells", 0));
        n.append(Property.empty("interrupt-controller"));
        n.append(regs(dist, second));
        n.append(cells("linux,phandle", PHANDLE_GIC));
        n.append(cells("phandle", PHANDLE_GIC));
    }

    /**
     * make_timer_node: secure, non-secure and virtual timer PPIs; {@code clock-frequency} only
     * when Xen reported one (non-zero).
     */
    public static Node timer(GuestArch arch, long clockFrequency) {
        Node n = new Node("timer");
        n.append(Property.strings("compatible", arch.timerCompatible()));
        interrupts(n, new Irq(GuestMemoryMap.TIMER_PHYS_S_PPI, GuestMemoryMap.IRQ_TYPE_LEVEL_LOW),
                new Irq(GuestMemoryMap.TIMER_PHYS_NS_PPI, GuestMemoryMap.IRQ_TYPE_LEVEL_LOW),
                new Irq(GuestMemoryMap.TIMER_VIRT_PPI, GuestMemoryMap.IRQ_TYPE_LEVEL_LOW));
        if (clockFrequency != 0) n.append(cells("clock-frequency", clockFrequency));
        return n;
    }

    /**
     * make_hypervisor_node after finalise_hypervisor_node: {@code reg} lists the grant-table region
     * followed by the extended regions (or, before finalise, libxl's all-zero placeholders). libxl names the node {@code hypervisor}; with
     * {@code unitAddress} it is {@code hypervisor@38000000}, which dtc accepts without a warning.
     */
    public static Node hypervisor(XenVersion v, List<Region> reg, boolean unitAddress) {
        Node n = new Node(unitAddress ? unitName("hypervisor", GuestMemoryMap.GNTTAB.base()) : "hypervisor");
        n.append(Property.strings("compatible", "xen,xen-" + v, "xen,xen"));
        n.append(regs(reg));
        interrupts(n, new Irq(GuestMemoryMap.EVTCHN_PPI, GuestMemoryMap.IRQ_TYPE_LEVEL_LOW));
        return n;
    }

    /** make_vpl011_uart_node: libxl's name {@code sbsa-pl011}, or {@code sbsa-pl011@22000000}. */
    public static Node vpl011(boolean unitAddress) {
        Node n = new Node(unitAddress ? unitName("sbsa-pl011", GuestMemoryMap.PL011.base()) : "sbsa-pl011");
        n.append(Property.strings("compatible", "arm,sbsa-uart"));
        n.append(regs(GuestMemoryMap.PL011));
        interrupts(n, new Irq(GuestMemoryMap.VPL011_SPI, GuestMemoryMap.IRQ_TYPE_LEVEL_HIGH));
        n.append(cells("current-speed", VPL011_BAUD));
        return n;
    }

    /** make_optee_node: {@code firmware { optee { ... } }}. */
    public static Node optee() {
        Node fw = new Node("firmware");
        Node op = fw.addChild("optee");
        op.append(Property.strings("compatible", "linaro,optee-tz"));
        op.append(Property.strings("method", "hvc"));
        return fw;
    }

    /**
     * make_vpci_node, with the series' {@code iommu-map = <0 VSMMU firstVsid length>} appended
     * when {@code iommuMapLength} is non-zero.
     */
    public static Node vpci(long firstVsid, long iommuMapLength) {
        Node n = new Node(unitName("pcie", GuestMemoryMap.VPCI_ECAM.base()));
        n.append(Property.strings("compatible", "pci-host-ecam-generic"));
        n.append(Property.strings("device_type", "pci"));
        n.append(regs(GuestMemoryMap.VPCI_ECAM));
        n.append(cells("bus-range", 0, 255));
        n.append(cells("#address-cells", 3));
        n.append(cells("#size-cells", 2));
        n.append(Property.strings("status", "okay"));
        n.append(cells("ranges", concat(vpciRange(GuestMemoryMap.VPCI_ADDR_TYPE_MEM, GuestMemoryMap.VPCI_MEM),
                vpciRange(GuestMemoryMap.VPCI_ADDR_TYPE_PREFETCH_MEM, GuestMemoryMap.VPCI_PREFETCH_MEM))));
        if (iommuMapLength != 0) {
            n.append(cells("iommu-map", 0, GuestMemoryMap.PHANDLE_VSMMUV3, firstVsid, iommuMapLength));
        }
        return n;
    }

    /** One vPCI {@code ranges} entry: type, PCI address (2 cells), CPU address (the same), size. */
    private static long[] vpciRange(long type, Region r) {
        long hi = r.base() >>> 32;
        long lo = r.base() & 0xffffffffL;
        return new long[] {type, hi, lo, hi, lo, r.size() >>> 32, r.size() & 0xffffffffL};
    }

    private static long[] concat(long[] a, long[] b) {
        long[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** The series' make_vsmmuv3_node: the emulated SMMUv3 at 0x04040000, SPI 33. */
    public static Node vsmmuv3() {
        Node n = new Node(unitName("iommu", GuestMemoryMap.VSMMUV3.base()));
        n.append(Property.strings("compatible", "arm,smmu-v3"));
        n.append(regs(GuestMemoryMap.VSMMUV3));
        n.append(cells("phandle", GuestMemoryMap.PHANDLE_VSMMUV3));
        n.append(cells("#iommu-cells", 1));
        n.append(Property.strings("interrupt-names", "combined"));
        interrupts(n, new Irq(GuestMemoryMap.VSMMU_SPI, GuestMemoryMap.IRQ_TYPE_LEVEL_HIGH));
        return n;
    }

    /**
     * make_virtio_mmio_node(_device): {@code virtio@BASE} with its SPI (edge-rising),
     * {@code dma-coherent}, {@code iommus = <65001 backend>} when grants are used, and the
     * I2C or GPIO subnode for those device types. libxl's GPIO node is an interrupt provider
     * without {@code #address-cells}, on which dtc warns; {@code gpioAddressCells} appends
     * {@code #address-cells = <0>} to it (what the binding expects; Linux binds it the same).
     */
    public static Node virtioMmio(long base, int spi, String type, long backendDomid, boolean grantUsage, boolean gpioAddressCells) {
        Node n = new Node(unitName("virtio", base));
        n.append(Property.strings("compatible", "virtio,mmio"));
        n.append(regs(new Region(base, GuestMemoryMap.VIRTIO_MMIO_DEV_SIZE)));
        interrupts(n, new Irq(spi, GuestMemoryMap.IRQ_TYPE_EDGE_RISING));
        n.append(Property.empty("dma-coherent"));
        if (grantUsage) n.append(cells("iommus", GuestMemoryMap.PHANDLE_IOMMU, backendDomid));
        if (type.equals(VirtioConfig.TYPE_I2C)) {
            n.addChild("i2c").append(Property.strings("compatible", VirtioConfig.TYPE_I2C));
        } else if (type.equals(VirtioConfig.TYPE_GPIO)) {
            Node g = n.addChild("gpio");
            g.append(Property.strings("compatible", VirtioConfig.TYPE_GPIO));
            g.append(Property.empty("gpio-controller"));
            g.append(cells("#gpio-cells", 2));
            g.append(Property.empty("interrupt-controller"));
            g.append(cells("#interrupt-cells", 2));
            if (gpioAddressCells) g.append(cells("#address-cells", 0));
        }
        return n;
    }

    /** make_xen_iommu_node: the grant-DMA IOMMU virtio devices point at. */
    public static Node xenIommu() {
        Node n = new Node("xen_iommu");
        n.append(Property.strings("compatible", "xen,grant-dma"));
        n.append(cells("#iommu-cells", 1));
        n.append(cells("phandle", GuestMemoryMap.PHANDLE_IOMMU));
        return n;
    }
}
