package org.xldt.validate;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xldt.BadInputException;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.Node;
import org.xldt.dt.Property;
import org.xldt.smmu.Reg;
import org.xldt.validate.Topology.DomainInput;
import org.xldt.validate.Topology.ExtraIrq;
import org.xldt.validate.Topology.ExtraMmio;
import org.xldt.validate.Topology.PhysSmmu;
import org.xldt.validate.Topology.PhysStream;
import org.xldt.validate.Topology.SidLink;
import org.xldt.xen.Dom0Builder;
import org.xldt.xen.Dom0Settings;
import org.xldt.xen.Dom0lessBuilder;
import org.xldt.xen.Dom0lessDomain;
import org.xldt.xen.Dom0lessSystem;
import org.xldt.xen.DomUTreeBuilder;
import org.xldt.xen.DomainConfig;
import org.xldt.xen.DtAddresses;
import org.xldt.xen.GuestMemoryMap.Region;
import org.xldt.xen.PassthroughIommus;
import org.xldt.xen.VsidMap;
import org.xldt.xen.XenCmdline;

/**
 * Builds a {@link Topology} from what the toolstack made (a libxl guest, a dom0less system,
 * dom0's tree) or from ready trees and a vSID map file.
 *
 * <p>Physical SMMUs: with a host tree, one per enabled {@code arm,smmu-v3} node, at its first
 * {@code reg} address. Without one, each SMMU phandle the streams name is looked up in the
 * partial device tree (which carries copies of the host's SMMU nodes to give {@code iommus} its
 * phandles); one it does not resolve gets a made-up SMMUv3 at {@link #SYNTH_BASE} + i ×
 * {@link #SYNTH_STRIDE}, and so does the vPCI range, whose SMMU the toolstack does not name.
 */
public final class TopologyReader {
    /** Where made-up physical SMMUs start (64 GiB: clear of any guest's address map). */
    public static final long SYNTH_BASE = 0x10_0000_0000L;
    /** Distance between made-up SMMUs (1 MiB). */
    public static final long SYNTH_STRIDE = 0x10_0000L;
    /** The phandle standing for "no SMMU named" (the vPCI range). */
    public static final long NO_PHANDLE = -1;
    /** The name of dom0. */
    public static final String DOM0 = "Domain-0";

    private TopologyReader() {
    }

    /** A tree with the name used in messages. */
    public record Named(DeviceTree tree, String name) {
    }

    // ---- physical SMMUs -------------------------------------------------------------------------

    /** The host's enabled SMMUv3s, with their first GIC interrupt; their windows must not overlap. */
    public static List<PhysSmmu> hostSmmus(Named host) {
        List<PhysSmmu> out = new ArrayList<>();
        DeviceTree.walk(host.tree().root(), n -> {
            if (!n.isCompatible(GuestView.SMMU_V3) || !n.isEnabled()) return;
            Optional<List<Region>> reg = DtAddresses.cpuReg(n);
            if (reg.isEmpty() || reg.get().isEmpty()) return;
            List<Integer> irqs = GuestView.gicInterrupts(host.tree(), n);
            long base = reg.get().get(0).base();
            for (PhysSmmu o : out) {
                if (base < o.base() + Reg.WINDOW && o.base() < base + Reg.WINDOW) {
                    throw new BadInputException(host.name() + ":" + n.path(), String.format(
                            "this SMMUv3 at 0x%x and %s at 0x%x are closer than an SMMUv3's 128 KiB register window", base, o.name(), o.base()));
                }
            }
            out.add(new PhysSmmu(n.phandle() == 0 ? -2 - out.size() : n.phandle(), n.path(), base, irqs.isEmpty() ? 0 : irqs.get(0)));
        });
        return out;
    }

