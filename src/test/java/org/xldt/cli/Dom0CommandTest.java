package org.xldt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xldt.Tools;
import org.xldt.dt.DtCli;

/** {@code xldt dom0}: outputs, standard output, and one located error line for bad input. */
class Dom0CommandTest {
    static final String HOST = "examples/hosts/qemu-virt-gicv3-smmuv3.dtb";

    @TempDir
    Path dir;

    @Test
    void writesDtbAndItsDecompileAsDts() throws IOException {
        Path dtb = dir.resolve("dom0.dtb");
        Path dts = dir.resolve("dom0.dts");
        DtCli.Result r = DtCli.run("dom0", "--host", HOST, "--xen-cmdline", "dom0_mem=64M viommu=smmuv3", "-o", dtb.toString(),
                "--dts", dts.toString());
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(0, r.stdout().length);
        Tools.Result dtc = Tools.run(List.of(Tools.dtc(), "-I", "dtb", "-O", "dts", dtb.toString()), null);
        assertEquals(0, dtc.exit(), dtc.stderr());
        assertEquals(new String(dtc.stdout(), StandardCharsets.ISO_8859_1), Files.readString(dts, StandardCharsets.ISO_8859_1));
        assertTrue(Files.readString(dts).contains("iommu@9050000 {"));
    }

    @Test
    void withoutOutputsTheDtsGoesToStandardOutputAndDtbCanToo() {
        DtCli.Result dts = DtCli.run("dom0", "--host", HOST, "--xen-cmdline", "dom0_mem=64M");
        assertEquals(0, dts.exit(), dts.stderr());
        assertTrue(dts.out().startsWith("/dts-v1/;\n"));
        DtCli.Result dtb = DtCli.run("dom0", "--host", HOST, "--xen-cmdline", "dom0_mem=64M", "-o", "-");
        assertEquals(0, dtb.exit(), dtb.stderr());
        assertArrayEquals(new byte[] {(byte) 0xd0, 0x0d, (byte) 0xfe, (byte) 0xed}, Arrays.copyOf(dtb.stdout(), 4));
    }

    @Test
    void theCommandLineDefaultsToTheHostsChosen() {
        DtCli.Result r = DtCli.run("dom0", "--host", HOST);
        assertEquals(1, r.exit());
        assertEquals("examples/hosts/qemu-virt-gicv3-smmuv3.dtb: /chosen (Xen's command line): error: dom0_mem=512 MiB (Xen's "
                + "default) cannot be allocated: the host has 126 MiB of free RAM (Xen would panic); "
                + "give a smaller dom0_mem\n", r.stderr().substring(r.stderr().indexOf("examples/hosts/qemu-virt-gicv3-smmuv3.dtb: /chosen")));
    }

    @Test
    void aBadHostIsOneLocatedErrorAndNoOutput() throws IOException {
        Path bad = dir.resolve("bad.dtb");
        byte[] host = Files.readAllBytes(Path.of(HOST));
        host[9] = 0x7f; // totalsize far beyond the file
        Files.write(bad, host);
        Path out = dir.resolve("dom0.dtb");
        DtCli.Result r = DtCli.run("dom0", "--host", bad.toString(), "--xen-cmdline", "dom0_mem=64M", "-o", out.toString(),
                "--dts", dir.resolve("dom0.dts").toString());
        assertEquals(1, r.exit());
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().startsWith(bad + ": offset 0x"), r.stderr());
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(dir.resolve("dom0.dts")));
    }

    @Test
    void aBadCommandLineIsOneLocatedErrorAndNoOutput() {
        Path out = dir.resolve("dom0.dtb");
        for (String cmdline : List.of("dom0_mem=64M viommu=smmu", "dom0_mem=64X", "dom0_mem=64M dom0_max_vcpus=x",
                "dom0_mem=64M ext_regions=maybe")) {
            DtCli.Result r = DtCli.run("dom0", "--host", HOST, "--xen-cmdline", cmdline, "-o", out.toString());
            assertEquals(1, r.exit(), cmdline);
            assertEquals(1, r.stderr().lines().count(), r.stderr());
            assertTrue(r.stderr().matches("--xen-cmdline:1:\\d+: error: .*\n"), r.stderr());
            assertFalse(Files.exists(out));
        }
    }

    @Test
    void dtuartOnQemuVirt() {
        // QEMU virt has no /aliases: serial0 names nothing, Xen runs without a DT console
        DtCli.Result alias = DtCli.run("dom0", "--host", HOST, "--xen-cmdline", "dom0_mem=64M console=dtuart dtuart=serial0");
        assertEquals(0, alias.exit(), alias.stderr());
        assertTrue(alias.out().contains("\tpl011@9000000 {"));
        assertTrue(alias.stderr().contains("warning: dtuart=serial0: no node \"serial0\" in /aliases"), alias.stderr());
        DtCli.Result path = DtCli.run("dom0", "--host", HOST, "--xen-cmdline", "dom0_mem=64M dtuart=/pl011@9000000");
        assertEquals(0, path.exit(), path.stderr());
        assertFalse(path.out().contains("pl011@9000000 {"));
        DtCli.Result other = DtCli.run("dom0", "--host", HOST, "--xen-cmdline", "dom0_mem=64M console=com1");
        assertTrue(other.out().contains("\tpl011@9000000 {"), "no dtuart console: the UART stays");
    }

    @Test
    void aHostWithoutRamIsAnError() {
        DtCli.Result r = DtCli.run("dom0", "--host", "examples/hosts/rk3588-rock-5b.dtb", "--xen-cmdline", "dom0_mem=1G");
        assertEquals(1, r.exit());
        assertTrue(r.stderr().startsWith("examples/hosts/rk3588-rock-5b.dtb: error: no RAM"), r.stderr());
    }

    @Test
    void usageErrors() {
        assertEquals(2, DtCli.run("dom0").exit(), "--host is required");
        assertEquals(2, DtCli.run("dom0", "--host", HOST, "-o", "-", "--dts", "-").exit());
    }
}
