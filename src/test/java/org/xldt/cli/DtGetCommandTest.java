package org.xldt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xldt.BadInputException;
import org.xldt.Tools;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtCli;
import org.xldt.dt.DtbWriter;
import org.xldt.dt.FdtgetFormat;
import org.xldt.dt.Property;

/** {@code xldt dt get} against fdtget 1.6.1. */
class DtGetCommandTest {
    static final Path HOSTS = Path.of("examples/hosts");

    @TempDir
    Path dir;

    /** Queries run through fdtget in one shell (one process start), then through xldt. */
    static final class Batch {
        private final List<List<String>> fdtgetArgs = new ArrayList<>();
        private final List<List<String>> ourArgs = new ArrayList<>();

        /** fdtget's output and exit for one query; ours must match (exit 0) or also fail (exit 1). */
        void same(Path dtb, List<String> opts, String path, String... props) {
            List<String> cmd = new ArrayList<>(opts);
            cmd.add(dtb.toString());
            List<String> ours = new ArrayList<>(List.of("dt", "get"));
            ours.addAll(opts);
            ours.add(dtb.toString());
            ours.add(path);
            if (props.length == 0) {
                cmd.add(path);
            } else {
                for (String p : props) {
                    cmd.add(path);
                    cmd.add(p);
                    ours.add(p);
                }
            }
            fdtgetArgs.add(cmd);
            ourArgs.add(ours);
        }

        void verify() {
            String fdtget = Tools.require("fdtget");
            StringBuilder script = new StringBuilder();
            for (List<String> a : fdtgetArgs) {
                script.append(fdtget);
                for (String arg : a) script.append(" '").append(arg.replace("'", "'\\''")).append('\'');
                script.append(" 2>/dev/null; echo \"@@rc=$?@@\"\n");
            }
            Tools.Result all = Tools.run(List.of("sh", "-c", script.toString()), null);
            String[] parts = new String(all.stdout(), StandardCharsets.ISO_8859_1).split("@@rc=", -1);
            assertEquals(fdtgetArgs.size() + 1, parts.length);
            String pending = parts[0];
            for (int q = 0; q < ourArgs.size(); q++) {
                String[] rest = parts[q + 1].split("@@\n", 2);
                int rc = Integer.parseInt(rest[0]);
                DtCli.Result r = DtCli.run(ourArgs.get(q).toArray(String[]::new));
                String what = String.join(" ", ourArgs.get(q));
                if (rc == 0) {
                    assertEquals(0, r.exit(), what + ": " + r.stderr());
                    assertEquals(pending, r.out(), what);
                } else {
                    assertEquals(1, r.exit(), what + " should fail as fdtget does");
                    assertEquals(1, r.stderr().split("\n").length, r.stderr());
                }
                pending = rest.length > 1 ? rest[1] : "";
            }
        }
    }

    @Test
    void hostQueriesMatchFdtget() {
        Batch b = new Batch();
        Path qemu = HOSTS.resolve("qemu-virt-gicv3-smmuv3.dtb");
        Path rk = HOSTS.resolve("rk3588-rock-5b.dtb");
        Path tegra = HOSTS.resolve("tegra264-p3971-0089+p3834-0008+mem.dtb");
        Path hip = HOSTS.resolve("hip07-d05.dtb");
        List<String> none = List.of();
        b.same(qemu, none, "/", "compatible", "#address-cells", "model", "interrupt-parent");
        b.same(qemu, none, "/intc", "reg");
        b.same(qemu, none, "/intc@8000000", "compatible", "interrupts");
        b.same(qemu, none, "/pl011@9000000", "clock-names", "clocks");
        b.same(qemu, none, "/smmuv3@9050000", "interrupt-names", "dma-coherent");
        b.same(qemu, none, "/chosen", "stdout-path", "rng-seed");
        b.same(qemu, none, "/pcie", "iommu-map", "ranges", "bus-range");
        b.same(qemu, none, "/cpus/cpu", "reg");
        b.same(qemu, List.of("-p"), "/");
        b.same(qemu, List.of("-p"), "/chosen");
        b.same(qemu, List.of("-l"), "/");
        b.same(qemu, List.of("-l"), "/cpus");
        b.same(qemu, List.of("-l"), "/pl011@9000000");
        b.same(rk, none, "serial2", "compatible", "reg");
        b.same(rk, none, "mmc0", "compatible");
        b.same(rk, List.of("-p"), "/aliases");
        b.same(rk, List.of("-l"), "/cpus/cpu-map");
        b.same(rk, none, "/cpus/cpu@0", "reg", "enable-method");
        b.same(tegra, none, "/memory@80000000", "reg", "device_type");
        b.same(tegra, List.of("-l"), "/");
        b.same(hip, none, "/", "compatible");
        for (String t : List.of("s", "i", "x", "hhx", "hu", "Lx")) { // every type: everyTypeOnTrickyValues
            b.same(qemu, List.of("-t", t), "/intc", "reg");
            b.same(qemu, List.of("-t", t), "/", "compatible");
            b.same(qemu, List.of("-t", t), "/pcie@10000000", "interrupt-map-mask");
            b.same(qemu, List.of("-t", t), "/chosen", "kaslr-seed");
        }
        // missing nodes and properties fail as fdtget does; -d prints the default instead
        b.same(qemu, none, "/nonexistent", "reg");
        b.same(qemu, none, "/chosen", "nonexistent");
        b.same(qemu, none, "nosuchalias", "reg");
        b.same(qemu, List.of("-d", "dflt"), "/chosen", "nonexistent");
        b.same(qemu, List.of("-d", "dflt"), "/nonexistent", "reg");
        b.same(qemu, List.of("-d", "dflt"), "/chosen", "stdout-path");
        b.verify();
    }

