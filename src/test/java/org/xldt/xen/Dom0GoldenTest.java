package org.xldt.xen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xldt.Tools;
import org.xldt.cli.Main;
import org.xldt.dt.Checks;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtbReader;

/**
 * The golden dom0 trees of {@code examples/dom0/cases.tsv} (regenerate with
 * {@code examples/dom0/regen.sh}): each is rebuilt through the CLI and compared byte for byte
 * (DTB and DTS), dtc decompiles it without error to the same DTS, and no phandle dangles.
 */
class Dom0GoldenTest {
    static final Path DIR = Path.of("examples/dom0");
    static final Path HOSTS = Path.of("examples/hosts");

    record Case(String name, String host, String cmdline) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        for (String line : Files.readAllLines(DIR.resolve("cases.tsv"))) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            out.add(new Case(f[0], f[1], f[2]));
        }
        return out;
    }

    @Test
    void casesCoverQemuVirtAndRealBoardsWithTheVIommuOnAndOff() throws IOException {
        List<Case> all = cases();
        for (String host : List.of("qemu-virt-gicv2.dtb", "qemu-virt-gicv2-smmuv3.dtb", "qemu-virt-gicv3.dtb",
                "qemu-virt-gicv3-smmuv3.dtb", "morello-sdp.dtb", "socfpga_agilex5_socdk_modular+mem.dtb")) {
            long on = all.stream().filter(c -> c.host().equals(host) && Dom0Settings.read(XenCmdline.parse(c.cmdline()), "t").viommu()).count();
            long off = all.stream().filter(c -> c.host().equals(host) && !Dom0Settings.read(XenCmdline.parse(c.cmdline()), "t").viommu()).count();
            assertTrue(on >= 1 && off >= 1, host + ": needs a case with the vIOMMU on and one with it off");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void regeneratesByteForByte(Case c, @TempDir Path tmp) throws IOException {
        Path dtb = tmp.resolve("dom0.dtb");
        Path dts = tmp.resolve("dom0.dts");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(new String[] {"dom0", "--host", HOSTS.resolve(c.host()).toString(), "--xen-cmdline", c.cmdline(),
            "-o", dtb.toString(), "--dts", dts.toString()}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, rc, err.toString());
        assertArrayEquals(Files.readAllBytes(DIR.resolve(c.name() + ".dtb")), Files.readAllBytes(dtb), c.name() + ".dtb");
        assertEquals(Files.readString(DIR.resolve(c.name() + ".dts")), Files.readString(dts), c.name() + ".dts");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void noDanglingPhandles(Case c) throws IOException {
        DeviceTree t = DtbReader.read(Files.readAllBytes(DIR.resolve(c.name() + ".dtb")), c.name());
        assertEquals(List.of(), Checks.danglingPhandles(t));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void dtcDecompilesWithoutErrorToTheSameDts(Case c) throws IOException {
        String dtc = Tools.dtc();
        Tools.Result r = Tools.run(List.of(dtc, "-I", "dtb", "-O", "dts", DIR.resolve(c.name() + ".dtb").toString()), null);
        assertEquals(0, r.exit(), r.stderr());
        assertFalse(r.stderr().contains("ERROR"), r.stderr());
        assertEquals(Files.readString(DIR.resolve(c.name() + ".dts")), new String(r.stdout(), StandardCharsets.ISO_8859_1));
    }

}
