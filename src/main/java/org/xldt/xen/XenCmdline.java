package org.xldt.xen;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.xldt.xlcfg.Diagnostic;
import org.xldt.xlcfg.Location;
import org.xldt.xlcfg.Severity;

/**
 * The Xen hypervisor command line ({@code console=dtuart dtuart=serial0 dom0_mem=1G
 * dom0_max_vcpus=2 viommu=smmuv3}) read as Xen reads it ({@code parse_params} in
 * xen/common/kernel.c): options separated by spaces only, each {@code key}, {@code key=value}
 * or {@code no-key[=value]}, the last occurrence of a key winning, no quote processing. Typed
 * readers follow Xen's parameter kinds: booleans ({@link #parseBool}), integers
 * ({@code simple_strtoll}, base 0), sizes ({@link #parseSizeAndUnit}), strings, and the custom
 * {@code dom0_mem} syntax.
 *
 * <p>Quotes: Xen keeps them as part of the value, so {@code viommu="smmuv3"} does not enable the
 * vIOMMU; {@link #parse} warns when a value looks quoted. A command line copied from where it is
 * written (a GRUB entry, a shell or U-Boot script, which remove quotes before Xen sees the text)
 * is read with {@link #parseQuoted}: single and double quotes group characters and are removed.
 */
public final class XenCmdline {
    /** Where diagnostics about the command line point. */
    public static final String SOURCE = "<xen command line>";
    /** Xen's MAX_PARAM_SIZE: longer options are cut to 127 characters. */
    public static final int MAX_OPTION = 127;

    /**
     * One option as Xen splits it.
     *
     * @param text    the option as written (after quote removal in {@link #parseQuoted})
     * @param key     the name matched against Xen's parameters ("no-" removed)
     * @param value   the text after the first '=' ("" when there is none)
     * @param negated the option started with "no-"
     * @param offset  where it starts in the command line
     */
    public record Option(String text, String key, String value, boolean hasValue, boolean negated, int offset) {
    }

    /** The two spellings of the vSMMUv3 series' option. */
    public enum ViommuSyntax {
        /** RFC (2022) and v1: {@code viommu=<boolean>}, default off. */
        BOOLEAN,
        /** v2/v3 (2026): {@code viommu=<string>} in a 10-byte buffer; only "smmuv3" enables it. */
        STRING
    }

    private final String text;
    private final List<Option> options;
    private final List<Diagnostic> problems;

    private XenCmdline(String text, List<Option> options, List<Diagnostic> problems) {
        this.text = text;
        this.options = List.copyOf(options);
        this.problems = new ArrayList<>(problems);
    }

    /** Reads the command line exactly as Xen receives it. */
    public static XenCmdline parse(String cmdline) {
        List<Option> opts = new ArrayList<>();
        List<Diagnostic> problems = new ArrayList<>();
        int p = 0;
        while (true) {
            while (p < cmdline.length() && cmdline.charAt(p) == ' ') p++;
            if (p >= cmdline.length()) break;
            int start = p;
            while (p < cmdline.length() && cmdline.charAt(p) != ' ') p++;
            String raw = cmdline.substring(start, p);
            if (raw.length() > MAX_OPTION) {
                problems.add(problem(Severity.WARNING, start, "option longer than " + MAX_OPTION + " characters is cut by Xen",
                        "Xen keeps \"" + raw.substring(0, 20) + "...\" up to " + MAX_OPTION + " characters"));
                raw = raw.substring(0, MAX_OPTION);
            }
            Option o = split(raw, start);
            if (looksQuoted(o.value())) {
                problems.add(problem(Severity.WARNING, start, "the value of '" + o.key() + "' is quoted: Xen keeps the quotes",
                        "Xen does not remove quotes; write " + o.key() + "=" + o.value().substring(1, o.value().length() - 1)));
            }
            opts.add(o);
        }
        return new XenCmdline(cmdline, opts, problems);
    }