    /** Every fdtget type on values chosen to hit each branch (strings, lists, signs, sizes). */
    @Test
    void everyTypeOnTrickyValues() throws IOException {
        DeviceTree t = new DeviceTree();
        List<byte[]> values = new ArrayList<>();
        for (String s : List.of("", "a\0", "ab\0cd\0", "a\0\0b\0", "\0", "abc", "tab\there\0", "\u00e9t\u00e9\0", "x")) {
            values.add(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        values.add(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe, 0, 0, 0, 1});
        values.add(new byte[] {(byte) 0x80, 0, 0x7f, (byte) 0xff, 1, 2});
        values.add(new byte[] {(byte) 0x80, 0, 0x7f});
        for (int i = 0; i < values.size(); i++) t.root().append(new Property("v" + i, values.get(i)));
        Path dtb = dir.resolve("v.dtb");
        Files.write(dtb, DtbWriter.write(t));
        List<String> types = List.of("", "s", "i", "u", "x", "hhi", "hhu", "hhx", "bx", "hi", "hu", "hx", "li", "lu", "lx");
        // all fdtget runs in one shell, each followed by its exit status
        String fdtget = Tools.require("fdtget");
        StringBuilder script = new StringBuilder();
        List<String[]> queries = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            for (String ty : types) {
                String opt = ty.isEmpty() ? "" : "-t " + ty + " ";
                script.append(fdtget).append(' ').append(opt).append(dtb).append(" / v").append(i)
                        .append(" 2>/dev/null; echo \"@@rc=$?@@\"\n");
                queries.add(new String[] {ty, "v" + i});
            }
        }
        Tools.Result all = Tools.run(List.of("sh", "-c", script.toString()), null);
        String out = new String(all.stdout(), java.nio.charset.StandardCharsets.ISO_8859_1);
        String[] parts = out.split("@@rc=", -1);
        assertEquals(queries.size() + 1, parts.length);
        String pending = parts[0];
        for (int q = 0; q < queries.size(); q++) {
            String[] rest = parts[q + 1].split("@@\n", 2);
            int rc = Integer.parseInt(rest[0]);
            String[] query = queries.get(q);
            // the formatting itself, in-process (the CLI wiring is covered by the host queries)
            String what = "-t " + query[0] + " " + query[1];
            FdtgetFormat fmt = query[0].isEmpty() ? FdtgetFormat.DEFAULT : FdtgetFormat.parse(query[0]);
            byte[] value = values.get(Integer.parseInt(query[1].substring(1)));
            if (rc == 0) {
                assertEquals(pending, fmt.show(value, "v.dtb", query[1]) + "\n", what);
            } else {
                assertThrows(BadInputException.class, () -> fmt.show(value, "v.dtb", query[1]), what + " should fail as fdtget does");
            }
            pending = rest.length > 1 ? rest[1] : "";
        }
    }

    @Test
    void usageErrors() {
        String dtb = HOSTS.resolve("morello-sdp.dtb").toString();
        for (String[] args : List.of(
                new String[] {"dt", "get", dtb, "/"},
                new String[] {"dt", "get", "-t", "q", dtb, "/", "compatible"},
                new String[] {"dt", "get", "-t", "hhhx", dtb, "/", "compatible"},
                new String[] {"dt", "get", "-p", "-l", dtb, "/"},
                new String[] {"dt", "get", "-p", dtb, "/", "compatible"},
                new String[] {"dt", "get", dtb})) {
            DtCli.Result r = DtCli.run(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.stderr());
        }
        DtCli.Result r = DtCli.run("dt", "get", dtb, "/", "nope");
        assertEquals(1, r.exit());
        assertEquals(dtb + ": error: node '/' has no property 'nope'\n", r.stderr());
        r = DtCli.run("dt", "get", dtb, "/x/y", "reg");
        assertEquals(dtb + ": error: no node '/x/y'\n", r.stderr());
        assertNotEquals(0, r.exit());
        assertTrue(r.stdout().length == 0);
    }
}
