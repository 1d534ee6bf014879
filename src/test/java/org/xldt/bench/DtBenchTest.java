package org.xldt.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xldt.Tools;
import org.xldt.dt.Checks;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtbWriter;
import org.xldt.dt.DtsReader;

/** The benchmark's generated tree is what it claims, warning-free, and compiles as dtc compiles it. */
class DtBenchTest {
    @TempDir
    Path dir;

    @Test
    void generatedTreeMatchesDtcAndIsClean() throws Exception {
        String text = DtBench.tree(2_500);
        Path dts = Files.writeString(dir.resolve("t.dts"), text, StandardCharsets.US_ASCII);
        DeviceTree t = DtsReader.read(dts);
        assertEquals(List.of(), Checks.run(t));
        assertEquals(3, t.root().children().stream().filter(c -> c.name().startsWith("bus@")).count());
        assertEquals(1000, t.find("/bus@100000000").children().size());
        assertEquals(500, t.find("/bus@300000000").children().size());
        assertEquals(2_499, t.find("/bus@300000000/device@3001f3000").property("iommus").cell(1));
        Tools.Result r = Tools.run(Tools.dtc(), "-I", "dts", "-O", "dtb", dts.toString());
        assertEquals("", r.stderr());
        assertArrayEquals(r.stdout(), DtbWriter.write(t));
    }

    @Test
    void childCpuTimeCountsAReapedChild() throws Exception {
        double before = DtBench.childCpuSeconds();
        Process p = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done").start();
        assertEquals(0, p.waitFor());
        double spent = DtBench.childCpuSeconds() - before;
        org.junit.jupiter.api.Assertions.assertTrue(spent >= 0.05 && spent < 60, "child CPU seconds: " + spent);
    }
}
