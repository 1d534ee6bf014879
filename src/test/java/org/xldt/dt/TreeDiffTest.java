package org.xldt.dt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xldt.Tools;

/** TreeDiff: what counts as a change, the order and text of changes, and values as dtc prints them. */
class TreeDiffTest {
    static DeviceTree dts(String text) {
        return DtsReader.read("t.dts", text.getBytes(StandardCharsets.ISO_8859_1), Path.of("."));
    }

    static List<String> lines(DeviceTree a, DeviceTree b) {
        return TreeDiff.diff(a, b).stream().map(TreeDiff.Change::line).toList();
    }

    static final String BASE = """
            /dts-v1/;
            /memreserve/ 0x80000000 0x10000;
            / {
                model = "board";
                #address-cells = <1>;
                #size-cells = <1>;
                chosen { bootargs = "console=hvc0"; };
                soc {
                    uart@1000 { compatible = "arm,pl011"; reg = <0x1000 0x100>; status = "okay"; };
                    gone@2000 { reg = <0x2000 0x10>; sub { x; }; };
                };
            };
            """;

    @Test
    void everyKindOfChangeInOrder() {
        DeviceTree b = dts("""
                /dts-v1/;
                /memreserve/ 0x90000000 0x20000;
                / {
                    model = "board";
                    #address-cells = <1>;
                    #size-cells = <1>;
                    dma-coherent;
                    chosen { bootargs = "console=ttyAMA0"; stdout-path = "/soc/uart@1000"; };
                    soc {
                        uart@1000 { compatible = "arm,pl011"; reg = <0x1000 0x200>; };
                        new@3000 { reg = <0x3000 0x10>; };
                    };
                };
                """);
        assertEquals(List.of(
                "- /memreserve/ 0x80000000 0x10000",
                "+ /memreserve/ 0x90000000 0x20000",
                "+ /:dma-coherent",
                "~ /chosen:bootargs: \"console=hvc0\" → \"console=ttyAMA0\"",
                "+ /chosen:stdout-path = \"/soc/uart@1000\"",
                "~ /soc/uart@1000:reg: <0x1000 0x100> → <0x1000 0x200>",
                "- /soc/uart@1000:status = \"okay\"",
                "- /soc/gone@2000",
                "+ /soc/new@3000"), lines(dts(BASE), b));
        // and back: every change reversed
        assertEquals(List.of(
                "- /memreserve/ 0x90000000 0x20000",
                "+ /memreserve/ 0x80000000 0x10000",
                "- /:dma-coherent",
                "~ /chosen:bootargs: \"console=ttyAMA0\" → \"console=hvc0\"",
                "- /chosen:stdout-path = \"/soc/uart@1000\"",
                "~ /soc/uart@1000:reg: <0x1000 0x200> → <0x1000 0x100>",
                "+ /soc/uart@1000:status = \"okay\"",
                "- /soc/new@3000",
                "+ /soc/gone@2000"), lines(b, dts(BASE)));
    }

    @Test
    void orderLabelsAndLayoutDoNotCount() {
        DeviceTree a = dts(BASE);
        DeviceTree b = dts("""
                /dts-v1/;
                /memreserve/ 0x80000000 0x10000;
                / {
                    #size-cells = <1>;
                    #address-cells = <0x1>;
                    model = "board";
                    soc {
                        gone@2000 { reg = <0x2000 0x10>; sub { x; }; };
                        u: uart@1000 { status = "okay"; reg = <0x1000 0x100>; compatible = "arm,pl011"; };
                    };
                    chosen { bootargs = "console=hvc0"; };
                };
                """);
        assertEquals(List.of(), TreeDiff.diff(a, b));
        // a DTB against its own DTS, and against a padded copy
        byte[] dtb = DtbWriter.write(a);
        assertEquals(List.of(), TreeDiff.diff(a, DtbReader.read(dtb, "a.dtb")));
        assertEquals(List.of(), TreeDiff.diff(DtbReader.read(DtbWriter.write(a, 4096), "p.dtb"), DtbReader.read(dtb, "a.dtb")));
    }

    @Test
    void valuesCompareByBytesNotBySpelling() {
        // the same bytes written as a string, as cells and as bytes are equal
        assertEquals(List.of(), lines(dts("/dts-v1/; / { p = \"ab\"; q = <0x1>; };"), dts("/dts-v1/; / { p = [61 62 00]; q = /bits/ 8 <0 0 0 1>; };")));
        // a value that changes type is shown as each side prints it
        assertEquals(List.of("~ /:p: \"ab\" → <0x01>", "~ /:e: (empty) → <0x00>"),
                lines(dts("/dts-v1/; / { p = \"ab\"; e; };"), dts("/dts-v1/; / { p = <1>; e = <0>; };")));
    }

