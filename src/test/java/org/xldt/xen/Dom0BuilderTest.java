package org.xldt.xen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xldt.BadInputException;
import org.xldt.dt.Checks;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtbReader;
import org.xldt.dt.DtbWriter;
import org.xldt.dt.DtsReader;
import org.xldt.dt.Node;
import org.xldt.dt.Property;

/** Xen's dom0 rules and the series' IOMMU rules on hand-written hosts. */
class Dom0BuilderTest {
    /** A GICv3 host with a timer, one cpu, 1 GiB of RAM, a pl011 at /serial@9000000 and whatever {@code extra} adds. */
    static DeviceTree host(String extra) {
        String dts = """
                /dts-v1/;
                / {
                    #address-cells = <2>; #size-cells = <2>;
                    interrupt-parent = <&gic>;
                    compatible = "test,board";
                    cpus {
                        #address-cells = <1>; #size-cells = <0>;
                        cpu0: cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a53"; reg = <0>; enable-method = "psci"; };
                        cpu@1 { device_type = "cpu"; compatible = "arm,cortex-a53"; reg = <1>; enable-method = "psci"; };
                    };
                    memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x40000000>; };
                    psci { compatible = "arm,psci-1.0", "arm,psci-0.2"; method = "smc"; };
                    gic: interrupt-controller@8000000 {
                        compatible = "arm,gic-v3"; #interrupt-cells = <3>; interrupt-controller;
                        #address-cells = <2>; #size-cells = <2>; ranges;
                        reg = <0 0x8000000 0 0x10000>, <0 0x80a0000 0 0xf60000>;
                        interrupts = <1 9 4>;
                        its: msi-controller@8080000 { compatible = "arm,gic-v3-its"; msi-controller; #msi-cells = <1>;
                            reg = <0 0x8080000 0 0x20000>; };
                    };
                    timer { compatible = "arm,armv8-timer"; interrupts = <1 13 4>, <1 14 4>, <1 11 4>, <1 10 4>; always-on; };
                    pmu { compatible = "arm,cortex-a53-pmu"; interrupts = <1 7 4>; };
                    serial@9000000 { compatible = "arm,pl011", "arm,primecell"; reg = <0 0x9000000 0 0x1000>; interrupts = <0 1 4>; };
                    chosen { stdout-path = "/serial@9000000"; };
                %s
                };
                """.formatted(extra);
        return DtbReader.read(DtbWriter.write(DtsReader.read("host.dts", dts, Path.of("."))), "host.dtb");
    }

    static DeviceTree build(DeviceTree host, String cmdline) {
        Dom0Builder.Result r = Dom0Builder.build(host, "host.dtb", XenCmdline.parse(cmdline), "--xen-cmdline");
        DeviceTree t = DtbReader.read(DtbWriter.write(r.tree()), "dom0.dtb");
        assertEquals(List.of(), Checks.danglingPhandles(t), "no dangling phandle in dom0's tree");
        return t;
    }

    static Dom0Builder.Result result(DeviceTree host, String cmdline) {
        return Dom0Builder.build(host, "host.dtb", XenCmdline.parse(cmdline), "--xen-cmdline");
    }

