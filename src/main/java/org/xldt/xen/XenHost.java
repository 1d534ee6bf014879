package org.xldt.xen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.xldt.BadInputException;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.MemReserve;
import org.xldt.dt.Node;
import org.xldt.dt.Property;
import org.xldt.xen.GuestMemoryMap.Region;
import org.xldt.xen.XenNodes.GicKind;

/**
 * What Xen learns from the host device tree at boot, before it builds dom0's: the primary GIC
 * ({@code dt_interrupt_controller}), the timer and its PPIs, the CPUs, the IOMMUs its drivers
 * claim and the SMMUv3s the vSMMUv3 series lists, the console UART, host RAM and reserved
 * memory. Derived once from a host tree; read-only afterwards.
 */
public final class XenHost {
    /** Compatibles of Xen's IOMMU drivers (SMMUv1/v2, SMMUv3, Renesas IPMMU-VMSA): the DEVICE_IOMMU class. */
    public static final List<String> SMMU_V1_V2_COMPATIBLES =
            List.of("arm,smmu-v1", "arm,smmu-v2", "arm,mmu-400", "arm,mmu-401", "arm,mmu-500");
    public static final String SMMU_V3_COMPATIBLE = "arm,smmu-v3";
    public static final List<String> IPMMU_COMPATIBLES = List.of("renesas,ipmmu-r8a7795", "renesas,ipmmu-r8a77965",
            "renesas,ipmmu-r8a7796", "renesas,ipmmu-r8a77961", "renesas,ipmmu-r8a779f0", "renesas,ipmmu-r8a779g0");
    /** Compatibles of the timers Xen drives (DT_MATCH_TIMER). */
    public static final List<String> TIMER_COMPATIBLES = List.of("arm,armv7-timer", "arm,armv8-timer");
    /** Compatibles of Xen's serial drivers (the UARTs {@code dtuart} can name). */
    public static final List<String> SERIAL_COMPATIBLES = List.of(
            "arm,pl011", "arm,sbsa-uart", // pl011
            "ns16550", "ns16550a", "snps,dw-apb-uart", // ns16550
            "renesas,scif", "ti,omap4-uart", "samsung,exynos4210-uart", "amlogic,meson-uart", "amlogic,meson-gx-uart",
            "marvell,armada-3700-uart", "cdns,uart-r1p8", "cdns,uart-r1p12", "xlnx,xuartps",
            "fsl,imx8qm-lpuart", "fsl,imx8qxp-lpuart", "fsl,imx6q-uart",
            "nxp,s32g2-linflexuart", "nxp,s32g3-linflexuart", "fsl,s32v234-linflexuart");

    /** A bound on interrupt-parent chains (a looping chain in a hostile tree). */
    static final int MAX_PARENT_STEPS = 10_000;

    /** One entry of the series' {@code host_iommu_list}: an SMMUv3 whose driver probed. */
    public record HostSmmu(Node node, long base, int intid) {
    }

    private final DeviceTree tree;
    private final String file;
    private final Map<Integer, Node> phandles;
    private final Node gic;
    private final GicKind gicKind;
    private final Node timer;
    private final int[] timerPpis;
    private final Node firstCpu;
    private final int hostCpus;
    private final List<HostSmmu> smmuList = new ArrayList<>();
    private final Node consoleUart;
    private final List<String> warnings = new ArrayList<>();

