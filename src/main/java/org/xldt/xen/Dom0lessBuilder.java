package org.xldt.xen;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xldt.BadInputException;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtbReader;
import org.xldt.dt.DtbWriter;
import org.xldt.dt.DtsReader;
import org.xldt.dt.Node;
import org.xldt.dt.Property;
import org.xldt.xen.Dom0lessDomain.StaticBank;
import org.xldt.xen.GuestMemoryMap.Region;
import org.xldt.xen.ModulePlacement.Layout;
import org.xldt.xen.ModulePlacement.Placed;
import org.xldt.xen.ModulePlacement.Request;
import org.xldt.xen.ModulePlacement.Reserved;
import org.xldt.xlcfg.Diagnostic;
import org.xldt.xlcfg.Location;

/**
 * Builds everything {@code xldt dom0less} writes from a {@link Dom0lessSystem}: the boot-ready
 * host DTB (the host tree with {@code /chosen} filled in for Xen, dom0 and every domU, and
 * {@code xen,passthrough} on the devices given to domUs), one partial DTB per domU with
 * {@code dtdev} devices ({@link PassthroughTreeBuilder}), the load addresses of every binary
 * ({@link ModulePlacement}), the device tree Xen will build for each domU
 * ({@link DomUTreeBuilder}) and the U-Boot script ({@link UbootScript}). It reads the host tree
 * and the binaries (for their sizes); it writes nothing.
 *
 * <p>Checks across domains, each reported at the offending setting: a {@code dtdev} missing from
 * the host tree, a device (or a register page, or an SPI) given to two domUs, an SPI that is the
 * domain's own emulated PL011's or vSMMUv3's, static memory outside host RAM or on reserved
 * memory, a missing or unbootable kernel, a missing ramdisk, partial tree or Xen image.
 */
public final class Dom0lessBuilder {
    /** What a binary is, for the {@code /chosen} nodes and the script. */
    public enum Kind {
        DOM0_KERNEL, DOM0_RAMDISK, DOMU_KERNEL, DOMU_RAMDISK, DOMU_DEVICE_TREE, XEN, HOST_DTB
    }

    /**
     * A binary U-Boot loads.
     *
     * @param kind    what it is
     * @param domain  the domU it belongs to (empty for dom0, Xen and the host DTB)
     * @param file    where it is read from (a generated partial DTB or the host DTB: where it is written)
     * @param address its load address
     * @param size    its size as ImageBuilder computes it (the module's {@code reg} size)
     */
    public record Module(Kind kind, Optional<String> domain, Path file, long address, long size) {
        public long end() {
            return address + size;
        }
    }

    /**
     * A domU's partial device tree.
     *
     * @param domain    the domU
     * @param tree      the tree
     * @param dtb       its bytes
     * @param file      where it is (a generated one: where it is to be written)
     * @param generated whether xldt made it (from {@code dtdev}); false for a given {@code device_tree}
     */
    public record Partial(String domain, DeviceTree tree, byte[] dtb, Path file, boolean generated) {
    }

    /**
     * Everything built.
     *
     * @param hostTree      the boot-ready host tree
     * @param hostDtb       its bytes (dtc's layout)
     * @param partials      the partial device trees, in domU order
     * @param modules       every binary with its load address, in load order
     * @param scriptAddress where the U-Boot script itself is loaded
     * @param previews      per domU name, the tree Xen builds for it (not for direct-mapped domUs)
     * @param hostWarnings  what the host tree lacks for Xen (from {@link XenHost}), one line each
     * @param warnings      located warnings about the configuration
     */
    public record Output(DeviceTree hostTree, byte[] hostDtb, List<Partial> partials, List<Module> modules, long scriptAddress,
            Map<String, DeviceTree> previews, List<String> hostWarnings, List<Diagnostic> warnings) {
    }

    private final Dom0lessSystem sys;
    private final Dom0lessReader.FileSource files;
    private final Path output;
    private final int ipaBits;
    private final List<Diagnostic> warnings = new ArrayList<>();
    private final List<String> hostWarnings = new ArrayList<>();

    private Dom0lessBuilder(Dom0lessSystem sys, Dom0lessReader.FileSource files, Path output, int ipaBits) {
        this.sys = sys;
        this.files = files;
        this.output = output;
        this.ipaBits = ipaBits;
    }

