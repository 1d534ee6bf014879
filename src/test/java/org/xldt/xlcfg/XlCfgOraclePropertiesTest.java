package org.xldt.xlcfg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Random xl.cfg texts (valid and invalid, every token kind, odd white space, escapes, CR-LF,
 * Python-isms, {@code +=} mixes) read by xldt and by Xen's libxlutil must agree: the same JSON
 * bytes for every text libxlutil accepts, a rejection for every text it rejects (or crashes on).
 * 2500 cases per run; the oracle runs in batch mode (one process, see Oracle#askBatch).
 */
class XlCfgOraclePropertiesTest {
    @Provide
    Arbitrary<String> texts() {
        return XlCfgTexts.texts();
    }

    @Property(tries = 2500)
    void agreesWithLibxlutil(@ForAll("texts") String text) {
        byte[] in = XlCfgTexts.bytes(text);
        Oracle.Answer a = Oracle.askBatch(in);
        ParseResult r = XlCfgReader.read("case.cfg", in);
        Statistics.label("libxlutil").collect(a.crashed() ? "crashed" : a.exit() == 0 ? "accepts" : "rejects");
        Supplier<String> what = () -> "for input " + show(text) + "\nlibxlutil: " + Oracle.ask(in).stderr() + "\nxldt: " + r.diagnostics();
        if (a.crashed()) {
            assertFalse(r.ok(), () -> "libxlutil crashed (exit " + a.exit() + ") but xldt accepted " + what.get());
            return;
        }
        byte[] mine = XlConfigWriter.json(r);
        if (!Arrays.equals(a.stdout(), mine)) {
            assertEquals(new String(a.stdout(), StandardCharsets.ISO_8859_1), new String(mine, StandardCharsets.ISO_8859_1), what);
        }
        assertArrayEquals(a.stdout(), mine, what);
        assertEquals(a.exit() == 0, r.ok(), what);
    }

    /** The batch driver answers exactly as the oracle program does, file by file. */
    @Property(tries = 40)
    void batchOracleIsTheOracle(@ForAll("texts") String text) {
        byte[] in = XlCfgTexts.bytes(text);
        Oracle.Answer single = Oracle.ask(in);
        Oracle.Answer batch = Oracle.askBatch(in);
        assertEquals(single.crashed(), batch.crashed());
        if (!single.crashed()) {
            assertArrayEquals(single.stdout(), batch.stdout());
            assertEquals(single.exit(), batch.exit());
        }
    }

    static String show(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '\n') sb.append("\\n");
            else if (c == '\\') sb.append("\\\\");
            else if (c == '"') sb.append("\\\"");
            else if (c < 0x20 || c >= 0x7f) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }
}
