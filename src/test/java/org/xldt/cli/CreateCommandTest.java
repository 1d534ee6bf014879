package org.xldt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xldt.Tools;
import org.xldt.cli.XlCfgCliTest.Run;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtbReader;

/** {@code xldt create} from the command line: outputs, options, and one-line errors without output. */
class CreateCommandTest {
    @TempDir
    Path dir;

    static final String BASE = "name = \"g\"\nkernel = \"Image\"\nmemory = 256\n";

    static final String PARTIAL = """
            /dts-v1/;
            / {
            	#address-cells = <2>; #size-cells = <2>;
            	passthrough {
            		compatible = "simple-bus"; ranges; #address-cells = <2>; #size-cells = <2>;
            		dev@9000000 { reg = <0 0x9000000 0 0x1000>; iommus = <0x8001 0x10>; };
            	};
            };
            """;

    Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /** A failed run: exit 1, exactly one line on stderr, at {@code location}, and no output file. */
    void assertOneLineError(Run r, Path out, String location, String message) {
        assertEquals(1, r.exit(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith(location + ": error: "), lines.get(0));
        assertTrue(lines.get(0).contains(message), lines.get(0));
        assertFalse(Files.exists(out), "no output file after an error");
        assertEquals("", r.out());
    }

    @Test
    void irqConflictingWithTheVsmmuSpiIsAnError() throws Exception {
        Path cfg = file("g.cfg", BASE + "viommu = \"smmuv3\"\npassthrough = \"enabled\"\nirqs = [ 40, 33 ]\n");
        Path out = dir.resolve("g.dtb");
        Run r = XlCfgCliTest.xldt("create", cfg.toString(), "-o", out.toString());
        assertOneLineError(r, out, cfg + ":6:14", "Physical IRQ 33 conflicting with vSMMUv3 SPI");
        // SPI 33 is free without the vSMMU
        Path cfg2 = file("h.cfg", BASE + "passthrough = \"enabled\"\nirqs = [ 33 ]\n");
        assertEquals(0, XlCfgCliTest.xldt("create", cfg2.toString(), "-o", out.toString()).exit());
    }

    @Test
    void overridesOnTheCommandLineAreRead() throws Exception {
        Path cfg = file("g.cfg", BASE);
        Path out = dir.resolve("g.dtb");
        Run r = XlCfgCliTest.xldt("create", cfg.toString(), "-o", out.toString(), "viommu=\"SMMUV3\"", "passthrough=\"enabled\"", "vcpus=3");
        assertEquals(0, r.exit(), r.err());
        DeviceTree t = DtbReader.read(Files.readAllBytes(out), "g.dtb");
        assertTrue(t.find("/iommu@4040000") != null);
        assertEquals(3, t.find("/cpus").children().size());
        Run bad = XlCfgCliTest.xldt("create", cfg.toString(), "-o", dir.resolve("x.dtb").toString(), "irqs=[33]", "viommu=\"smmuv3\"", "passthrough=\"enabled\"");
        assertOneLineError(bad, dir.resolve("x.dtb"), "<command line: irqs=[33]>:1:7", "conflicting with vSMMUv3 SPI");
    }

    @Test
    void missingDeviceTreeFileIsAnError() throws Exception {
        Path cfg = file("g.cfg", BASE + "device_tree = \"nope.dtb\"\n");
        Path out = dir.resolve("g.dtb");
        assertOneLineError(XlCfgCliTest.xldt("create", cfg.toString(), "-o", out.toString()), out, cfg + ":4:15",
                "failed to read the partial device file " + dir.resolve("nope.dtb") + ": no such file");
    }

    @Test
    void malformedPartialTreesAreErrors() throws Exception {
        Path out = dir.resolve("g.dtb");
        file("bad.dts", "/dts-v1/;\n/ {\n\tpassthrough {\n\t\tx = <1 2;\n\t};\n};\n");
        Path cfg = file("g.cfg", BASE + "device_tree = \"bad.dts\"\n");
        assertOneLineError(XlCfgCliTest.xldt("create", cfg.toString(), "-o", out.toString()), out, dir.resolve("bad.dts") + ":4:11", "syntax error");
        Files.write(dir.resolve("bad.dtb"), new byte[] {(byte) 0xd0, 0x0d, (byte) 0xfe, (byte) 0xed, 0, 0, 0, 8});
        Path cfg2 = file("h.cfg", BASE + "device_tree = \"bad.dtb\"\n");
        assertOneLineError(XlCfgCliTest.xldt("create", cfg2.toString(), "-o", out.toString()), out, dir.resolve("bad.dtb") + ": offset 0x08", "too short");
    }

    @Test
    void partialTreeErrorsAreOneLine() throws Exception {
        Path out = dir.resolve("g.dtb");
        file("p.dts", PARTIAL.replace("dev@9000000 {", "dev@9000000 { phandle = <65001>;"));
        Path cfg = file("g.cfg", BASE + "device_tree = \"p.dts\"\nviommu = \"smmuv3\"\ndtdev = [ \"/soc/dev\" ]\n");
        assertOneLineError(XlCfgCliTest.xldt("create", cfg.toString(), "-o", out.toString()), out, dir.resolve("p.dts") + ":/passthrough/dev@9000000",
                "phandle 0xfde9 (65001) is reserved");
        file("q.dts", PARTIAL.replace("passthrough {", "iommu { #iommu-cells = <2>; phandle = <0x8001>; }; passthrough {"));
        Path cfg2 = file("h.cfg", BASE + "device_tree = \"q.dts\"\nviommu = \"smmuv3\"\ndtdev = [ \"/soc/dev\" ]\n");
        assertOneLineError(XlCfgCliTest.xldt("create", cfg2.toString(), "-o", out.toString()), out, dir.resolve("q.dts") + ":/iommu:#iommu-cells",
                "#iommu-cells = <2>");
    }

    @Test
    void strippingIommusWithoutViommuWarns() throws Exception {
        file("p.dts", PARTIAL);
        Path cfg = file("g.cfg", BASE + "device_tree = \"p.dts\"\n");
        Path out = dir.resolve("g.dtb");
        Run r = XlCfgCliTest.xldt("create", cfg.toString(), "-o", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(dir.resolve("p.dts") + ":/passthrough/dev@9000000: warning: iommus removed: the guest has no vIOMMU (set viommu = \"smmuv3\" to keep it)\n",
                r.err());
        assertFalse(DtbReader.read(Files.readAllBytes(out), "g.dtb").find("/passthrough/dev@9000000").has("iommus"));
    }

    @Test
    void jsonHasTheConfigurationAndTheVsidMap() throws Exception {
        file("p.dts", PARTIAL);
        Path cfg = file("g.cfg", BASE + "device_tree = \"p.dts\"\nviommu = \"smmuv3\"\nvuart = \"sbsa_uart\"\npassthrough = \"enabled\"\n");
        Run r = XlCfgCliTest.xldt("create", cfg.toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("g", j.at("/domain/name").asText());
        assertEquals(3, j.at("/domain/nr_spis").asInt());
        assertEquals("smmuv3", j.at("/domain/viommu").asText());
        assertEquals("virtual", j.at("/vsids/mode").asText());
        assertEquals("0x0", j.at("/vsids/entries/0/vsid").asText());
        assertEquals("0x10", j.at("/vsids/entries/0/psid").asText());
        assertEquals("0x8001", j.at("/vsids/entries/0/smmu/phandle").asText());
        assertEquals("0x50000000", j.at("/layout/extended_regions/0/base").asText());
    }

    @Test
    void dtbAndDtsToStandardOutput() throws Exception {
        Path cfg = file("g.cfg", BASE);
        Run dtb = XlCfgCliTest.xldt("create", cfg.toString(), "-o", "-");
        assertEquals(0, dtb.exit(), dtb.err());
        DeviceTree t = DtbReader.read(dtb.bytes(), "stdout");
        Run dts = XlCfgCliTest.xldt("create", cfg.toString(), "--dts", "-");
        assertEquals(org.xldt.dt.DtsWriter.write(t), dts.out());
        Run none = XlCfgCliTest.xldt("create", cfg.toString());
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("nothing to write"), none.err());
        assertEquals(2, XlCfgCliTest.xldt("create", cfg.toString(), "-o", "-", "--json").exit());
    }

    @Test
    void rngSeedOptions() throws Exception {
        Path cfg = file("g.cfg", BASE);
        Run none = XlCfgCliTest.xldt("create", cfg.toString(), "-o", "-", "--rng-seed", "none");
        assertFalse(DtbReader.read(none.bytes(), "x").find("/chosen").has("rng-seed"));
        Run hex = XlCfgCliTest.xldt("create", cfg.toString(), "-o", "-", "--rng-seed", "0x0102ff");
        assertArrayEquals(new byte[] {1, 2, (byte) 0xff}, DtbReader.read(hex.bytes(), "x").find("/chosen").property("rng-seed").value());
        Run a = XlCfgCliTest.xldt("create", cfg.toString(), "-o", "-", "--rng-seed", "random");
        Run b = XlCfgCliTest.xldt("create", cfg.toString(), "-o", "-", "--rng-seed", "random");
        assertFalse(java.util.Arrays.equals(a.bytes(), b.bytes()), "random seeds differ");
        Run d1 = XlCfgCliTest.xldt("create", cfg.toString(), "-o", "-");
        Run d2 = XlCfgCliTest.xldt("create", cfg.toString(), "-o", "-");
        assertArrayEquals(d1.bytes(), d2.bytes(), "the default seed is reproducible");
        assertEquals(2, XlCfgCliTest.xldt("create", cfg.toString(), "-o", "-", "--rng-seed", "xyz").exit());
    }

    @Test
    void hostOptions() throws Exception {
        Path cfg = file("g.cfg", BASE + "vcpus = 2\n");
        Run r = XlCfgCliTest.xldt("create", cfg.toString(), "--dts", "-", "--host-gic", "v2", "--xen-version", "4.20", "--gpaddr-bits", "36");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("compatible = \"arm,cortex-a15-gic\\0arm,cortex-a9-gic\";"), r.out());
        assertTrue(r.out().contains("model = \"XENVM-4.20\";"), r.out());
        assertTrue(r.out().contains("reg = <0x00 0x38000000 0x00 0x1000000 0x00 0x50000000 0x00 0xb0000000 0x02 0x00 0x0e 0x00>;"), r.out());
        assertEquals(2, XlCfgCliTest.xldt("create", cfg.toString(), "--dts", "-", "--host-gic", "v4").exit());
        assertEquals(2, XlCfgCliTest.xldt("create", cfg.toString(), "--dts", "-", "--xen-version", "4").exit());
        assertEquals(2, XlCfgCliTest.xldt("create", cfg.toString(), "--dts", "-", "--gpaddr-bits", "70").exit());
    }

    /** --libxl-names: libxl's node names, on which dtc warns as it does on real libxl output. */
    @Test
    void libxlNamesGiveDtcsUnitAddressWarnings() throws Exception {
        String dtc = Tools.dtc();
        Path cfg = file("g.cfg", BASE + "vuart = \"sbsa_uart\"\n");
        Path plain = dir.resolve("plain.dtb");
        Path libxl = dir.resolve("libxl.dtb");
        assertEquals(0, XlCfgCliTest.xldt("create", cfg.toString(), "-o", plain.toString()).exit());
        Run r = XlCfgCliTest.xldt("create", cfg.toString(), "-o", libxl.toString(), "--libxl-names");
        assertEquals(0, r.exit());
        assertEquals("", Tools.run(dtc, "-I", "dtb", "-O", "dts", plain.toString()).stderr());
        Tools.Result d = Tools.run(dtc, "-I", "dtb", "-O", "dts", libxl.toString());
        assertEquals(List.of(
                "<stdout>: Warning (unit_address_vs_reg): /hypervisor: node has a reg or ranges property, but no unit name",
                "<stdout>: Warning (unit_address_vs_reg): /sbsa-pl011: node has a reg or ranges property, but no unit name"),
                d.stderr().lines().toList());
        assertTrue(d.out().contains("\thypervisor {\n") && d.out().contains("\tsbsa-pl011 {\n"), d.out());
        // xldt's own checks say the same
        assertTrue(r.err().contains("/hypervisor: node has a reg or ranges property, but no unit name"), r.err());
    }

    @Test
    void ramdiskSizeFromTheFileOrTheOption() throws Exception {
        Files.write(dir.resolve("initrd"), new byte[0x1001]);
        Path cfg = file("g.cfg", BASE + "ramdisk = \"initrd\"\n");
        Run r = XlCfgCliTest.xldt("create", cfg.toString(), "--dts", "-");
        assertEquals("", r.err());
        assertTrue(r.out().contains("linux,initrd-end = <0x00 0x48002000>;"), r.out());
        Run o = XlCfgCliTest.xldt("create", cfg.toString(), "--dts", "-", "--ramdisk-size", "0x123456");
        assertTrue(o.out().contains("linux,initrd-end = <0x00 0x48124000>;"), o.out());
        Path missing = file("m.cfg", BASE + "ramdisk = \"gone\"\n");
        Run m = XlCfgCliTest.xldt("create", missing.toString(), "--dts", "-");
        assertEquals(0, m.exit());
        assertTrue(m.err().startsWith(missing + ":4:11: warning: cannot read the ramdisk"), m.err());
    }
}
