package org.xldt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xldt.Tools;

/**
 * Issue 8, acceptance 1: every example validates. {@code xldt validate --json} runs over every
 * {@code examples/guests/*.cfg}, every {@code examples/dom0less/}{@code *}{@code /system.cfg}
 * (dom0 and its domUs) and every dom0 example of {@code examples/dom0/cases.tsv} (dom0's tree
 * with its host, {@code --dom0 D --host-dtb H}); each must exit 0 with every check passed. An
 * example without a vSMMU or without devices must say so in its report. The report and graph of
 * {@code examples/validate/} are regenerated and compared, so they cannot go stale.
 */
class ValidateExamplesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Device rows per example, to show the examples exercise every kind of stream. */
    static final Map<String, List<JsonNode>> ROWS = new ConcurrentHashMap<>();

    @TempDir
    static Path tmp;

    static List<String> list(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(dir, 2)) {
            return s.map(Path::toString).filter(n -> n.endsWith(suffix)).sorted().toList();
        }
    }

    static Stream<String> guests() throws IOException {
        return list(Path.of("examples/guests"), ".cfg").stream();
    }

    static Stream<String> systems() throws IOException {
        return list(Path.of("examples/dom0less"), "/system.cfg").stream();
    }

    static Stream<String[]> dom0Cases() throws IOException {
        return Files.readAllLines(Path.of("examples/dom0/cases.tsv")).stream().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("\t"));
    }

    /** Runs validate with {@code --json}; asserts exit 0 and every check "ok"; returns the report. */
    static JsonNode validate(String name, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("validate", "--json"));
        all.addAll(List.of(args));
        XlCfgCliTest.Run r = XlCfgCliTest.xldt(all.toArray(String[]::new));
        JsonNode report = JSON.readTree(r.out());
        List<String> bad = new ArrayList<>();
        List<JsonNode> devices = new ArrayList<>();
        for (JsonNode row : report.get("rows")) {
            boolean domain = row.get("device").asText().equals("(domain)");
            for (JsonNode c : row.get("checks")) {
                if (!c.get("result").asText().equals("ok")) bad.add(row.get("device").asText() + " " + c.get("name").asText() + ": " + c.get("reason").asText());
            }
            assertEquals(domain ? 5 : 6, row.get("checks").size());
            if (!domain) devices.add(row);
        }
        assertEquals(List.of(), bad, name);
        assertTrue(report.get("ok").asBoolean());
        assertEquals(0, r.exit(), name + ": " + r.err());
        assertTrue(report.get("rows").size() > 0);
        ROWS.put(name, devices);
        return report;
    }

    static List<JsonNode> devices(JsonNode report) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode row : report.get("rows")) if (!row.get("device").asText().equals("(domain)")) out.add(row);
        return out;
    }

    static String reason(JsonNode report, String device, String check) {
        for (JsonNode row : report.get("rows")) {
            if (!row.get("device").asText().equals(device)) continue;
            for (JsonNode c : row.get("checks")) if (c.get("name").asText().equals(check)) return c.get("reason").asText();
        }
        throw new AssertionError("no " + check + " for " + device);
    }

    @ParameterizedTest
    @MethodSource("guests")
    void everyGuestExampleValidates(String cfg) throws IOException {
        JsonNode report = validate(cfg, cfg);
        String vsmmu = reason(report, "(domain)", "vsmmu");
        JsonNode created = JSON.readTree(XlCfgCliTest.xldt("create", "--json", cfg).out());
        if (created.get("domain").get("viommu").asText().equals("smmuv3")) {
            assertTrue(vsmmu.startsWith("/iommu@4040000 at 0x4040000 (interrupt \"combined\" = 33): Linux's driver probed it"), vsmmu);
        } else {
            // says what was checked instead of passing nothing
            int n = devices(report).size();
            assertTrue(vsmmu.equals("no vSMMU in the guest tree nor in Xen: " + (n == 0 ? "no device stream is assigned to the domain"
                    : n + (n == 1 ? " assigned stream is" : " assigned streams are") + " translated by Xen's stage 2 alone")), vsmmu);
        }
    }

    @ParameterizedTest
    @MethodSource("systems")
    void everyDom0lessSystemValidates(String system) throws IOException {
        validate(system, "--system", system);
    }

    @ParameterizedTest
    @MethodSource("dom0Cases")
    void everyDom0ExampleValidatesWithItsHost(String name, String host, String cmdline) throws IOException {
        List<JsonNode> devices = devices(validate("dom0 " + name, "--dom0", "examples/dom0/" + name + ".dtb", "--host-dtb", "examples/hosts/" + host));
        boolean hostSmmu = !host.equals("qemu-virt-gicv2.dtb") && !host.equals("qemu-virt-gicv3.dtb") && !name.contains("smmu-disabled");
        assertEquals(hostSmmu, !devices.isEmpty(), name + ": the host's DMA masters are dom0's streams");
        // viommu on: dom0's vSID is the pSID, behind the vSMMU; off: Xen's stage 2 alone
        for (JsonNode d : devices) {
            assertEquals(name.endsWith("-on") ? d.get("psid").asText() : "-", d.get("vsid").asText(), name + " " + d);
        }
    }

    @AfterAll
    static void everyKindOfStreamWasExercised() {
        List<JsonNode> all = ROWS.values().stream().flatMap(List::stream).toList();
        // nested (a vSID), Xen's stage 2 alone (no vSID, a pSID), PCI ranges (first and last RID), several SMMUs
        assertTrue(all.stream().filter(r -> !r.get("vsid").asText().equals("-")).count() >= 20, "nested streams");
        assertTrue(all.stream().filter(r -> r.get("vsid").asText().equals("-")).count() >= 10, "stage-2-only streams");
        assertTrue(all.stream().anyMatch(r -> r.get("vsid").asText().equals("0xffff")), "the last RID of a PCI range");
        assertTrue(all.stream().map(r -> r.get("smmu").asText()).distinct().count() >= 6, "distinct physical SMMUs");
    }

    // ---- examples/validate: the README's report and graph ---------------------------------------

    static final Path SYSTEM = Path.of("examples/dom0less/smmu-passthrough/system.cfg");
    static final Path SHOWN = Path.of("examples/validate");

    @Test
    void theReadmesReportAndGraphAreWhatValidatePrintsNow() throws IOException {
        Path dot = tmp.resolve("graph.dot");
        XlCfgCliTest.Run r = XlCfgCliTest.xldt("validate", "--system", SYSTEM.toString(), "--graph", dot.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(Files.readString(SHOWN.resolve("smmu-passthrough.txt")), r.out(), "examples/validate/regen.sh");
        assertEquals(Files.readString(SHOWN.resolve("smmu-passthrough.dot")), Files.readString(dot), "examples/validate/regen.sh");
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains("$ xldt validate --system " + SYSTEM + " --graph examples/validate/smmu-passthrough.dot\n"
                + r.out()), "README shows the current report");
        assertTrue(readme.contains("](examples/validate/smmu-passthrough.svg)"), "README shows the graph");
        assertTrue(Files.readString(SHOWN.resolve("smmu-passthrough.svg")).contains("<svg"));
    }

    @Test
    void theCommittedSvgIsGraphvizsDrawingOfTheCommittedDot() throws IOException {
        Tools.require("dot");
        Tools.Result r = Tools.run("dot", "-Tsvg", SHOWN.resolve("smmu-passthrough.dot").toString());
        assertEquals(0, r.exit(), r.stderr());
        Map<String, String> labels = new TreeMap<>();
        // Graphviz versions differ in layout coordinates; the text drawn is what must agree
        for (String svg : List.of(r.out(), Files.readString(SHOWN.resolve("smmu-passthrough.svg")))) {
            labels.merge(svg.lines().filter(l -> l.contains("<text")).map(l -> l.replaceAll(".*>(.*)</text>", "$1")).sorted().toList().toString(),
                    "x", (a, b) -> a + b);
        }
        assertEquals(1, labels.size(), labels.keySet().toString());
    }
}
