package org.xldt.xen;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xldt.BadInputException;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.Node;
import org.xldt.dt.PhandleRefs;
import org.xldt.dt.Property;
import org.xldt.xen.DomainConfig.IomemRange;
import org.xldt.xen.GuestMemoryMap.Region;
import org.xldt.xlcfg.Diagnostic;
import org.xldt.xlcfg.Location;

/**
 * The partial device tree of a dom0less domU, generated from its {@code dtdev} host paths (what
 * Lopper's extract-xen produces, and what Xen's {@code docs/misc/arm/passthrough.txt} asks for):
 *
 * <pre>
 * / { #address-cells = &lt;2&gt;; #size-cells = &lt;2&gt;;
 *     passthrough { compatible = "simple-bus"; ranges; #address-cells = &lt;2&gt;; #size-cells = &lt;2&gt;;
 *         NAME@GUEST { ...host properties...; reg = &lt;guest addresses&gt;;
 *                      interrupts = &lt;...&gt;; interrupt-parent = &lt;65000&gt;;
 *                      iommus = &lt;65002 vSID&gt;;             (domains with viommu)
 *                      xen,reg = &lt;host size guest&gt;...;    (page-aligned)
 *                      xen,path = "/host/path"; };
 *         ...the nodes they reference (clocks, resets, phys...), copied without xen,reg...
 *     };
 * };
 * </pre>
 *
 * <p>Rules. Each device: exists in the host tree (exact path, as Xen's {@code dt_find_node_by_path}),
 * is enabled, is not one of Xen's own devices, has {@code reg} that translates to CPU addresses,
 * sits behind an enabled IOMMU that Xen drives (an SMMUv3 with one-cell specifiers for a domain
 * with viommu), and sends its interrupts to the GIC as SPIs. The guest address of each register
 * range is the host address unless an {@code iomem} range of the domain maps its pages elsewhere.
 * {@code xen,reg} lists the page-aligned ranges. Interrupts keep their host numbers (Xen maps them
 * 1:1) and get {@code interrupt-parent = <65000>}. {@code iommus} becomes
 * {@code <65002 vSID>} with a vSID from the domain's {@link VsidMap} when the domain has a
 * vSMMUv3, and is dropped otherwise (Xen programs the physical SMMU itself). Phandles keep their
 * host values; every node a copied property refers to ({@code clocks}, {@code resets},
 * {@code phys}, {@code *-syscon}...) is copied too, without {@code xen,reg}/{@code xen,path} (Xen
 * maps nothing for it: a warning says so when it has registers), its {@code reg} in CPU addresses
 * and its interrupts dropped. A property referring to something the domain cannot have (the GIC's
 * ITS, an IOMMU, CPUs, reserved memory) is dropped with a warning.
 */
public final class PassthroughTreeBuilder {
    static final long PAGE = 0x1000;

    /**
     * A device given to the domain.
     *
     * @param hostPath  its host path
     * @param location  its {@code dtdev} entry
     * @param hostPages the host page ranges it maps ({@code xen,reg}'s first two columns)
     * @param guestRegs its register ranges at their guest addresses
     * @param spis      the interrupt IDs (SPIs) Xen routes to the domain
     */
    public record Assigned(String hostPath, Location location, List<Region> hostPages, List<Region> guestRegs, List<Integer> spis) {
    }

    /**
     * The outcome.
     *
     * @param tree     the partial device tree
     * @param devices  the assigned devices, in {@code dtdev} order
     * @param warnings what the domain will not get (interrupts of child nodes, registers of copied
     *                 providers, dropped properties)
     */
    public record Result(DeviceTree tree, List<Assigned> devices, List<Diagnostic> warnings) {
    }

    private final XenHost host;
    private final Dom0lessDomain dom;
    private final VsidMap vsids;
    private final Node passthrough = new Node("passthrough");
    /** Host node → its copy, for every copied host node (subtrees included). */
    private final Map<Node, Node> copies = new IdentityHashMap<>();
    private final Set<String> names = new HashSet<>();
    private final Deque<Node> referenced = new ArrayDeque<>();
    private final Map<Node, Location> referencedFrom = new IdentityHashMap<>();
    private final List<Diagnostic> warnings = new ArrayList<>();
    private final PhandleRefs.Resolver resolver;

