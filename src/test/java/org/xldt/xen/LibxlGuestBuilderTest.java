package org.xldt.xen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.xldt.BadInputException;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtbReader;
import org.xldt.dt.DtbWriter;
import org.xldt.dt.DtsReader;
import org.xldt.dt.Node;
import org.xldt.dt.Property;
import org.xldt.xen.DomainConfig.GicVersion;
import org.xldt.xen.GuestMemoryMap.Region;
import org.xldt.xen.LibxlGuestBuilder.Inputs;
import org.xldt.xen.LibxlGuestBuilder.Options;
import org.xldt.xen.LibxlGuestBuilder.PartialTree;
import org.xldt.xen.LibxlGuestBuilder.Result;
import org.xldt.xlcfg.ParseResult;
import org.xldt.xlcfg.XlCfgReader;
import org.xldt.xlcfg.XlSource;

class LibxlGuestBuilderTest {
    static DomainConfig config(String text) {
        ParseResult p = XlCfgReader.read(XlSource.ofString("g.cfg", text));
        assertTrue(p.ok(), p.diagnostics().toString());
        DomainConfigReader.Result r = DomainConfigReader.read(p.config());
        assertTrue(r.ok(), r.diagnostics().toString());
        return r.config();
    }

    static final String BASE = "name = \"g\"\nkernel = \"/boot/Image\"\nmemory = 512\n";

    static Inputs inputs(PartialTree partial, long ramdisk) {
        return new Inputs(LibxlLayout.assumedKernel(0, "test"), ramdisk < 0 ? OptionalLong.empty() : OptionalLong.of(ramdisk),
                Optional.ofNullable(partial));
    }

    static Result build(String cfg) {
        return build(cfg, Options.defaults("g"), null);
    }

    static Result build(String cfg, Options o, PartialTree partial) {
        return LibxlGuestBuilder.build(config(BASE + cfg), o, inputs(partial, -1));
    }

    static PartialTree partial(String dts) {
        return new PartialTree("p.dts", DtsReader.read("p.dts", dts, Path.of(".")));
    }

    /** The tree as a guest sees it: written to a DTB and read back. */
    static DeviceTree roundTrip(Result r) {
        return DtbReader.read(DtbWriter.write(r.tree()), "guest.dtb");
    }

    static long[] cells(Node n, String prop) {
        Property p = n.property(prop);
        assertNotNull(p, n.path() + " has no " + prop);
        return p.cells();
    }

    // ---- the vSMMUv3 node, property by property (acceptance 3) ---------------------------

    @Test
    void vsmmuNodeHasEveryPropertyAndValueInLibxlsOrder() {
        DeviceTree t = roundTrip(build("viommu = \"smmuv3\"\npassthrough = \"enabled\"\n"));
        Node n = t.find("/iommu@4040000");
        assertNotNull(n);
        assertEquals(List.of("compatible", "reg", "phandle", "#iommu-cells", "interrupt-names", "interrupts", "interrupt-parent"),
                n.properties().stream().map(Property::name).toList());
        assertArrayEquals("arm,smmu-v3\0".getBytes(StandardCharsets.US_ASCII), n.property("compatible").value());
        assertArrayEquals(new long[] {0, 0x04040000, 0, 0x40000}, cells(n, "reg"));
        assertArrayEquals(new long[] {65002}, cells(n, "phandle"));
        assertArrayEquals(new long[] {1}, cells(n, "#iommu-cells"));
        assertArrayEquals("combined\0".getBytes(StandardCharsets.US_ASCII), n.property("interrupt-names").value());
        // SPI 33: <SPI, 33 - 32, cpumask 0xf << 8 | level-high>
        assertArrayEquals(new long[] {0, 1, 0xf04}, cells(n, "interrupts"));
        assertArrayEquals(new long[] {65000}, cells(n, "interrupt-parent"));
        assertEquals(t.find("/interrupt-controller@3001000"), t.byPhandle(65000));
        assertEquals(n, t.byPhandle(65002));
        assertFalse(n.has("dma-coherent"), "no dma-coherent in the series (Xilinx adds it)");
    }

