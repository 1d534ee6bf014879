package org.xldt.xen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xldt.BadInputException;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtsReader;
import org.xldt.dt.Node;
import org.xldt.dt.Property;

/** The partial device tree generated from {@code dtdev} paths, on a small hand-written host. */
class PassthroughTreeBuilderTest {
    static final String HOST = """
            /dts-v1/;
            / {
                #address-cells = <2>;
                #size-cells = <2>;
                interrupt-parent = <&gic>;
                cpus { #address-cells = <1>; #size-cells = <0>;
                    cpu0: cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a53"; reg = <0>; }; };
                memory@80000000 { device_type = "memory"; reg = <0 0x80000000 0 0x40000000>; };
                reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;
                    carve: carve@90000000 { reg = <0 0x90000000 0 0x100000>; no-map; }; };
                gic: interrupt-controller@8000000 { compatible = "arm,gic-v3"; #interrupt-cells = <3>; #address-cells = <0>;
                    interrupt-controller; reg = <0 0x8000000 0 0x10000 0 0x80a0000 0 0xf60000>; };
                timer { compatible = "arm,armv8-timer"; interrupts = <1 13 4>, <1 14 4>, <1 11 4>, <1 10 4>; };
                smmu: iommu@9050000 { compatible = "arm,smmu-v3"; reg = <0 0x9050000 0 0x20000>; #iommu-cells = <1>; interrupts = <0 74 1>; };
                smmu2: iommu@9100000 { compatible = "arm,mmu-500", "arm,smmu-v2"; reg = <0 0x9100000 0 0x10000>; #iommu-cells = <1>;
                    #global-interrupts = <1>; interrupts = <0 80 4>; };
                clk: clock { compatible = "fixed-clock"; #clock-cells = <0>; clock-frequency = <24000000>; };
                soc { compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>; ranges = <0 0 0x10000000 0x1000000>;
                    dev@1000 { compatible = "x,dev"; reg = <0x1000 0x100>, <0x1800 0x100>, <0x5000 0x2000>; interrupts = <0 10 4>;
                        clocks = <&clk>; iommus = <&smmu 0x20>, <&smmu 0x21>; memory-region = <&carve>;
                        sub { gpio-controller; interrupt-controller; #interrupt-cells = <2>; interrupts = <0 11 4>; }; };
                    ext@8000 { compatible = "x,ext"; reg = <0x8000 0x1000>; interrupts-extended = <&gic 0 12 4>; iommus = <&smmu2 5>;
                        cpu = <&cpu0>; };
                    other@9000 { compatible = "x,other"; reg = <0x9000 0x1000>; interrupts = <0 13 4>; iommus = <&smmu 0x22>; };
                };
            };
            """;

    static XenHost host() {
        DeviceTree t = DtsReader.read("host.dts", HOST.getBytes(StandardCharsets.UTF_8), Path.of("."));
        return new XenHost(t, "host.dts", Dom0Settings.read(XenCmdline.parse(""), "cmdline"));
    }