    private PassthroughTreeBuilder(XenHost host, Dom0lessDomain dom, VsidMap vsids) {
        this.host = host;
        this.resolver = PhandleRefs.of(host.tree());
        this.dom = dom;
        this.vsids = vsids;
    }

    /**
     * Builds the partial device tree of {@code dom}'s {@code dtdev} devices.
     *
     * @param vsids the domain's vSID table, used when the domain has a vSMMUv3 (may be null otherwise)
     * @throws BadInputException located at the offending {@code dtdev}/{@code iomem} entry
     */
    public static Result build(XenHost host, Dom0lessDomain dom, VsidMap vsids) {
        return new PassthroughTreeBuilder(host, dom, vsids).build();
    }

    private Result build() {
        List<String> paths = dom.config().dtdevs();
        Map<Node, Integer> chosen = new LinkedHashMap<>();
        for (int i = 0; i < paths.size(); i++) {
            Node n = resolve(paths.get(i), dom.itemAt("dtdev", i));
            for (Map.Entry<Node, Integer> e : chosen.entrySet()) {
                if (within(n, e.getKey()) || within(e.getKey(), n)) {
                    throw new BadInputException(dom.itemAt("dtdev", i).toString(), paths.get(i) + " is given twice to "
                            + dom.name() + (n == e.getKey() ? "" : " (it contains or is inside " + e.getKey().path() + ")"));
                }
            }
            chosen.put(n, i);
        }
        List<Assigned> devices = new ArrayList<>();
        List<boolean[]> iomemUsed = new ArrayList<>();
        for (int k = 0; k < dom.config().iomem().size(); k++) iomemUsed.add(new boolean[1]);
        for (Map.Entry<Node, Integer> e : chosen.entrySet()) {
            devices.add(assign(e.getKey(), dom.itemAt("dtdev", e.getValue()), iomemUsed));
        }
        for (int k = 0; k < iomemUsed.size(); k++) {
            if (!iomemUsed.get(k)[0]) {
                IomemRange io = dom.config().iomem().get(k);
                throw new BadInputException(dom.itemAt("iomem", k).toString(), "iomem range 0x" + Long.toHexString(io.startPfn()) + ","
                        + Long.toHexString(io.pages()) + " maps no register of a dtdev device: a dom0less domain gets MMIO only"
                        + " through its passed-through devices (iomem only moves their guest address)");
            }
        }
        while (!referenced.isEmpty()) {
            Node n = referenced.poll();
            if (covered(n) != null) continue;
            copyReferenced(n);
        }
        Node root = new Node("");
        root.append(Property.cells("#address-cells", 2));
        root.append(Property.cells("#size-cells", 2));
        Node pt = root.add(passthrough);
        pt.insert(0, Property.cells("#size-cells", 2));
        pt.insert(0, Property.cells("#address-cells", 2));
        pt.insert(0, Property.empty("ranges"));
        pt.insert(0, Property.strings("compatible", "simple-bus"));
        DeviceTree tree = new DeviceTree(root);
        for (Node c : copies.values()) {
            int ph = c.phandle();
            if (ph != 0 && Integer.compareUnsigned(ph, GuestMemoryMap.PHANDLE_RESERVED_FIRST) >= 0) {
                throw new BadInputException(dom.itemAt("dtdev", 0).toString(), "the host phandle 0x" + Integer.toHexString(ph)
                        + " of a copied node is in Xen's reserved range (65000 and up); Xen refuses such a partial device tree");
            }
        }
        return new Result(tree, devices, warnings);
    }

    // ---- the assigned devices -------------------------------------------------------------------

    private Node resolve(String path, Location at) {
        Node n = host.tree().find(path);
        if (n == null) {
            Node loose = host.tree().findLoose(path);
            throw new BadInputException(at.toString(), "dtdev " + path + " is not in the host device tree"
                    + (loose != null ? " (did you mean " + loose.path() + "?)" : ""));
        }
        String why = xenOwned(n);
        if (why != null) throw new BadInputException(at.toString(), "dtdev " + path + " cannot be given to a domain: " + why);
        if (!n.isEnabled()) {
            throw new BadInputException(at.toString(), "dtdev " + path + " is disabled in the host device tree (status = \""
                    + n.string("status") + "\")");
        }
        return n;
    }