    /** Two SMMUv3s (one dma-coherent), an SMMUv2 and a Rockchip IOMMU, with platform and PCIe masters. */
    static final String IOMMUS = """
            smmu0: iommu@9050000 { compatible = "arm,smmu-v3"; reg = <0 0x9050000 0 0x20000>;
                interrupts = <0 74 1>, <0 75 1>, <0 77 1>; interrupt-names = "eventq", "gerror", "cmdq-sync";
                #iommu-cells = <1>; dma-coherent; msi-parent = <&its 0>; };
            smmu1: iommu@9100000 { compatible = "arm,smmu-v3"; reg = <0 0x9100000 0 0x20000>;
                interrupts = <0 80 4>; interrupt-names = "combined"; #iommu-cells = <1>; };
            smmu2: iommu@9200000 { compatible = "arm,mmu-500", "arm,smmu-v2"; reg = <0 0x9200000 0 0x10000>;
                #global-interrupts = <1>; interrupts = <0 90 4>, <0 91 4>; #iommu-cells = <1>; };
            rkiommu: iommu@9300000 { compatible = "rockchip,rk3588-iommu"; reg = <0 0x9300000 0 0x100>; interrupts = <0 95 4>;
                #iommu-cells = <0>; };
            dma@a000000 { compatible = "test,dma"; reg = <0 0xa000000 0 0x1000>; interrupts = <0 20 4>; iommus = <&smmu0 0x10>; };
            gpu@a100000 { compatible = "test,gpu"; reg = <0 0xa100000 0 0x1000>; interrupts = <0 21 4>;
                iommus = <&smmu1 0x20>, <&smmu1 0x21>; };
            usb@a200000 { compatible = "test,usb"; reg = <0 0xa200000 0 0x1000>; interrupts = <0 22 4>; iommus = <&smmu2 0x30>; };
            vop@a300000 { compatible = "test,vop"; reg = <0 0xa300000 0 0x1000>; interrupts = <0 23 4>; iommus = <&rkiommu>; };
            pcie@10000000 { compatible = "pci-host-ecam-generic"; device_type = "pci"; #address-cells = <3>; #size-cells = <2>;
                reg = <0x40 0x10000000 0 0x10000000>; bus-range = <0 0xff>;
                ranges = <0x2000000 0 0x10000000 0 0x10000000 0 0x2eff0000>;
                msi-map = <0 &its 0 0x10000>;
                iommu-map = <0 &smmu0 0 0x8000>, <0x8000 &smmu1 0 0x8000>; iommu-map-mask = <0xfff8>; };
            """;

    static Node find(DeviceTree t, String path) {
        return t.find(path);
    }

    // ---- IOMMU rules -------------------------------------------------------------------------------

    @Test
    void viommuOffHidesEveryXenIommuAndStripsItsMasters() {
        DeviceTree t = build(host(IOMMUS), "dom0_mem=256M");
        for (String p : List.of("/iommu@9050000", "/iommu@9100000", "/iommu@9200000")) assertNull(find(t, p), p);
        for (String p : List.of("/dma@a000000", "/gpu@a100000", "/usb@a200000")) {
            assertFalse(find(t, p).has("iommus"), p + " keeps no iommus");
        }
        Node pcie = find(t, "/pcie@10000000");
        assertFalse(pcie.has("iommu-map"), "PCI host bridge: iommu-map removed");
        assertFalse(pcie.has("iommu-map-mask"), "PCI host bridge: iommu-map-mask removed");
        assertTrue(pcie.has("msi-map"), "msi-map is not an IOMMU property");
    }

    @Test
    void nonXenIommusStayWithTheirMasters() {
        for (String cmd : List.of("dom0_mem=256M", "dom0_mem=256M viommu=smmuv3")) {
            DeviceTree t = build(host(IOMMUS), cmd);
            assertNotNull(find(t, "/iommu@9300000"), "Xen has no driver for rockchip,rk3588-iommu: dom0 gets it");
            assertTrue(find(t, "/vop@a300000").has("iommus"));
        }
    }

    @Test
    void viommuOnGivesEachSmmuv3AVsmmuAtItsAddress() {
        DeviceTree h = host(IOMMUS);
        DeviceTree t = build(h, "dom0_mem=256M viommu=smmuv3");
        Node v0 = find(t, "/iommu@9050000");
        Node v1 = find(t, "/iommu@9100000");
        assertNotNull(v0);
        assertNotNull(v1);
        Node h0 = find(h, "/iommu@9050000");
        Node h1 = find(h, "/iommu@9100000");
        for (String p : List.of("compatible", "reg", "phandle", "#iommu-cells")) {
            assertArrayEquals(h0.property(p).value(), v0.property(p).value(), p);
            assertArrayEquals(h1.property(p).value(), v1.property(p).value(), p);
        }
        assertEquals(List.of("compatible", "phandle", "reg", "#iommu-cells", "interrupt-names", "interrupts", "interrupt-parent",
                "dma-coherent"), v0.properties().stream().map(Property::name).toList());
        assertFalse(v1.has("dma-coherent"), "dma-coherent only when the host SMMU has it");
        assertEquals(List.of("combined"), v0.strings("interrupt-names"));
        // the host's first interrupt, as an SPI level-high for all CPUs
        assertArrayEquals(new long[] {0, 74, 0xf04}, v0.property("interrupts").cells());
        assertArrayEquals(new long[] {0, 80, 0xf04}, v1.property("interrupts").cells());
        assertEquals(h.find("/interrupt-controller@8000000").phandle(), v0.property("interrupt-parent").cell(0));
        assertFalse(v0.has("msi-parent"));
        assertTrue(v0.children().isEmpty());
    }

