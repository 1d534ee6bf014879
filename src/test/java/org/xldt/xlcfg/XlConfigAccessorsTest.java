package org.xldt.xlcfg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.xldt.Tools;
import org.xldt.xen.DomainConfig;
import org.xldt.xen.DomainConfigReader;

/**
 * xldt's value API against libxlutil's own accessors ({@code src/test/c/xlcfg-accessors.c}):
 * xlu_cfg_get_string, _long, _bounded_long (-100..1000), _defbool, _list and
 * _list_as_string_list must return the same code, value and warning for random settings
 * (numbers in every base, signs, blanks, overflow, lists, nested lists, {@code +=}); and the C
 * conversions xl applies to values (strtol, strtoul, the iomem sscanf) and libxl's enum
 * parsers must agree with xldt's.
 */
class XlConfigAccessorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> NAMES = List.of("a", "b", "c", "d", "zz");

    static String probe() {
        return Tools.buildC("xlcfg-accessors", "src/test/c/xlcfg-accessors.c", "/usr/include/libxlutil.h", "-lxlutil", "-lxenlight");
    }

    static List<JsonNode> run(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(probe());
        cmd.addAll(args);
        Tools.Result r = Tools.run(cmd, null);
        List<JsonNode> out = new ArrayList<>();
        try {
            for (String line : r.out().split("\n")) {
                if (!line.isEmpty()) out.add(JSON.readTree(line));
            }
        } catch (IOException e) {
            throw new IllegalStateException(r.out(), e);
        }
        return out;
    }

    @Provide
    Arbitrary<String> configs() {
        Arbitrary<String> value = Arbitraries.of("0", "08", "0x10", "017", "1e3", "99999999999999999999", "2000", "1000", "1001",
                "\" 12\"", "\"-5\"", "\"+7\"", "\"0x\"", "\"\"", "\"12 \"", "\"-9223372036854775808\"", "\"9223372036854775807\"",
                "\"9223372036854775808\"", "\"-9223372036854775809\"", "\"-101\"", "\"-100\"", "\"abc\"", "\"0x7fffffffffffffff\"",
                "\"\\t5\"", "\"1\\n\"", "\"\\n\\v 0x1F\"", "\"0X1f\"", "\" -0x10\"", "\"1 2\"", "\"00\"", "\"0\"", "\"-0\"",
                "[1, \"x\", [2]]", "[]", "[\"a\"]", "[[]]", "[0x10, \" 3\"]");
        Arbitrary<String> stmt = Combinators.combine(Arbitraries.of("a", "b", "c", "d"), Arbitraries.of("=", "=", "+="), value)
                .as((n, op, v) -> n + " " + op + " " + v + "\n");
        return stmt.list().ofMinSize(1).ofMaxSize(6).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<List<String>> configBatches() {
        return configs().list().ofMinSize(10).ofMaxSize(10);
    }

    /** 20 tries x 10 files x 5 names x 6 accessors, one probe process per try. */
    @Property(tries = 20)
    void accessorsAgreeWithLibxlutil(@ForAll("configBatches") List<String> texts) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "oracle-tmp"));
        List<Path> files = new ArrayList<>();
        try {
            List<String> args = new ArrayList<>(List.of("--batch", String.join(",", NAMES)));
            for (String text : texts) {
                Path f = Files.createTempFile(dir, "acc", ".cfg");
                files.add(f);
                Files.writeString(f, text, StandardCharsets.ISO_8859_1);
                args.add(f.toString());
            }
            List<JsonNode> theirs = run(args);
            int k = 0;
            for (String text : texts) {
                ParseResult p = XlCfgReader.read("acc.cfg", text.getBytes(StandardCharsets.ISO_8859_1));
                if (theirs.get(k).has("parse")) {
                    assertEquals(false, p.ok(), () -> "libxlutil rejects, xldt accepts:\n" + text);
                    k++;
                    continue;
                }
                assertEquals(true, p.ok(), () -> "libxlutil accepts, xldt rejects:\n" + text + p.diagnostics());
                XlConfig c = p.config();
                for (String n : NAMES) {
                    JsonNode t = theirs.get(k++);
                    assertEquals(n, t.get("name").asText());
                    String ctx = "setting " + n + " of:\n" + text;
                    check(t.get("string"), c.string(n), v -> v, ctx);
                    check(t.get("long"), c.longValue(n), v -> v, ctx);
                    check(t.get("bounded"), c.boundedLong(n, -100, 1000), v -> v, ctx);
                    check(t.get("defbool"), c.defbool(n), v -> v ? 1 : 0, ctx);
                    check(t.get("list"), c.list(n), v -> v.items().size(), ctx);
                    check(t.get("strlist"), c.stringList(n), v -> v, ctx);
                }
            }
            assertEquals(theirs.size(), k);
        } finally {
            for (Path f : files) Files.deleteIfExists(f);
        }
    }

    /** Compares [rc, value, warning] from the probe with a Lookup. */
    private static <T> void check(JsonNode theirs, Lookup<T> mine, java.util.function.Function<T, Object> value, String ctx) {
        assertEquals(theirs.get(0).asInt(), mine.status().errno(), () -> "code, " + ctx);
        String warn = theirs.get(2).asText();
        if (warn.isEmpty()) {
            assertEquals(null, mine.warning(), () -> "warning, " + ctx);
        } else {
            // libxlutil: "FILE:LINE: warning: MESSAGE\n" with `name' quotes
            String[] parts = warn.split(": warning: ", 2);
            String line = parts[0].substring(parts[0].lastIndexOf(':') + 1);
            String message = parts[1].strip().replace('`', '\'');
            assertEquals(message, mine.warning().message(), () -> "warning, " + ctx);
            assertEquals(Integer.parseInt(line), mine.warning().location().line(), () -> "warning line, " + ctx);
        }
        if (!mine.ok()) return;
        Object v = value.apply(mine.value());
        JsonNode tv = theirs.get(1);
        if (v instanceof List<?> items) {
            List<String> theirItems = new ArrayList<>();
            tv.forEach(x -> theirItems.add(x.isNull() ? null : x.asText()));
            assertEquals(theirItems, items, () -> "value, " + ctx);
        } else if (v instanceof String s) {
            assertEquals(tv.asText(), s, () -> "value, " + ctx);
        } else {
            assertEquals(tv.asLong(), ((Number) v).longValue(), () -> "value, " + ctx);
        }
    }

    @Provide
    Arbitrary<List<String>> numberTexts() {
        return Arbitraries.strings().withChars("0123456789abcdefxX+-, @\t").ofMaxLength(14).list().ofMinSize(50).ofMaxSize(50);
    }

    /** glibc strtol(.., 0), strtoul(.., 10) and xl's iomem sscanf, against CNumbers: 20 x 50 strings. */
    @Property(tries = 20)
    void cNumbersAgreeWithGlibc(@ForAll("numberTexts") List<String> texts) {
        List<String> args = new ArrayList<>(List.of("--cnum"));
        args.addAll(texts);
        List<JsonNode> theirs = run(args);
        assertEquals(texts.size(), theirs.size());
        for (int i = 0; i < texts.size(); i++) {
            String s = texts.get(i);
            JsonNode t = theirs.get(i);
            CNumbers.Conversion l = CNumbers.strtol(s, 0);
            assertEquals(List.of(t.get("strtol0").get(0).asLong(), t.get("strtol0").get(1).asLong(), t.get("strtol0").get(2).asBoolean()),
                    List.of(l.value(), (long) l.end(), l.range()), "strtol of '" + s + "'");
            CNumbers.Conversion u = CNumbers.strtoul(s, 10);
            assertEquals(List.of(t.get("strtoul10").get(0).asLong(), t.get("strtoul10").get(1).asLong(), t.get("strtoul10").get(2).asBoolean()),
                    List.of(u.value(), (long) u.end(), u.range()), "strtoul of '" + s + "'");
            JsonNode io = t.get("iomem");
            int ret = io.get(0).asInt();
            int used = io.get(4).asInt();
            boolean valid = ret >= 2 && used == s.length();
            Optional<DomainConfig.IomemRange> mine = DomainConfigReader.parseIomem(s);
            assertEquals(valid, mine.isPresent(), "iomem validity of '" + s + "'");
            if (valid) {
                long gfn = ret == 3 ? io.get(3).asLong() : io.get(1).asLong();
                assertEquals(new DomainConfig.IomemRange(io.get(1).asLong(), io.get(2).asLong(), gfn), mine.get(), "iomem of '" + s + "'");
            }
        }
    }

    @Provide
    Arbitrary<List<String>> enumTexts() {
        Arbitrary<String> word = Arbitraries.of("v2", "v3", "default", "native", "none", "optee", "sbsa_uart", "unknown", "enabled",
                "disabled", "share_pt", "sync_pt", "v", "", "pl011", "v2 ", "sbsa-uart");
        Arbitrary<String> cased = Combinators.combine(word, Arbitraries.integers().between(0, 1 << 10)).as((w, mask) -> {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < w.length(); i++) {
                char c = w.charAt(i);
                sb.append(((mask >> (i % 10)) & 1) == 1 ? Character.toUpperCase(c) : c);
            }
            return sb.toString();
        });
        return cased.list().ofMinSize(30).ofMaxSize(30);
    }

    /** libxl's case-insensitive enum parsing (Xen 4.17, so not "ffa" for tee) against DomainConfigReader. */
    @Property(tries = 10)
    void enumsAgreeWithLibxl(@ForAll("enumTexts") List<String> words) {
        List<String> args = new ArrayList<>(List.of("--enums"));
        args.addAll(words);
        List<JsonNode> theirs = run(args);
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            JsonNode t = theirs.get(i);
            String esc = w.replace("\\", "\\\\").replace("\"", "\\\"");
            for (String key : List.of("gic_version", "tee", "vuart", "passthrough")) {
                String text = "name = \"g\"\nkernel = \"/k\"\n" + key + " = \"" + esc + "\"\n";
                DomainConfigReader.Result r = DomainConfigReader.read(XlCfgReader.read("e.cfg", text.getBytes(StandardCharsets.ISO_8859_1)).config());
                boolean libxl = t.get(key).get(0).asInt() == 0;
                boolean keyError = r.errors().stream().anyMatch(d -> d.location().line() == 3 && !d.message().startsWith("passthrough=\"sync_pt\" not supported"));
                assertEquals(libxl, !keyError, () -> key + " = \"" + w + "\": " + r.diagnostics());
            }
        }
    }
}