    @Test
    void vsmmuComesAfterVpciAndBeforeThePartialTree() {
        Result r = build("viommu = \"smmuv3\"\npci = [ \"01:00.0\" ]\nvuart = \"sbsa_uart\"\ndevice_tree = \"p.dts\"\n", Options.defaults("g"),
                partial(ONE_DEVICE));
        assertEquals(List.of("chosen", "cpus", "psci", "memory@40000000", "interrupt-controller@3001000", "timer", "hypervisor@38000000",
                "sbsa-pl011@22000000", "pcie@10000000", "iommu@4040000", "passthrough", "aliases"),
                r.tree().root().children().stream().map(Node::name).toList());
        assertEquals(List.of("model", "compatible", "interrupt-parent", "#address-cells", "#size-cells"),
                r.tree().root().properties().stream().map(Property::name).toList());
    }

    @Test
    void noVsmmuNodeWithoutViommu() {
        DeviceTree t = roundTrip(build("viommu = \"none\"\n"));
        assertNull(t.find("/iommu@4040000"));
        assertTrue(t.phandles().keySet().stream().noneMatch(p -> p == 65002));
    }

    @Test
    void viommuIsMatchedInAnyCase() {
        for (String v : List.of("smmuv3", "SMMUv3", "SmMuV3", "SMMUV3")) {
            Result r = build("viommu = \"" + v + "\"\npassthrough = \"enabled\"\n");
            assertNotNull(r.tree().find("/iommu@4040000"), v);
        }
    }

    @Test
    void vpciGetsIommuMapToTheVsmmuWithTheFirstVsids() {
        DeviceTree t = roundTrip(build("viommu = \"smmuv3\"\npci = [ \"01:00.0\" ]\n"));
        Node pcie = t.find("/pcie@10000000");
        assertArrayEquals(new long[] {0, 65002, 0, 0x1000}, cells(pcie, "iommu-map"));
        assertEquals("iommu-map", pcie.properties().get(pcie.properties().size() - 1).name());
        // physical (RFC): RID = SID over 64K
        DeviceTree p = roundTrip(build("viommu = \"smmuv3\"\npci = [ \"01:00.0\" ]\n", Options.defaults("g").withSidMode(VsidMap.Mode.PHYSICAL), null));
        assertArrayEquals(new long[] {0, 65002, 0, 0x10000}, cells(p.find("/pcie@10000000"), "iommu-map"));
        // no vSMMU: no iommu-map (it would name a node that does not exist)
        assertFalse(roundTrip(build("pci = [ \"01:00.0\" ]\n")).find("/pcie@10000000").has("iommu-map"));
    }

    // ---- partial device trees and vSIDs -------------------------------------------------

    static final String ONE_DEVICE = """
            /dts-v1/;
            / {
            	#address-cells = <2>; #size-cells = <2>;
            	aliases { serial0 = "/passthrough/dev@9000000"; };
            	passthrough {
            		compatible = "simple-bus"; ranges; #address-cells = <2>; #size-cells = <2>;
            		dev@9000000 { reg = <0 0x9000000 0 0x1000>; iommus = <0x8001 0x10>; };
            	};
            };
            """;

    static final String TWO_SMMUS = """
            /dts-v1/;
            / {
            	#address-cells = <2>; #size-cells = <2>;
            	smmu0: iommu@2b400000 { #iommu-cells = <1>; phandle = <0x8001>; };
            	smmu1: iommu@2b500000 { #iommu-cells = <1>; phandle = <0x8002>; };
            	passthrough {
            		compatible = "simple-bus"; ranges; #address-cells = <2>; #size-cells = <2>;
            		a@9000000 { reg = <0 0x9000000 0 0x1000>; iommus = <&smmu0 0x10>; };
            		b@9001000 { reg = <0 0x9001000 0 0x1000>; iommus = <&smmu1 0x10>; };
            		bus { c { iommus = <&smmu0 0x10>, <&smmu1 0x20>; }; };
            	};
            };
            """;