    /**
     * The physical SMMUs: the host's when there is a host tree (plus a made-up one for the vPCI
     * range); else those the partial trees copy, and made-up ones for the rest.
     */
    static List<PhysSmmu> smmus(Optional<Named> host, List<Named> partials, List<DomainInput> domains) {
        List<PhysSmmu> out = new ArrayList<>(host.map(TopologyReader::hostSmmus).orElse(List.of()));
        Map<Long, String> wanted = new LinkedHashMap<>();
        for (DomainInput d : domains) {
            for (SidLink l : d.links()) wanted.putIfAbsent(l.smmuPhandle(), l.source());
            for (PhysStream s : d.stage2()) wanted.putIfAbsent(s.smmuPhandle(), s.source());
        }
        int made = 0;
        for (long ph : wanted.keySet()) {
            if (out.stream().anyMatch(s -> s.phandle() == ph)) continue;
            // with a host tree, a phandle it lacks stays unresolved (the psid check says so)
            if (host.isPresent() && ph != NO_PHANDLE) continue;
            Optional<PhysSmmu> copy = ph == NO_PHANDLE ? Optional.empty() : copied(partials, ph);
            if (copy.isPresent() && out.stream().noneMatch(s -> overlaps(s.base(), copy.get().base()))) {
                out.add(copy.get());
                continue;
            }
            long base;
            do {
                base = SYNTH_BASE + made++ * SYNTH_STRIDE;
            } while (fits(out, base));
            String name = ph == NO_PHANDLE ? "vPCI SMMU (made up: the toolstack names none)" : String.format("SMMU phandle 0x%x (made up)", ph);
            out.add(new PhysSmmu(ph, name, base, 0));
        }
        return out;
    }

    private static boolean fits(List<PhysSmmu> smmus, long base) {
        return smmus.stream().anyMatch(s -> overlaps(s.base(), base));
    }

    private static boolean overlaps(long a, long b) {
        return a < b + Reg.WINDOW && b < a + Reg.WINDOW;
    }

    /** The SMMUv3 node with phandle {@code ph} that a partial tree copies from the host. */
    private static Optional<PhysSmmu> copied(List<Named> partials, long ph) {
        for (Named p : partials) {
            Node n = ph > 0 && ph <= Integer.MAX_VALUE ? p.tree().byPhandle((int) ph) : null;
            if (n == null || !n.isCompatible(GuestView.SMMU_V3)) continue;
            Optional<List<Region>> reg = DtAddresses.cpuReg(n);
            if (reg.isEmpty() || reg.get().isEmpty()) continue;
            return Optional.of(new PhysSmmu(ph, n.path() + " (copied in " + p.name() + ")", reg.get().get(0).base(), 0));
        }
        return Optional.empty();
    }

    // ---- passed-through devices -----------------------------------------------------------------

    /**
     * The physical streams of the {@code /passthrough} device nodes of a partial tree: from the
     * host node their {@code xen,path} names when there is a host tree (Xen assigns what the host
     * says), else from their own {@code iommus} (the host's phandles, copied by hand).
     */
    static List<PhysStream> passthroughStreams(Named partial, Optional<Named> host) {
        List<PhysStream> out = new ArrayList<>();
        Node pt = partial.tree().find("/passthrough");
        if (pt == null) return out;
        DeviceTree.walk(pt, n -> {
            if (n == pt) return;
            String xenPath = n.string("xen,path");
            Node h = host.isPresent() && xenPath != null ? host.get().tree().find(xenPath) : null;
            Named from = h != null ? host.get() : partial;
            Node src = h != null ? h : n;
            Property iommus = src.property("iommus");
            if (iommus == null) return;
            String where = from.name() + ":" + src.path() + ":iommus";
            List<PassthroughIommus.Stream> streams = PassthroughIommus.streams(iommus, from.tree(), from.name(), where);
            for (int i = 0; i < streams.size(); i++) {
                out.add(new PhysStream(n.path(), streams.get(i).smmu().phandle(), streams.get(i).sid(), where + "[" + i + "]"));
            }
        });
        return out;
    }

