package org.xldt.xlcfg;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random xl.cfg texts for property tests: well-formed files built from every token kind, the
 * same files with random edits (which mostly break them), and token soup. Texts are strings of
 * chars 0..255 standing for bytes ({@link #bytes(String)}).
 */
final class XlCfgTexts {
    private XlCfgTexts() {
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    // A small pool, so that repeats and += of the same name are frequent.
    static Arbitrary<String> names(boolean wild) {
        return freq(
                Tuple(12, Arbitraries.of("a", "b", "memory", "disk", "name")),
                Tuple(4, Arbitraries.of("a.b", "x9_y.z", "cmdline", "vif", "a_", "z.", "kernel", "extra", "root")),
                Tuple(2, Arbitraries.strings().withChars("abcxyz019_.").ofMinLength(0).ofMaxLength(6).map(s -> "q" + s)),
                Tuple(wild ? 2 : 0, Arbitraries.of("Ab", "_a", "a-b", "Memory", "aB", "True", "None", "9a", "a:b", "a b")));
    }

    static Arbitrary<String> numbers(boolean wild) {
        return freq(
                Tuple(10, Arbitraries.of("0", "1", "512", "0x1f", "017", "08", "1e3", "1a", "0x", "00", "4294967296",
                        "99999999999999999999", "0xffffffffffffffff", "1x", "9abcdefx")),
                Tuple(3, Arbitraries.integers().between(0, 100000).map(String::valueOf)),
                Tuple(wild ? 2 : 0, Arbitraries.of("0X1F", "-1", "+1", ".5", "1.5", "1g", "1_2", "1A")));
    }

    static Arbitrary<String> stringBody(boolean wild) {
        Arbitrary<String> piece = freq(
                Tuple(20, Arbitraries.of("abc", "x", " ", "phy:/dev/vg/g1,xvda,w", "console=hvc0 root=/dev/xvda",
                        "/passthrough/dev@0", "0x1000,1@0x2000", "smmuv3", "SMMUv3", "none", "\u00c3\u00a9", "1")),
                Tuple(6, Arbitraries.of("\\n", "\\t", "\\a", "\\b", "\\f", "\\r", "\\v", "\\\\", "\\\"", "\\'")),
                Tuple(2, Arbitraries.of("\\101", "\\777", "\\1 2", "\\1-5", "\\199", "\\1\t5", "\\000", "\\1234")),
                Tuple(wild ? 3 : 0, Arbitraries.of("\\12x", "\\0", "\\10x", "\\7", "\\1+", "\\00")),
                Tuple(wild ? 2 : 0, Arbitraries.of("\\x41", "\\q", "\\ ", "\\#", "\\e", "\\z")),
                Tuple(4, Arbitraries.of("#", ";", ",", "[", "]", "=", "+=", "\t", "\u00ff", "\u0001", "\u007f", "\r", "'", "\"",
                        "\u0080", "\u000c")));
        return piece.list().ofMaxSize(5).map(l -> String.join("", l));
    }

    static Arbitrary<String> strings(boolean wild) {
        return Combinators.combine(Arbitraries.of('"', '"', '\''), stringBody(wild), Arbitraries.integers().between(wild ? 0 : 2, 19))
                .as((q, body, r) -> {
                    if (q == '"') body = body.replace("\"", "\\\"").replace("\\\\\"", "\\\"");
                    else body = body.replace("'", "\\'").replace("\\\\'", "\\'");
                    // fix escapes broken by the replacement above: a lone trailing backslash
                    if (body.endsWith("\\") && !body.endsWith("\\\\")) body = body + "\\";
                    if (r == 0) return q + body; // unterminated
                    if (r == 1) return q + body + "\n" + body + q; // newline inside
                    return q + body + q;
                });
    }

    static Arbitrary<String> blanks(boolean wild) {
        return freq(
                Tuple(12, Arbitraries.of("", " ")),
                Tuple(4, Arbitraries.of("  ", "\t", " \t ")),
                Tuple(wild ? 2 : 0, Arbitraries.of("\u000c", "\u000b", "\r", "\u00a0")));
    }

    static Arbitrary<String> atoms(boolean wild) {
        return Arbitraries.oneOf(strings(wild), numbers(wild));
    }

    static Arbitrary<String> values(int depth, boolean wild) {
        if (depth <= 0) return atoms(wild);
        Arbitrary<String> gap = freq(
                Tuple(10, blanks(wild)),
                Tuple(3, Arbitraries.of("\n", " \n ", "# c\n", "\n\n", "#\n")),
                Tuple(wild ? 1 : 0, Arbitraries.of("\r\n", ";")));
        Arbitrary<String> list = Combinators.combine(values(depth - 1, wild).list().ofMaxSize(4), gap.list().ofMinSize(8).ofMaxSize(8),
                Arbitraries.integers().between(0, wild ? 9 : 40)).as((items, gaps, r) -> {
                    if (!wild && r >= 1 && r <= 3) r = 4;
                    StringBuilder sb = new StringBuilder("[").append(gaps.get(0));
                    for (int i = 0; i < items.size(); i++) {
                        if (i > 0) sb.append(',').append(gaps.get((i + 1) % 8));
                        sb.append(items.get(i)).append(gaps.get((i + 2) % 8));
                    }
                    if (r == 0 && !items.isEmpty()) sb.append(',').append(gaps.get(7)); // trailing comma
                    if (r == 1) sb.append(",,"); // invalid
                    if (r == 2 && items.isEmpty()) sb.append(','); // [,] invalid
                    return r == 3 ? sb.toString() : sb.append(']').toString(); // r == 3: unclosed
                });
        return freq(Tuple(3, atoms(wild)), Tuple(2, list));
    }

    static Arbitrary<String> statements(boolean wild) {
        Arbitrary<String> op = freq(Tuple(10, Arbitraries.just("=")), Tuple(5, Arbitraries.just("+=")),
                Tuple(wild ? 1 : 0, Arbitraries.of(":", "+ =", "==", "")));
        Arbitrary<String> end = freq(Tuple(12, Arbitraries.just("\n")), Tuple(3, Arbitraries.of(";", ";\n", " # note\n", ";;\n")),
                Tuple(wild ? 2 : 0, Arbitraries.of("\r\n", "", " ", "#", "\n#")));
        Arbitrary<String> assignment = Combinators.combine(names(wild), blanks(wild), op, blanks(wild), values(2, wild), blanks(wild), end)
                .as((n, b1, o, b2, v, b3, e) -> n + b1 + o + b2 + v + b3 + e);
        Arbitrary<String> fine = Arbitraries.of("\n", "# comment\n", ";\n", ";;\n", "   \n", "#\n", "\t# tab comment\n",
                "kernel = \"/boot/Image\" # trailing\n", "# \u00ff\u0000 bytes in a comment\n");
        Arbitrary<String> python = Arbitraries.of("import os\n", "def f():\n", "name = 'a' + 'b'\n", "memory = 512,\n",
                "disk = ['a', 'b'],\n", "vcpus = (2)\n", "x = True\n", "a = 1 b = 2\n", "x = None\n", "kernel = '/a' % 1\n");
        return freq(Tuple(16, assignment), Tuple(3, fine), Tuple(wild ? 2 : 0, python));
    }

    /** Files made only of valid constructs (a few still fail: += of a list to a string). */
    static Arbitrary<String> validFiles() {
        return Combinators.combine(statements(false).list().ofMaxSize(8), Arbitraries.integers().between(0, 5)).as((l, r) -> {
            String t = String.join("", l);
            // a last statement without its newline is fine
            return r == 0 && t.endsWith("\n") ? t.substring(0, t.length() - 1) : t;
        });
    }

    static Arbitrary<String> files() {
        return statements(true).list().ofMaxSize(8).map(l -> String.join("", l));
    }

    /** Random single-character edits of a text. */
    static Arbitrary<String> edited(Arbitrary<String> texts) {
        Arbitrary<Character> insert = Arbitraries.of('[', ']', '=', '"', '\'', '\\', '\n', '\r', '#', ';', ',', ' ', '\t', 'a', 'Z', '1',
                '+', '-', '(', ':', '.', '\u00ff', '\u0000', '\u000c');
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 10000), insert)
                .as((kind, pos, c) -> new int[] {kind, pos, c});
        return Combinators.combine(texts, edit.list().ofMinSize(1).ofMaxSize(3)).as((t, edits) -> {
            StringBuilder sb = new StringBuilder(t);
            for (int[] e : edits) {
                int pos = sb.length() == 0 ? 0 : e[1] % (sb.length() + 1);
                switch (e[0]) {
                    case 0 -> sb.insert(pos, (char) e[2]);
                    case 1 -> {
                        if (pos < sb.length()) sb.deleteCharAt(pos);
                    }
                    default -> {
                        if (pos < sb.length()) sb.setCharAt(pos, (char) e[2]);
                    }
                }
            }
            return sb.toString();
        });
    }

    /** Any token of the language (and some that are not), joined by odd white space. */
    static Arbitrary<String> soup() {
        Arbitrary<String> token = Arbitraries.oneOf(names(true), numbers(true), strings(true),
                Arbitraries.of("=", "+=", ",", "[", "]", ";", "\n", "# c\n", "(", ")", ":", "+", "-", ".", "{", "\r\n", "#"));
        return Combinators.combine(token.list().ofMaxSize(30), blanks(true).list().ofMinSize(30).ofMaxSize(30)).as((ts, bs) -> {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < ts.size(); i++) sb.append(ts.get(i)).append(bs.get(i));
            return sb.toString();
        });
    }

    /** The mix used by the oracle property: about half valid files. */
    static Arbitrary<String> texts() {
        return freq(Tuple(9, validFiles()), Tuple(4, files()), Tuple(4, edited(validFiles())), Tuple(3, soup()));
    }

    private static net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends String>> Tuple(int weight, Arbitrary<String> a) {
        return net.jqwik.api.Tuple.of(weight, a);
    }

    @SafeVarargs
    private static Arbitrary<String> freq(net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends String>>... choices) {
        return Arbitraries.frequencyOf(choices);
    }

    static List<String> sample(int n) {
        return texts().sampleStream().limit(n).toList();
    }
}
