package org.xldt.xen;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.xldt.BadInputException;
import org.xldt.dt.Checks;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.Finding;
import org.xldt.dt.Node;
import org.xldt.dt.Property;

/**
 * The device tree Xen gives dom0 ({@code prepare_dtb_hwdom}: {@code handle_node},
 * {@code write_properties} and the {@code make_*} helpers of Xen 4.21) plus the vSMMUv3 series'
 * dom0 changes, built from a host tree and the Xen command line.
 *
 * <p>Deviations from Xen and the series (README "dom0 device tree"): each listed SMMUv3's vSMMU
 * node replaces its host node in place (the series writes them all where the first IOMMU node
 * was); {@code iommus}, {@code iommu-map} and {@code iommu-map-mask} are also removed from a
 * node whose IOMMU references would otherwise name a node dom0 does not get (the series leaves
 * masters of SMMUv1/v2 and of unlisted SMMUv3s dangling); regenerated GIC children keep their
 * unit address when Xen's names would clash.
 */
public final class Dom0Builder {
    /** The properties that make a node an IOMMU master. */
    public static final List<String> IOMMU_PROPERTIES = List.of("iommus", "iommu-map", "iommu-map-mask");

    /** Nodes skipped by compatible ({@code skip_matches} of Xen 4.21). */
    public static final List<String> SKIP_COMPATIBLES = List.of("xen,domain", "xen,domain-shared-memory-v1", "xen,evtchn-v1",
            "xen,xen", "xen,multiboot-module", "multiboot,module", "arm,psci", "arm,psci-0.2", "arm,psci-1.0",
            "arm,cortex-a7-pmu", "arm,cortex-a15-pmu", "arm,cortex-a53-edac", "arm,armv8-pmuv3", "arm,armv7-timer-mem");

    /** Properties of /chosen that Xen does not copy. */
    public static final Set<String> CHOSEN_DROPPED = Set.of("xen,static-heap", "xen,xen-bootargs", "linux,initrd-start",
            "linux,initrd-end", "stdout-path", "linux,uefi-system-table", "linux,uefi-mmap-start", "linux,uefi-mmap-size",
            "linux,uefi-mmap-desc-size", "linux,uefi-mmap-desc-ver");

    /** The result: dom0's tree and what the build noticed. */
    public record Result(DeviceTree tree, List<String> warnings) {
    }

    private final XenHost host;
    private final Dom0Settings settings;
    private final Dom0Memory.Layout memory;
    private final int vcpus;
    private final List<String> warnings = new ArrayList<>();
    private String bootargs;
    private boolean hadDom0Bootargs;

    private Dom0Builder(XenHost host, Dom0Settings settings, String cmdlineSource) {
        this.host = host;
        this.settings = settings;
        warnings.addAll(settings.warnings());
        warnings.addAll(host.warnings());
        this.vcpus = settings.maxVcpus() == 0 ? Math.min(host.hostCpus(), Dom0Settings.MAX_VIRT_CPUS) : settings.maxVcpus();
        if (host.gicKind() == XenNodes.GicKind.V2 && vcpus > XenNodes.GICV2_MAX_VCPUS) {
            String msg = vcpus + " vCPUs for dom0 but a GICv2 takes at most " + XenNodes.GICV2_MAX_VCPUS + " (Xen fails to create dom0)";
            if (settings.maxVcpus() == 0) throw new BadInputException(host.file(), msg + "; give dom0_max_vcpus=8 or fewer");
            throw new BadInputException(cmdlineSource, msg);
        }
        boolean iommuEnabled = settings.iommu() && host.iommuNodes().stream().anyMatch(Node::isEnabled);
        this.memory = Dom0Memory.compute(host, settings, iommuEnabled, cmdlineSource);
        warnings.addAll(memory.warnings());
    }

    /**
     * Builds dom0's tree.
     *
     * @param hostTree      the host device tree (not modified)
     * @param file          its name, for messages
     * @param cmdline       the Xen command line
     * @param cmdlineSource where the command line came from, for messages
     */
    public static Result build(DeviceTree hostTree, String file, XenCmdline cmdline, String cmdlineSource) {
        Dom0Settings settings = Dom0Settings.read(cmdline, cmdlineSource);
        XenHost host = new XenHost(hostTree, file, settings);
        Dom0Builder b = new Dom0Builder(host, settings, cmdlineSource);
        return b.run();
    }

    /**
     * Xen's own command line when none is given: {@code /chosen/xen,xen-bootargs}, else
     * {@code /chosen/bootargs} if {@code xen,dom0-bootargs} or a dom0 kernel module with a command
     * line exists ({@code boot_fdt_cmdline}), else empty.
     */
    public static String hostXenCmdline(DeviceTree hostTree) {
        Node chosen = hostTree.find("/chosen");
        if (chosen == null) return "";
        String xen = chosen.string("xen,xen-bootargs");
        if (xen != null) return xen;
        String kernelArgs = Dom0Modules.of(hostTree).kernelBootargs();
        if (chosen.has("xen,dom0-bootargs") || (kernelArgs != null && !kernelArgs.isEmpty())) {
            String b = chosen.string("bootargs");
            return b == null ? "" : b;
        }
        return "";
    }