    @Test
    void bootCpuAndDuplicateNames() {
        DeviceTree a = dts("/dts-v1/; / { n { p = <1>; }; };");
        DeviceTree b = dts("/dts-v1/; / { n { p = <1>; }; };");
        b.setBootCpuidPhys(2);
        // a blob may hold two nodes and two properties of one name: the k-th meets the k-th
        Node n1 = b.root().child("n");
        Node dup = new Node("n");
        dup.append(Property.cells("p", 7));
        b.root().add(dup);
        n1.append(Property.cells("p", 9));
        assertEquals(List.of("~ boot_cpuid_phys: 0x0 → 0x2", "+ /n:p = <0x09>", "+ /n"), lines(a, b));
    }

    @Test
    void longValuesAreCutAroundTheirFirstDifference() {
        StringBuilder x = new StringBuilder("/dts-v1/; / { big = <");
        StringBuilder y = new StringBuilder("/dts-v1/; / { big = <");
        for (int i = 0; i < 500; i++) {
            x.append(" 0x").append(Integer.toHexString(0x10000 + i));
            y.append(" 0x").append(Integer.toHexString(i == 300 ? 0xabcde : 0x10000 + i));
        }
        TreeDiff.Change c = TreeDiff.diff(dts(x + ">; };"), dts(y + ">; };")).get(0);
        String line = c.line(120);
        assertTrue(line.startsWith("~ /:big: …"), line);
        assertTrue(line.contains("0x1012b 0xabcde 0x1012d"), line);
        assertTrue(line.contains("… (4001 characters)"), line);
        assertTrue(line.length() < 2 * 120 + 80, line);
        // the whole value when asked
        assertTrue(c.line().length() > 8000);
        // short values are never cut
        assertEquals("<0x1 0x2>", TreeDiff.clip("<0x1 0x2>", 5, 9));
    }

    @Test
    void deepTreesDoNotOverflowTheStack() {
        DeviceTree a = new DeviceTree();
        Node n = a.root();
        for (int i = 0; i < 200_000; i++) n = n.addChild("n");
        DeviceTree b = a.deepCopy();
        Node m = b.root();
        while (!m.children().isEmpty()) m = m.children().get(0);
        m.append(Property.strings("leaf", "x"));
        List<TreeDiff.Change> d = TreeDiff.diff(a, b);
        assertEquals(1, d.size());
        TreeDiff.PropertyAdded p = (TreeDiff.PropertyAdded) d.get(0);
        assertEquals(2 * 200_000, p.path().length());
        assertEquals("\"x\"", p.value());
    }

    static Stream<Path> hostDtbs() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("examples/hosts"))) {
            return s.filter(p -> p.toString().endsWith(".dtb")).sorted().toList().stream();
        }
    }

    private static final Pattern PROPERTY_LINE = Pattern.compile("^\\t+([^\\s{}]+?)(?: = (.*))?;$");

    /**
     * Every property's value text is what dtc 1.6.1 prints for it: removing all properties of a
     * host tree lists each one as {@code - PATH:NAME = VALUE}, and the NAME = VALUE parts equal
     * dtc's DTS property lines, in the same order.
     */
    @ParameterizedTest
    @MethodSource("hostDtbs")
    void valuesAreWhatDtcPrints(Path dtb) throws IOException {
        byte[] blob = Files.readAllBytes(dtb);
        Tools.Result r = Tools.run(Tools.cmd(Tools.dtc(), "-q", "-I", "dtb", "-O", "dts", dtb.toString()), null);
        assertEquals(0, r.exit(), r.stderr());
        List<String> expected = new ArrayList<>();
        for (String l : new String(r.stdout(), StandardCharsets.ISO_8859_1).split("\n")) {
            Matcher m = PROPERTY_LINE.matcher(l);
            if (m.matches()) expected.add(m.group(1) + (m.group(2) == null ? "" : " = " + m.group(2)));
        }
        DeviceTree a = DtbReader.read(blob, dtb.toString());
        DeviceTree bare = a.deepCopy();
        bare.walk(Node::clearProperties);
        List<String> got = new ArrayList<>();
        for (TreeDiff.Change c : TreeDiff.diff(a, bare)) {
            TreeDiff.PropertyRemoved p = (TreeDiff.PropertyRemoved) c;
            got.add(p.name() + (p.value().isEmpty() ? "" : " = " + p.value()));
        }
        assertTrue(expected.size() > 20, "dtc printed properties");
        assertEquals(expected, got);
    }
}
