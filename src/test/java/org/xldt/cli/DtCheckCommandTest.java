package org.xldt.cli;

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
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xldt.Tools;
import org.xldt.dt.Check;
import org.xldt.dt.Checks;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtbWriter;
import org.xldt.dt.Node;
import org.xldt.dt.Property;

class DtCheckCommandTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
        }
    }

    static Run xldt(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(rc, out.toString(), err.toString());
    }

    /** dtc's check lines for a file, with the file name as prefix (dtc prints its output name). */
    static List<String> dtcLines(String file, String... switches) {
        List<String> cmd = new ArrayList<>(List.of(Tools.dtc(), "-I", "dtb", "-O", "dtb", "-o", "/dev/null"));
        cmd.addAll(List.of(switches));
        cmd.add(file);
        Tools.Result r = Tools.run(cmd, null);
        List<String> out = new ArrayList<>();
        for (String line : r.stderr().split("\n")) {
            if (line.matches("^/dev/null: (Warning|ERROR) \\(.*")) out.add(file + line.substring("/dev/null".length()));
        }
        return out;
    }

    @Test
    void hostDtbPrintsDtcsLinesAndExitsZero() {
        String f = "examples/hosts/imx95-19x19-evk.dtb";
        Run r = xldt("dt", "check", f);
        assertEquals(0, r.exit(), r.err());
        assertEquals(dtcLines(f), r.lines());
        assertEquals(10, r.lines().size());
    }

    @Test
    void switchesAreDtcs() {
        String f = "examples/hosts/tegra264-p3971-0089+p3834-0008.dtb";
        Run r = xldt("dt", "check", "-Wno-interrupt_provider", "-E", "simple_bus_reg", f);
        assertEquals(dtcLines(f, "-Wno-interrupt_provider", "-E", "simple_bus_reg"), r.lines());
        assertTrue(r.lines().get(0).contains(": ERROR (simple_bus_reg): "), r.out());
        assertEquals(1, r.exit(), "an ERROR finding exits 1");
    }

    private String writeDtb(DeviceTree t) throws IOException {
        Path p = tmp.resolve("t.dtb");
        Files.write(p, DtbWriter.write(t));
        return p.toString();
    }

    private DeviceTree brokenTree() {
        DeviceTree t = new DeviceTree();
        t.root().set(Property.cells("#address-cells", 1)).set(Property.cells("#size-cells", 1));
        t.root().addChild("a");
        t.root().addChild("a");
        t.root().addChild("serial@1000");
        return t;
    }

    @Test
    void errorFindingExitsOneAndStopsLikeDtc() throws IOException {
        String f = writeDtb(brokenTree());
        Run r = xldt("dt", "check", f);
        assertEquals(1, r.exit());
        assertEquals(List.of(f + ": ERROR (duplicate_node_names): /a: Duplicate node name"), r.lines());
        assertEquals(dtcLines(f), r.lines());
        assertEquals("", r.err());
    }

    @Test
    void keepGoingRunsTheRest() throws IOException {
        String f = writeDtb(brokenTree());
        Run r = xldt("dt", "check", "--keep-going", f);
        assertEquals(1, r.exit());
        assertEquals(f + ": ERROR (duplicate_node_names): /a: Duplicate node name", r.lines().get(0));
        // the checks that need unique node names say so; the others run
        assertTrue(r.lines().contains(f + ": ERROR (phandle_references): Failed prerequisite 'duplicate_node_names'"), r.out());
        assertTrue(r.lines().contains(f + ": Warning (unit_address_vs_reg): /serial@1000: node has a unit name, but no reg or ranges property"),
                r.out());
    }

    @Test
    void ownChecksReport() throws IOException {
        DeviceTree t = new DeviceTree();
        t.root().set(Property.cells("#address-cells", 1)).set(Property.cells("#size-cells", 1));
        Node dev = t.root().addChild("dev");
        dev.set(new Property("iommus", new byte[] {0, 0, 0, 7, 0, 0, 0, 1}));
        String f = writeDtb(t);
        Run r = xldt("dt", "check", f);
        assertEquals(1, r.exit());
        assertEquals(List.of(f + ": Warning (iommus_property): /dev:iommus: Could not get phandle node for (cell 0)",
                f + ": ERROR (dangling_phandles): /dev:iommus: phandle 0x7 (cell 0) points at no node"), r.lines());
        assertEquals(0, xldt("dt", "check", "-Eno-dangling_phandles", f).exit());
    }

    @Test
    void standardInput() throws IOException {
        byte[] blob = Files.readAllBytes(Path.of("examples/hosts/fvp-base-revc.dtb"));
        java.io.InputStream saved = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(blob));
            Run r = xldt("dt", "check", "-");
            assertEquals(0, r.exit(), r.err());
            assertEquals("", r.out());
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void unknownCheckIsAUsageError() {
        Run r = xldt("dt", "check", "-Wno-such_check", "examples/hosts/fvp-base-revc.dtb");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("xldt: Unrecognized check name \"such_check\""), r.err());
    }

    @Test
    void missingInputIsAUsageError() {
        assertEquals(2, xldt("dt", "check").exit());
    }

    @Test
    void dtsInputGivesDtcsFindings() throws IOException {
        Path dts = tmp.resolve("a.dts");
        Files.writeString(dts, "/dts-v1/;\n/ { #address-cells = <1>; #size-cells = <1>;\n"
                + "  dev { reg = <1 2>; };\n  x@5 { };\n  n: y@6 { reg = <6 1>; p = <&n>; };\n};\n");
        Run r = xldt("dt", "check", dts.toString());
        assertEquals(0, r.exit(), r.err());
        // dtc prefixes DTS findings with FILE:LINE.COL-COL; xldt names the file and the node path.
        Tools.Result d = Tools.run(List.of(Tools.dtc(), "-I", "dts", "-O", "dtb", "-o", "/dev/null", dts.toString()), null);
        List<String> expected = new ArrayList<>();
        for (String line : d.stderr().split("\n")) {
            if (line.contains("Warning (")) expected.add(line.replaceFirst("^(\\S+?):[0-9.\\-]+: ", "$1: "));
        }
        assertEquals(2, expected.size(), d.stderr());
        assertEquals(expected, r.lines());
    }

    @Test
    void badInputIsOneLocatedLine() throws IOException {
        Path trunc = tmp.resolve("trunc.dtb");
        Files.write(trunc, Arrays.copyOf(Files.readAllBytes(Path.of("examples/hosts/fvp-base-revc.dtb")), 200));
        for (String f : List.of(trunc.toString(), tmp.resolve("missing.dtb").toString())) {
            Run r = xldt("dt", "check", f);
            assertEquals(1, r.exit());
            String[] lines = r.err().split("\n");
            assertEquals(1, lines.length, r.err());
            assertTrue(lines[0].startsWith(f) && lines[0].contains(": error: "), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }

    @Test
    void listShowsEveryCheckWithItsLevel() {
        Run r = xldt("dt", "check", "--list", "-Walways_fail");
        assertEquals(0, r.exit());
        assertEquals(Checks.table().size(), r.lines().size());
        assertTrue(r.lines().contains(String.format("%-38s %-7s %s", "always_fail", "Warning", "dtc")), r.out());
        assertTrue(r.lines().contains(String.format("%-38s %-7s %s", "node_name_chars_strict", "off", "dtc")), r.out());
        assertTrue(r.lines().contains(String.format("%-38s %-7s %s", "dangling_phandles", "ERROR", "xldt")), r.out());
        for (Check c : Checks.table()) assertTrue(r.out().contains(c.name() + " "), c.name());
    }

    @Test
    void outputIsAscii() {
        Run r = xldt("dt", "check", "examples/hosts/hip07-d05.dtb");
        assertEquals(new String(r.out().getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII), r.out());
    }
}