    /** Whether {@code n} is inside {@code ancestor} (or is it). */
    static boolean within(Node n, Node ancestor) {
        for (Node p = n; p != null; p = p.parent()) if (p == ancestor) return true;
        return false;
    }

    /** Whether {@code n} is the GIC Xen drives or inside it (an ITS, a v2m frame). */
    private boolean isGicOrChild(Node n) {
        return within(n, host.gic());
    }

    /** Why Xen keeps a node for itself, or null. */
    private String xenOwned(Node n) {
        if (n.isRoot()) return "it is the root";
        if (isGicOrChild(n)) return "it is (part of) the interrupt controller Xen drives";
        if (XenHost.isXenIommu(n)) return "it is an IOMMU Xen drives";
        for (Node p = n; p != null; p = p.parent()) {
            if (p.parent() != null && p.parent().isRoot()) {
                String top = p.name();
                if (top.equals("cpus") || top.equals("chosen") || top.equals("reserved-memory") || top.equals("aliases")
                        || top.equals("__symbols__")) {
                    return "it is under /" + top;
                }
            }
        }
        if ("memory".equals(n.string("device_type"))) return "it is memory";
        if (XenHost.isTimer(n)) return "it is the architected timer Xen uses";
        if (n.strings("compatible").stream().anyMatch(c -> c.startsWith("arm,psci"))) return "it is PSCI";
        return null;
    }

    private Assigned assign(Node dev, Location at, List<boolean[]> iomemUsed) {
        Optional<List<Region>> cpu = DtAddresses.cpuReg(dev);
        if (cpu.isEmpty()) {
            throw new BadInputException(at.toString(), "the registers of " + dev.path()
                    + " do not translate to CPU addresses (a bus above it has no matching ranges)");
        }
        if (cpu.get().isEmpty()) {
            throw new BadInputException(at.toString(), dev.path() + " has no reg: a passed-through device needs registers (xen,reg)");
        }
        List<Region> hostPages = new ArrayList<>();
        List<Region> guestRegs = new ArrayList<>();
        List<Region> guestPages = new ArrayList<>();
        for (Region r : cpu.get()) {
            long first = r.base() & -PAGE;
            long end = (r.end() + PAGE - 1) & -PAGE;
            long delta = guestDelta(first, end, at, iomemUsed);
            guestRegs.add(new Region(r.base() + delta, r.size()));
            addMerged(hostPages, guestPages, new Region(first, end - first), delta);
        }
        checkGuestAddresses(dev, guestPages, at);
        List<Integer> spis = spis(dev, at);
        List<Long> iommus = iommus(dev, at);

        Node copy = copyNode(dev, nameFor(dev.baseName(), Optional.of(guestRegs.get(0).base())), Role.ASSIGNED, at);
        // reg at guest addresses, in /passthrough's 2/2 cells, where the host reg stood
        copy.set(XenNodes.reg(2, 2, guestRegs));
        if (iommus.isEmpty()) copy.removeProperty("iommus");
        else copy.set(new Property("iommus", XenNodes.u32s(iommus.stream().mapToLong(Long::longValue).toArray())));
        long[] xenReg = new long[hostPages.size() * 6];
        for (int i = 0; i < hostPages.size(); i++) {
            Region h = hostPages.get(i);
            long[] one = {h.base() >>> 32, h.base() & 0xffffffffL, h.size() >>> 32, h.size() & 0xffffffffL,
                guestPages.get(i).base() >>> 32, guestPages.get(i).base() & 0xffffffffL};
            System.arraycopy(one, 0, xenReg, i * 6, 6);
        }
        copy.append(Property.cells("xen,reg", xenReg));
        copy.append(Property.strings("xen,path", dev.path()));
        passthrough.add(copy);
        return new Assigned(dev.path(), at, hostPages, guestRegs, spis);
    }