    /** A domU read from an in-memory file. */
    static Dom0lessDomain domain(String... lines) {
        Map<Path, byte[]> files = new HashMap<>();
        files.put(Path.of("m/system.cfg"), "host_dtb = \"host.dtb\"\ndomus = [ \"d.cfg\" ]\n".getBytes(StandardCharsets.UTF_8));
        files.put(Path.of("m/d.cfg"), ("name = \"d\"\nkernel = \"Image\"\n" + String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        Dom0lessReader.Result r = Dom0lessReader.read(Path.of("m/system.cfg"), p -> {
            byte[] b = files.get(p);
            if (b == null) throw new NoSuchFileException(p.toString());
            return b;
        });
        assertTrue(r.ok(), r.diagnostics().toString());
        return r.system().domUs().get(0);
    }

    static long[] cells(Node n, String prop) {
        Property p = n.property(prop);
        assertNotNull(p, n + " has " + prop);
        return p.cells();
    }

    @Test
    void aDeviceWithVsmmu() {
        Dom0lessDomain d = domain("dtdev = [ \"/soc/dev@1000\", \"/soc/other@9000\" ]", "viommu = \"smmuv3\"");
        VsidMap vsids = new VsidMap(VsidMap.Mode.VIRTUAL);
        PassthroughTreeBuilder.Result r = PassthroughTreeBuilder.build(host(), d, vsids);
        Node pt = r.tree().root().child("passthrough");
        Node dev = pt.child("dev@10001000");
        assertNotNull(dev, "named after its guest address");
        // two registers in one page give one xen,reg entry
        assertEquals(List.of(0L, 0x10001000L, 0L, 0x1000L, 0L, 0x10001000L, 0L, 0x10005000L, 0L, 0x2000L, 0L, 0x10005000L),
                toList(cells(dev, "xen,reg")));
        assertEquals("/soc/dev@1000", dev.string("xen,path"));
        assertEquals(List.of(0L, 0x10001000L, 0L, 0x100L, 0L, 0x10001800L, 0L, 0x100L, 0L, 0x10005000L, 0L, 0x2000L), toList(cells(dev, "reg")));
        // vSIDs in document order: dev's two streams, then other's
        assertEquals(List.of(65002L, 0L, 65002L, 1L), toList(cells(dev, "iommus")));
        assertEquals(List.of(65002L, 2L), toList(cells(pt.child("other@10009000"), "iommus")));
        assertEquals(3, vsids.entries().size());
        assertEquals(0x21L, vsids.psidOf(1).orElseThrow());
        // interrupt-parent right after interrupts
        List<String> names = dev.properties().stream().map(Property::name).toList();
        assertEquals(names.indexOf("interrupts") + 1, names.indexOf("interrupt-parent"));
        assertEquals(List.of((long) GuestMemoryMap.PHANDLE_GIC), toList(cells(dev, "interrupt-parent")));
        // memory-region names reserved memory: dropped, with a warning
        assertNull(dev.property("memory-region"));
        assertTrue(r.warnings().stream().anyMatch(w -> w.message().contains("dropped memory-region of /soc/dev@1000")), r.warnings().toString());
        // the child's interrupts are not routed by Xen
        assertTrue(r.warnings().stream().anyMatch(w -> w.message().contains("/soc/dev@1000/sub are not routed")), r.warnings().toString());
        // the clock it uses is copied, keeping its phandle
        Node clk = pt.child("clock");
        assertNotNull(clk);
        assertEquals(dev.property("clocks").cell(0), clk.phandle());
        assertEquals(List.of(new PassthroughTreeBuilder.Assigned("/soc/dev@1000", d.itemAt("dtdev", 0),
                List.of(new GuestMemoryMap.Region(0x10001000L, 0x1000), new GuestMemoryMap.Region(0x10005000L, 0x2000)),
                List.of(new GuestMemoryMap.Region(0x10001000L, 0x100), new GuestMemoryMap.Region(0x10001800L, 0x100),
                        new GuestMemoryMap.Region(0x10005000L, 0x2000)), List.of(42))).get(0), r.devices().get(0));
    }

    @Test
    void iomemMovesTheGuestAddress() {
        Dom0lessDomain d = domain("dtdev = [ \"/soc/dev@1000\" ]", "iomem = [ \"0x10005,2@0x30000\" ]");
        Node dev = PassthroughTreeBuilder.build(host(), d, null).tree().root().child("passthrough").child("dev@10001000");
        assertEquals(List.of(0L, 0x10001000L, 0L, 0x1000L, 0L, 0x10001000L, 0L, 0x10005000L, 0L, 0x2000L, 0L, 0x30000000L),
                toList(cells(dev, "xen,reg")));
        assertEquals(0x30000000L, cells(dev, "reg")[9]);
        assertNull(dev.property("iommus"), "no vSMMU: Xen programs the physical SMMU, the guest sees no iommus");
    }

    @Test
    void interruptsExtendedAndASmmuV2() {
        Dom0lessDomain d = domain("dtdev = [ \"/soc/ext@8000\" ]");
        PassthroughTreeBuilder.Result r = PassthroughTreeBuilder.build(host(), d, null);
        Node ext = r.tree().root().child("passthrough").child("ext@10008000");
        assertEquals(List.of(65000L, 0L, 12L, 4L), toList(cells(ext, "interrupts-extended")));
        assertNull(ext.property("cpu"), "a reference to a CPU is dropped");
        assertEquals(List.of(44), r.devices().get(0).spis());
    }

    @Test
    void aVsmmuNeedsAnSmmuV3() {
        Dom0lessDomain d = domain("dtdev = [ \"/soc/ext@8000\" ]", "viommu = \"smmuv3\"");
        BadInputException e = assertThrows(BadInputException.class,
                () -> PassthroughTreeBuilder.build(host(), d, new VsidMap(VsidMap.Mode.VIRTUAL)));
        assertEquals("m/d.cfg:4:10: error: d has viommu = \"smmuv3\" but /soc/ext@8000 is behind /iommu@9100000, which is not an SMMUv3"
                + " with one-cell stream IDs", e.render());
    }

    @Test
    void theSameDeviceTwiceOrNested() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> PassthroughTreeBuilder.build(host(), domain("dtdev = [ \"/soc/dev@1000\", \"/soc/dev@1000/sub\" ]"), null));
        assertEquals("m/d.cfg:3:28: error: /soc/dev@1000/sub is given twice to d (it contains or is inside /soc/dev@1000)", e.render());
    }

    @Test
    void onlyGicSpisCanBeRouted() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> PassthroughTreeBuilder.build(host(), domain("dtdev = [ \"/timer\" ]"), null));
        assertEquals("m/d.cfg:3:11: error: dtdev /timer cannot be given to a domain: it is the architected timer Xen uses", e.render());
    }

    private static List<Long> toList(long[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }
}