    /**
     * Reads a command line as written in a boot-loader entry or script: quotes group characters
     * (spaces included) and are removed, as GRUB and shells do before Xen sees the text. An
     * unterminated quote runs to the end.
     */
    public static XenCmdline parseQuoted(String cmdline) {
        List<Option> opts = new ArrayList<>();
        List<Diagnostic> problems = new ArrayList<>();
        int p = 0;
        while (true) {
            while (p < cmdline.length() && Character.isWhitespace(cmdline.charAt(p))) p++;
            if (p >= cmdline.length()) break;
            int start = p;
            StringBuilder sb = new StringBuilder();
            char quote = 0;
            while (p < cmdline.length()) {
                char c = cmdline.charAt(p);
                if (quote != 0) {
                    if (c == quote) quote = 0;
                    else sb.append(c);
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (Character.isWhitespace(c)) {
                    break;
                } else {
                    sb.append(c);
                }
                p++;
            }
            if (quote != 0) problems.add(problem(Severity.WARNING, start, "unterminated quote", "the option runs to the end of the line"));
            String raw = sb.toString();
            if (raw.contains(" ")) {
                problems.add(problem(Severity.WARNING, start, "option \"" + raw + "\" contains a space",
                        "Xen splits options at spaces: it will see \"" + raw.substring(0, raw.indexOf(' ')) + "\" and more options"));
            }
            opts.add(split(raw, start));
        }
        return new XenCmdline(cmdline, opts, problems);
    }

    private static Option split(String raw, int offset) {
        int eq = raw.indexOf('=');
        String key = eq >= 0 ? raw.substring(0, eq) : raw;
        String value = eq >= 0 ? raw.substring(eq + 1) : "";
        boolean negated = key.startsWith("no-");
        return new Option(raw, negated ? key.substring(3) : key, value, eq >= 0, negated, offset);
    }

    private static boolean looksQuoted(String v) {
        return v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0);
    }

    private static Diagnostic problem(Severity sev, int offset, String message, String... hints) {
        return new Diagnostic(sev, new Location(SOURCE, 1, offset + 1), message, List.of(hints), null, 1);
    }

    /** The command line as given. */
    public String text() {
        return text;
    }

    /** Every option, in order. */
    public List<Option> options() {
        return options;
    }

    /** Warnings and errors found so far (typed readers add theirs). */
    public List<Diagnostic> problems() {
        return List.copyOf(problems);
    }

    /** The last option with this key, if any. */
    public Optional<Option> last(String key) {
        for (int i = options.size() - 1; i >= 0; i--) {
            if (options.get(i).key().equals(key)) return Optional.of(options.get(i));
        }
        return Optional.empty();
    }

    public boolean has(String key) {
        return last(key).isPresent();
    }

    /**
     * A string parameter ({@code string_param}): the last value, cut to {@code size - 1}
     * characters like {@code strlcpy} into a {@code char[size]} (0 = no limit).
     */
    public Optional<String> string(String key, int size) {
        return last(key).map(o -> size > 0 && o.value().length() > size - 1 ? o.value().substring(0, size - 1) : o.value());
    }

    public Optional<String> string(String key) {
        return string(key, 0);
    }

    /**
     * A boolean parameter ({@code boolean_param}): {@code key} is true, {@code no-key} false,
     * {@code key=B} is {@link #parseBool}(B) and {@code no-key=B} its opposite. Occurrences are
     * applied in order; an invalid value is reported and leaves the previous state.
     */
    public Optional<Boolean> bool(String key) {
        Optional<Boolean> state = Optional.empty();
        for (Option o : options) {
            if (!o.key().equals(key)) continue;
            int b = o.value().isEmpty() ? 1 : parseBool(o.value());
            if (b < 0) {
                problems.add(problem(Severity.ERROR, o.offset(), "parameter \"" + o.text().substring(0, o.text().indexOf('=') < 0 ? o.text().length() : o.text().indexOf('='))
                        + "\" has invalid value \"" + o.value() + "\"", "a boolean is one of 1/0, yes/no, true/false, on/off, enable/disable"));
                continue;
            }
            state = Optional.of(o.negated() != (b == 1));
        }
        return state;
    }