    /** The guest-minus-host offset of the pages [first, end): 0 unless an iomem range maps them. */
    private long guestDelta(long first, long end, Location at, List<boolean[]> iomemUsed) {
        List<IomemRange> io = dom.config().iomem();
        for (int k = 0; k < io.size(); k++) {
            IomemRange r = io.get(k);
            long s = r.startAddress();
            long e = s + r.sizeBytes();
            if (first < e && s < end) {
                if (first < s || end > e) {
                    throw new BadInputException(dom.itemAt("iomem", k).toString(), "iomem range 0x" + Long.toHexString(r.startPfn()) + ","
                            + Long.toHexString(r.pages()) + " covers only part of the register pages 0x" + Long.toHexString(first)
                            + "-0x" + Long.toHexString(end - 1) + " of a dtdev device (" + at + ")");
                }
                iomemUsed.get(k)[0] = true;
                return r.guestAddress() - s;
            }
        }
        return 0;
    }

    /** Adds a page range with its guest offset, merging with an overlapping or adjacent one of the same offset. */
    private static void addMerged(List<Region> hostPages, List<Region> guestPages, Region pages, long delta) {
        for (int i = 0; i < hostPages.size(); i++) {
            Region h = hostPages.get(i);
            long d = guestPages.get(i).base() - h.base();
            if (d == delta && pages.base() <= h.end() && h.base() <= pages.end()) {
                long s = Math.min(h.base(), pages.base());
                long e = Math.max(h.end(), pages.end());
                hostPages.set(i, new Region(s, e - s));
                guestPages.set(i, new Region(s + delta, e - s));
                return;
            }
        }
        hostPages.add(pages);
        guestPages.add(new Region(pages.base() + delta, pages.size()));
    }

    /** A guest address range must not land on what Xen puts in the domain's address space. */
    private void checkGuestAddresses(Node dev, List<Region> guestPages, Location at) {
        for (Region g : guestPages) {
            for (Map.Entry<String, Region> r : DomUTreeBuilder.guestLayout(dom, host.gicKind()).entrySet()) {
                if (g.overlaps(r.getValue())) {
                    throw new BadInputException(at.toString(), "the registers of " + dev.path() + " at guest address 0x"
                            + Long.toHexString(g.base()) + "-0x" + Long.toHexString(g.end() - 1) + " overlap the domain's "
                            + r.getKey() + " (0x" + Long.toHexString(r.getValue().base()) + "-0x"
                            + Long.toHexString(r.getValue().end() - 1) + "); map them elsewhere with iomem = [ \"MFN,NR@GFN\" ]");
                }
            }
        }
    }

    /** The SPIs of the device's own interrupts, which must go to the GIC. */
    private List<Integer> spis(Node dev, Location at) {
        List<Integer> out = new ArrayList<>();
        Property ints = dev.property("interrupts");
        Property ext = dev.property("interrupts-extended");
        if (ints != null) {
            Node parent = host.interruptParent(dev);
            if (parent != host.gic()) {
                throw new BadInputException(at.toString(), "the interrupts of " + dev.path() + " go to "
                        + (parent == null ? "no interrupt controller" : parent.path())
                        + ", not to the GIC: Xen can only route GIC interrupts to a domain");
            }
            addSpis(dev, cellsOf(dev, ints, at), 0, ints.cellCount(), at, out);
        } else if (ext != null) {
            long[] c = cellsOf(dev, ext, at);
            int i = 0;
            while (i < c.length) {
                Node target = host.byPhandle(c[i]);
                if (target != host.gic()) {
                    throw new BadInputException(at.toString(), "interrupts-extended of " + dev.path() + " names "
                            + (target == null ? "phandle 0x" + Long.toHexString(c[i]) : target.path())
                            + ", not the GIC: Xen can only route GIC interrupts to a domain");
                }
                addSpis(dev, c, i + 1, i + 4, at, out);
                i += 4;
            }
        }
        return out;
    }