    private Result run() {
        DeviceTree hostTree = host.tree();
        Dom0Modules modules = Dom0Modules.of(hostTree);
        String kernelArgs = modules.kernelBootargs();
        bootargs = kernelArgs != null && !kernelArgs.isEmpty() ? kernelArgs : null;
        DeviceTree out = new DeviceTree();
        Node root = out.root();
        writeNode(hostTree.root(), root, modules);
        finishRoot(root);
        stripDanglingIommuReferences(out);
        for (Finding f : Checks.danglingPhandles(out)) {
            warnings.add(host.file() + ": " + f.path() + (f.property() == null ? "" : ":" + f.property()) + ": warning: in dom0's tree, "
                    + f.message() + " (Xen copies the reference as it is)");
        }
        return new Result(out, List.copyOf(warnings));
    }

    // ---- handle_node ---------------------------------------------------------------------------------

    /** What happens to a host node. */
    private enum Fate {
        COPY, SKIP, GIC, TIMER, VSMMU
    }

    private Fate fate(Node n) {
        if (n.parent() == null) return Fate.COPY;
        for (String c : SKIP_COMPATIBLES) if (n.isCompatible(c)) return Fate.SKIP;
        if (n.path().equals("/cpus") || "memory".equals(n.string("device_type"))) return Fate.SKIP;
        if (XenNodes.GicKind.of(n) != null) return n == host.gic() ? Fate.GIC : Fate.SKIP;
        if (XenHost.isTimer(n)) return Fate.TIMER;
        if (XenHost.isXenIommu(n)) return settings.viommu() && host.listed(n) != null ? Fate.VSMMU : Fate.SKIP;
        if (n == host.consoleUart()) return Fate.SKIP;
        for (int irq : host.gicInterrupts(n)) {
            if (irq >= XenNodes.PPI_BASE && irq < GuestMemoryMap.SPI_BASE) return Fate.SKIP;
        }
        return Fate.COPY;
    }

    private void writeNode(Node h, Node out, Dom0Modules modules) {
        writeProperties(h, out, modules);
        for (Node c : h.children()) {
            try {
                switch (fate(c)) {
                    case SKIP -> {
                    }
                    case GIC -> out.add(XenNodes.hwdomGic(c, DtAddresses.addressCells(c), DtAddresses.sizeCells(c), vcpus,
                            this::v2mSpis));
                    case TIMER -> {
                        int[] ppi = host.timerPpis();
                        out.add(XenNodes.timer(true, ppi[0], ppi[1], ppi[2], host.gicPhandle(), host.timerClock()));
                    }
                    case VSMMU -> {
                        XenHost.HostSmmu s = host.listed(c);
                        out.add(XenNodes.hwdomVsmmuv3(c, s.base(), s.intid(), host.gicPhandle()));
                    }
                    case COPY -> writeNode(c, out.addChild(c.name()), modules);
                }
            } catch (BadInputException e) {
                if (e.location().startsWith("/")) throw new BadInputException(host.file() + ": " + e.location(), e.getMessage());
                throw e;
            }
        }
    }

    /** GICv2m SPI ranges: the host's DT override, else (runtime MSI_TYPER in Xen) QEMU virt's 80 + 64. */
    private XenNodes.MsiSpis v2mSpis(Node frame) {
        Property base = frame.property("arm,msi-base-spi");
        Property num = frame.property("arm,msi-num-spis");
        if (base != null && num != null && base.length() == 4 && num.length() == 4 && base.cell(0) != 0 && num.cell(0) != 0) {
            return new XenNodes.MsiSpis(base.cell(0), num.cell(0));
        }
        warnings.add(host.where(frame) + ": warning: no arm,msi-base-spi/arm,msi-num-spis: Xen reads them from the frame's "
                + "MSI_TYPER at boot; xldt writes QEMU virt's values " + QEMU_V2M.baseSpi() + " and " + QEMU_V2M.numSpis());
        return QEMU_V2M;
    }

    /** QEMU virt's GICv2m frame: SPIs 80..143. */
    public static final XenNodes.MsiSpis QEMU_V2M = new XenNodes.MsiSpis(80, 64);

    // ---- write_properties ----------------------------------------------------------------------------