    /**
     * Paths of the {@code /passthrough} device nodes of a partial tree that are DMA masters: with
     * {@code iommus} or {@code iommu-map} there (before the toolstack rewrites them), or whose host
     * node ({@code xen,path}) has them.
     */
    public static List<String> dmaMasters(DeviceTree partial, Optional<DeviceTree> host) {
        List<String> out = new ArrayList<>();
        Node pt = partial.find("/passthrough");
        if (pt == null) return out;
        DeviceTree.walk(pt, n -> {
            if (n == pt || !n.has("reg")) return;
            boolean master = n.has("iommus") || n.has("iommu-map");
            String xenPath = n.string("xen,path");
            if (!master && host.isPresent() && xenPath != null) {
                Node h = host.get().find(xenPath);
                master = h != null && (h.has("iommus") || h.has("iommu-map"));
            }
            if (master) out.add(n.path());
        });
        return out;
    }

    private static List<ExtraIrq> irqs(DomainConfig config, String where) {
        List<ExtraIrq> out = new ArrayList<>();
        for (int i = 0; i < config.irqs().size(); i++) out.add(new ExtraIrq(config.irqs().get(i), where + " irqs[" + i + "]"));
        return out;
    }

    private static List<ExtraMmio> iomem(DomainConfig config, String where) {
        List<ExtraMmio> out = new ArrayList<>();
        for (int i = 0; i < config.iomem().size(); i++) {
            DomainConfig.IomemRange r = config.iomem().get(i);
            out.add(new ExtraMmio(new Region(r.guestAddress(), r.pages() << 12), where + " iomem[" + i + "]"));
        }
        return out;
    }

    // ---- a libxl guest --------------------------------------------------------------------------

    /**
     * A guest libxl built: its tree, vSID map, populated RAM banks and configuration.
     *
     * @param partial the partial device tree ({@code device_tree}), if any
     * @param host    the host tree, if given
     */
    public static Topology fromGuest(DomainConfig config, DeviceTree guest, Optional<Named> partial, VsidMap vsids, List<Region> banks,
            Optional<Named> host) {
        List<SidLink> links = new ArrayList<>();
        for (VsidMap.Entry e : vsids.entries()) {
            links.add(new SidLink(e.vsid(), e.count(), e.smmu().map(VsidMap.PhysicalSmmu::phandle).orElse(NO_PHANDLE), e.psid(), e.source(),
                    sourcePath(e.source())));
        }
        List<PhysStream> stage2 = config.hasVsmmu() ? List.of() : partial.map(p -> passthroughStreams(p, host)).orElse(List.of());
        List<Region> p2m = banks.stream().filter(b -> b.size() > 0).toList();
        List<String> masters = partial.map(p -> dmaMasters(p.tree(), host.map(Named::tree))).orElse(List.of());
        DomainInput d = new DomainInput(config.name(), false, config.hasVsmmu(), guest, config.name() + " guest tree", links, stage2, p2m,
                irqs(config, config.name()), iomem(config, config.name()), masters);
        return new Topology(smmus(host, partial.stream().toList(), List.of(d)), List.of(d));
    }

    // ---- dom0 -------------------------------------------------------------------------------

    /**
     * dom0 booted with {@code dom0} (Xen's tree for it) on {@code host}: Xen assigns dom0 every
     * stream of the host's masters that it keeps (not {@code xen,passthrough}). With a vSMMU node
     * for the stream's SMMU in dom0's tree the stream is dom0's vSID = pSID behind that vSMMU,
     * else Xen's stage 2 alone translates it. RAM is identity-mapped.
     */
    public static DomainInput dom0(Named dom0, Named host, List<PhysSmmu> smmus) {
        GuestView view = GuestView.read(dom0.tree());
        List<SidLink> links = new ArrayList<>();
        List<PhysStream> stage2 = new ArrayList<>();
        List<String> masters = new ArrayList<>();
        DeviceTree.walk(host.tree().root(), n -> {
            if (!n.isEnabled() || n.has("xen,passthrough") || dom0.tree().find(n.path()) == null) return;
            boolean master = false;
            Property iommus = n.property("iommus");
            for (int i = 0; iommus != null && i + 1 < iommus.cellCount(); i += 2) {
                master |= stream(smmus, view, n.path(), iommus.cell(i), iommus.cell(i + 1), 1, host.name() + ":" + n.path() + ":iommus[" + i / 2 + "]",
                        links, stage2);
            }
            Property map = n.property("iommu-map");
            for (int i = 0; map != null && i + 3 < map.cellCount(); i += 4) {
                master |= stream(smmus, view, n.path(), map.cell(i + 1), map.cell(i + 2), map.cell(i + 3),
                        host.name() + ":" + n.path() + ":iommu-map[" + i / 4 + "]", links, stage2);
            }
            if (master) masters.add(n.path());
        });
        boolean vsmmu = !view.vsmmus().isEmpty();
        Set<String> board = new HashSet<>();
        for (GuestView.MmioUse[] o : GuestView.overlaps(GuestView.read(host.tree()).mmio())) board.add(DomainInput.pair(o[0].path(), o[1].path()));
        return new DomainInput(DOM0, true, vsmmu, dom0.tree(), dom0.name(), links, stage2, view.ram(), List.of(), List.of(),
                vsmmu ? masters : List.of(), board);
    }