    @Test
    void viommuOnKeepsIommuPropertiesUnchanged() {
        DeviceTree h = host(IOMMUS);
        DeviceTree t = build(h, "dom0_mem=256M viommu=1");
        for (String path : List.of("/dma@a000000", "/gpu@a100000")) {
            assertArrayEquals(h.find(path).property("iommus").value(), t.find(path).property("iommus").value(), path);
        }
        for (String p : List.of("iommu-map", "iommu-map-mask")) {
            assertArrayEquals(h.find("/pcie@10000000").property(p).value(), t.find("/pcie@10000000").property(p).value(), p);
        }
    }

    @Test
    void smmuV1V2StayHiddenInBothModesAndTheirMastersLoseTheReference() {
        for (String cmd : List.of("dom0_mem=256M", "dom0_mem=256M viommu=smmuv3")) {
            Dom0Builder.Result r = result(host(IOMMUS), cmd);
            assertNull(r.tree().find("/iommu@9200000"), cmd);
            assertFalse(r.tree().find("/usb@a200000").has("iommus"), cmd + ": no dangling phandle to the hidden SMMUv2");
        }
        Dom0Builder.Result on = result(host(IOMMUS), "dom0_mem=256M viommu=smmuv3");
        assertTrue(on.warnings().stream().anyMatch(w -> w.contains("/usb@a200000") && w.contains("deviation")), on.warnings().toString());
    }

    @Test
    void aDisabledSmmuv3GetsNoVsmmuAndItsMastersLoseTheReference() {
        String extra = """
                smmu: iommu@9050000 { compatible = "arm,smmu-v3"; reg = <0 0x9050000 0 0x20000>; interrupts = <0 74 1>;
                    #iommu-cells = <1>; status = "disabled"; };
                dma@a000000 { compatible = "test,dma"; reg = <0 0xa000000 0 0x1000>; iommus = <&smmu 0x10>; };
                """;
        DeviceTree t = build(host(extra), "dom0_mem=256M viommu=smmuv3");
        assertNull(t.find("/iommu@9050000"));
        assertFalse(t.find("/dma@a000000").has("iommus"));
    }

