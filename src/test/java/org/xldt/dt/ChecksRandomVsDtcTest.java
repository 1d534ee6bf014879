package org.xldt.dt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.xldt.Tools;

/**
 * Random trees ({@link RandomTrees}) written as DTBs: our findings for dtc's checks equal dtc
 * 1.6.1's, message for message and in the same order, also under random {@code -W}/{@code -E}
 * switches.
 */
class ChecksRandomVsDtcTest {

    /** Compares one tree under the given switches ({@code -Wname}, {@code -Eno-name}, ...). */
    private static boolean sameAsDtc(long seed, List<String> switches, Set<String> seen) {
        byte[] blob = DtbWriter.write(RandomTrees.generate(seed));
        DtcChecks.DtcRun dtc = DtcChecks.dtc(blob, switches.toArray(String[]::new));
        if (dtc.crashed()) return false; // dtc 1.6.1 asserts on some malformed cells: nothing to compare
        Checks.Selection sel = Checks.defaults();
        for (String s : switches) {
            if (s.startsWith("-W")) sel.warn(s.substring(2));
            else sel.error(s.substring(2));
        }
        // dtc sees the blob, without the model's value markers: so do we
        List<String> ours = DtcChecks.ours(sel.run(DtbReader.read(blob, "random")));
        if (!dtc.findings().equals(ours)) {
            String dts = Tools.run(Tools.cmd(Tools.dtc(), "-I", "dtb", "-O", "dts", "-"), blob).out();
            assertEquals(String.join("\n", dtc.findings()), String.join("\n", ours), "seed " + seed + " " + switches + "\n" + dts);
        }
        seen.addAll(DtcChecks.reportingNames(dtc.findings()));
        return true;
    }

    /** Turning these off keeps dtc from computing phandles or cells (see CheckContext.ensure). */
    private static final Set<String> FIXUPS = Set.of("explicit_phandles", "addr_size_cells", "address_cells_is_cell", "size_cells_is_cell");

    @Property(tries = 150)
    void randomTreesAndSwitchesGiveDtcsFindings(@ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5eed);
        List<String> names = new ArrayList<>();
        for (Check c : Checks.table()) if (c.dtc()) names.add(c.name());
        List<String> switches = new ArrayList<>();
        int n = r.nextInt(4);
        while (switches.size() < n) {
            String name = names.get(r.nextInt(names.size()));
            boolean off = r.nextInt(3) == 0;
            // with a fixup turned off dtc reads zeros for its facts; xldt computes them (CheckContext.ensure)
            if (off && FIXUPS.contains(name)) continue;
            switches.add((r.nextBoolean() ? "-W" : "-E") + (off ? "no-" : "") + name);
        }
        Assume.that(sameAsDtc(seed, switches, new TreeSet<>()));
    }

    /** 200 fixed trees at default levels; together they make every reachable dtc check report. */
    @Example
    void fixedTreesCoverTheChecks() {
        Set<String> seen = new TreeSet<>();
        int compared = 0;
        for (long seed = 0; seed < 200; seed++) if (sameAsDtc(seed, List.of(), seen)) compared++;
        assertTrue(compared >= 190, "only " + compared + " trees compared");
        Set<String> missing = new TreeSet<>();
        for (Check c : Checks.table()) {
            if (c.dtc() && c.level() != Check.Level.INFO && !seen.contains(c.name())) missing.add(c.name());
        }
        // labels and references exist only in DTS input; three checks only record facts for others
        assertEquals(Set.of("duplicate_label", "phandle_references", "path_references",
                "addr_size_cells", "simple_bus_bridge", "graph_nodes"), missing);
    }
}
