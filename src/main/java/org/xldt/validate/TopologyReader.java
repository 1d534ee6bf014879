package org.xldt.validate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xldt.BadInputException;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.Node;
import org.xldt.dt.Property;
import org.xldt.validate.Topology.DomainInput;
import org.xldt.validate.Topology.ExtraIrq;
import org.xldt.validate.Topology.PhysSmmu;
import org.xldt.validate.Topology.SidLink;
import org.xldt.xen.Dom0lessBuilder;
import org.xldt.xen.Dom0lessDomain;
import org.xldt.xen.DomUTreeBuilder;
import org.xldt.xen.DomainConfig;
import org.xldt.xen.DtAddresses;
import org.xldt.xen.GuestMemoryMap.Region;
import org.xldt.xen.VsidMap;

/**
 * Builds a {@link Topology} from what the toolstack made (a libxl guest, a dom0less system) or
 * from ready trees and a vSID map file.
 *
 * <p>Physical SMMUs: with a host tree, one per enabled {@code arm,smmu-v3} node, at its first
 * {@code reg} address. Without one, every distinct SMMU phandle the vSID links name gets a
 * synthesised SMMUv3 at {@link #SYNTH_BASE} + i × {@link #SYNTH_STRIDE} (i in order of first use);
 * the vPCI range, whose SMMU the toolstack does not name, gets one more after them.
 */
public final class TopologyReader {
    /** Where synthesised physical SMMUs start (64 GiB: clear of any guest's address map). */
    public static final long SYNTH_BASE = 0x10_0000_0000L;
    /** Distance between synthesised SMMUs (1 MiB, an SMMUv3's two 64 KiB pages fit easily). */
    public static final long SYNTH_STRIDE = 0x10_0000L;
    /** The phandle standing for "no SMMU named" (the vPCI range). */
    public static final long NO_PHANDLE = -1;

    private TopologyReader() {
    }

    // ---- physical SMMUs -------------------------------------------------------------------------

    /** The host's SMMUv3s. */
    public static List<PhysSmmu> hostSmmus(DeviceTree host) {
        List<PhysSmmu> out = new ArrayList<>();
        DeviceTree.walk(host.root(), n -> {
            if (!n.isCompatible("arm,smmu-v3") || !n.isEnabled()) return;
            Optional<List<Region>> reg = DtAddresses.cpuReg(n);
            if (reg.isEmpty() || reg.get().isEmpty()) return;
            out.add(new PhysSmmu(n.phandle() == 0 ? -2 - out.size() : n.phandle(), n.path(), reg.get().get(0).base(), false));
        });
        return out;
    }

    /** The host's SMMUs plus synthesised ones for every link phandle the host does not resolve (or all, without a host). */
    static List<PhysSmmu> smmus(Optional<DeviceTree> host, List<DomainInput> domains) {
        List<PhysSmmu> out = new ArrayList<>(host.map(TopologyReader::hostSmmus).orElse(List.of()));
        if (host.isPresent()) {
            // only the vPCI range (no phandle) is made up; a phandle the host lacks stays unresolved
            if (domains.stream().anyMatch(d -> d.links().stream().anyMatch(l -> l.smmuPhandle() == NO_PHANDLE))) {
                out.add(new PhysSmmu(NO_PHANDLE, "vPCI SMMU (synthesised: the toolstack names none)", SYNTH_BASE + 0xff * SYNTH_STRIDE, true));
            }
            return out;
        }
        Map<Long, PhysSmmu> byPhandle = new LinkedHashMap<>();
        for (DomainInput d : domains) {
            for (SidLink l : d.links()) {
                if (byPhandle.containsKey(l.smmuPhandle())) continue;
                long base = SYNTH_BASE + byPhandle.size() * SYNTH_STRIDE;
                String name = l.smmuPhandle() == NO_PHANDLE ? "vPCI SMMU (synthesised: the toolstack names none)"
                        : String.format("SMMU phandle 0x%x (synthesised)", l.smmuPhandle());
                byPhandle.put(l.smmuPhandle(), new PhysSmmu(l.smmuPhandle(), name, base, true));
            }
        }
        out.addAll(byPhandle.values());
        return out;
    }

