package org.xldt.dt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.xldt.BadInputException;

/**
 * Broken DTS: each is refused by dtc and by us, with one error line located FILE:LINE:COL. Where
 * dtc reports the error while parsing, its location is the same as ours; for what dtc finds
 * later in its checks, dtc names a whole node and we point at the offending text.
 */
class DtsMalformedTest {

    /** {@code dtcToo}: dtc's first error is at the same line and column. */
    record Case(String name, String dts, String location, String message, boolean dtcToo) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("double equals", "/dts-v1/;\n/ {\n\ta = = 1;\n};\n", "in.dts:3:6", "syntax error: unexpected '='", true),
                new Case("missing ; after node", "/dts-v1/;\n/ {\n\tn { }\n};\n", "in.dts:4:1", "syntax error: unexpected '}'", true),
                new Case("missing ; after property", "/dts-v1/;\n/ {\n\ta = <1>\n\tb;\n};\n", "in.dts:4:2", "syntax error", true),
                new Case("unterminated string", "/dts-v1/;\n/ { a = \"abc; };\n", "in.dts:2:9", "syntax error: unexpected '\"'", true),
                new Case("unterminated comment", "/dts-v1/;\n/ { }; /* open\n", "in.dts:2:9", "syntax error: unexpected '*'", true),
                new Case("end of input", "/dts-v1/;\n/ { a;\n", "in.dts:2:7", "syntax error: unexpected end of input", true),
                new Case("no header", "/ { };\n", "in.dts:1:1", "syntax error", true),
                new Case("no tree", "/dts-v1/;\n", "in.dts:1:10", "unexpected end of input", true),
                new Case("stray character", "/dts-v1/;\n/ { a = <1 $>; };\n", "in.dts:2:12", "syntax error: unexpected '$'", true),
                new Case("name where a value goes", "/dts-v1/;\n/ { a = b; };\n", "in.dts:2:9", "syntax error: unexpected 'b'", true),
                new Case("expression outside parentheses", "/dts-v1/;\n/ { a = <1+2>; };\n", "in.dts:2:11", "syntax error", true),
                new Case("properties after subnodes", "/dts-v1/;\n/ {\n\tn { };\n\tl: p = <1>;\n};\n", "in.dts:4:2", "properties must precede subnodes", true),
                new Case("header flags", "/dts-v1/;\n/plugin/;\n/dts-v1/;\n/ { };\n", "in.dts:3:1", "header flags don't match", true),
                new Case("bad octal literal", "/dts-v1/;\n/ { a = <1 08>; };\n", "in.dts:2:12", "bad integer literal '08'", true),
                new Case("literal out of range", "/dts-v1/;\n/ { a = /bits/ 64 <18446744073709551616>; };\n", "in.dts:2:20", "out of range", true),
                new Case("empty char literal", "/dts-v1/;\n/ { a = <''>; };\n", "in.dts:2:10", "empty character literal", true),
                new Case("long char literal", "/dts-v1/;\n/ { a = <'ab'>; };\n", "in.dts:2:10", "2 characters instead of 1", true),
                new Case("\\x without digits", "/dts-v1/;\n/ {\n a = \"x\\xg\"; };\n", "in.dts:3:6", "\\x used with no following hex digits", false),
                new Case("bits width", "/dts-v1/;\n/ { a = /bits/ 12 <1>; };\n", "in.dts:2:16", "8, 16, 32 or 64-bits", true),
                new Case("value too wide", "/dts-v1/;\n/ { a = /bits/ 8 <1 (0x100)>; };\n", "in.dts:2:21", "value out of range for 8-bit array element", true),
                new Case("reference in 16-bit cells", "/dts-v1/;\n/ { a = /bits/ 16 <&n>; n: n { }; };\n", "in.dts:2:20", "only allowed in arrays with 32-bit elements", true),
                new Case("division by zero", "/dts-v1/;\n/ { a = <(7 * 3 / (2 - 2))>; };\n", "in.dts:2:11", "division by zero", true),
                new Case("modulo by zero", "/dts-v1/;\n/ { a = <(1 + 7 % 0)>; };\n", "in.dts:2:15", "division by zero", true),
                new Case("merge into unknown label", "/dts-v1/;\n/ { };\n&nope { };\n", "in.dts:3:1", "label or path nope not found", true),
                new Case("merge into unknown path", "/dts-v1/;\n/ { };\n&{/a/b} { };\n", "in.dts:3:1", "label or path /a/b not found", true),
                new Case("labelled merge into unknown label", "/dts-v1/;\n/ { };\nx: &nope { };\n", "in.dts:3:4", "label or path nope not found", true),
                new Case("first block for unknown label", "/dts-v1/;\n&nope {\n};\n", "in.dts:2:7", "label or path nope not found", true),
                new Case("delete unknown label", "/dts-v1/;\n/ { };\n/delete-node/ &nope;\n", "in.dts:3:15", "label or path nope not found", true),
                new Case("omit unknown path", "/dts-v1/;\n/ { };\n/omit-if-no-ref/ &{/x};\n", "in.dts:3:18", "label or path /x not found", true),
                new Case("unresolved phandle", "/dts-v1/;\n/ {\n\tn { a = <1 &nope>; };\n};\n", "in.dts:3:13", "reference to non-existent node or label \"nope\"", false),
                new Case("unresolved path", "/dts-v1/;\n/ {\n\tn { a = \"x\", &{/nope}; };\n};\n", "in.dts:3:15", "reference to non-existent node or label \"/nope\"", false),
                new Case("duplicate label", "/dts-v1/;\n/ {\n\tx: a { };\n\tb { x: p; };\n};\n", "in.dts:4:6", "duplicate label 'x'", false),
                new Case("duplicate node", "/dts-v1/;\n/ {\n\ta { };\n\ta { };\n};\n", "in.dts:4:2", "duplicate node name a", false),
                new Case("duplicate property", "/dts-v1/;\n/ {\n\tp;\n\tp = <1>;\n};\n", "in.dts:4:2", "duplicate property name p", false),
                new Case("phandle 0", "/dts-v1/;\n/ {\n\tn { phandle = <0>; };\n};\n", "in.dts:3:6", "bad value (0x0) in phandle", false),
                new Case("phandle twice", "/dts-v1/;\n/ {\n\tn { phandle = <5>; };\n\tm { phandle = <5>; };\n};\n", "in.dts:4:6", "duplicated phandle 0x5", false),
                new Case("wrong name property", "/dts-v1/;\n/ {\n\tn { name = \"m\"; };\n};\n", "in.dts:3:6", "\"name\" property is incorrect", false),
                new Case("line marker", "/dts-v1/;\n# 40 \"board.dts\"\n/ {\n\tx = ;\n};\n", "board.dts:41:6", "syntax error: unexpected ';'", true),
                new Case("missing include", "/dts-v1/;\n/include/ \"nope.dtsi\"\n/ { };\n", "in.dts:2:1", "cannot open include file \"nope.dtsi\"", false),
                new Case("missing incbin", "/dts-v1/;\n/ { a = /incbin/(\"nope.bin\"); };\n", "in.dts:2:9", "cannot open \"nope.bin\"", false),
                new Case("deep nesting", "/dts-v1/;\n/ {" + "a{".repeat(5000) + "};".repeat(5000) + "};\n", "in.dts:2:", "nesting too deep", false),
                new Case("deep parentheses", "/dts-v1/;\n/ { a = <" + "(".repeat(12000) + "1" + ")".repeat(12000) + ">; };\n", "in.dts:2:", "nesting too deep", false));
    }

    private static final Pattern DTC_LOCATION = Pattern.compile("in\\.dts:(\\d+)\\.(\\d+)|board\\.dts:(\\d+)\\.(\\d+)");

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithLocation(Case c) throws Exception {
        DtcOracle.Verdict dtc = DtcOracle.dtc(c.dts, Map.of());
        assertFalse(dtc.ok(), "dtc accepts it");
        Path dir = DtcOracle.tempDir();
        try {
            Path in = dir.resolve("in.dts");
            Files.writeString(in, c.dts);
            BadInputException e = assertThrows(BadInputException.class, () -> DtsReader.read(in));
            String loc = e.location().replace(dir + "/", "");
            if (c.location.endsWith(":")) assertTrue(loc.startsWith(c.location), loc);
            else assertEquals(c.location, loc, e.render());
            assertTrue(e.getMessage().contains(c.message), e.getMessage());
            String line = e.render();
            assertFalse(line.contains("\n"), "one line: " + line);
            assertEquals(loc, e.render().substring(0, e.render().indexOf(": error: ")).replace(dir + "/", ""));
            if (c.dtcToo) {
                Matcher m = DTC_LOCATION.matcher(dtc.stderr());
                assertTrue(m.find(), dtc.stderr());
                String dtcLoc = m.group(1) != null ? m.group(1) + ":" + m.group(2) : m.group(3) + ":" + m.group(4);
                assertTrue(loc.endsWith(":" + dtcLoc), "dtc reports " + dtcLoc + ", we " + loc);
            }
        } finally {
            DtcOracle.delete(dir);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameFromText(Case c) {
        // the text API locates the same way (files relative to a directory that has none of them)
        BadInputException e = assertThrows(BadInputException.class,
                () -> DtsReader.read("in.dts", c.dts, Path.of("/nonexistent-xldt-dir")));
        if (c.location.endsWith(":")) assertTrue(e.location().startsWith(c.location), e.location());
        else assertEquals(c.location, e.location());
    }
}