    /** An integer parameter ({@code integer_param}): {@code simple_strtoll(value, 0)} over the whole value. */
    public OptionalLong integer(String key) {
        OptionalLong v = OptionalLong.empty();
        for (Option o : options) {
            if (!o.key().equals(key)) continue;
            String s = o.value();
            boolean minus = s.startsWith("-");
            Num n = strtoull(minus ? s.substring(1) : s, 0);
            if ((minus ? 1 : 0) + n.end != s.length()) {
                problems.add(problem(Severity.ERROR, o.offset(), "parameter \"" + key + "\" has invalid value \"" + s + "\"", "write a number"));
                continue;
            }
            v = OptionalLong.of(minus ? -n.value : n.value);
        }
        return v;
    }

    /** A size parameter ({@code size_param}): {@link #parseSizeAndUnit} over the whole value, in bytes. */
    public OptionalLong size(String key) {
        OptionalLong v = OptionalLong.empty();
        for (Option o : options) {
            if (!o.key().equals(key)) continue;
            Size s = parseSizeAndUnit(o.value());
            if (s.end() != o.value().length()) {
                problems.add(problem(Severity.ERROR, o.offset(), "parameter \"" + key + "\" has invalid value \"" + o.value() + "\"",
                        "a size is a number with an optional unit K, M, G or T (default K)"));
                continue;
            }
            v = OptionalLong.of(s.bytes());
        }
        return v;
    }