    public XenHost(DeviceTree tree, String file, Dom0Settings settings) {
        this.tree = tree;
        this.file = file;
        this.phandles = tree.phandles();
        this.gic = findGic();
        this.gicKind = GicKind.of(gic);
        if (gic.phandle() == 0) throw error(gic, "the GIC has no phandle, so dom0's nodes cannot name it as interrupt-parent");
        if (gicInterrupts(gic).isEmpty()) {
            warnings.add(where(gic) + ": warning: the GIC has no maintenance interrupt: Xen would panic at boot "
                    + "(a QEMU virt dump without virtualization=on); the tree is built anyway");
        }
        if (gicKind == GicKind.V2 && DtAddresses.reg(gic).size() < 4) {
            warnings.add(where(gic) + ": warning: the GICv2 has no GICH/GICV reg entries: Xen would panic at boot; "
                    + "the tree is built anyway");
        }
        this.timer = findTimer();
        this.timerPpis = readTimerPpis();
        Node cpus = tree.find("/cpus");
        if (cpus == null) throw new BadInputException(file, "no /cpus node (Xen needs one)");
        Node first = null;
        int count = 0;
        for (Node c : cpus.children()) {
            if (!"cpu".equals(c.string("device_type"))) continue;
            if (first == null) first = c;
            if (settings.hmpUnsafe() || sameCompatible(c, first)) count++;
        }
        if (first == null || !first.has("compatible")) {
            throw error(cpus, "no cpu node with a compatible (Xen copies the first one's into dom0's cpus)");
        }
        this.firstCpu = first;
        this.hostCpus = count;
        for (Node n : iommuNodes()) {
            if (!n.isCompatible(SMMU_V3_COMPATIBLE) || !n.isEnabled()) continue;
            List<Integer> irqs = gicInterrupts(n);
            int irq = irqs.isEmpty() ? -1 : irqs.get(0);
            if (irq < GuestMemoryMap.SPI_BASE) {
                warnings.add(where(n) + ": warning: the SMMUv3's first interrupt is not a GIC SPI: the vSMMUv3 series lists "
                        + "no vSMMU for it");
                continue;
            }
            var reg = DtAddresses.cpuReg(n);
            if (reg.isEmpty() || reg.get().isEmpty()) {
                warnings.add(where(n) + ": warning: the SMMUv3's reg cannot be translated to a CPU address: no vSMMU for it");
                continue;
            }
            smmuList.add(new HostSmmu(n, reg.get().get(0).base(), irq));
        }
        this.consoleUart = findConsole(settings);
    }

    private static boolean sameCompatible(Node a, Node b) {
        Property pa = a.property("compatible");
        Property pb = b.property("compatible");
        return pa != null && pb != null && pa.equals(pb.withName(pa.name()));
    }

    // ---- accessors ----------------------------------------------------------------------------------

    public DeviceTree tree() {
        return tree;
    }

    public String file() {
        return file;
    }

    public Node gic() {
        return gic;
    }

    public GicKind gicKind() {
        return gicKind;
    }

    public int gicPhandle() {
        return gic.phandle();
    }

    public Node timer() {
        return timer;
    }

    /** The host timer's secure physical, non-secure physical and virtual PPIs (interrupt IDs). */
    public int[] timerPpis() {
        return timerPpis.clone();
    }

    public Node firstCpu() {
        return firstCpu;
    }

    /** CPUs Xen brings up by default: every cpu node, or with hmp-unsafe off those like the first. */
    public int hostCpus() {
        return hostCpus;
    }

    /** The series' host_iommu_list: enabled SMMUv3s with a GIC SPI, in DT order. */
    public List<HostSmmu> smmuList() {
        return List.copyOf(smmuList);
    }