    private void writeProperties(Node h, Node out, Dom0Modules modules) {
        boolean chosen = h.path().equals("/chosen");
        boolean stripIommu = !settings.viommu() && isXenIommuMaster(h);
        boolean passthrough = h.has("xen,passthrough");
        Property status = null;
        for (Property p : h.properties()) {
            String name = p.name();
            if (chosen) {
                if (name.equals("xen,dom0-bootargs")) {
                    hadDom0Bootargs = true;
                    bootargs = p.string();
                    continue;
                }
                if (name.equals("bootargs")) {
                    if (bootargs == null && !hadDom0Bootargs) bootargs = p.string();
                    continue;
                }
                if (CHOSEN_DROPPED.contains(name)) continue;
            }
            if (name.equals("xen,passthrough")) continue;
            if (name.equals("status")) {
                status = p;
                continue;
            }
            if (stripIommu && IOMMU_PROPERTIES.contains(name)) continue;
            out.append(new Property(name, p.value()));
        }
        if (passthrough) out.append(Property.strings("status", "disabled"));
        else if (status != null) out.append(new Property("status", status.value()));
        if (chosen) {
            if (bootargs != null) out.append(new Property("bootargs", (bootargs + "\0").getBytes(StandardCharsets.UTF_8)));
            if (modules.hasInitrd()) {
                out.append(new Property("linux,initrd-start", new byte[8]));
                out.append(new Property("linux,initrd-end", new byte[8]));
            }
        }
    }

    /**
     * Xen's IOMMU-master test: the IOMMU named by the first {@code iommus} entry, or by the first
     * {@code iommu-map} entry when there is no {@code iommus}, is one of Xen's IOMMUs.
     */
    private boolean isXenIommuMaster(Node n) {
        Property iommus = n.property("iommus");
        long ph = -1;
        if (iommus != null && iommus.cellCount() >= 1) ph = iommus.cell(0);
        else {
            Property map = n.property("iommu-map");
            if (map != null && map.cellCount() >= 2) ph = map.cell(1);
        }
        if (ph < 0) return false;
        Node target = host.byPhandle(ph);
        return target != null && XenHost.isXenIommu(target);
    }

    // ---- root extras ---------------------------------------------------------------------------------

    private void finishRoot(Node root) {
        int ac = (int) host.tree().root().u32("#address-cells", DtAddresses.DEFAULT_CELLS);
        int sc = (int) host.tree().root().u32("#size-cells", DtAddresses.DEFAULT_CELLS);
        int[] ppi = host.timerPpis();
        int evtchn = XenNodes.lowestFreePpi(ppi[0], ppi[1], ppi[2]);
        try {
            // regions the root's cells cannot express are left out
            List<GuestMemoryMap.Region> ext = memory.extRegions().stream()
                    .filter(r -> fits(r.base(), ac) && fits(r.size(), sc) && fits(r.end() - 1, ac)).toList();
            root.add(XenNodes.hypervisor(ac, sc, memory.gnttab(), ext, evtchn, host.gicPhandle()));
        } catch (BadInputException e) {
            throw new BadInputException(host.file() + ": " + e.location(), e.getMessage());
        }
        root.add(XenNodes.psci());
        byte[] compat = host.firstCpu().property("compatible").value();
        root.add(XenNodes.cpus(compat, host.cpuClock(), vcpus, true));
        root.add(XenNodes.memory(ac, sc, memory.ram()));
        if (!memory.reserved().isEmpty()) root.add(XenNodes.memory(ac, sc, memory.reserved()));
    }

    private static boolean fits(long value, int cells) {
        return cells >= 2 || (value >>> 32) == 0;
    }

    // ---- the no-dangling deviation ----------------------------------------------------------------------

    /**
     * Removes {@code iommus}, {@code iommu-map} and {@code iommu-map-mask} from every node whose
     * IOMMU references name a node dom0 does not have (a hidden SMMUv1/v2/IPMMU, an SMMUv3 without
     * a vSMMU, an IOMMU hidden for another reason).
     */
    private void stripDanglingIommuReferences(DeviceTree out) {
        Set<Integer> present = out.phandles().keySet();
        out.walk(n -> {
            if (!refersToMissing(n, present)) return;
            for (String p : IOMMU_PROPERTIES) n.removeProperty(p);
            warnings.add(host.file() + ": " + n.path() + ": warning: its IOMMU is not in dom0's tree: iommus/iommu-map removed "
                    + "(xldt deviation; Xen would leave the reference dangling)");
        });
    }

    private boolean refersToMissing(Node n, Set<Integer> present) {
        Property iommus = n.property("iommus");
        if (iommus != null) {
            int i = 0;
            while (i < iommus.cellCount()) {
                int ph = (int) iommus.cell(i);
                if (!present.contains(ph)) return true;
                Node target = host.byPhandle(ph & 0xffffffffL);
                if (target == null) return true;
                i += 1 + (int) target.u32("#iommu-cells", 0);
            }
        }
        Property map = n.property("iommu-map");
        if (map != null) {
            for (int i = 1; i < map.cellCount(); i += 4) if (!present.contains((int) map.cell(i))) return true;
        }
        return false;
    }
}