    private void addSpis(Node dev, long[] cells, int from, int to, Location at, List<Integer> out) {
        int ic = (int) host.gic().u32("#interrupt-cells", 3);
        if (ic != 3 || (to - from) % 3 != 0 || to > cells.length) {
            throw new BadInputException(at.toString(), "the interrupts of " + dev.path() + " are not 3-cell GIC specifiers");
        }
        for (int i = from; i < to; i += 3) {
            if (cells[i] != XenNodes.GIC_SPI) {
                throw new BadInputException(at.toString(), "interrupt " + ((i - from) / 3) + " of " + dev.path() + " is a "
                        + (cells[i] == XenNodes.GIC_PPI ? "PPI" : "type " + cells[i] + " interrupt")
                        + ": only SPIs can be routed to a domain");
            }
            out.add((int) cells[i + 1] + GuestMemoryMap.SPI_BASE);
        }
    }

    /** The device's {@code iommus} for the guest: {@code 65002 vSID} pairs with viommu, else none. */
    private List<Long> iommus(Node dev, Location at) {
        Property p = dev.property("iommus");
        if (p == null) {
            throw new BadInputException(at.toString(), dev.path() + " has no iommus: it is not behind an IOMMU, so Xen refuses to"
                    + " assign it (xldt does not generate xen,force-assign-without-iommu, which leaves DMA unprotected)");
        }
        long[] c = cellsOf(dev, p, at);
        List<Integer> at0 = PhandleRefs.cells(dev, p, resolver);
        List<Long> out = new ArrayList<>();
        for (int k = 0; k < at0.size(); k++) {
            int i = at0.get(k);
            Node smmu = host.byPhandle(c[i]);
            if (smmu == null) throw new BadInputException(at.toString(), "iommus of " + dev.path() + " names no node (phandle 0x" + Long.toHexString(c[i]) + ")");
            if (!XenHost.isXenIommu(smmu)) {
                throw new BadInputException(at.toString(), dev.path() + " is behind " + smmu.path() + " ("
                        + String.join(", ", smmu.strings("compatible")) + "), an IOMMU Xen does not drive");
            }
            if (!smmu.isEnabled()) {
                throw new BadInputException(at.toString(), dev.path() + " is behind " + smmu.path() + ", which is disabled in the host"
                        + " device tree: Xen cannot protect the device");
            }
            if (vsids == null) continue;
            int cellsPer = (int) smmu.u32("#iommu-cells", -1);
            if (!smmu.isCompatible("arm,smmu-v3") || cellsPer != 1) {
                throw new BadInputException(dom.at("viommu").toString(), dom.name() + " has viommu = \"smmuv3\" but " + dev.path()
                        + " is behind " + smmu.path() + ", which is not an SMMUv3 with one-cell stream IDs");
            }
            if (i + 1 >= c.length) throw new BadInputException(at.toString(), "iommus of " + dev.path() + " ends after a phandle");
            long vsid = vsids.map(new VsidMap.PhysicalSmmu(smmu.phandle() & 0xffffffffL, Optional.of(smmu.path())), c[i + 1],
                    at + ": " + dev.path() + ":iommus");
            out.add((long) GuestMemoryMap.PHANDLE_VSMMUV3);
            out.add(vsid);
        }
        if (at0.isEmpty()) throw new BadInputException(at.toString(), "iommus of " + dev.path() + " holds no IOMMU phandle");
        return out;
    }

    // ---- copying --------------------------------------------------------------------------------

    private enum Role {
        /** The assigned device and its subtree. */
        ASSIGNED,
        /** A node copied because a copied property refers to it (and its subtree). */
        REFERENCED
    }

    private Node copyNode(Node hostNode, String name, Role role, Location at) {
        Node c = new Node(name);
        copies.put(hostNode, c);
        copyProperties(hostNode, c, role, true, at);
        for (Node child : hostNode.children()) c.add(copyChild(child, role, at));
        return c;
    }

    private Node copyChild(Node hostNode, Role role, Location at) {
        Node c = new Node(hostNode.name());
        copies.put(hostNode, c);
        copyProperties(hostNode, c, role, false, at);
        for (Node child : hostNode.children()) c.add(copyChild(child, role, at));
        return c;
    }