    /** One host stream of dom0: a link when dom0's tree has a vSMMU at its SMMU's address, else stage 2. */
    private static boolean stream(List<PhysSmmu> smmus, GuestView view, String device, long phandle, long sid, long count, String source,
            List<SidLink> links, List<PhysStream> stage2) {
        Optional<PhysSmmu> s = smmus.stream().filter(x -> x.phandle() == phandle).findFirst();
        if (s.isEmpty() || count < 1) return false;
        boolean behindVsmmu = view.vsmmus().stream().anyMatch(v -> v.reg().isPresent() && v.reg().get().base() == s.get().base());
        if (behindVsmmu) {
            links.add(new SidLink(sid, count, phandle, sid, source, Optional.of(device)));
        } else {
            stage2.add(new PhysStream(device, phandle, sid, source));
            if (count > 1) stage2.add(new PhysStream(device, phandle, sid + count - 1, source));
        }
        return true;
    }

    /** dom0 on its own. */
    public static Topology fromDom0(Named dom0, Named host) {
        List<PhysSmmu> smmus = hostSmmus(host);
        return new Topology(smmus, List.of(dom0(dom0, host, smmus)));
    }

    // ---- a dom0less system ----------------------------------------------------------------------

    /**
     * A dom0less system: dom0 (when the system has one, built by {@link Dom0Builder} from the boot
     * DTB, which marks the domUs' devices {@code xen,passthrough}) and every domU Xen builds a tree
     * for (not the direct-mapped ones), with its vSID links as Xen makes them at boot (each
     * {@code /passthrough} node's {@code xen,path} names a host node whose {@code iommus} give the
     * physical streams, paired in order with the vSIDs of the domU tree's {@code iommus}).
     *
     */
    public static Topology fromDom0less(Dom0lessSystem sys, Dom0lessBuilder.Output out) {
        List<String> notes = new ArrayList<>();
        Named host = new Named(out.hostTree(), sys.hostDtb().toString());
        List<PhysSmmu> smmus = hostSmmus(host);
        boolean viommu = Dom0Settings.read(XenCmdline.parse(sys.xenCmdline()), sys.file() + ": xen_cmdline").viommu();
        List<DomainInput> domains = new ArrayList<>();
        if (sys.dom0().isPresent()) {
            String cmdline = Dom0Builder.hostXenCmdline(out.hostTree());
            DeviceTree t = Dom0Builder.build(out.hostTree(), host.name(), XenCmdline.parse(cmdline), "/chosen/xen,xen-bootargs").tree();
            domains.add(dom0(new Named(t, "dom0 tree"), host, smmus));
        }
        for (Dom0lessDomain d : sys.domUs()) {
            DeviceTree tree = out.previews().get(d.name());
            if (tree == null) {
                notes.add(d.name() + ": not validated: it is direct-mapped, and Xen builds its tree at boot from the host's");
                continue;
            }
            Optional<Named> partial = out.partials().stream().filter(p -> p.domain().equals(d.name()))
                    .map(p -> new Named(p.tree(), p.file().getFileName().toString())).findFirst();
            List<SidLink> links = new ArrayList<>();
            List<PhysStream> stage2 = new ArrayList<>();
            if (partial.isPresent() && d.hasVsmmu()) {
                // the i-th physical stream of a device has the vSID of the i-th entry of its iommus in the domU tree
                Map<String, Integer> nth = new HashMap<>();
                for (PhysStream ps : passthroughStreams(partial.get(), Optional.of(host))) {
                    int i = nth.merge(ps.device(), 1, Integer::sum) - 1;
                    Node n = tree.find(ps.device());
                    Property iommus = n == null ? null : n.property("iommus");
                    if (iommus != null && 2 * i + 1 < iommus.cellCount()) {
                        links.add(new SidLink(iommus.cell(2 * i + 1), 1, ps.smmuPhandle(), ps.psid(), ps.source(), Optional.of(ps.device())));
                    }
                }
            } else if (partial.isPresent()) {
                stage2.addAll(passthroughStreams(partial.get(), Optional.of(host)));
            }
            List<String> masters = partial.map(p -> dmaMasters(p.tree(), Optional.of(host.tree()))).orElse(List.of());
            domains.add(new DomainInput(d.name(), false, d.hasVsmmu() && viommu, tree, d.name() + " domU tree", links, stage2,
                    DomUTreeBuilder.ramBanks(d), irqs(d.config(), d.name()), iomem(d.config(), d.name()), masters));
        }
        return new Topology(smmus(Optional.of(host), List.of(), domains), domains, notes);
    }

