package org.xldt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xldt.Tools;

/** {@code xldt validate}'s command line: outputs, exit status, and one located line for each bad input. */
class ValidateCommandTest {
    static final String R = "src/test/resources/validate/";
    static final String[] GOOD = {"--guest-dtb", R + "guest.dts", "--sid-map", R + "guest.json", "--host-dtb", R + "host.dts"};

    @TempDir
    Path dir;

    static XlCfgCliTest.Run validate(String... args) {
        List<String> all = new ArrayList<>(List.of("validate"));
        all.addAll(List.of(args));
        return XlCfgCliTest.xldt(all.toArray(String[]::new));
    }

    static String[] with(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** Exit 1, nothing on stdout, exactly {@code line} on stderr. */
    static void badInput(String line, String... args) {
        XlCfgCliTest.Run r = validate(args);
        assertEquals(1, r.exit(), r.out() + r.err());
        assertEquals("", r.out());
        assertEquals(line + "\n", r.err());
    }

    @Test
    void theTableHasDeviceVsidPsidSmmuAndEachCheckWithItsReason() {
        XlCfgCliTest.Run r = validate(GOOD);
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(List.of("DOMAIN", "DEVICE", "vSID", "pSID", "PHYSICAL", "SMMU", "RESULT"), List.of(lines.get(0).split(" +")));
        assertEquals(List.of("guest", "/passthrough/dma@9010000", "0x0", "0x10", "/iommu@2b400000", "@0x2b400000", "pass"),
                List.of(lines.get(7).split(" +")));
        assertEquals("    ok   iommu              iommus → /iommu@4040000, an SMMUv3 node of the guest tree", lines.get(8));
        assertEquals(R + "guest.dts: all 17 checks passed", lines.get(lines.size() - 1));
    }

    @Test
    void jsonHasTheSameRowsAndTheOutcomeOfEveryCheck() throws Exception {
        XlCfgCliTest.Run r = validate(with(GOOD, "--json"));
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertTrue(j.get("ok").asBoolean());
        assertEquals("/iommu@2b400000 @0x2b400000", j.get("smmus").get(0).asText());
        JsonNode row = j.get("rows").get(2);
        assertEquals("/passthrough/ethernet@9030000", row.get("device").asText());
        assertEquals("0x1", row.get("vsid").asText());
        assertEquals("0x20", row.get("psid").asText());
        assertEquals(List.of("iommu", "psid", "psid-unique", "dma", "fault", "isolation"),
                row.get("checks").findValuesAsText("name"));
        assertEquals(List.of("ok", "ok", "ok", "ok", "ok", "ok"), row.get("checks").findValuesAsText("result"));
    }

    @Test
    void aFailingCheckExitsOneWithTheTableAndACount() {
        XlCfgCliTest.Run r = validate("--guest-dtb", R + "broken-irq-vsmmu.dts", "--sid-map", R + "guest.json");
        assertEquals(1, r.exit());
        assertEquals("", r.err());
        assertTrue(r.out().contains("\n    FAIL irq-unique         interrupt 33 is used by both /iommu@4040000 and /passthrough/dma@9010000"), r.out());
        assertTrue(r.out().endsWith(R + "broken-irq-vsmmu.dts: 1 of 17 checks failed, 0 not run\n"), r.out());
    }

    @Test
    void theGraphGoesToFileDotAndFileSvg() throws Exception {
        Tools.require("dot");
        Path dot = dir.resolve("t.dot");
        XlCfgCliTest.Run r = validate(with(GOOD, "--graph", dot.toString()));
        assertEquals(0, r.exit(), r.err());
        String g = Files.readString(dot);
        assertTrue(g.startsWith("digraph xldt_validate {"), g);
        assertTrue(g.contains("[shape=box, style=\"rounded,filled\", fillcolor=\"#d8ecd8\", label=\"domain guest\"]"), g);
        assertTrue(g.contains("[shape=hexagon, style=filled, fillcolor=\"#dde6f5\", label=\"SMMUv3 /iommu@2b400000 @0x2b400000\"]"), g);
        assertTrue(g.contains("label=\"/passthrough/ethernet@9030000\\nvSID 0x1\""), g);
        assertTrue(g.contains("[label=\"pSID 0x20\", color=\"black\"]"), g);
        String svg = Files.readString(dir.resolve("t.svg"));
        assertTrue(svg.contains("<svg") && svg.contains(">pSID 0x20</text>"), svg);
    }

    @Test
    void aFailingRowIsRedInTheGraph() throws Exception {
        Path dot = dir.resolve("broken.dot");
        XlCfgCliTest.Run r = validate("--guest-dtb", R + "broken-vsid-without-psid.dts", "--sid-map", R + "guest.json", "--graph", dot.toString());
        assertEquals(1, r.exit());
        String g = Files.readString(dot);
        assertTrue(g.contains("[shape=ellipse, color=\"red\", label=\"/passthrough/ethernet@9030000\\nvSID 0x77\"]"), g);
        assertFalse(g.contains("pSID -"), "a device without a physical stream has no edge to an SMMU");
    }

    @Test
    void badInputsGiveOneLocatedLine() throws Exception {
        badInput("nosuch.cfg: error: cannot read: no such file", "nosuch.cfg");
        badInput("nosuch.dtb: error: cannot read: no such file", "--guest-dtb", "nosuch.dtb", "--sid-map", R + "guest.json");
        badInput("nosuch.json: error: cannot read: no such file", "--guest-dtb", R + "guest.dts", "--sid-map", "nosuch.json");
        badInput("nosuch/system.cfg: error: cannot read: no such file", "--system", "nosuch/system.cfg");
        Path dtb = dir.resolve("bad.dtb");
        Files.write(dtb, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        badInput(dtb + ": offset 0x00: error: bad magic 0x01020304 (a DTB starts with 0xd00dfeed)", "--guest-dtb", dtb.toString(), "--sid-map",
                R + "guest.json");
        badInput(dtb + ": offset 0x00: error: bad magic 0x01020304 (a DTB starts with 0xd00dfeed)", "--dom0", R + "guest.dts", "--host-dtb",
                dtb.toString());
        Path dts = dir.resolve("bad.dts");
        Files.writeString(dts, "/dts-v1/;\n/ { reg = <1 2>\n");
        badInput(dts + ":2:16: error: syntax error: unexpected end of input", "--guest-dtb", dts.toString(), "--sid-map", R + "guest.json");
    }

    @Test
    void sidMapErrorsAreLocatedInTheMap() throws Exception {
        String[] cases = {
            "{\n  \"vsids\": {\n    \"entries\": [ { \"vsid\": 0, } ]\n", "map.json:3:31: error: not a vSID map: Unexpected character ('}' (code 125)): "
                    + "was expecting double-quote to start field name",
            "[1, 2]", "map.json: error: not a vSID map: the top level must be a JSON object",
            "{\"vsids\": {}}", "map.json: error: not a vSID map: no \"entries\" array (in \"vsids\" or at the top level)",
            "{\"entries\": [{\"psid\": 1}]}", "map.json: error: entries[0]: missing \"vsid\"",
            "{\"entries\": [{\"vsid\": \"0xzz\", \"psid\": 1}]}", "map.json: error: entries[0].vsid: \"0xzz\" is not a non-negative number (decimal or 0x hex)",
            "{\"entries\": [{\"vsid\": -1, \"psid\": 1}]}", "map.json: error: entries[0].vsid: -1 is not a non-negative number (decimal or 0x hex)",
            "{\"vsids\": {\"entries\": [{\"vsid\": 65535, \"count\": 2, \"psid\": 1}]}}",
            "map.json: error: vsids.entries[0]: vSIDs 0xffff+2 do not fit the 16-bit vSID space",
            "{\"entries\": [], \"layout\": {\"ram_banks\": [{\"base\": 0}]}}", "map.json: error: layout.ram_banks[0]: missing \"size\"",
            "{\"entries\": [], \"domain\": {\"irqs\": [\"x\"]}}", "map.json: error: domain.irqs[0]: \"x\" is not a non-negative number (decimal or 0x hex)",
            "", "map.json: error: not a vSID map: the top level must be a JSON object",
        };
        for (int i = 0; i < cases.length; i += 2) {
            Path map = dir.resolve("map.json");
            Files.writeString(map, cases[i], StandardCharsets.UTF_8);
            XlCfgCliTest.Run r = validate("--guest-dtb", R + "guest.dts", "--sid-map", map.toString());
            assertEquals(1, r.exit(), cases[i]);
            assertEquals(cases[i + 1].replace("map.json", map.toString()) + "\n", r.err(), cases[i]);
        }
    }

    @Test
    void noOutputFileOnBadInput() {
        Path dot = dir.resolve("g.dot");
        badInput("nosuch.json: error: cannot read: no such file", "--guest-dtb", R + "guest.dts", "--sid-map", "nosuch.json", "--graph", dot.toString());
        assertFalse(Files.exists(dot));
        assertFalse(Files.exists(dir.resolve("g.svg")));
    }

    @Test
    void usageErrorsExitTwo() {
        for (String[] args : List.of(new String[] {}, new String[] {"--guest-dtb", R + "guest.dts"},
                new String[] {"--dom0", R + "guest.dts"}, new String[] {"--system", "a", "b.cfg"},
                new String[] {"--host-dtb", R + "host.dts", R + "no-iommus/guest.cfg"},
                new String[] {"--host", R + "host.dts", "--system", "s.cfg"})) {
            XlCfgCliTest.Run r = validate(args);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().startsWith("xldt: "), r.err());
        }
    }

    @Test
    void twoHostSmmusCloserThanTheirWindowAreBadInput() throws Exception {
        Path host = dir.resolve("host.dts");
        Files.writeString(host, "/include/ \"" + Path.of(R).toAbsolutePath().resolve("host.dts") + "\"\n"
                + "/ { iommu@2b410000 { compatible = \"arm,smmu-v3\"; reg = <0x0 0x2b410000 0x0 0x20000>; #iommu-cells = <1>; }; };\n");
        badInput(host + ":/iommu@2b410000: error: this SMMUv3 at 0x2b410000 and /iommu@2b400000 at 0x2b400000 are closer than an SMMUv3's "
                + "128 KiB register window", with(new String[] {"--guest-dtb", R + "guest.dts", "--sid-map", R + "guest.json"}, "--host-dtb",
                host.toString()));
    }
}
