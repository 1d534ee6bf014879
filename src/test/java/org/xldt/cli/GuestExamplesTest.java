package org.xldt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xldt.Tools;

/**
 * The guest configurations in {@code examples/guests/}: {@code xldt create} regenerates each
 * golden DTB and DTS byte for byte, and dtc and dt-validate accept them.
 * {@code -Dxldt.update-goldens=true} rewrites the goldens instead of comparing.
 */
class GuestExamplesTest {
    static final Path DIR = Path.of("examples/guests");
    static final boolean UPDATE = Boolean.getBoolean("xldt.update-goldens");

    @TempDir
    static Path tmp;

    static Stream<String> examples() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cfg")).map(n -> n.substring(0, n.length() - 4)).sorted()
                    .toList().stream();
        }
    }

    static Path golden(String name, String ext) {
        return DIR.resolve(name + ".guest." + ext);
    }

    @BeforeAll
    static void generate() throws IOException {
        for (String name : examples().toList()) {
            Path dtb = tmp.resolve(name + ".dtb");
            Path dts = tmp.resolve(name + ".dts");
            XlCfgCliTest.Run r = XlCfgCliTest.xldt("create", DIR.resolve(name + ".cfg").toString(), "-o", dtb.toString(), "--dts", dts.toString());
            assertEquals(0, r.exit(), name + ": " + r.err());
            // nothing to say (xldt's checks run on every output), except the iommus it strips without a vIOMMU
            for (String line : r.err().lines().toList()) {
                assertTrue(name.equals("viommu-off-partial") && line.contains(": warning: iommus removed: the guest has no vIOMMU"), name + ": " + line);
            }
            if (UPDATE) {
                Files.copy(dtb, golden(name, "dtb"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.copy(dts, golden(name, "dts"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void atLeastTenExamples() throws IOException {
        assertTrue(examples().count() >= 10, "examples/guests has " + examples().count() + " configurations");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void regeneratesTheGoldenBytes(String name) throws IOException {
        assertArrayEquals(Files.readAllBytes(golden(name, "dtb")), Files.readAllBytes(tmp.resolve(name + ".dtb")), name + ".guest.dtb");
        assertEquals(Files.readString(golden(name, "dts"), StandardCharsets.ISO_8859_1),
                Files.readString(tmp.resolve(name + ".dts"), StandardCharsets.ISO_8859_1), name + ".guest.dts");
    }

    /** Acceptance 2: dtc decompiles every output without a single warning, to the golden DTS. */
    @ParameterizedTest
    @MethodSource("examples")
    void dtcDecompilesWithoutWarnings(String name) {
        Tools.Result r = Tools.run(Tools.dtc(), "-I", "dtb", "-O", "dts", golden(name, "dtb").toString());
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("", r.stderr(), name);
        assertEquals(read(golden(name, "dts")), new String(r.stdout(), StandardCharsets.ISO_8859_1));
    }

    /**
     * The golden DTB is what dtc compiles the golden DTS to (decision: dtc's layout). Compiling a
     * decompiled tree, dtc only notes that the phandles in {@code iommus} are numbers, not
     * references; nothing else.
     */
    @ParameterizedTest
    @MethodSource("examples")
    void dtcCompilesTheGoldenDtsToTheGoldenDtb(String name) {
        Tools.Result r = Tools.run(Tools.dtc(), "-I", "dts", "-O", "dtb", golden(name, "dts").toString());
        assertEquals(0, r.exit(), r.stderr());
        for (String line : r.stderr().lines().toList()) {
            assertTrue(line.matches(".*: Warning \\(iommus_property\\): /.*:iommus: cell \\d+ is not a phandle reference"), line);
        }
        assertArrayEquals(readBytes(golden(name, "dtb")), r.stdout());
    }

    /** The schema in use has teeth: a wrong {@code #iommu-cells} and an unknown property are reported. */
    @Test
    void theSchemaRejectsABrokenSmmuNode() throws IOException {
        String mk = Tools.require("dt-mk-schema");
        String validate = Tools.require("dt-validate");
        Tools.Result s = Tools.run(mk, "-j", schemas().toString());
        assertEquals(0, s.exit(), s.stderr());
        Path json = Files.write(tmp.resolve("schema.json"), s.stdout());
        org.xldt.dt.DeviceTree t = org.xldt.dt.DtsReader.read("bad.dts", "/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
                + "iommu@4040000 { compatible = \"arm,smmu-v3\"; reg = <0 0x4040000 0 0x40000>; #iommu-cells = <2>; bogus; }; };\n", tmp);
        Path dtb = Files.write(tmp.resolve("bad.dtb"), org.xldt.dt.DtbWriter.write(t));
        Tools.Result r = Tools.run(validate, "-s", json.toString(), dtb.toString());
        String all = r.out() + r.stderr();
        assertTrue(all.contains("iommu@4040000: #iommu-cells:0:0: 1 was expected"), all);
        assertTrue(all.contains("iommu@4040000: 'bogus' does not match"), all);
    }

    /** Acceptance 2: dt-validate with the shared SMMUv3 schema has nothing to say about the vSMMU node. */
    @Test
    void dtValidateAcceptsEverySmmuNode() throws IOException {
        String mk = Tools.require("dt-mk-schema");
        String validate = Tools.require("dt-validate");
        Path schemas = schemas();
        Path json = tmp.resolve("schema.json");
        Tools.Result s = Tools.run(mk, "-j", schemas.toString());
        assertEquals(0, s.exit(), s.stderr());
        Files.write(json, s.stdout());
        List<String> withSmmu = new ArrayList<>();
        for (String name : examples().toList()) {
            if (read(golden(name, "dts")).contains("iommu@4040000 {")) withSmmu.add(golden(name, "dtb").toString());
        }
        assertTrue(withSmmu.size() >= 6, "examples with a vSMMU: " + withSmmu);
        List<String> cmd = new ArrayList<>(List.of(validate, "-M", "-s", json.toString()));
        cmd.addAll(withSmmu);
        Tools.Result r = Tools.run(cmd, null);
        String all = r.out() + r.stderr();
        for (String dtb : withSmmu) {
            assertTrue(all.contains(dtb + ": /iommu@4040000: matched on schema(s)\n\thttp://devicetree.org/schemas/iommu/arm,smmu-v3.yaml#"),
                    dtb + " was not checked against arm,smmu-v3.yaml:\n" + all);
        }
        for (String line : all.split("\n")) {
            if (line.contains("iommu@4040000") && !line.contains("matched on schema")) fail("dt-validate: " + line + "\n" + all);
            if (line.contains("arm,smmu-v3.yaml") && !line.contains("http://devicetree.org/schemas/iommu/arm,smmu-v3.yaml#")) {
                fail("dt-validate: " + line + "\n" + all);
            }
        }
    }

    /** The examples cover the acceptance list (viommu on/off, GICv2/v3, 1-8 vCPUs, vuart, ramdisk, ...). */
    @Test
    void examplesCoverTheAcceptanceList() throws IOException {
        List<String> dts = new ArrayList<>();
        for (String name : examples().toList()) dts.add(read(golden(name, "dts")));
        assertTrue(dts.stream().anyMatch(t -> t.contains("iommu@4040000 {")), "viommu on");
        assertTrue(dts.stream().anyMatch(t -> !t.contains("iommu@4040000 {")), "viommu off");
        assertTrue(dts.stream().anyMatch(t -> t.contains("\"arm,cortex-a15-gic\\0arm,cortex-a9-gic\"")), "GICv2");
        assertTrue(dts.stream().anyMatch(t -> t.contains("\"arm,gic-v3\"")), "GICv3");
        for (int n : new int[] {1, 2, 8}) {
            assertTrue(dts.stream().anyMatch(t -> count(t, "device_type = \"cpu\"") == n), n + " vCPUs");
        }
        assertTrue(dts.stream().anyMatch(t -> t.contains("compatible = \"arm,sbsa-uart\"")), "vuart");
        assertTrue(dts.stream().anyMatch(t -> t.contains("linux,initrd-start")), "ramdisk");
        assertTrue(dts.stream().anyMatch(t -> t.contains("pcie@10000000 {") && t.contains("iommu-map = <0x00 0xfdea 0x00 0x1000>")), "vPCI");
        assertTrue(dts.stream().anyMatch(t -> t.contains("iommus = <0xfdea 0x00 0xfdea 0x01>")), "a device with two iommus entries");
        assertTrue(dts.stream().anyMatch(t -> count(t, "iommus = <0xfdea") >= 4), "several devices");
        assertTrue(dts.stream().anyMatch(t -> t.contains("passthrough {") && !t.contains("iommus")), "iommus stripped without viommu");
    }

    /**
     * The SMMUv3 schema directory: {@code XLDT_SCHEMAS}, else the Linux binding in a
     * {@code shared/schemas} beside the checkout (GPL, so not copied here), else xldt's own
     * statement of the same properties in {@code src/test/resources/schemas} (a fresh CI clone).
     */
    static Path schemas() {
        String env = System.getenv("XLDT_SCHEMAS");
        if (env != null && !env.isEmpty()) return Path.of(env);
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("shared/schemas");
            if (Files.exists(p.resolve("iommu/arm,smmu-v3.yaml"))) return p;
        }
        Path own = Path.of("src/test/resources/schemas");
        if (!Files.exists(own.resolve("iommu/arm,smmu-v3.yaml"))) fail("no SMMUv3 schema: " + own.toAbsolutePath());
        return own;
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }

    static String read(Path p) {
        return new String(readBytes(p), StandardCharsets.ISO_8859_1);
    }

    static byte[] readBytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