    // ---- ready trees --------------------------------------------------------------------------

    /**
     * A guest tree made by any tool, the host tree (optional) and a vSID map file: what
     * {@code xldt create --json} prints (its {@code vsids} object is used, {@code layout.ram_banks}
     * for the p2m, {@code domain.viommu}, {@code domain.irqs} and {@code domain.iomem} when present),
     * or that {@code vsids} object alone. Without ram banks, Xen's p2m is taken to map exactly
     * the guest tree's memory; without {@code domain.viommu}, Xen is taken to emulate a vSMMU
     * when the guest tree has an SMMUv3 node.
     *
     * @throws BadInputException for a map that is not JSON or lacks what it needs, located in the file
     */
    public static Topology fromTrees(Named guest, Optional<Named> host, byte[] sidMap, String sidMapName) {
        DomainInput d = readSidMap(guest, host, sidMap, sidMapName);
        return new Topology(smmus(host, List.of(), List.of(d)), List.of(d));
    }

    /** Several guests from ready trees, each with its map, on one host. */
    public static Topology fromTrees(List<Named> guests, Optional<Named> host, List<byte[]> maps, List<String> mapNames) {
        List<DomainInput> domains = new ArrayList<>();
        for (int i = 0; i < guests.size(); i++) {
            DomainInput d = readSidMap(guests.get(i), host, maps.get(i), mapNames.get(i));
            if (domains.stream().anyMatch(x -> x.name().equals(d.name()))) {
                throw new BadInputException(mapNames.get(i), "domain.name \"" + d.name() + "\" is already another guest's: give each map its own");
            }
            domains.add(d);
        }
        return new Topology(smmus(host, List.of(), domains), domains);
    }