    @Test
    void anSmmuv3WithoutAGicSpiGetsNoVsmmu() {
        String extra = """
                mbigen: intc@a0080000 { compatible = "hisilicon,mbigen-v2"; reg = <0 0xa0080000 0 0x10000>;
                    interrupt-controller; #interrupt-cells = <2>; };
                smmu: iommu@9050000 { compatible = "arm,smmu-v3"; reg = <0 0x9050000 0 0x20000>; interrupt-parent = <&mbigen>;
                    interrupts = <733 1>; #iommu-cells = <1>; };
                dma@a000000 { compatible = "test,dma"; reg = <0 0xa000000 0 0x1000>; iommus = <&smmu 0x10>; };
                """;
        Dom0Builder.Result r = result(host(extra), "dom0_mem=256M viommu=smmuv3");
        assertNull(r.tree().find("/iommu@9050000"));
        assertFalse(r.tree().find("/dma@a000000").has("iommus"));
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("not a GIC SPI")), r.warnings().toString());
    }

    @Test
    void vsmmuNodesStayUnderTheirBus() {
        String extra = """
                soc { compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>; ranges = <0 0 0x20000000 0x10000000>;
                    smmu: iommu@5000000 { compatible = "arm,smmu-v3"; reg = <0x5000000 0x40000>; interrupts = <0 100 4>;
                        #iommu-cells = <1>; };
                    eth@6000000 { compatible = "test,eth"; reg = <0x6000000 0x1000>; iommus = <&smmu 7>; };
                };
                """;
        DeviceTree t = build(host(extra), "dom0_mem=256M viommu=smmuv3");
        Node v = t.find("/soc/iommu@25000000");
        assertNotNull(v, "named after the CPU address, as the series names it");
        assertArrayEquals(new long[] {0x5000000, 0x40000}, v.property("reg").cells(), "reg in the bus's own cells");
    }

    @ParameterizedTest
    @ValueSource(strings = {"viommu", "viommu=1", "viommu=true", "viommu=on", "viommu=yes", "viommu=enable", "viommu=smmuv3"})
    void viommuOnSpellings(String option) {
        assertTrue(Dom0Settings.read(XenCmdline.parse(option), "t").viommu(), option);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "viommu=0", "viommu=off", "viommu=no", "viommu=false", "viommu=disable", "viommu=none",
        "no-viommu", "viommu=smmuv3 viommu=0"})
    void viommuOffSpellings(String option) {
        assertFalse(Dom0Settings.read(XenCmdline.parse(option), "t").viommu(), option);
    }

    @Test
    void aBadViommuValueIsALocatedError() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> Dom0Settings.read(XenCmdline.parse("dom0_mem=1G viommu=smmu"), "--xen-cmdline"));
        assertTrue(e.render().startsWith("--xen-cmdline:1:13: error: viommu=smmu"), e.render());
    }

    // ---- Xen's node rules ------------------------------------------------------------------------------

    @Test
    void nodesXenSkipsOrRegenerates() {
        DeviceTree t = build(host(""), "dom0_mem=256M");
        assertNull(t.find("/pmu"), "a PPI user (and arm,cortex-a53-pmu) is skipped");
        assertNull(t.find("/memory@40000000"), "host memory replaced");
        Node psci = t.find("/psci");
        assertEquals("hvc", psci.string("method"), "psci rebuilt");
        assertEquals(List.of("arm,armv8-timer"), t.find("/timer").strings("compatible"));
        assertArrayEquals(new long[] {1, 13, 0xf08, 1, 14, 0xf08, 1, 11, 0xf08}, t.find("/timer").property("interrupts").cells());
        assertFalse(t.find("/timer").has("always-on"));
        Node gic = t.find("/interrupt-controller@8000000");
        assertFalse(gic.has("interrupts"), "the maintenance interrupt is Xen's");
        assertNotNull(t.find("/interrupt-controller@8000000/msi-controller"), "ITS regenerated without unit address");
        assertEquals(2, t.find("/cpus").children().size(), "one vCPU per host CPU by default");
        Node hyp = t.find("/hypervisor");
        assertArrayEquals(new long[] {1, 0, 0xf08}, hyp.property("interrupts").cells(), "event channel PPI 16");
        // root extras in Xen's order, after the host nodes
        List<String> names = t.root().children().stream().map(Node::name).toList();
        assertEquals(List.of("hypervisor", "psci", "cpus"), names.subList(names.size() - 4, names.size() - 1));
        assertTrue(names.get(names.size() - 1).startsWith("memory@"));
    }

    @Test
    void secondaryGicsAreDropped() {
        String extra = """
                interrupt-controller@9900000 { compatible = "arm,gic-400"; interrupt-controller; #interrupt-cells = <3>;
                    reg = <0 0x9900000 0 0x1000>, <0 0x9902000 0 0x2000>; };
                """;
        assertNull(build(host(extra), "dom0_mem=256M").find("/interrupt-controller@9900000"));
    }

    @Test
    void vcpusFromTheCommandLineAndGicv2Limit() {
        assertEquals(5, build(host(""), "dom0_mem=256M dom0_max_vcpus=5").find("/cpus").children().size());
        String v2 = """
                /dts-v1/;
                / { #address-cells = <1>; #size-cells = <1>; interrupt-parent = <&gic>;
                    cpus { #address-cells = <1>; #size-cells = <0>; cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a15"; reg = <0>; }; };
                    memory@80000000 { device_type = "memory"; reg = <0x80000000 0x40000000>; };
                    gic: interrupt-controller@2c001000 { compatible = "arm,cortex-a15-gic"; interrupt-controller; #interrupt-cells = <3>;
                        reg = <0x2c001000 0x1000>, <0x2c002000 0x2000>, <0x2c004000 0x2000>, <0x2c006000 0x2000>; };
                    timer { compatible = "arm,armv7-timer"; interrupts = <1 13 0xf08>, <1 14 0xf08>, <1 11 0xf08>, <1 10 0xf08>; };
                };
                """;
        DeviceTree h = DtsReader.read("v2.dts", v2, Path.of("."));
        DeviceTree t = build(h, "dom0_mem=128M dom0_max_vcpus=8");
        assertEquals(8, t.find("/cpus").children().size());
        assertArrayEquals(new long[] {0x2c001000, 0x1000, 0x2c002000, 0x2000}, t.find("/interrupt-controller@2c001000").property("reg").cells(),
                "GICD and GICC only");
        assertArrayEquals(new long[] {0xb8000000L, 0x8000000}, t.find("/memory@b8000000").property("reg").cells(),
                "dom0's 128 MiB: the highest aligned block below 4 GiB");
        assertArrayEquals(new long[] {0x80000000L, 0x40000, 0x80200000L, 0x37e00000L},
                t.find("/hypervisor").property("reg").cells(), "1-cell root: gnttab, then the RAM left over, 2 MiB aligned");
        BadInputException e = assertThrows(BadInputException.class, () -> result(h, "dom0_mem=128M dom0_max_vcpus=9"));
        assertTrue(e.render().startsWith("--xen-cmdline: error: 9 vCPUs"), e.render());
    }

    @Test
    void statusAndPassthrough() {
        String extra = """
                a@b000000 { status = "okay"; compatible = "test,a"; reg = <0 0xb000000 0 0x1000>; };
                b@b100000 { compatible = "test,b"; xen,passthrough; reg = <0 0xb100000 0 0x1000>; status = "okay"; };
                """;
        DeviceTree t = build(host(extra), "dom0_mem=256M");
        assertEquals(List.of("compatible", "reg", "status"), t.find("/a@b000000").properties().stream().map(Property::name).toList(),
                "status moves to the end");
        Node b = t.find("/b@b100000");
        assertFalse(b.has("xen,passthrough"));
        assertEquals("disabled", b.string("status"));
    }

    // ---- /chosen ------------------------------------------------------------------------------------

    static DeviceTree chosen(String props, String children) {
        DeviceTree h = host("");
        DeviceTree src = DtsReader.read("c.dts", "/dts-v1/;\n/ { chosen { " + props + children + " }; };", Path.of("."));
        Node c = h.find("/chosen");
        c.clearProperties();
        for (Property p : src.find("/chosen").properties()) c.append(p);
        for (Node n : src.find("/chosen").children()) c.add(n.deepCopy());
        return h;
    }

    @Test
    void chosenBootargsPrecedence() {
        assertEquals("console=hvc0", build(chosen("bootargs = \"console=hvc0\";", ""), "dom0_mem=256M").find("/chosen").string("bootargs"));
        assertEquals("dom0", build(chosen("bootargs = \"host\"; xen,dom0-bootargs = \"dom0\";", ""), "dom0_mem=256M")
                .find("/chosen").string("bootargs"));
        String module = "module@1000 { compatible = \"multiboot,kernel\", \"multiboot,module\"; reg = <0 0x1000 0 0x100>; "
                + "bootargs = \"from-module\"; };";
        assertEquals("from-module", build(chosen("bootargs = \"host\";", module), "dom0_mem=256M").find("/chosen").string("bootargs"));
        assertEquals("dom0", build(chosen("xen,dom0-bootargs = \"dom0\";", module), "dom0_mem=256M").find("/chosen").string("bootargs"));
    }

    @Test
    void chosenDropsXensPropertiesAndModulesAndAddsInitrdPlaceholders() {
        String module = "module@1000 { compatible = \"multiboot,kernel\", \"multiboot,module\"; reg = <0 0x1000 0 0x100>; };"
                + "module@2000 { compatible = \"multiboot,ramdisk\", \"multiboot,module\"; reg = <0 0x2000 0 0x100>; };"
                + "domU1 { compatible = \"xen,domain\"; };";
        DeviceTree t = build(chosen("stdout-path = \"/serial@9000000\"; xen,xen-bootargs = \"console=dtuart\"; "
                + "linux,uefi-system-table = <0 0>; kaslr-seed = <1 2>; linux,stdout-path = \"x\"; bootargs = \"b\";", module),
                "dom0_mem=256M");
        Node c = t.find("/chosen");
        assertEquals(List.of("kaslr-seed", "linux,stdout-path", "bootargs", "linux,initrd-start", "linux,initrd-end"),
                c.properties().stream().map(Property::name).toList());
        assertEquals(8, c.property("linux,initrd-start").length());
        assertTrue(c.children().isEmpty(), "modules and domU nodes are Xen's");
    }

    @Test
    void xensCommandLineComesFromChosenWhenNotGiven() {
        assertEquals("dom0_mem=1G", Dom0Builder.hostXenCmdline(chosen("xen,xen-bootargs = \"dom0_mem=1G\";", "")));
        assertEquals("", Dom0Builder.hostXenCmdline(chosen("bootargs = \"console=ttyAMA0\";", "")),
                "bootargs is dom0's unless xen,dom0-bootargs or a kernel command line exists");
        assertEquals("viommu=1", Dom0Builder.hostXenCmdline(chosen("bootargs = \"viommu=1\"; xen,dom0-bootargs = \"x\";", "")));
    }

    // ---- dtuart ------------------------------------------------------------------------------------------

    @Test
    void theConsoleUartFromStdoutPathIsHidden() {
        assertNull(build(host(""), "dom0_mem=256M").find("/serial@9000000"));
    }

    @Test
    void dtuartPathHidesThatUart() {
        DeviceTree h = host("");
        h.find("/chosen").removeProperty("stdout-path");
        assertNotNull(build(h, "dom0_mem=256M").find("/serial@9000000"));
        assertNull(build(h, "dom0_mem=256M dtuart=/serial@9000000:115200n8").find("/serial@9000000"));
        assertNull(build(h, "dom0_mem=256M dtuart=/SERIAL@9000000").find("/serial@9000000"), "paths compare without case");
    }

    @Test
    void dtuartAliasWithoutAliasesHidesNothingAndWarns() {
        Dom0Builder.Result r = result(host(""), "dom0_mem=256M console=dtuart dtuart=serial0");
        assertNotNull(r.tree().find("/serial@9000000"));
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("dtuart=serial0") && w.contains("no UART is hidden")),
                r.warnings().toString());
        DeviceTree aliased = host("aliases { serial0 = \"/serial@9000000\"; };");
        assertNull(build(aliased, "dom0_mem=256M dtuart=serial0").find("/serial@9000000"));
    }

    @Test
    void aConsoleWithoutDtuartHidesNothing() {
        assertNotNull(build(host(""), "dom0_mem=256M console=none").find("/serial@9000000"));
    }

    // ---- errors -------------------------------------------------------------------------------------------

    @Test
    void impossibleMemoryIsAnError() {
        BadInputException e = assertThrows(BadInputException.class, () -> result(host(""), "dom0_mem=2G"));
        assertTrue(e.render().startsWith("--xen-cmdline: error: dom0_mem=2048 MiB cannot be allocated"), e.render());
        assertThrows(BadInputException.class, () -> result(host(""), "dom0_mem=3M"));
        assertThrows(BadInputException.class, () -> result(host(""), "dom0_mem=1G,max:1G"));
        assertThrows(BadInputException.class, () -> result(host(""), "dom0_max_vcpus=two"));
    }

    @Test
    void aHostWithoutGicOrTimerIsAnError() {
        DeviceTree noTimer = host("");
        noTimer.find("/timer").detach();
        BadInputException e = assertThrows(BadInputException.class, () -> result(noTimer, "dom0_mem=256M"));
        assertTrue(e.render().startsWith("host.dtb: error: no arm,armv8-timer"), e.render());
        DeviceTree noGic = host("");
        noGic.find("/interrupt-controller@8000000").removeProperty("interrupt-controller");
        assertThrows(BadInputException.class, () -> result(noGic, "dom0_mem=256M"));
    }
}