    private void copyProperties(Node hostNode, Node c, Role role, boolean top, Location at) {
        for (Property p : hostNode.properties()) {
            String name = p.name();
            if (name.startsWith("xen,")) continue;
            switch (name) {
                case "interrupt-parent", "interrupts-extended" -> {
                    // written with interrupts below
                    if (name.equals("interrupts-extended")) interruptsExtended(hostNode, c, p, role, top, at);
                    continue;
                }
                case "interrupts" -> {
                    interrupts(hostNode, c, p, role, top, at);
                    continue;
                }
                case "iommus" -> {
                    if (role == Role.ASSIGNED && top) c.append(new Property("iommus", new byte[0])); // placeholder, replaced
                    else note(at, "dropped iommus of " + hostNode.path() + " (only the assigned device's own stream IDs are given)");
                    continue;
                }
                case "reg" -> {
                    if (top) c.append(new Property("reg", new byte[0])); // replaced by the caller
                    else c.append(bare(p));
                    continue;
                }
                case "ranges" -> {
                    if (top && p.length() > 0) c.append(rewriteRegions(hostNode, p, at));
                    else c.append(bare(p));
                    continue;
                }
                case "dma-ranges" -> {
                    if (top) {
                        note(at, "dropped dma-ranges of " + hostNode.path() + " (its parent's DMA address space is not the domain's)");
                        continue;
                    }
                    c.append(bare(p));
                    continue;
                }
                default -> {
                }
            }
            List<Integer> refs = phandleCells(hostNode, p);
            String refused = null;
            for (int i : refs) {
                Node t = host.byPhandle(p.cell(i));
                if (t == null) continue;
                String why = refusedTarget(t);
                if (why != null) {
                    refused = t.path() + " (" + why + ")";
                    break;
                }
            }
            if (refused != null) {
                note(at, "dropped " + name + " of " + hostNode.path() + ": it refers to " + refused);
                continue;
            }
            for (int i : refs) {
                Node t = host.byPhandle(p.cell(i));
                if (t != null) enqueue(t, at);
            }
            c.append(bare(p));
        }
        if (top && role == Role.REFERENCED) {
            Optional<List<Region>> cpu = DtAddresses.cpuReg(hostNode);
            if (hostNode.has("reg")) {
                if (cpu.isPresent() && !cpu.get().isEmpty()) {
                    c.set(XenNodes.reg(2, 2, cpu.get()));
                    note(at, hostNode.path() + " is copied into the partial device tree because a passed-through device refers to it;"
                            + " Xen maps none of its registers, so the domain cannot use it");
                } else {
                    c.removeProperty("reg");
                }
            }
        }
    }

    /** GIC interrupts with interrupt-parent 65000; for copied providers, nothing (Xen routes none of them). */
    private void interrupts(Node hostNode, Node c, Property p, Role role, boolean top, Location at) {
        if (role == Role.REFERENCED) return;
        Node parent = host.interruptParent(hostNode);
        if (parent == host.gic()) {
            c.append(bare(p));
            c.append(XenNodes.phandleProperty("interrupt-parent", GuestMemoryMap.PHANDLE_GIC));
            if (!top) {
                note(at, "the interrupts of " + hostNode.path() + " are not routed to the domain: Xen routes only the xen,path node's own");
            }
            return;
        }
        if (parent == null) {
            note(at, "dropped interrupts of " + hostNode.path() + ": no interrupt controller");
            return;
        }
        // a controller inside the copy, or one that is copied as a provider: keep its phandle
        // (an ancestor without a phandle is found by inheritance, as in the host)
        c.append(bare(p));
        if (parent.phandle() != 0) c.append(XenNodes.phandleProperty("interrupt-parent", parent.phandle()));
        enqueue(parent, at);
    }

    private void interruptsExtended(Node hostNode, Node c, Property p, Role role, boolean top, Location at) {
        if (role == Role.REFERENCED) return;
        long[] cells = cellsOf(hostNode, p, at);
        List<Integer> refs = PhandleRefs.cells(hostNode, p, resolver);
        for (int i : refs) {
            Node t = host.byPhandle(cells[i]);
            if (t == host.gic()) cells[i] = GuestMemoryMap.PHANDLE_GIC;
            else if (t != null) enqueue(t, at);
        }
        c.append(new Property("interrupts-extended", XenNodes.u32s(cells)));
    }

    /**
     * A host property's name and bytes only: a host read from DTS carries labels and reference
     * markers that mean nothing in the partial tree.
     */
    private static Property bare(Property p) {
        return p.markers().isEmpty() && p.labels().isEmpty() ? p : new Property(p.name(), p.value());
    }