    private static DomainInput readSidMap(Named guest, Optional<Named> host, byte[] sidMap, String sidMapName) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(sidMap);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String at = l == null ? sidMapName : sidMapName + ":" + l.getLineNr() + ":" + l.getColumnNr();
            throw new BadInputException(at, "not a vSID map: " + e.getOriginalMessage().lines().findFirst().orElse("not JSON"));
        } catch (IOException e) {
            throw new BadInputException(sidMapName, "not a vSID map: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw new BadInputException(sidMapName, "not a vSID map: the top level must be a JSON object");
        JsonNode vsids = root.has("vsids") ? root.get("vsids") : root;
        JsonNode entries = vsids.get("entries");
        if (entries == null || !entries.isArray()) {
            throw new BadInputException(sidMapName, "not a vSID map: no \"entries\" array (in \"vsids\" or at the top level)");
        }
        String prefix = root.has("vsids") ? "vsids.entries" : "entries";
        List<SidLink> links = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            String at = prefix + "[" + i + "]";
            long vsid = number(e, "vsid", sidMapName, at);
            long psid = number(e, "psid", sidMapName, at);
            long count = e.has("count") ? number(e, "count", sidMapName, at) : 1;
            JsonNode smmu = e.get("smmu");
            long phandle = smmu == null || smmu.isNull() ? NO_PHANDLE : number(smmu, "phandle", sidMapName, at + ".smmu");
            String source = e.hasNonNull("source") ? e.get("source").asText() : sidMapName + ":" + at;
            if (count < 1 || vsid + count > VsidMap.MAX_VSIDS) {
                throw new BadInputException(sidMapName, at + ": vSIDs 0x" + Long.toHexString(vsid) + "+" + count + " do not fit the 16-bit vSID space");
            }
            links.add(new SidLink(vsid, count, phandle, psid, source, e.hasNonNull("device") ? Optional.of(e.get("device").asText()) : sourcePath(source)));
        }
        List<Region> p2m;
        JsonNode banks = root.path("layout").path("ram_banks");
        if (banks.isArray()) {
            p2m = new ArrayList<>();
            for (int i = 0; i < banks.size(); i++) {
                String at = "layout.ram_banks[" + i + "]";
                long base = number(banks.get(i), "base", sidMapName, at);
                long size = number(banks.get(i), "size", sidMapName, at);
                if (size > 0) p2m.add(new Region(base, size));
            }
        } else {
            p2m = GuestView.read(guest.tree()).ram();
        }
        JsonNode domain = root.path("domain");
        List<ExtraIrq> irqs = new ArrayList<>();
        JsonNode ji = domain.path("irqs");
        for (int i = 0; i < ji.size(); i++) {
            irqs.add(new ExtraIrq((int) Math.min(Integer.MAX_VALUE, number(ji, i, sidMapName, "domain.irqs")), sidMapName + ": domain.irqs[" + i + "]"));
        }
        List<ExtraMmio> mmio = new ArrayList<>();
        JsonNode jm = domain.path("iomem");
        for (int i = 0; i < jm.size(); i++) {
            String at = "domain.iomem[" + i + "]";
            long gfn = number(jm.get(i), "gfn", sidMapName, at);
            long pages = number(jm.get(i), "pages", sidMapName, at);
            mmio.add(new ExtraMmio(new Region(gfn << 12, pages << 12), sidMapName + ": " + at));
        }
        boolean vsmmu = domain.has("viommu") ? domain.get("viommu").asText().equalsIgnoreCase("smmuv3")
                : !GuestView.read(guest.tree()).vsmmus().isEmpty();
        String name = domain.path("name").asText("");
        List<String> masters = new ArrayList<>(dmaMasters(guest.tree(), host.map(Named::tree)));
        for (SidLink l : links) l.device().filter(p -> !masters.contains(p) && guest.tree().find(p) != null).ifPresent(masters::add);
        return new DomainInput(name.isEmpty() ? "guest" : name, false, vsmmu, guest.tree(), guest.name(), links, List.of(), p2m, irqs, mmio, masters);
    }

    /** The device path a vSID map entry's source names ({@code FILE:/path:iommus[0]}), if any. */
    static Optional<String> sourcePath(String source) {
        int start = source.indexOf(":/");
        int end = source.lastIndexOf(":iommus");
        if (start < 0 || end <= start) return Optional.empty();
        return Optional.of(source.substring(start + 1, end));
    }

    /** {@code obj.key}: a JSON number or a "0x…"/decimal string. */
    private static long number(JsonNode obj, String key, String file, String at) {
        JsonNode v = obj == null ? null : obj.get(key);
        if (v == null || v.isNull()) throw new BadInputException(file, at + ": missing \"" + key + "\"");
        return number(v, file, at + "." + key);
    }

    private static long number(JsonNode array, int i, String file, String at) {
        return number(array.get(i), file, at + "[" + i + "]");
    }

    private static long number(JsonNode v, String file, String at) {
        if (v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0) return v.asLong();
        if (v.isTextual()) {
            String t = v.asText().trim();
            try {
                long r = t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
                if (r >= 0) return r;
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new BadInputException(file, at + ": " + v + " is not a non-negative number (decimal or 0x hex)");
    }
}
