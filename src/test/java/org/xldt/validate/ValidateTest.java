package org.xldt.validate;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtbReader;
import org.xldt.dt.Node;
import org.xldt.dt.Property;
import org.xldt.cli.Main;
import org.xldt.validate.Report.Check;
import org.xldt.validate.Report.Row;

/**
 * Issue 8, acceptance 2: each broken topology is caught with a reason a user understands. The
 * trees are the committed guest tree of examples/guests/two-smmus.cfg (four devices behind two
 * physical SMMUs) and the vSID map {@code xldt create --json} prints for it, mutated per case.
 */
class ValidateTest {
    static final Path CFG = Path.of("examples/guests/two-smmus.cfg");
    static final Path DTB = Path.of("examples/guests/two-smmus.guest.dtb");
    static byte[] sidMap;

    @BeforeAll
    static void createJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int rc = Main.run(new String[] {"create", "--json", CFG.toString()}, out, new PrintWriter(err));
        assertEquals(0, rc, err.toString());
        sidMap = out.toByteArray();
    }

    static DeviceTree guest() throws Exception {
        return DtbReader.read(Files.readAllBytes(DTB), DTB.toString());
    }

    static Report validate(DeviceTree guest, byte[] map) {
        Topology t = TopologyReader.fromTrees(guest, "guest.dtb", Optional.empty(), map, "map.json");
        return ValidateChecks.report("test", Simulation.run(t));
    }

    /** A phandle-bearing property as a DTB gives it (no type marker). */
    static Property raw(String name, long... cells) {
        ByteBuffer b = ByteBuffer.allocate(4 * cells.length);
        for (long c : cells) b.putInt((int) c);
        return new Property(name, b.array());
    }

    static Check check(Report r, String device, String name) {
        for (Row row : r.rows()) {
            if (!row.device().equals(device)) continue;
            for (Check c : row.checks()) if (c.name().equals(name)) return c;
        }
        throw new AssertionError("no check " + name + " for " + device + " in\n" + ReportWriter.text(r));
    }

    static List<String> failedChecks(Report r) {
        List<String> out = new ArrayList<>();
        for (Row row : r.rows()) for (Check c : row.checks()) if (!c.pass()) out.add(row.device() + " " + c.name());
        return out;
    }

    @Test
    void theUnmodifiedTreesPassEveryCheckWithRealDma() throws Exception {
        Report r = validate(guest(), sidMap);
        assertTrue(r.ok(), ReportWriter.text(r));
        // one domain row and four device rows, with all six device checks each
        assertEquals(5, r.rows().size());
        Row dma = r.rows().get(1);
        assertEquals("/passthrough/dma@9010000", dma.device());
        assertEquals("0x0", dma.vsid());
        assertEquals("0x10", dma.psid());
        assertEquals(ValidateChecks.STREAM_CHECKS.size(), dma.checks().size());
        assertTrue(check(r, "/passthrough/dma@9020000", "fault").reason().contains("F_TRANSLATION with vSID 0x1"));
    }

    @Test
    void iommusPointingAtANodeThatIsNotAnIommu() throws Exception {
        DeviceTree g = guest();
        Node dev = g.find("/passthrough/dma@9010000");
        dev.set(raw("iommus", 0xfde8, 0)); // the GIC's phandle
        Report r = validate(g, sidMap);
        assertFalse(r.ok());
        Check c = check(r, "/passthrough/dma@9010000", "iommu");
        assertFalse(c.pass());
        assertTrue(c.reason().contains("which is not an IOMMU"), c.reason());
        assertTrue(c.reason().contains("/interrupt-controller@3001000"), c.reason());
        assertTrue(check(r, "/passthrough/dma@9020000", "iommu").pass());
    }

    @Test
    void aVsidWithNoPsid() throws Exception {
        DeviceTree g = guest();
        g.find("/passthrough/ethernet@9030000").set(raw("iommus", 0xfdea, 0x77));
        Report r = validate(g, sidMap);
        Check c = check(r, "/passthrough/ethernet@9030000", "psid");
        assertFalse(c.pass());
        assertTrue(c.reason().startsWith("vSID 0x77 has no physical stream"), c.reason());
        assertFalse(check(r, "/passthrough/ethernet@9030000", "dma").pass());
        assertEquals(List.of("/passthrough/ethernet@9030000 psid", "/passthrough/ethernet@9030000 psid-unique",
                "/passthrough/ethernet@9030000 dma", "/passthrough/ethernet@9030000 fault", "/passthrough/ethernet@9030000 isolation"),
                failedChecks(r));
    }

    @Test
    void twoDomainsSharingAPsid() throws Exception {
        Topology one = TopologyReader.fromTrees(guest(), "a.dtb", Optional.empty(), sidMap, "map.json");
        Topology.DomainInput a = one.domains().get(0);
        Topology.DomainInput b = new Topology.DomainInput("second", guest(), "b.dtb", a.links(), a.p2m(), List.of(), a.dmaMasters());
        Report r = ValidateChecks.report("two", Simulation.run(new Topology(one.smmus(), List.of(a, b))));
        assertFalse(r.ok());
        for (Row row : r.rows()) {
            if (row.device().equals(Report.DOMAIN_ROW)) continue;
            Check c = row.checks().stream().filter(x -> x.name().equals("psid-unique")).findFirst().orElseThrow();
            assertEquals(row.domain().equals("two-smmus"), c.pass(), row + "");
            if (!c.pass()) assertTrue(c.reason().contains("is already assigned to two-smmus"), c.reason());
        }
    }

    @Test
    void theVsmmuInterruptCollidingWithAPassthroughIrq() throws Exception {
        DeviceTree g = guest();
        g.find("/passthrough/dma@9020000").set(Property.cells("interrupts", 0, 1, 4)); // SPI 1 = interrupt 33, the vSMMU's
        Report r = validate(g, sidMap);
        Check c = check(r, Report.DOMAIN_ROW, "irq-unique");
        assertFalse(c.pass());
        assertTrue(c.reason().contains("interrupt 33 is used by both /iommu@4040000 and /passthrough/dma@9020000"), c.reason());
        assertTrue(c.reason().contains("vSMMU's interrupt"), c.reason());
    }

    @Test
    void aPassthroughDeviceWithoutIommus() throws Exception {
        DeviceTree g = guest();
        g.find("/passthrough/bus@9100000/gpu@0").removeProperty("iommus");
        Report r = validate(g, sidMap);
        Check c = check(r, Report.DOMAIN_ROW, "passthrough-iommus");
        assertFalse(c.pass());
        assertTrue(c.reason().startsWith("/passthrough/bus@9100000/gpu@0 is a DMA master on the host"), c.reason());
    }

    @Test
    void aStage2HoleUnderADmaBuffer() throws Exception {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = (ObjectNode) m.readTree(sidMap);
        ArrayNode banks = (ArrayNode) root.path("layout").path("ram_banks");
        // Xen populates only 1 GiB of the 2 GiB the guest tree announces
        ((ObjectNode) banks.get(0)).put("size", "0x40000000");
        Report r = validate(guest(), m.writeValueAsBytes(root));
        Check c = check(r, "/passthrough/dma@9010000", "dma");
        assertFalse(c.pass());
        assertTrue(c.reason().contains("stage-2 hole under the DMA buffer"), c.reason());
        assertTrue(c.reason().contains("IPA 0xbffff000"), c.reason());
    }

    @Test
    void theVsmmuWhereXenEmulatesNoneIsReported() throws Exception {
        DeviceTree g = guest();
        g.find("/iommu@4040000").set(Property.cells("reg", 0, 0x5000000, 0, 0x40000));
        Report r = validate(g, sidMap);
        Check c = check(r, Report.DOMAIN_ROW, "vsmmu");
        assertFalse(c.pass());
        assertTrue(c.reason().contains("at 0x5000000, where Xen emulates none"), c.reason());
    }

    @Test
    void graphHasDomainsDevicesAndSmmus() throws Exception {
        String dot = ReportWriter.dot(validate(guest(), sidMap));
        assertTrue(dot.startsWith("digraph"));
        assertTrue(dot.contains("\"domain two-smmus\""));
        assertTrue(dot.contains("\"/passthrough/dma@9010000\\nvSID 0x0\""));
        assertTrue(dot.contains("\"pSID 0x10\""));
        assertEquals(2, dot.lines().filter(l -> l.contains("shape=hexagon")).count());
        String json = ReportWriter.json(validate(guest(), sidMap));
        assertTrue(new ObjectMapper().readTree(json.getBytes(StandardCharsets.UTF_8)).path("ok").asBoolean());
    }
}
