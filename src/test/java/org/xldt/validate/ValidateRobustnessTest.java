package org.xldt.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Provide;
import org.xldt.BadInputException;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtsReader;
import org.xldt.dt.Node;
import org.xldt.dt.Property;
import org.xldt.validate.TopologyReader.Named;

/**
 * A hostile guest tree never escapes as an exception: the fixture guest with random values in
 * the properties validate reads (reg, iommus, iommu-map, interrupts, interrupt-names, cells,
 * phandles, memory) gives a report (or, for what the reader refuses, a located bad-input error).
 */
class ValidateRobustnessTest {
    static final Path DIR = Path.of("src/test/resources/validate");
    static final List<String> NODES = List.of("/", "/memory@40000000", "/iommu@4040000", "/passthrough/dma@9010000",
            "/passthrough/ethernet@9030000", "/interrupt-controller@3001000", "/passthrough");
    static final List<String> PROPS = List.of("reg", "iommus", "iommu-map", "interrupts", "#iommu-cells", "phandle", "interrupt-parent",
            "#address-cells", "#size-cells", "#interrupt-cells", "ranges", "interrupt-names", "status", "compatible", "device_type");

    /** One change: a property of a node set to cells. */
    record Change(String node, String prop, long[] cells) {
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        Arbitrary<Long> cell = Arbitraries.oneOf(Arbitraries.longs().between(0, 40), Arbitraries.of(0xfdeaL, 0xfde8L, 0xffffffffL, 0x40000000L,
                0x4040000L, 0x80000000L, 0x10000L, 0xffffL), Arbitraries.longs().between(0, 0xffffffffL));
        Arbitrary<long[]> cells = cell.list().ofMaxSize(9).map(l -> l.stream().mapToLong(Long::longValue).toArray());
        Arbitrary<Change> change = Combinators.combine(Arbitraries.of(NODES), Arbitraries.of(PROPS), cells).as(Change::new);
        return change.list().ofMinSize(1).ofMaxSize(4);
    }

    static Property raw(String name, long[] cells) {
        ByteBuffer b = ByteBuffer.allocate(4 * cells.length);
        for (long c : cells) b.putInt((int) c);
        return new Property(name, b.array());
    }

    @net.jqwik.api.Property(tries = 150)
    void hostileGuestTreesGiveAReport(@ForAll("changes") List<Change> changes, @ForAll boolean withLayout) throws Exception {
        DeviceTree g = DtsReader.read(DIR.resolve("guest.dts"));
        for (Change c : changes) {
            Node n = g.find(c.node());
            if (n == null) continue;
            if (c.prop().equals("interrupt-names") || c.prop().equals("status") || c.prop().equals("compatible") || c.prop().equals("device_type")) {
                n.set(Property.strings(c.prop(), List.of(c.cells().length == 0 ? "" : Long.toString(c.cells()[0], 36), "combined")));
            } else {
                n.set(raw(c.prop(), c.cells()));
            }
        }
        String map = new String(Files.readAllBytes(DIR.resolve("guest.json")));
        if (!withLayout) map = map.replaceAll("\"layout\" : \\{[^\\n]*\\n", "");
        try {
            Topology t = TopologyReader.fromTrees(new Named(g, "g.dtb"), Optional.of(new Named(DtsReader.read(DIR.resolve("host.dts")), "host.dts")),
                    map.getBytes(), "map.json");
            Report r = ValidateChecks.report("t", Simulation.run(t));
            assertEquals(Report.DOMAIN_ROW, r.rows().get(0).device());
            for (Report.Row row : r.rows()) assertFalse(row.checks().isEmpty());
            assertTrue(ReportWriter.text(r).endsWith("\n"));
            assertTrue(ReportWriter.json(r).startsWith("{"));
            assertTrue(ReportWriter.dot(r).endsWith("}\n"));
        } catch (BadInputException e) {
            assertFalse(e.render().contains("\n"), e.render());
        }
    }
}