    @Test
    void sameSidBehindTwoPhysicalSmmusGetsTwoVsids() {
        Result r = build("viommu = \"smmuv3\"\ndevice_tree = \"p.dts\"\n", Options.defaults("g"), partial(TWO_SMMUS));
        DeviceTree t = roundTrip(r);
        assertArrayEquals(new long[] {65002, 0}, cells(t.find("/passthrough/a@9000000"), "iommus"));
        assertArrayEquals(new long[] {65002, 1}, cells(t.find("/passthrough/b@9001000"), "iommus"));
        // any depth; a known (SMMU, SID) keeps its vSID
        assertArrayEquals(new long[] {65002, 0, 65002, 2}, cells(t.find("/passthrough/bus/c"), "iommus"));
        VsidMap m = r.vsids();
        assertEquals(3, m.entries().size());
        assertEquals(Optional.of(0x10L), m.psidOf(0));
        assertEquals(Optional.of(0x10L), m.psidOf(1));
        assertEquals(0x8001, m.lookup(0).orElseThrow().smmu().orElseThrow().phandle());
        assertEquals(0x8002, m.lookup(1).orElseThrow().smmu().orElseThrow().phandle());
        assertEquals(Optional.of("/iommu@2b500000"), m.lookup(2).orElseThrow().smmu().orElseThrow().path());
        // the host SMMU copies are not copied into the guest
        assertNull(t.find("/iommu@2b400000"));
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
    }

    @Test
    void vpciRangeComesBeforeThePartialTreesVsids() {
        Result r = build("viommu = \"smmuv3\"\npci = [ \"01:00.0\" ]\ndevice_tree = \"p.dts\"\n", Options.defaults("g"), partial(ONE_DEVICE));
        assertArrayEquals(new long[] {65002, 0x1000}, cells(roundTrip(r).find("/passthrough/dev@9000000"), "iommus"));
    }