    /** The UART Xen takes for its console, or null. */
    public Node consoleUart() {
        return consoleUart;
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** {@code FILE: /path} for messages about a node. */
    public String where(Node n) {
        return file + ": " + n.path();
    }

    public BadInputException error(Node n, String message) {
        return new BadInputException(where(n), message);
    }

    public Node byPhandle(long phandle) {
        return phandles.get((int) phandle);
    }

    // ---- classes --------------------------------------------------------------------------------------

    /** Xen's DEVICE_IOMMU class: a compatible of one of its IOMMU drivers (status and probe do not matter). */
    public static boolean isXenIommu(Node n) {
        for (String c : n.strings("compatible")) {
            if (c.equals(SMMU_V3_COMPATIBLE) || SMMU_V1_V2_COMPATIBLES.contains(c) || IPMMU_COMPATIBLES.contains(c)) return true;
        }
        return false;
    }

    public static boolean isTimer(Node n) {
        for (String c : TIMER_COMPATIBLES) if (n.isCompatible(c)) return true;
        return false;
    }

    /** Every Xen-class IOMMU node, in DT order. */
    public List<Node> iommuNodes() {
        List<Node> out = new ArrayList<>();
        tree.walk(n -> {
            if (isXenIommu(n)) out.add(n);
        });
        return out;
    }

    /** Whether the vSMMUv3 series gives {@code n} a vSMMU node (it is in host_iommu_list). */
    public HostSmmu listed(Node n) {
        for (HostSmmu s : smmuList) if (s.node() == n) return s;
        return null;
    }

    // ---- finding things -----------------------------------------------------------------------------

    /** {@code dt_interrupt_controller}: the first enabled non-root node with interrupt-controller that Xen's GIC drivers match. */
    private Node findGic() {
        Node gic = first(n -> n.parent() != null && n.has("interrupt-controller") && n.isEnabled() && GicKind.of(n) != null);
        if (gic == null) throw new BadInputException(file, "no GIC Xen can drive (compatible arm,gic-v3, arm,gic-400, "
                + "arm,cortex-a15-gic, arm,cortex-a9-gic or arm,cortex-a7-gic with interrupt-controller)");
        return gic;
    }

    private Node findTimer() {
        Node t = first(XenHost::isTimer);
        if (t == null) throw new BadInputException(file, "no arm,armv8-timer or arm,armv7-timer node (Xen needs the timer)");
        return t;
    }

    /** The first node in DT order that matches, or null. */
    private Node first(java.util.function.Predicate<Node> test) {
        Node[] found = new Node[1];
        tree.walk(n -> {
            if (found[0] == null && test.test(n)) found[0] = n;
        });
        return found[0];
    }

    private int[] readTimerPpis() {
        List<Integer> irqs = gicInterrupts(timer);
        if (irqs.size() < 3 || irqs.subList(0, 3).stream().anyMatch(i -> i < XenNodes.PPI_BASE || i >= GuestMemoryMap.SPI_BASE)) {
            throw error(timer, "the timer needs its secure, non-secure and virtual PPIs on the GIC (3 interrupts), has "
                    + irqs.size());
        }
        return new int[] {irqs.get(0), irqs.get(1), irqs.get(2)};
    }

    /** Xen's {@code dt_irq_find_parent}: the node's or an ancestor's interrupt-parent, else parents, until one has #interrupt-cells. */
    public Node interruptParent(Node node) {
        Node child = node;
        Node p;
        int steps = 0;
        do {
            Property ip = child.property("interrupt-parent");
            p = ip == null || ip.length() != 4 ? child.parent() : byPhandle(ip.cell(0));
            child = p;
            if (++steps > MAX_PARENT_STEPS) throw error(node, "interrupt-parent chain loops without reaching an interrupt controller");
        } while (p != null && !p.has("#interrupt-cells"));
        return p;
    }

    /**
     * The interrupt IDs of {@code node}'s {@code interrupts} as the primary GIC translates them
     * (SPI: 32 + n, PPI: 16 + n); -1 for an entry whose parent is not the GIC or whose type is
     * neither. Empty when it has no {@code interrupts}.
     */
    public List<Integer> gicInterrupts(Node node) {
        List<Integer> out = new ArrayList<>();
        Property irq = node.property("interrupts");
        if (irq == null) return out;
        Node parent = interruptParent(node);
        if (parent == null) return out;
        int cells = (int) parent.u32("#interrupt-cells", 0);
        if (cells <= 0) return out;
        for (int i = 0; i + cells <= irq.cellCount(); i += cells) {
            if (parent != gic || cells < 2) {
                out.add(-1);
                continue;
            }
            long type = irq.cell(i);
            long num = irq.cell(i + 1);
            if (type == XenNodes.GIC_SPI && num < 988) out.add((int) num + GuestMemoryMap.SPI_BASE);
            else if (type == XenNodes.GIC_PPI && num < 16) out.add((int) num + XenNodes.PPI_BASE);
            else out.add(-1);
        }
        return out;
    }

    // ---- console ----------------------------------------------------------------------------------

    /** {@code dt_uart_init}: the node {@code dtuart} (or {@code /chosen/stdout-path}) names, if a Xen serial driver takes it. */
    private Node findConsole(Dom0Settings s) {
        if (!s.consoleDtuart()) return null;
        String spec = s.dtuart();
        String from = "dtuart=" + spec;
        if (spec.isEmpty()) {
            Node chosen = tree.find("/chosen");
            String stdout = chosen == null ? null : chosen.string("stdout-path");
            if (stdout == null || stdout.isEmpty()) {
                warnings.add(file + ": warning: no dtuart= and no /chosen/stdout-path: Xen has no DT console, no UART is hidden");
                return null;
            }
            spec = stdout.length() > Dom0Settings.DTUART_SIZE - 1 ? stdout.substring(0, Dom0Settings.DTUART_SIZE - 1) : stdout;
            from = "/chosen/stdout-path \"" + stdout + "\"";
        }
        int colon = spec.indexOf(':');
        String path = colon < 0 ? spec : spec.substring(0, colon);
        Node uart = path.startsWith("/") ? byPathIgnoreCase(path) : byAlias(path);
        if (uart == null) {
            warnings.add(file + ": warning: " + from + ": no node \"" + path + "\"" + (path.startsWith("/") ? "" : " in /aliases")
                    + ": Xen has no DT console, no UART is hidden from dom0");
            return null;
        }
        boolean driver = false;
        for (String c : SERIAL_COMPATIBLES) driver |= uart.isCompatible(c);
        if (!driver || !uart.isEnabled() || uart.has("xen,passthrough")) {
            warnings.add(where(uart) + ": warning: " + from + " names a UART Xen cannot use ("
                    + (!driver ? "no Xen serial driver for its compatible" : uart.has("xen,passthrough") ? "xen,passthrough" : "disabled")
                    + "): it stays in dom0");
            return null;
        }
        return uart;
    }

    /** Xen's {@code dt_find_node_by_path}: the full path, compared without case. */
    private Node byPathIgnoreCase(String path) {
        String want = path.toLowerCase(Locale.ROOT);
        return first(n -> n.path().toLowerCase(Locale.ROOT).equals(want));
    }

    /** Xen's {@code dt_find_node_by_alias}: a property of /aliases whose value is a node's path. */
    private Node byAlias(String alias) {
        Node aliases = tree.find("/aliases");
        if (aliases == null) return null;
        for (Property p : aliases.properties()) {
            if (p.name().equalsIgnoreCase(alias)) return byPathIgnoreCase(p.string());
        }
        return null;
    }

    // ---- memory ------------------------------------------------------------------------------------

    /** Host RAM: the reg of every enabled {@code device_type = "memory"} node, in DT order. */
    public List<Region> ram() {
        List<Region> out = new ArrayList<>();
        tree.walk(n -> {
            if ("memory".equals(n.string("device_type")) && n.isEnabled()) {
                for (Region r : DtAddresses.reg(n)) if (r.size() > 0) out.add(r);
            }
        });
        return out;
    }

    /** The {@code /memreserve/} entries. */
    public List<Region> memreserve() {
        List<Region> out = new ArrayList<>();
        for (MemReserve m : tree.reserves()) {
            if (m.size() > 0 && m.address() >= 0) out.add(new Region(m.address(), m.size()));
        }
        return out;
    }

    /** Every {@code /reserved-memory} descendant's reg entries, DT order, zero sizes dropped (Xen's reserved_mem). */
    public List<Region> reservedMemory() {
        List<Region> out = new ArrayList<>();
        Node rm = tree.find("/reserved-memory");
        if (rm == null) return out;
        for (Node c : rm.children()) {
            DeviceTree.walk(c, n -> {
                for (Region r : DtAddresses.reg(n)) if (r.size() > 0) out.add(r);
            });
        }
        return out;
    }

    /** The first cpu's clock-frequency, if any. */
    public OptionalLong cpuClock() {
        Property p = firstCpu.property("clock-frequency");
        return p == null || p.length() != 4 ? OptionalLong.empty() : OptionalLong.of(p.cell(0));
    }

    public OptionalLong timerClock() {
        Property p = timer.property("clock-frequency");
        return p == null || p.length() != 4 ? OptionalLong.empty() : OptionalLong.of(p.cell(0));
    }
}