    /** A property's cells, or a located error when its length is not a whole number of cells. */
    private static long[] cellsOf(Node n, Property p, Location at) {
        if (p.length() % 4 != 0) {
            throw new BadInputException(at.toString(), p.name() + " of " + n.path() + " has " + p.length() + " bytes, not whole cells");
        }
        return p.cells();
    }

    /** The phandle cells of a property: the known phandle properties, plus {@code *syscon} (a phandle first). */
    private List<Integer> phandleCells(Node hostNode, Property p) {
        if (PhandleRefs.isKnown(hostNode, p.name())) return PhandleRefs.cells(hostNode, p, resolver);
        if (p.name().endsWith("syscon") && p.length() >= 4 && p.length() % 4 == 0 && host.byPhandle(p.cell(0)) != null) {
            return List.of(0);
        }
        return List.of();
    }

    /** Why a node cannot be copied into a domain's tree, or null. */
    private String refusedTarget(Node t) {
        if (isGicOrChild(t)) return "the interrupt controller";
        if (XenHost.isXenIommu(t)) return "an IOMMU Xen drives";
        String owned = xenOwned(t);
        if (owned != null) return owned;
        for (Node mine : copies.keySet()) {
            if (t != mine && within(mine, t) && covered(t) == null) return "an ancestor of a copied node";
        }
        return null;
    }

    private void enqueue(Node t, Location at) {
        if (covered(t) != null || referencedFrom.containsKey(t)) return;
        referencedFrom.put(t, at);
        referenced.add(t);
    }

    /** The copied host node that holds {@code n} (itself or an ancestor), or null. */
    private Node covered(Node n) {
        for (Node p = n; p != null; p = p.parent()) if (copies.containsKey(p)) return p;
        return null;
    }

    private void copyReferenced(Node n) {
        Location at = referencedFrom.get(n);
        Optional<List<Region>> cpu = DtAddresses.cpuReg(n);
        Optional<Long> addr = cpu.filter(l -> !l.isEmpty()).map(l -> l.get(0).base());
        Node copy = copyNode(n, nameFor(n.baseName(), addr), Role.REFERENCED, at);
        passthrough.add(copy);
    }

    /** {@code ranges} of a copied bus: the parent side becomes a 2-cell CPU address. */
    private Property rewriteRegions(Node bus, Property p, Location at) {
        int ca = DtAddresses.ownAddressCells(bus);
        int pa = DtAddresses.addressCells(bus);
        int cs = DtAddresses.ownSizeCells(bus);
        int entry = ca + pa + cs;
        if (entry == 0 || p.cellCount() % entry != 0 || pa > 2 || cs > 2) {
            throw new BadInputException(at.toString(), "cannot read the ranges of " + bus.path());
        }
        long[] in = p.cells();
        int n = in.length / entry;
        long[] out = new long[n * (ca + 2 + cs)];
        for (int i = 0; i < n; i++) {
            int s = i * entry;
            int d = i * (ca + 2 + cs);
            System.arraycopy(in, s, out, d, ca);
            long parent = p.cellsAsLong(s + ca, pa);
            long cpu = DtAddresses.translate(bus.parent(), parent)
                    .orElseThrow(() -> new BadInputException(at.toString(), "the ranges of " + bus.path() + " do not translate to CPU addresses"));
            out[d + ca] = cpu >>> 32;
            out[d + ca + 1] = cpu & 0xffffffffL;
            System.arraycopy(in, s + ca + pa, out, d + ca + 2, cs);
        }
        return Property.cells("ranges", out);
    }

    private String nameFor(String base, Optional<Long> address) {
        String name = address.map(a -> base + "@" + Long.toHexString(a)).orElse(base);
        String candidate = name;
        for (int k = 1; !names.add(candidate); k++) {
            int kk = k;
            candidate = address.map(a -> base + "-" + kk + "@" + Long.toHexString(a)).orElse(base + "-" + kk);
        }
        return candidate;
    }

    private void note(Location at, String message) {
        warnings.add(Diagnostic.warning(at, message));
    }
}