    @Test
    void physicalSidModeKeepsSidsAndWarnsAboutCollisions() {
        Result r = build("viommu = \"smmuv3\"\ndevice_tree = \"p.dts\"\n", Options.defaults("g").withSidMode(VsidMap.Mode.PHYSICAL),
                partial(TWO_SMMUS));
        DeviceTree t = roundTrip(r);
        assertArrayEquals(new long[] {65002, 0x10}, cells(t.find("/passthrough/a@9000000"), "iommus"));
        assertArrayEquals(new long[] {65002, 0x10}, cells(t.find("/passthrough/b@9001000"), "iommus"));
        assertEquals(1, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).render().startsWith("p.dts:/passthrough/b@9001000:iommus[0]: warning: stream ID 0x10 is also used by"),
                r.warnings().get(0).render());
    }

    @Test
    void withoutViommuIommusAreStrippedWithAWarningEach() {
        Result r = build("device_tree = \"p.dts\"\n", Options.defaults("g"), partial(TWO_SMMUS));
        DeviceTree t = roundTrip(r);
        t.walk(n -> assertFalse(n.has("iommus"), n.path()));
        assertNotNull(t.find("/passthrough/a@9000000"));
        assertEquals(List.of(
                "p.dts:/passthrough/a@9000000: warning: iommus removed: the guest has no vIOMMU (set viommu = \"smmuv3\" to keep it)",
                "p.dts:/passthrough/b@9001000: warning: iommus removed: the guest has no vIOMMU (set viommu = \"smmuv3\" to keep it)",
                "p.dts:/passthrough/bus/c: warning: iommus removed: the guest has no vIOMMU (set viommu = \"smmuv3\" to keep it)"),
                r.warnings().stream().map(LibxlGuestBuilder.Warning::render).toList());
        assertTrue(r.vsids().isEmpty());
    }

    @Test
    void reservedPhandleInThePartialTreeIsAnError() {
        String dts = ONE_DEVICE.replace("dev@9000000 {", "dev@9000000 { phandle = <65000>;");
        BadInputException e = assertThrows(BadInputException.class,
                () -> build("viommu = \"smmuv3\"\ndevice_tree = \"p.dts\"\n", Options.defaults("g"), partial(dts)));
        assertEquals("p.dts:/passthrough/dev@9000000", e.location());
        assertTrue(e.getMessage().startsWith("phandle 0xfde8 (65000) is reserved"), e.getMessage());
        String high = ONE_DEVICE.replace("aliases {", "x { phandle = <0xfffffff0>; }; aliases {");
        assertThrows(BadInputException.class, () -> build("device_tree = \"p.dts\"\n", Options.defaults("g"), partial(high)));
    }

    @Test
    void iommuCellsOtherThanOneIsAnError() {
        String dts = TWO_SMMUS.replace("smmu1: iommu@2b500000 { #iommu-cells = <1>;", "smmu1: iommu@2b500000 { #iommu-cells = <2>;")
                .replace("<&smmu1 0x10>", "<&smmu1 0x10 0>").replace("<&smmu1 0x20>", "<&smmu1 0x20 0>");
        BadInputException e = assertThrows(BadInputException.class,
                () -> build("viommu = \"smmuv3\"\ndevice_tree = \"p.dts\"\n", Options.defaults("g"), partial(dts)));
        assertEquals("p.dts:/iommu@2b500000:#iommu-cells", e.location());
        assertTrue(e.getMessage().contains("#iommu-cells = <2>"), e.getMessage());
    }

    @Test
    void malformedIommusIsAnError() {
        String dts = ONE_DEVICE.replace("iommus = <0x8001 0x10>", "iommus = <0x8001 0x10 0x11>");
        BadInputException e = assertThrows(BadInputException.class,
                () -> build("viommu = \"smmuv3\"\ndevice_tree = \"p.dts\"\n", Options.defaults("g"), partial(dts)));
        assertEquals("p.dts:/passthrough/dev@9000000:iommus", e.location());
    }

    @Test
    void passthroughNodeMustBeNamedExactly() {
        String dts = ONE_DEVICE.replace("passthrough {", "passthrough@0 {");
        BadInputException e = assertThrows(BadInputException.class, () -> build("device_tree = \"p.dts\"\n", Options.defaults("g"), partial(dts)));
        assertEquals("p.dts", e.location());
        assertTrue(e.getMessage().startsWith("Can't copy the node \"/passthrough\" from the partial FDT (found \"passthrough@0\")"), e.getMessage());
        String none = "/dts-v1/; / { aliases { }; };";
        assertThrows(BadInputException.class, () -> build("device_tree = \"p.dts\"\n", Options.defaults("g"), partial(none)));
    }

    @Test
    void partialNodesAreCopiedVerbatimApartFromIommus() {
        Result r = build("viommu = \"smmuv3\"\ndevice_tree = \"p.dts\"\n", Options.defaults("g"), partial(ONE_DEVICE));
        Node dev = r.tree().find("/passthrough/dev@9000000");
        assertEquals(List.of("reg", "iommus"), dev.properties().stream().map(Property::name).toList());
        assertEquals("/passthrough/dev@9000000", r.tree().find("/aliases").string("serial0"));
    }

    // ---- the other nodes ----------------------------------------------------------------

    @Test
    void nrSpisCoverTheVsmmuSpi() {
        assertEquals(2, config(BASE + "viommu = \"smmuv3\"\n").nrSpis());
        assertEquals(3, config(BASE + "viommu = \"smmuv3\"\nvuart = \"sbsa_uart\"\n").nrSpis());
    }

    @Test
    void cpusUseLibxlsMpidrNames() {
        DeviceTree t = roundTrip(build("vcpus = 20\nmaxvcpus = 20\n"));
        assertNotNull(t.find("/cpus/cpu@f"));
        Node cpu16 = t.find("/cpus/cpu@100");
        assertArrayEquals(new long[] {0x100}, cells(cpu16, "reg"));
        assertNotNull(t.find("/cpus/cpu@103"));
        assertEquals(20, t.find("/cpus").children().size());
        assertEquals(List.of("device_type", "compatible", "enable-method", "reg"), cpu16.properties().stream().map(Property::name).toList());
    }

    @Test
    void hostGicResolvesDefaultAndGicv2LimitsVcpus() {
        Result v2 = build("vcpus = 4\n", Options.defaults("g").withHostGic(GicVersion.V2), null);
        assertEquals(GicVersion.V2, v2.gic());
        Node gic = v2.tree().find("/interrupt-controller@3001000");
        assertArrayEquals(new long[] {0, 0x03001000, 0, 0x1000, 0, 0x03002000, 0, 0x2000}, cells(gic, "reg"));
        BadInputException e = assertThrows(BadInputException.class,
                () -> build("vcpus = 9\n", Options.defaults("g").withHostGic(GicVersion.V2), null));
        assertEquals("g.cfg:4:9", e.location());
        assertEquals(GicVersion.V3, build("gic_version = \"v3\"\n", Options.defaults("g").withHostGic(GicVersion.V2), null).gic());
    }

    @Test
    void libxlNamesKeepsNodesWithoutUnitAddress() {
        Result r = build("vuart = \"sbsa_uart\"\n", Options.defaults("g").withLibxlNames(true), null);
        assertNotNull(r.tree().find("/hypervisor"));
        assertNotNull(r.tree().find("/sbsa-pl011"));
        Result d = build("vuart = \"sbsa_uart\"\n");
        assertNotNull(d.tree().find("/hypervisor@38000000"));
        assertNotNull(d.tree().find("/sbsa-pl011@22000000"));
    }

    @Test
    void rngSeedIsDerivedFromTheNameOrGivenOrAbsent() {
        byte[] a = LibxlGuestBuilder.derivedSeed("g");
        assertEquals(128, a.length);
        assertArrayEquals(a, LibxlGuestBuilder.derivedSeed("g"));
        assertFalse(java.util.Arrays.equals(a, LibxlGuestBuilder.derivedSeed("h")));
        assertArrayEquals(a, build("").tree().find("/chosen").property("rng-seed").value());
        assertFalse(build("", Options.defaults("g").withRngSeed(null), null).tree().find("/chosen").has("rng-seed"));
        assertArrayEquals(new byte[] {1, 2}, build("", Options.defaults("g").withRngSeed(new byte[] {1, 2}), null).tree().find("/chosen")
                .property("rng-seed").value());
    }

    @Test
    void versionGoesIntoModelAndCompatibles() {
        Result r = build("", Options.defaults("g").withXenVersion(new LibxlNodes.XenVersion(4, 19)), null);
        assertEquals("XENVM-4.19", r.tree().root().string("model"));
        assertEquals(List.of("xen,xenvm-4.19", "xen,xenvm"), r.tree().root().strings("compatible"));
        assertEquals(List.of("xen,xen-4.19", "xen,xen"), r.tree().find("/hypervisor@38000000").strings("compatible"));
    }

    @Test
    void bigGuestUsesBothBanksAndExtendedRegionsFollowGpaddrBits() {
        Result r = build("maxmem = 4096\n", Options.defaults("g").withGpaddrBits(36), null);
        DeviceTree t = r.tree();
        assertArrayEquals(new long[] {0, 0x40000000, 0, 0xc0000000L}, cells(t.find("/memory@40000000"), "reg"));
        assertArrayEquals(new long[] {2, 0, 0, 0x40000000}, cells(t.find("/memory@200000000"), "reg"));
        // bank 0 full; bank 1 free from 9 GiB up to 2^36 - 1
        assertArrayEquals(new long[] {0, 0x38000000, 0, 0x01000000, 2, 0x40000000, 0xd, 0xc0000000L},
                cells(t.find("/hypervisor@38000000"), "reg"));
        assertNull(build("").tree().find("/memory@200000000"), "an empty bank is NOP'd by libxl");
    }

    @Test
    void initrdRangeIsPageRoundedAtRamPlus128M() {
        Result r = LibxlGuestBuilder.build(config(BASE + "ramdisk = \"/boot/initrd\"\n"), Options.defaults("g"), inputs(null, 0x123456));
        Node chosen = r.tree().find("/chosen");
        assertArrayEquals(new long[] {0, 0x48000000}, cells(chosen, "linux,initrd-start"));
        assertArrayEquals(new long[] {0, 0x48124000}, cells(chosen, "linux,initrd-end"));
        assertEquals(List.of("linux,initrd-start", "linux,initrd-end", "rng-seed"), chosen.properties().stream().map(Property::name).toList());
        assertEquals(new Region(0x48124000L, 0x2000), r.layout().modules().dtb());
    }

    /**
     * The fact sheet's replay of libxl with libfdt 1.6.1 (§6): 2 vCPUs, GICv3, 512 MiB, vpl011,
     * ramdisk, vSMMU, 128-byte rng-seed gives a pre-finalise blob of 5990 bytes (struct 5660 +
     * strings 266), so the DTB segment is 0x2000 bytes after the ramdisk.
     */
    @Test
    void libfdtBlobSizeMatchesTheReplayedLibxl() {
        String cfg = "vcpus = 2\ngic_version = \"v3\"\nvuart = \"sbsa_uart\"\nviommu = \"smmuv3\"\npassthrough = \"enabled\"\n"
                + "ramdisk = \"/boot/initrd\"\nextra = \"console=hvc0\"\n";
        DomainConfig c = config(BASE + cfg);
        Options o = Options.defaults("g").withLibxlNames(true);
        // the pre-finalise tree: 257 placeholder regions, both memory nodes
        Result r = LibxlGuestBuilder.build(c, o, inputs(null, 0x123456));
        DeviceTree pre = r.tree().deepCopy();
        pre.find("/hypervisor").set(LibxlNodes.regs(java.util.Collections.nCopies(257, new Region(0, 0))));
        Node mem1 = LibxlNodes.memory(new Region(0x200000000L, 0));
        pre.root().add(pre.root().indexOf(pre.find("/memory@40000000")) + 1, mem1);
        byte[] blob = DtbWriter.write(pre);
        long struct = ByteBuffer.wrap(blob).getInt(36) & 0xffffffffL;
        assertEquals(5660, struct);
        assertEquals(5990, LibxlLayout.libfdtTotalSize(pre, struct));
        assertEquals(new Region(0x48124000L, 0x2000), r.layout().modules().dtb());
    }

    // ---- virtio-mmio ---------------------------------------------------------------------

    static final String VIRTIO = "virtio = [ \"type=virtio,device22,transport=mmio\", \"type=virtio,device29, transport=mmio,backend=3\" ]\n";

    @Test
    void virtioDevicesGetWindowsAndSpisFrom34AndTheGrantDmaIommu() {
        Result r = build("viommu = \"smmuv3\"\npassthrough = \"enabled\"\n" + VIRTIO);
        DeviceTree t = roundTrip(r);
        List<String> names = t.root().children().stream().map(Node::name).toList();
        assertEquals(List.of("iommu@4040000", "virtio@2000000", "virtio@2000200", "xen_iommu"), names.subList(names.size() - 4, names.size()));
        Node i2c = t.find("/virtio@2000000");
        assertEquals(List.of("compatible", "reg", "interrupts", "interrupt-parent", "dma-coherent"),
                i2c.properties().stream().map(Property::name).toList());
        assertArrayEquals(new long[] {0, 2, 0xf01}, cells(i2c, "interrupts"), "SPI 34, edge-rising");
        assertEquals("virtio,device22", t.find("/virtio@2000000/i2c").string("compatible"));
        Node gpio = t.find("/virtio@2000200");
        assertArrayEquals(new long[] {0, 3, 0xf01}, cells(gpio, "interrupts"));
        assertArrayEquals(new long[] {65001, 3}, cells(gpio, "iommus"), "backend 3 uses grants by default");
        assertArrayEquals(new long[] {0}, cells(t.find("/virtio@2000200/gpio"), "#address-cells"));
        assertEquals(t.find("/xen_iommu"), t.byPhandle(65001));
        assertEquals(4, r.nrSpis(), "vSMMU SPI 33 and virtio SPIs 34, 35");
        assertFalse(build("viommu = \"smmuv3\"\npassthrough = \"enabled\"\n" + VIRTIO, Options.defaults("g").withLibxlNames(true), null)
                .tree().find("/virtio@2000200/gpio").has("#address-cells"));
        assertNull(build("virtio = [ \"type=virtio,device1a,transport=mmio\" ]\n").tree().find("/xen_iommu"), "dom0 backend: no grants");
    }

    @Test
    void virtioErrors() {
        BadInputException irq = assertThrows(BadInputException.class, () -> build("irqs = [ 35 ]\n" + VIRTIO));
        assertEquals("Physical IRQ 35 conflicting with Virtio MMIO IRQ range", irq.getMessage());
        assertEquals("g.cfg:4:10", irq.location());
        BadInputException spis = assertThrows(BadInputException.class, () -> build("nr_spis = 2\n" + VIRTIO));
        assertEquals("Provided nr_spis value is too small (minimum required 4)", spis.getMessage());
        assertThrows(BadInputException.class, () -> build("virtio = [ \"type=foo,transport=mmio\" ]\n"));
        assertThrows(BadInputException.class, () -> build("virtio = [ \"type=virtio,device22\" ]\n"));
        assertThrows(BadInputException.class, () -> build("virtio = [ \"type=virtio,device22,transport=mmio,colour=red\" ]\n"));
        assertThrows(BadInputException.class, () -> build("virtio = [ \"type=virtio,device22,transport=mmio,backend=dom-io\" ]\n"));
        String many = "virtio = [ " + String.join(", ", java.util.Collections.nCopies(12, "\"type=virtio,device1a,transport=mmio\"")) + " ]\n";
        assertEquals("Ran out of reserved range for Virtio MMIO IRQ 45", assertThrows(BadInputException.class, () -> build(many)).getMessage());
        BadInputException disk = assertThrows(BadInputException.class, () -> build("disk = [ \"/img,raw,xvda,rw,specification=virtio\" ]\n"));
        assertTrue(disk.getMessage().contains("not modelled"), disk.getMessage());
    }
}
