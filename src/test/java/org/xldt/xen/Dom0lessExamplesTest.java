package org.xldt.xen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xldt.Tools;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtbReader;
import org.xldt.dt.DtbWriter;
import org.xldt.dt.DtsWriter;
import org.xldt.dt.Node;
import org.xldt.dt.PhandleRefs;
import org.xldt.dt.Property;
import org.xldt.xen.GuestMemoryMap.Region;
import org.xldt.xlcfg.Diagnostic;

/**
 * The example systems in {@code examples/dom0less/}: every output equals its golden byte for
 * byte, and the outputs have the properties issue 6 asks for, checked on the outputs themselves
 * (dtc reads every DTB without error; load ranges never overlap and stay in memory, clear of
 * reserved memory; every {@code xen,path} exists in the host tree and is marked
 * {@code xen,passthrough}; every {@code xen,reg} is page-aligned).
 */
class Dom0lessExamplesTest {
    static final Path EXAMPLES = Path.of("examples/dom0less");

    static Stream<String> systems() throws IOException {
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            List<String> out = s.filter(p -> Files.exists(p.resolve("system.cfg"))).map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(out.size() >= 3, "at least three example systems");
            return out.stream();
        }
    }

    /** One example built through the API exactly as the CLI builds it for regenerate.sh. */
    record Built(Dom0lessSystem system, Dom0lessBuilder.Output out, Path expected) {
    }

    static Built build(String name) {
        Path sys = EXAMPLES.resolve(name).resolve("system.cfg");
        Dom0lessReader.Result r = Dom0lessReader.read(sys);
        assertTrue(r.ok(), () -> r.diagnostics().toString());
        Path expected = EXAMPLES.resolve(name).resolve("expected");
        Dom0lessBuilder.Output out = Dom0lessBuilder.build(r.system(), Files::readAllBytes, expected.resolve("boot.dtb"),
                DomUTreeBuilder.DEFAULT_P2M_IPA_BITS);
        return new Built(r.system(), out, expected);
    }

    /** Every DTB an example writes, by golden path. */
    static Map<Path, byte[]> dtbs(Built b) {
        Map<Path, byte[]> out = new LinkedHashMap<>();
        out.put(b.expected().resolve("boot.dtb"), b.out().hostDtb());
        for (Dom0lessBuilder.Partial p : b.out().partials()) if (p.generated()) out.put(p.file(), p.dtb());
        for (var e : b.out().previews().entrySet()) out.put(b.expected().resolve("domu").resolve(e.getKey() + ".dtb"), DtbWriter.write(e.getValue()));
        return out;
    }

    @ParameterizedTest
    @MethodSource("systems")
    void outputsEqualTheGoldens(String name) throws IOException {
        Built b = build(name);
        Map<Path, byte[]> dtbs = dtbs(b);
        List<Path> goldenDtbs;
        try (Stream<Path> s = Files.walk(b.expected())) {
            goldenDtbs = s.filter(p -> p.toString().endsWith(".dtb")).sorted().toList();
        }
        assertEquals(goldenDtbs, dtbs.keySet().stream().sorted().toList(), "the set of DTBs written");
        for (var e : dtbs.entrySet()) {
            assertArrayEquals(Files.readAllBytes(e.getKey()), e.getValue(), e.getKey().toString());
            // the DTS goldens are dtc's decompile of the DTBs: DtsWriter must print the same text
            String dts = DtsWriter.write(DtbReader.read(e.getValue(), e.getKey().toString()));
            Path golden = Path.of(e.getKey().toString().replaceAll("\\.dtb$", ".dts"));
            assertEquals(Files.readString(golden, StandardCharsets.ISO_8859_1), dts, golden.toString());
        }
        String script = UbootScript.write(b.out(), b.system().loadCmd(), b.system().file().getParent(), b.system().file().toString());
        assertEquals(Files.readString(b.expected().resolve("boot.source")), script);
        StringBuilder warnings = new StringBuilder();
        for (String w : b.out().hostWarnings()) warnings.append(w).append('\n');
        for (Diagnostic d : b.out().warnings()) warnings.append(d.render(false)).append('\n');
        assertEquals(Files.readString(b.expected().resolve("stderr.txt")), warnings.toString());
    }

    @ParameterizedTest
    @MethodSource("systems")
    void dtcReadsEveryOutputWithoutErrorAndDecompilesAsXldt(String name) throws Exception {
        String dtc = Tools.dtc();
        for (var e : dtbs(build(name)).entrySet()) {
            Tools.Result r = Tools.run(List.of(dtc, "-I", "dtb", "-O", "dts", "-"), e.getValue());
            assertEquals(0, r.exit(), e.getKey() + ": " + r.stderr());
            assertFalse(r.stderr().contains("ERROR"), r.stderr());
            assertEquals(r.out(), DtsWriter.write(DtbReader.read(e.getValue(), "x")), e.getKey().toString());
        }
    }

    @ParameterizedTest
    @MethodSource("systems")
    void loadRangesNeverOverlapAndAvoidReservedMemory(String name) throws Exception {
        Built b = build(name);
        DeviceTree host = DtbReader.read(Files.readAllBytes(b.system().hostDtb()), "host");
        XenHost hd = new XenHost(host, "host", Dom0Settings.read(XenCmdline.parse(b.system().xenCmdline()), "cmdline"));
        List<Dom0lessBuilder.Module> ms = b.out().modules();
        long start = b.system().memoryStart().orElse(hd.ram().stream().mapToLong(Region::base).min().orElseThrow());
        List<Region> forbidden = new ArrayList<>();
        forbidden.addAll(hd.reservedMemory());
        forbidden.addAll(hd.memreserve());
        for (Dom0lessDomain d : b.system().domUs()) {
            for (Dom0lessDomain.StaticBank s : d.staticMem()) forbidden.add(new Region(s.address(), s.size()));
        }
        forbidden.add(new Region(b.out().scriptAddress(), ModulePlacement.ALIGN));
        for (int i = 0; i < ms.size(); i++) {
            Dom0lessBuilder.Module m = ms.get(i);
            assertEquals(0, m.address() % ModulePlacement.ALIGN, m + " is 2 MiB aligned");
            assertTrue(m.address() >= start + ModulePlacement.ALIGN, m + " above the script");
            assertTrue(hd.ram().stream().anyMatch(r -> m.address() >= r.base() && m.end() <= r.end()), m + " in host RAM");
            for (Region f : forbidden) assertFalse(f.overlaps(new Region(m.address(), Math.max(1, m.size()))), m + " vs " + f);
            for (int j = 0; j < i; j++) {
                assertTrue(ms.get(j).end() <= m.address(), ms.get(j) + " overlaps " + m);
            }
        }
        // the /chosen module nodes say exactly that, with the real file sizes (ImageBuilder's rule)
        List<long[]> regs = new ArrayList<>();
        DeviceTree.walk(b.out().hostTree().root().child("chosen"), n -> {
            if (n.isCompatible("multiboot,module")) regs.add(n.property("reg").cells());
        });
        List<Dom0lessBuilder.Module> loaded = ms.stream()
                .filter(m -> m.kind() != Dom0lessBuilder.Kind.XEN && m.kind() != Dom0lessBuilder.Kind.HOST_DTB).toList();
        assertEquals(loaded.size(), regs.size());
        for (Dom0lessBuilder.Module m : loaded) {
            assertTrue(regs.stream().anyMatch(c -> (c[0] << 32 | c[1]) == m.address() && (c[2] << 32 | c[3]) == m.size()), m.toString());
            byte[] file = m.kind() == Dom0lessBuilder.Kind.DOMU_DEVICE_TREE
                    ? b.out().partials().stream().filter(p -> p.file().equals(m.file())).findFirst().orElseThrow().dtb()
                    : Files.readAllBytes(m.file());
            KernelImage k = KernelImage.of(file);
            assertEquals(Math.max(file.length, k.headerSize()), m.size(), m + ": max(file size, header image_size)");
        }
        Dom0lessBuilder.Module dtb = ms.get(ms.size() - 1);
        assertEquals(Dom0lessBuilder.Kind.HOST_DTB, dtb.kind());
        assertEquals(b.out().hostDtb().length, dtb.size());
    }

    @ParameterizedTest
    @MethodSource("systems")
    void everyXenPathExistsAndEveryXenRegIsPageAligned(String name) throws Exception {
        Built b = build(name);
        DeviceTree host = DtbReader.read(Files.readAllBytes(b.system().hostDtb()), "host");
        int paths = 0;
        for (Dom0lessBuilder.Partial p : b.out().partials()) {
            DeviceTree t = DtbReader.read(p.dtb(), p.file().toString());
            Node pt = t.root().child("passthrough");
            assertNotNull(pt);
            assertEquals(List.of("simple-bus"), pt.strings("compatible"));
            List<Node> nodes = new ArrayList<>();
            DeviceTree.walk(pt, nodes::add);
            for (Node n : nodes) {
                assertTrue(n.phandle() == 0 || n.phandle() < GuestMemoryMap.PHANDLE_RESERVED_FIRST, n + " phandle below 65000");
                Property path = n.property("xen,path");
                Property reg = n.property("xen,reg");
                assertEquals(path == null, reg == null, n + ": xen,reg and xen,path go together");
                if (path == null) continue;
                paths++;
                Node h = host.find(path.string());
                assertNotNull(h, path.string() + " exists in the host tree");
                assertTrue(b.out().hostTree().find(path.string()).has("xen,passthrough"), path.string() + " is marked xen,passthrough");
                long[] c = reg.cells();
                assertEquals(0, c.length % 6, "xen,reg is <phys(2) size(2) guest(2)>...");
                for (int i = 0; i < c.length; i += 6) {
                    for (int k = 0; k < 3; k++) {
                        long v = c[i + 2 * k] << 32 | c[i + 2 * k + 1];
                        assertEquals(0, v & 0xfff, n + ": xen,reg value 0x" + Long.toHexString(v) + " is page-aligned");
                    }
                }
                // the registers of the host device lie inside the mapped pages
                for (Region r : DtAddresses.cpuReg(h).orElseThrow()) {
                    boolean inside = false;
                    for (int i = 0; i < c.length; i += 6) {
                        long phys = c[i] << 32 | c[i + 1];
                        long size = c[i + 2] << 32 | c[i + 3];
                        inside |= r.base() >= phys && r.end() <= phys + size;
                    }
                    assertTrue(inside, n + " maps all of " + h);
                }
            }
            // every phandle the partial tree holds in a known property resolves inside it, but the GIC's and the vSMMU's
            PhandleRefs.Resolver res = PhandleRefs.of(t);
            for (Node n : nodes) {
                for (Property prop : n.properties()) {
                    for (int i : PhandleRefs.cells(n, prop, res)) {
                        long ph = prop.cell(i);
                        if (ph == GuestMemoryMap.PHANDLE_GIC || ph == GuestMemoryMap.PHANDLE_VSMMUV3) continue;
                        assertNotNull(res.node(ph), n + ":" + prop.name() + " phandle 0x" + Long.toHexString(ph));
                    }
                }
            }
        }
        if (name.equals("smmu-passthrough")) assertEquals(2, paths);
    }

    @ParameterizedTest
    @MethodSource("systems")
    void domUTreesHaveNoDanglingPhandles(String name) {
        Built b = build(name);
        for (var e : b.out().previews().entrySet()) {
            assertEquals(List.of(), org.xldt.dt.Checks.danglingPhandles(e.getValue()), e.getKey());
        }
    }
}