    /**
     * Paths of the {@code /passthrough} device nodes of {@code tree} that are DMA masters: with
     * {@code iommus} or {@code iommu-map} in {@code tree} itself (a partial tree, before libxl
     * rewrites them), or whose host node ({@code xen,path}) has them.
     */
    public static List<String> dmaMasters(DeviceTree tree, Optional<DeviceTree> host) {
        List<String> out = new ArrayList<>();
        Node pt = tree.find("/passthrough");
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

    /** The device path a vSID map entry's source names ({@code FILE:/path:iommus[0]}), if any. */
    static Optional<String> sourcePath(String source) {
        int start = source.indexOf(":/");
        int end = source.lastIndexOf(":iommus");
        if (start < 0 || end <= start) return Optional.empty();
        return Optional.of(source.substring(start + 1, end));
    }

    // ---- a libxl guest --------------------------------------------------------------------------

    /**
     * A guest libxl built: its tree, vSID map, populated RAM banks and configuration.
     *
     * @param host the host tree, if given
     */
    public static Topology fromGuest(DomainConfig config, DeviceTree guest, Optional<DeviceTree> partial, VsidMap vsids, List<Region> banks,
            Optional<DeviceTree> host) {
        List<SidLink> links = new ArrayList<>();
        for (VsidMap.Entry e : vsids.entries()) {
            links.add(new SidLink(e.vsid(), e.count(), e.smmu().map(VsidMap.PhysicalSmmu::phandle).orElse(NO_PHANDLE), e.psid(), e.source()));
        }
        List<ExtraIrq> irqs = new ArrayList<>();
        for (int i = 0; i < config.irqs().size(); i++) {
            irqs.add(new ExtraIrq(config.irqs().get(i), "irqs[" + i + "] of " + config.name()));
        }
        List<Region> p2m = banks.stream().filter(b -> b.size() > 0).toList();
        List<String> masters = partial.map(p -> dmaMasters(p, host)).orElse(List.of());
        DomainInput d = new DomainInput(config.name(), guest, config.name() + " guest tree", links, p2m, irqs, masters);
        return new Topology(smmus(host, List.of(d)), List.of(d));
    }

    // ---- a dom0less system ----------------------------------------------------------------------

    /**
     * Every (not direct-mapped) domU of a dom0less system: the tree Xen builds for it, and its
     * vSID links as Xen makes them at boot (each {@code /passthrough} node's {@code xen,path}
     * names a host node whose {@code iommus} give the physical streams, paired in order with the
     * vSIDs of the domU tree's {@code iommus}).
     */
    public static Topology fromDom0less(Dom0lessBuilder.Output out, List<Dom0lessDomain> domUs) {
        DeviceTree host = out.hostTree();
        List<DomainInput> domains = new ArrayList<>();
        for (Dom0lessDomain d : domUs) {
            DeviceTree tree = out.previews().get(d.name());
            if (tree == null) continue;
            Optional<DeviceTree> partial = out.partials().stream().filter(p -> p.domain().equals(d.name())).map(Dom0lessBuilder.Partial::tree).findFirst();
            List<SidLink> links = new ArrayList<>();
            Node pt = tree.find("/passthrough");
            if (pt != null && partial.isPresent()) {
                DeviceTree.walk(pt, n -> {
                    Property iommus = n.property("iommus");
                    if (iommus == null) return;
                    Node pn = partial.get().find(n.path());
                    String xenPath = pn == null ? null : pn.string("xen,path");
                    Node hn = xenPath == null ? null : host.find(xenPath);
                    Property hostIommus = hn == null ? null : hn.property("iommus");
                    if (hostIommus == null) return;
                    for (int i = 0; 2 * i + 1 < iommus.cellCount() && 2 * i + 1 < hostIommus.cellCount(); i++) {
                        links.add(new SidLink(iommus.cell(2 * i + 1), 1, hostIommus.cell(2 * i), hostIommus.cell(2 * i + 1),
                                xenPath + ":iommus[" + i + "]"));
                    }
                });
            }
            List<String> masters = partial.map(p -> dmaMasters(p, Optional.of(host))).orElse(List.of());
            domains.add(new DomainInput(d.name(), tree, d.name() + " domU tree", links, DomUTreeBuilder.ramBanks(d), List.of(), masters));
        }
        return new Topology(smmus(Optional.of(host), domains), domains);
    }

    // ---- ready trees --------------------------------------------------------------------------

    /**
     * A guest tree made by any tool, the host tree (optional) and a vSID map file: what
     * {@code xldt create --json} prints (its {@code vsids} object is used, and {@code layout.ram_banks}
     * for the p2m when present), or that {@code vsids} object alone. Without ram banks, Xen's p2m
     * is taken to map exactly the guest tree's memory.
     */
    public static Topology fromTrees(DeviceTree guest, String guestName, Optional<DeviceTree> host, byte[] sidMap, String sidMapName) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(sidMap);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? "not JSON" : e.getMessage().lines().findFirst().orElse("not JSON");
            throw new BadInputException(sidMapName, "not a vSID map: " + msg);
        }
        if (root == null || !root.isObject()) throw new BadInputException(sidMapName, "not a vSID map: the top level must be a JSON object");
        JsonNode vsids = root.has("vsids") ? root.get("vsids") : root;
        JsonNode entries = vsids.get("entries");
        if (entries == null || !entries.isArray()) throw new BadInputException(sidMapName, "not a vSID map: no \"entries\" array (in \"vsids\" or at the top level)");
        List<SidLink> links = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            String at = "entries[" + i + "]";
            long vsid = number(e, "vsid", sidMapName, at, true);
            long psid = number(e, "psid", sidMapName, at, true);
            long count = e.has("count") ? number(e, "count", sidMapName, at, true) : 1;
            JsonNode smmu = e.get("smmu");
            long phandle = smmu == null || smmu.isNull() ? NO_PHANDLE : number(smmu, "phandle", sidMapName, at + ".smmu", true);
            String source = e.hasNonNull("source") ? e.get("source").asText() : sidMapName + ":" + at;
            if (count < 1 || vsid + count > VsidMap.MAX_VSIDS) {
                throw new BadInputException(sidMapName, at + ": vSIDs 0x" + Long.toHexString(vsid) + "+" + count + " do not fit the 16-bit vSID space");
            }
            links.add(new SidLink(vsid, count, phandle, psid, source));
        }
        List<Region> p2m;
        JsonNode banks = root.path("layout").path("ram_banks");
        if (banks.isArray()) {
            p2m = new ArrayList<>();
            for (int i = 0; i < banks.size(); i++) {
                String at = "layout.ram_banks[" + i + "]";
                long base = number(banks.get(i), "base", sidMapName, at, true);
                long size = number(banks.get(i), "size", sidMapName, at, true);
                if (size > 0) p2m.add(new Region(base, size));
            }
        } else {
            p2m = GuestView.read(guest).ram();
        }
        List<ExtraIrq> irqs = new ArrayList<>();
        JsonNode ji = root.path("domain").path("irqs");
        for (int i = 0; i < ji.size(); i++) irqs.add(new ExtraIrq(ji.get(i).asInt(), sidMapName + ":domain.irqs[" + i + "]"));
        String name = root.path("domain").path("name").asText("guest");
        List<String> masters = new ArrayList<>(dmaMasters(guest, host));
        for (SidLink l : links) sourcePath(l.source()).filter(p -> !masters.contains(p) && guest.find(p) != null).ifPresent(masters::add);
        DomainInput d = new DomainInput(name.isEmpty() ? "guest" : name, guest, guestName, links, p2m, irqs, masters);
        return new Topology(smmus(host, List.of(d)), List.of(d));
    }

    /** A number written as JSON number or as a "0x…"/decimal string. */
    private static long number(JsonNode obj, String key, String file, String at, boolean required) {
        JsonNode v = obj == null ? null : obj.get(key);
        if (v == null || v.isNull()) {
            if (required) throw new BadInputException(file, at + ": missing \"" + key + "\"");
            return 0;
        }
        if (v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0) return v.asLong();
        if (v.isTextual()) {
            String t = v.asText().trim();
            try {
                long r = t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
                if (r >= 0) return r;
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new BadInputException(file, at + "." + key + ": \"" + v.asText() + "\" is not a non-negative number (decimal or 0x hex)");
    }
}