    /** {@code dom0_max_vcpus} (Arm: an unsigned integer). */
    public OptionalInt dom0MaxVcpus() {
        OptionalLong v = integer("dom0_max_vcpus");
        if (v.isEmpty()) return OptionalInt.empty();
        long l = v.getAsLong();
        if (Long.compareUnsigned(l, 0xffffffffL) > 0 && Long.compareUnsigned(l, 0xffffffff80000000L) < 0) {
            problems.add(problem(Severity.ERROR, last("dom0_max_vcpus").get().offset(), "dom0_max_vcpus is out of range"));
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) l);
    }

    /** {@code dom0_mem}, or empty when absent. */
    public Optional<Dom0Mem> dom0Mem() {
        return last("dom0_mem").map(o -> {
            Dom0Mem m = Dom0Mem.parse(o.value());
            if (!m.armValid()) {
                problems.add(problem(Severity.WARNING, o.offset(), "Xen on Arm reads dom0_mem=" + o.value() + " as "
                        + m.armBytes() + " bytes and reports it invalid", "Xen on Arm takes a single size, e.g. dom0_mem=1G"));
            }
            return m;
        });
    }

    /**
     * Whether the vIOMMU is enabled under either spelling of the series: {@code viommu} as a
     * true boolean (RFC, v1) or as the string "smmuv3" (v2, v3).
     */
    public boolean viommuEnabled() {
        return viommuEnabled(ViommuSyntax.BOOLEAN) || viommuEnabled(ViommuSyntax.STRING);
    }

    /** Whether the vIOMMU is enabled under one version's option. */
    public boolean viommuEnabled(ViommuSyntax syntax) {
        if (syntax == ViommuSyntax.BOOLEAN) {
            // parse quietly: the other spelling's values are not errors of this one
            Optional<Boolean> state = Optional.empty();
            for (Option o : options) {
                if (!o.key().equals("viommu")) continue;
                int b = o.value().isEmpty() ? 1 : parseBool(o.value());
                if (b >= 0) state = Optional.of(o.negated() != (b == 1));
            }
            return state.orElse(false);
        }
        return string("viommu", 10).map("smmuv3"::equals).orElse(false);
    }

    // ---- Xen's conversions ----------------------------------------------------------

    /** Xen's {@code parse_bool}: 1 for 1/yes/on/true/enable, 0 for 0/no/off/false/disable, -1 otherwise (case-sensitive). */
    public static int parseBool(String s) {
        return switch (s) {
            case "1", "on", "yes", "true", "enable" -> 1;
            case "0", "no", "off", "false", "disable" -> 0;
            default -> -1;
        };
    }

    /**
     * Xen's {@code parse_size_and_unit}: a number ({@code simple_strtoull}, base 0) then one
     * optional unit letter T, G, M, K or B (any case; T/G/M/K multiply by 1024 per step from
     * K), else kilobytes. A '%' is left unconsumed and unscaled.
     *
     * @return the size in bytes (64-bit, wrapping as Xen's arithmetic does) and how many
     *         characters were used
     */
    public static Size parseSizeAndUnit(String s) {
        Num n = strtoull(s, 0);
        long v = n.value;
        int end = n.end;
        char unit = end < s.length() ? s.charAt(end) : 0;
        switch (unit) {
            case 'T', 't':
                v <<= 10;
                // fall through
            case 'G', 'g':
                v <<= 10;
                // fall through
            case 'M', 'm':
                v <<= 10;
                // fall through
            case 'K', 'k':
                v <<= 10;
                // fall through
            case 'B', 'b':
                end++;
                break;
            case '%':
                break;
            default:
                v <<= 10;
                break;
        }
        return new Size(v, end);
    }

    /** A size and the characters it used. */
    public record Size(long bytes, int end) {
    }

    private record Num(long value, int end) {
    }

    /** Xen's {@code simple_strtoull}: no white space, no sign, base 0 prefixes, wrapping. */
    private static Num strtoull(String s, int base) {
        int i = 0;
        if (base == 0) {
            base = 10;
            if (i < s.length() && s.charAt(i) == '0') {
                base = 8;
                i++;
                if (i + 1 < s.length() && Character.toUpperCase(s.charAt(i)) == 'X' && Character.digit(s.charAt(i + 1), 16) >= 0) {
                    i++;
                    base = 16;
                }
            }
        }
        long v = 0;
        while (i < s.length()) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0 || d >= base || s.charAt(i) > 0x7f) break;
            v = v * base + d;
            i++;
        }
        return new Num(v, i);
    }

    /**
     * {@code dom0_mem}. Xen on Arm takes one size ({@code dom0_mem=1G}): it uses the size at the
     * start of the value and reports the option invalid when anything follows, so
     * {@code dom0_mem=1G,max:1G} (x86 syntax) still gives 1 GiB on Arm. The x86 syntax
     * {@code [min:AMT,][max:AMT,][AMT]} is also read, for information.
     *
     * @param text     the value as written
     * @param armBytes what Xen on Arm uses
     * @param armValid whether Xen on Arm accepts the value without complaint
     * @param min      x86 {@code min:} amount
     * @param max      x86 {@code max:} amount
     * @param amount   x86 plain amount
     */
    public record Dom0Mem(String text, long armBytes, boolean armValid, Optional<Amount> min, Optional<Amount> max,
            Optional<Amount> amount) {

        /**
         * An x86 amount: {@code [-]SIZE|N%} terms joined by '+'.
         *
         * @param negative leading '-' (all memory but this)
         * @param bytes    the sum of the sizes
         * @param percent  the sum of the percentages
         */
        public record Amount(boolean negative, long bytes, long percent) {
        }

        public static Dom0Mem parse(String v) {
            Size arm = parseSizeAndUnit(v);
            Optional<Amount> min = Optional.empty();
            Optional<Amount> max = Optional.empty();
            Optional<Amount> amount = Optional.empty();
            for (String item : v.split(",", -1)) {
                if (item.startsWith("min:")) min = amount(item.substring(4));
                else if (item.startsWith("max:")) max = amount(item.substring(4));
                else amount = amount(item);
            }
            return new Dom0Mem(v, arm.bytes(), arm.end() == v.length(), min, max, amount);
        }

        private static Optional<Amount> amount(String s) {
            boolean neg = s.startsWith("-");
            if (neg) s = s.substring(1);
            long bytes = 0;
            long percent = 0;
            for (String term : s.split("\\+", -1)) {
                if (term.isEmpty() || !Character.isDigit(term.charAt(0))) return Optional.empty();
                if (term.endsWith("%")) {
                    Num n = strtoull(term.substring(0, term.length() - 1), 0);
                    if (n.end != term.length() - 1 || n.value >= 100) return Optional.empty();
                    percent += n.value;
                } else {
                    Size sz = parseSizeAndUnit(term);
                    if (sz.end() != term.length()) return Optional.empty();
                    bytes += sz.bytes();
                }
            }
            return Optional.of(new Amount(neg, bytes, percent));
        }
    }
}