    /**
     * Builds the outputs.
     *
     * @param output  the path the host DTB will be written to (the partial DTBs go beside it)
     * @param ipaBits the IPA size for the domU previews' extended regions
     * @throws BadInputException for any problem, located at its setting
     */
    public static Output build(Dom0lessSystem sys, Dom0lessReader.FileSource files, Path output, int ipaBits) {
        return new Dom0lessBuilder(sys, files, output, ipaBits).build();
    }

    /** The partial DTB of domain {@code name} beside {@code output}: {@code STEM-NAME-passthrough.dtb}. */
    public static Path partialPath(Path output, String name) {
        String file = output.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        return output.resolveSibling(stem + "-" + name + "-passthrough.dtb");
    }

    private Output build() {
        DeviceTree hostTree = readHost();
        Dom0Settings settings = Dom0Settings.read(XenCmdline.parse(sys.xenCmdline()), at(sys.at("xen_cmdline")));
        XenHost host = new XenHost(hostTree, sys.hostDtb().toString(), settings);
        hostWarnings.addAll(host.warnings());
        checkChosenIsFree(hostTree);

        // partial device trees
        List<Partial> partials = new ArrayList<>();
        Map<String, PassthroughTreeBuilder.Result> generated = new LinkedHashMap<>();
        Map<Node, Owner> owners = new IdentityHashMap<>();
        Map<Long, Owner> pageOwners = new LinkedHashMap<>();
        Map<Integer, Owner> spiOwners = new LinkedHashMap<>();
        for (Dom0lessDomain d : sys.domUs()) {
            if (!d.config().dtdevs().isEmpty()) {
                VsidMap vsids = d.hasVsmmu() ? new VsidMap(VsidMap.Mode.VIRTUAL) : null;
                PassthroughTreeBuilder.Result r = PassthroughTreeBuilder.build(host, d, vsids);
                warnings.addAll(r.warnings());
                generated.put(d.name(), r);
                for (PassthroughTreeBuilder.Assigned a : r.devices()) {
                    claim(host, d, a, owners, pageOwners, spiOwners);
                }
                byte[] dtb = DtbWriter.write(r.tree());
                partials.add(new Partial(d.name(), r.tree(), dtb, partialPath(output, d.name()), true));
            } else if (d.deviceTree().isPresent()) {
                partials.add(givenPartial(host, d, owners));
            }
        }
        checkConsole(host, owners);
        checkStaticMemory(host);
        boolean viommuOn = settings.viommu();
        for (Dom0lessDomain d : sys.domUs()) {
            if (d.hasVsmmu() && !viommuOn) {
                warnings.add(Diagnostic.warning(d.at("viommu"), d.name() + " asks for a vSMMUv3 but xen_cmdline does not enable it",
                        "the series' Xen creates vSMMUs only with viommu=smmuv3 (v2/v3) or viommu=1 (RFC/v1) on its command line"));
            }
        }

        // binaries and their addresses
        List<Request> requests = new ArrayList<>();
        List<Module> pending = new ArrayList<>();
        Map<String, DomUTreeBuilder.Kernel> kernels = new LinkedHashMap<>();
        Map<String, Long> ramdisks = new LinkedHashMap<>();
        if (sys.dom0().isPresent()) {
            Dom0lessSystem.Dom0 dom0 = sys.dom0().get();
            byte[] k = readBinary(dom0.kernel(), sys.at("dom0_kernel"), "dom0 kernel");
            checkBootable(KernelImage.of(k), dom0.kernel(), sys.at("dom0_kernel"));
            add(requests, pending, Kind.DOM0_KERNEL, null, dom0.kernel(), KernelImage.imageBuilderSize(k));
            if (dom0.ramdisk().isPresent()) {
                byte[] r = readBinary(dom0.ramdisk().get(), sys.at("dom0_ramdisk"), "dom0 ramdisk");
                add(requests, pending, Kind.DOM0_RAMDISK, null, dom0.ramdisk().get(), KernelImage.imageBuilderSize(r));
            }
        }
        for (Dom0lessDomain d : sys.domUs()) {
            byte[] k = readBinary(d.kernel(), d.at("kernel"), "kernel of " + d.name());
            KernelImage img = KernelImage.of(k);
            checkBootable(img, d.kernel(), d.at("kernel"));
            long ksize = KernelImage.imageBuilderSize(k);
            kernels.put(d.name(), new DomUTreeBuilder.Kernel(img, ksize));
            add(requests, pending, Kind.DOMU_KERNEL, d.name(), d.kernel(), ksize);
            if (d.ramdisk().isPresent()) {
                byte[] r = readBinary(d.ramdisk().get(), d.at("ramdisk"), "ramdisk of " + d.name());
                long rsize = KernelImage.imageBuilderSize(r);
                ramdisks.put(d.name(), rsize);
                add(requests, pending, Kind.DOMU_RAMDISK, d.name(), d.ramdisk().get(), rsize);
            }
            for (Partial p : partials) {
                if (p.domain().equals(d.name())) {
                    add(requests, pending, Kind.DOMU_DEVICE_TREE, d.name(), p.file(), KernelImage.imageBuilderSize(p.dtb()));
                }
            }
        }
        if (sys.xen().isPresent()) {
            byte[] x = readBinary(sys.xen().get(), sys.at("xen"), "Xen image");
            add(requests, pending, Kind.XEN, null, sys.xen().get(), KernelImage.imageBuilderSize(x));
        }
        long[] window = memoryWindow(host);
        List<Reserved> reserved = new ArrayList<>(reserved(host));
        for (Dom0lessDomain d : sys.domUs()) {
            for (StaticBank b : d.staticMem()) reserved.add(new Reserved(b.address(), b.size(), "static memory of " + d.name()));
        }

        // the host DTB goes last: its size depends on the addresses written into it
        long guess = 0;
        for (int pass = 0; ; pass++) {
            List<Request> all = new ArrayList<>(requests);
            all.add(new Request("host dtb", guess));
            Layout layout = ModulePlacement.place(window[0], reserved, all);
            List<Module> modules = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                Module m = pending.get(i);
                Placed p = layout.modules().get(i);
                modules.add(new Module(m.kind(), m.domain(), m.file(), p.address(), p.size()));
            }
            Placed dtbAt = layout.modules().get(pending.size());
            modules.add(new Module(Kind.HOST_DTB, Optional.empty(), output, dtbAt.address(), dtbAt.size()));
            DeviceTree out = hostTree.deepCopy();
            fillChosen(out, modules);
            markPassthrough(out, owners);
            byte[] dtb = DtbWriter.write(out);
            if (dtb.length != guess && pass < 3) {
                guess = dtb.length;
                continue;
            }
            ModulePlacement.checkFits(layout, window[1], at(sys.at(sys.source().has("memory_end") ? "memory_end" : "host_dtb")));
            Map<String, DeviceTree> previews = previews(host, partials, kernels, ramdisks);
            return new Output(out, dtb, partials, modules, layout.scriptAddress(), previews, hostWarnings, warnings);
        }
    }

    private record Owner(Dom0lessDomain domain, Location location, String what) {
    }

    private static String at(Location l) {
        return l.toString();
    }

    // ---- inputs ---------------------------------------------------------------------------------

    private DeviceTree readHost() {
        Path p = sys.hostDtb();
        byte[] bytes = readBinary(p, sys.at("host_dtb"), "host device tree");
        if (DtbReader.hasMagic(bytes)) return DtbReader.read(bytes, p.toString());
        Path dir = files.locate(p).toAbsolutePath().getParent();
        return DtsReader.read(p.toString(), bytes, dir);
    }

    private byte[] readBinary(Path p, Location at, String what) {
        try {
            return files.read(p);
        } catch (NoSuchFileException e) {
            throw new BadInputException(at(at), "the " + what + " " + p + " does not exist");
        } catch (IOException e) {
            throw new BadInputException(at(at), "cannot read the " + what + " " + p + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private static void checkBootable(KernelImage img, Path file, Location at) {
        if (img.kind() == KernelImage.Kind.UNKNOWN) {
            throw new BadInputException(at(at), file + " is neither an arm64 Image nor an arm32 zImage (no boot header): Xen cannot load it");
        }
    }

    private void checkChosenIsFree(DeviceTree t) {
        Node chosen = t.root().child("chosen");
        if (chosen == null) return;
        for (Node c : chosen.children()) {
            if (c.isCompatible("xen,domain") || c.isCompatible("multiboot,module") || c.isCompatible("xen,multiboot-module")) {
                throw new BadInputException(at(sys.at("host_dtb")), "the host device tree already has " + c.path()
                        + " (" + String.join(", ", c.strings("compatible")) + "); give xldt a board DTB without boot modules");
            }
        }
    }

    /** A {@code device_tree} given by the user: read, checked, its {@code xen,path} devices claimed. */
    private Partial givenPartial(XenHost host, Dom0lessDomain d, Map<Node, Owner> owners) {
        Path p = d.deviceTree().get();
        byte[] bytes = readBinary(p, d.at("device_tree"), "partial device tree of " + d.name());
        if (!DtbReader.hasMagic(bytes)) {
            throw new BadInputException(at(d.at("device_tree")), p + " is not a DTB (Xen takes the partial device tree as a blob)");
        }
        DeviceTree tree = DtbReader.read(bytes, p.toString());
        Node pt = null;
        for (Node c : tree.root().children()) if (c.name().equalsIgnoreCase("passthrough")) pt = c;
        if (pt == null) throw new BadInputException(at(d.at("device_tree")), p + " has no /passthrough node");
        List<Node> paths = new ArrayList<>();
        DeviceTree.walk(pt, n -> {
            if (n.has("xen,path")) paths.add(n);
        });
        for (Node n : paths) {
            String hp = n.string("xen,path");
            Node h = host.tree().find(hp);
            if (h == null) {
                throw new BadInputException(at(d.at("device_tree")), p + ": " + n.path() + " has xen,path = \"" + hp
                        + "\", which is not in the host device tree");
            }
            Owner first = owners.putIfAbsent(h, new Owner(d, d.at("device_tree"), hp));
            if (first != null && first.domain() != d) {
                throw new BadInputException(at(d.at("device_tree")), hp + " is given to " + d.name() + " and to "
                        + first.domain().name() + " (" + first.location() + ")");
            }
        }
        return new Partial(d.name(), tree, bytes, p, false);
    }

    /** Records a device, its pages and SPIs as the domain's; another domU must not have them. */
    private void claim(XenHost host, Dom0lessDomain d, PassthroughTreeBuilder.Assigned a, Map<Node, Owner> owners,
            Map<Long, Owner> pageOwners, Map<Integer, Owner> spiOwners) {
        Node n = host.tree().find(a.hostPath());
        Owner me = new Owner(d, a.location(), a.hostPath());
        Owner first = owners.putIfAbsent(n, me);
        if (first != null) {
            throw new BadInputException(at(a.location()), "device " + a.hostPath() + " is given to two domUs: " + first.domain().name()
                    + " (" + first.location() + ") and " + d.name());
        }
        for (Region r : a.hostPages()) {
            for (long page = r.base(); page < r.end(); page += PassthroughTreeBuilder.PAGE) {
                Owner o = pageOwners.putIfAbsent(page, me);
                if (o != null && o.domain() != d) {
                    throw new BadInputException(at(a.location()), "device " + a.hostPath() + " shares the page 0x" + Long.toHexString(page)
                            + " with " + o.what() + " of " + o.domain().name() + " (" + o.location()
                            + "): Xen maps whole pages, so each domain would reach the other's registers");
                }
            }
        }
        for (int spi : a.spis()) {
            if (d.vpl011() && spi == GuestMemoryMap.VPL011_SPI) {
                throw new BadInputException(at(a.location()), "device " + a.hostPath() + " uses SPI " + spi + ", which is "
                        + d.name() + "'s emulated PL011 interrupt (vpl011); set vpl011 = 0 or pass another device");
            }
            if (d.hasVsmmu() && spi == GuestMemoryMap.VSMMU_SPI) {
                throw new BadInputException(at(a.location()), "device " + a.hostPath() + " uses SPI " + spi + ", which is "
                        + d.name() + "'s vSMMUv3 interrupt");
            }
            Owner o = spiOwners.putIfAbsent(spi, me);
            if (o != null && o.domain() != d) {
                throw new BadInputException(at(a.location()), "device " + a.hostPath() + " uses SPI " + spi + ", which "
                        + o.what() + " of " + o.domain().name() + " (" + o.location() + ") also uses: an SPI goes to one domain");
            }
        }
    }

    /** Xen's console UART cannot be given away. */
    private void checkConsole(XenHost host, Map<Node, Owner> owners) {
        Node uart = host.consoleUart();
        Owner o = uart == null ? null : owners.get(uart);
        if (o != null) {
            throw new BadInputException(at(o.location()), "device " + uart.path() + " is Xen's console UART; Xen keeps it for itself");
        }
    }

    /** Memory no binary may use: {@code /memreserve/} entries and {@code /reserved-memory} regions. */
    static List<Reserved> reserved(XenHost host) {
        List<Reserved> out = new ArrayList<>();
        for (Region r : host.memreserve()) out.add(new Reserved(r.base(), r.size(), "/memreserve/"));
        for (Region r : host.reservedMemory()) out.add(new Reserved(r.base(), r.size(), "/reserved-memory"));
        return out;
    }

    /** Static memory must be host RAM, off reserved memory. */
    private void checkStaticMemory(XenHost host) {
        List<Region> ram = host.ram();
        List<Reserved> reserved = reserved(host);
        for (Dom0lessDomain d : sys.domUs()) {
            for (StaticBank b : d.staticMem()) {
                boolean inside = ram.stream().anyMatch(r -> b.address() >= r.base() && b.end() <= r.end());
                if (!inside && !ram.isEmpty()) {
                    throw new BadInputException(at(b.location()), "static memory " + Dom0lessReader.range(b.address(), b.size())
                            + " of " + d.name() + " is not within the host's RAM");
                }
                for (Reserved r : reserved) {
                    if (b.address() < r.end() && r.start() < b.end()) {
                        throw new BadInputException(at(b.location()), "static memory " + Dom0lessReader.range(b.address(), b.size())
                                + " of " + d.name() + " overlaps reserved memory " + r.what() + " ("
                                + Dom0lessReader.range(r.start(), r.size()) + ")");
                    }
                }
            }
        }
    }

    /** [memory_start, memory_end): given, or the host's first RAM bank (lowest address). */
    private long[] memoryWindow(XenHost host) {
        List<Region> ram = new ArrayList<>(host.ram());
        ram.sort(java.util.Comparator.comparingLong(Region::base));
        long start;
        if (sys.memoryStart().isPresent()) {
            start = sys.memoryStart().getAsLong();
        } else if (!ram.isEmpty()) {
            start = ram.get(0).base();
        } else {
            throw new BadInputException(at(sys.at("host_dtb")), "the host device tree describes no memory; set memory_start and memory_end");
        }
        long end;
        if (sys.memoryEnd().isPresent()) {
            end = sys.memoryEnd().getAsLong();
        } else {
            long s = start;
            end = ram.stream().filter(r -> s >= r.base() && s < r.end()).map(Region::end).findFirst()
                    .orElseThrow(() -> new BadInputException(at(sys.at("memory_start")), "memory_start 0x" + Long.toHexString(s)
                            + " is not in a host memory bank; set memory_end"));
        }
        return new long[] {start, end};
    }

    private static void add(List<Request> requests, List<Module> pending, Kind kind, String domain, Path file, long size) {
        String name = (domain == null ? "" : domain + " ") + kind.name().toLowerCase(java.util.Locale.ROOT);
        requests.add(new Request(name, size));
        pending.add(new Module(kind, Optional.ofNullable(domain), file, 0, size));
    }

    // ---- the host tree ----------------------------------------------------------------------------

    private void fillChosen(DeviceTree out, List<Module> modules) {
        Node chosen = out.root().child("chosen");
        if (chosen == null) chosen = out.root().addChild("chosen");
        chosen.set(Property.cells("#address-cells", 2));
        chosen.set(Property.cells("#size-cells", 2));
        chosen.set(Property.strings("xen,xen-bootargs", sys.xenCmdline()));
        if (sys.dom0().isPresent()) {
            Optional<String> cmd = sys.dom0().get().cmdline();
            if (cmd.isPresent()) chosen.set(Property.strings("xen,dom0-bootargs", cmd.get()));
            for (Module m : modules) {
                if (m.kind() == Kind.DOM0_KERNEL) chosen.add(module(m, "multiboot,kernel", Optional.empty()));
                if (m.kind() == Kind.DOM0_RAMDISK) chosen.add(module(m, "multiboot,ramdisk", Optional.empty()));
            }
        }
        for (Dom0lessDomain d : sys.domUs()) {
            Node n = chosen.addChild(d.name());
            n.append(Property.strings("compatible", "xen,domain"));
            n.append(Property.cells("#address-cells", 2));
            n.append(Property.cells("#size-cells", 2));
            n.append(Property.u64Cells("memory", d.memoryKiB()));
            n.append(Property.cells("cpus", d.config().vcpus().max()));
            if (!d.staticMem().isEmpty()) {
                long[] v = new long[d.staticMem().size() * 2];
                for (int i = 0; i < d.staticMem().size(); i++) {
                    v[2 * i] = d.staticMem().get(i).address();
                    v[2 * i + 1] = d.staticMem().get(i).size();
                }
                n.append(Property.u64Cells("xen,static-mem", v));
            }
            if (d.directMap()) n.append(Property.empty("direct-map"));
            if (d.vpl011()) n.append(Property.empty("vpl011"));
            if (d.enhanced() != Dom0lessDomain.Enhanced.DISABLED) n.append(Property.strings("xen,enhanced", d.enhanced().value()));
            if (d.config().source().has("nr_spis")) n.append(Property.cells("nr_spis", d.config().nrSpis()));
            if (d.config().passthrough() == DomainConfig.Passthrough.SHARE_PT || d.deviceTree().isPresent()) {
                n.append(Property.strings("passthrough", "enabled"));
            }
            if (d.hasVsmmu()) n.append(Property.strings("viommu", "smmuv3"));
            for (Module m : modules) {
                if (!m.domain().equals(Optional.of(d.name()))) continue;
                switch (m.kind()) {
                    case DOMU_KERNEL -> n.add(module(m, "multiboot,kernel", d.config().cmdline()));
                    case DOMU_RAMDISK -> n.add(module(m, "multiboot,ramdisk", Optional.empty()));
                    case DOMU_DEVICE_TREE -> n.add(module(m, "multiboot,device-tree", Optional.empty()));
                    default -> {
                    }
                }
            }
        }
    }

    private static Node module(Module m, String kind, Optional<String> bootargs) {
        Node n = new Node("module@" + Long.toHexString(m.address()));
        n.append(Property.strings("compatible", kind, "multiboot,module"));
        n.append(Property.u64Cells("reg", m.address(), m.size()));
        bootargs.ifPresent(b -> n.append(Property.strings("bootargs", b)));
        return n;
    }

    /** {@code xen,passthrough} (empty) on every host node given to a domU, so that dom0 does not get it. */
    private static void markPassthrough(DeviceTree out, Map<Node, Owner> owners) {
        for (Node h : owners.keySet()) {
            Node n = out.find(h.path());
            if (n != null && !n.has("xen,passthrough")) n.append(Property.empty("xen,passthrough"));
        }
    }

    // ---- previews ---------------------------------------------------------------------------------

    private Map<String, DeviceTree> previews(XenHost host, List<Partial> partials, Map<String, DomUTreeBuilder.Kernel> kernels,
            Map<String, Long> ramdisks) {
        Map<String, DeviceTree> out = new LinkedHashMap<>();
        for (Dom0lessDomain d : sys.domUs()) {
            if (d.directMap()) {
                warnings.add(Diagnostic.warning(d.at("direct_map"), "no --domu-dir tree for " + d.name()
                        + ": a direct-mapped domain's GIC, UART and extended regions follow the host, which xldt does not model"));
                continue;
            }
            Optional<DeviceTree> partial = partials.stream().filter(p -> p.domain().equals(d.name())).map(Partial::tree).findFirst();
            out.put(d.name(), DomUTreeBuilder.build(host, d, partial, kernels.get(d.name()), ramdisks.getOrDefault(d.name(), 0L), ipaBits));
        }
        return out;
    }
}
