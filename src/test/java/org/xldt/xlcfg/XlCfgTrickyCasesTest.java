package org.xldt.xlcfg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-picked corner cases of libxlutil's reader, each compared with the live oracle: the
 * quirks that random texts rarely hit (end-of-file error characters, bison's stack limit at its
 * exact boundary, octal escape windows, number lexemes).
 */
class XlCfgTrickyCasesTest {
    static String deep(int n, String inner, String sep) {
        return "a=" + "[".repeat(n) + inner + sep + "]".repeat(n) + "\n";
    }

    static String deepSecond(int n) {
        StringBuilder sb = new StringBuilder("a=");
        for (int i = 0; i < n; i++) sb.append("[1,");
        sb.append("2");
        sb.append("]".repeat(n));
        return sb.append('\n').toString();
    }

    static List<String> cases() {
        List<String> c = new ArrayList<>(List.of(
                "a=1\n(", "a=1\n#", "#", "a=1\n#c", "a=1 #", "a=1\n- ", "a=1\n\"", "a=1\n\"x", "a=\"x", "a=1\r", "a=1\r\n",
                "a=1\n\u0000", "\u0000", "a=1\u0000\n", "# c", "a=(", "a+", "a=1;#c", "a=1;;\n;", ";", "\n\n", "",
                "a=\"\\101b\"\n", "a=\"\\777\"\n", "a=\"\\12x\"\n", "a=\"\\0\"\n", "a=\"\\1 2z\"\n", "a=\"\\1-2z\"\n", "a=\"\\199z\"\n",
                "a=\"\\1234z\"\n", "a=\"\\8\"\n", "a=\"\\x41\"\n", "a=\"\\q\"\n", "a='\\\"'\n", "a='\"'\n", "a=\"\\1\t2\"\n",
                "a=\"x\\10xy\"\n", "a=\"\\1\"\n", "a=\"\\12\"\n", "a=\"\\1\\\\\"\n", "a=\"\\x\"\n",
                "a=1a\n", "a=1e3\n", "a=0x1f\n", "a=1g\n", "a=0X1F\n", "a=1_2\n", "a=1.5\n", "a.b=1\n", "a.=1\n", "a=9z\n",
                "a+=1\n", "a + = 1\n", "a=+1\n", "a:1\n", "a=-1\n", "a=1,2\n", "a=[,1]\n", "a=[1,]\n", "a=[1,,]\n", "a=[]\n",
                "a=[[],[\"1\"]]\n", "a=[\n1\n,\n2\n,\n]\n", "a=\n1\n", "a\n=1\n", "=1\n", "a=1;b=2\n", "a=1 b=2\n",
                "a=1;b=2;a=3\n", "a=\"x\";b=2;a+=\"y\"\n", "a=[1];a+=[2];a+=[[3]]\n", "a+=[1]\n", "a=[1];a+=\"x\"\n",
                "a=\"x\";a+=[1]\n", "a=\"\u00c3\u00a9\u00ff\"\n", "a=\"x\r\"\n", "a=\"\u0001\u007f\"\n", "Memory=1\n", "aB=1\n",
                "x=True\n", "a=[1\n2]\nb=1\n", "a=[\"x\" # c\n]\n", "a=[\n#\n]\n", "a=1\n#\u00ff\n", "a='x' + 'y'\n"));
        c.add(deep(4996, "", ""));
        c.add(deep(4997, "", ""));
        c.add(deep(4996, "\"x\"", "\n")); // reaches 9999 entries: still fits
        c.add(deep(4996, "\"x\"", "\n\n"));
        c.add(deep(4997, "\"x\"", "\n"));
        c.add(deep(4995, "\n", "")); // empty innermost list with a newline
        c.add(deep(4996, "\n", ""));
        c.add(deepSecond(1997));
        c.add(deepSecond(1998));
        c.add(deepSecond(1999));
        c.add(deepSecond(2000));
        c.add("a=" + "[".repeat(100000) + "\n");
        c.add("a=" + "[".repeat(6000) + "]".repeat(6000) + "\nb=2\n");
        return c;
    }

    @Test
    void agreeWithLibxlutil() {
        List<String> all = cases();
        List<byte[]> inputs = all.stream().map(s -> s.getBytes(StandardCharsets.ISO_8859_1)).toList();
        List<Oracle.Answer> answers = inputs.stream().map(Oracle::askBatch).toList();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            ParseResult r = XlCfgReader.read("case.cfg", inputs.get(i));
            Oracle.Answer a = answers.get(i);
            String shown = XlCfgOraclePropertiesTest.show(all.get(i).length() > 200 ? all.get(i).substring(0, 60) + "...(" + all.get(i).length() + ")" : all.get(i));
            if (a.crashed()) {
                if (r.ok()) failures.add(shown + ": libxlutil crashed, xldt accepted");
                continue;
            }
            String mine = new String(XlConfigWriter.json(r), StandardCharsets.ISO_8859_1);
            String theirs = new String(a.stdout(), StandardCharsets.ISO_8859_1);
            if (!mine.equals(theirs) || (a.exit() == 0) != r.ok()) {
                failures.add(shown + ": libxlutil " + theirs.strip() + " xldt " + mine.strip() + " " + r.diagnostics());
            }
        }
        assertEquals(List.of(), failures);
    }
}
