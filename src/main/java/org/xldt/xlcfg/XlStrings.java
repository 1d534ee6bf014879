package org.xldt.xlcfg;

/**
 * Unescaping of quoted strings exactly as libxlutil's {@code xlu__cfgl_dequote} does it
 * (observed on Xen 4.17):
 * <ul>
 *   <li>{@code \" \' \\ \a \b \f \n \r \t \v} give the usual characters;</li>
 *   <li>{@code \x} is always rejected ("invalid digit after backslash hexnumerical character
 *       escape"): libxlutil skips one character too many and then wants more than two hex
 *       digits in a two-character window;</li>
 *   <li>{@code \D} with D an octal digit is accepted when the (up to) three following
 *       characters start with C {@code strtoul(..., 10)} syntax of at least two characters
 *       (white space, a sign, decimal digits); those characters and D are consumed and
 *       <em>nothing</em> is added to the value (a libxlutil bug). Otherwise it is rejected
 *       ("invalid digit after backslash octalnumerical character escape");</li>
 *   <li>any other escape is rejected ("invalid character after backlash in quoted string");</li>
 *   <li>a NUL byte makes libxlutil abort (it measures the token with strlen): rejected here.</li>
 * </ul>
 */
public final class XlStrings {
    private XlStrings() {
    }

    /** A problem at {@code offset} (relative to the token start) spanning {@code length} chars. */
    public record Problem(boolean error, int offset, int length, String message, String hint) {
    }

    /** The value (null when an error was found) and the problems met. */
    public record Result(String value, java.util.List<Problem> problems) {
    }

    /** Unescapes a whole STRING token, quotes included. */
    public static Result dequote(String token) {
        java.util.List<Problem> problems = new java.util.ArrayList<>();
        int nul = token.indexOf('\0');
        if (nul >= 0) {
            problems.add(new Problem(true, nul, 1, "NUL byte in a string",
                    "libxlutil aborts on a NUL byte inside quotes (it measures the string with strlen)"));
            return new Result(null, problems);
        }
        StringBuilder out = new StringBuilder(token.length());
        int end = token.length() - 1; // index of the closing quote
        int p = 1;
        while (p < end) {
            char c = token.charAt(p++);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            int at = p - 1;
            char nc = token.charAt(p++);
            switch (nc) {
                case '"', '\'', '\\' -> out.append(nc);
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000b');
                case 'x' -> {
                    problems.add(new Problem(true, at, 2, "'\\x' escapes are not accepted by libxlutil",
                            "libxlutil rejects every \\x escape (\"invalid digit after backslash hexnumerical character escape\"); write the character itself"));
                    return new Result(null, problems);
                }
                default -> {
                    if (nc >= '0' && nc <= '7') {
                        String window = token.substring(p, Math.min(p + 3, token.length()));
                        int used = decimalPrefix(window);
                        if (used <= 1) {
                            problems.add(new Problem(true, at, 2 + Math.max(0, used), "invalid octal escape",
                                    "libxlutil wants at least two more characters of decimal-number syntax after \\" + nc
                                            + " (\"invalid digit after backslash octalnumerical character escape\")"));
                            return new Result(null, problems);
                        }
                        problems.add(new Problem(false, at, 2 + used,
                                "octal escape '" + token.substring(at, p + used) + "' is dropped from the value",
                                "libxlutil accepts octal escapes but does not store their character (a known bug); write the character itself"));
                        p += used;
                    } else {
                        problems.add(new Problem(true, at, 2, "invalid escape '\\" + printable(nc) + "' in a string",
                                "libxlutil knows \\\" \\' \\\\ \\a \\b \\f \\n \\r \\t \\v; write a backslash as \\\\"));
                        return new Result(null, problems);
                    }
                }
            }
        }
        return new Result(out.toString(), problems);
    }

    /** How many chars of {@code s} C strtoul(s, &amp;end, 10) consumes (0 when it converts nothing). */
    static int decimalPrefix(String s) {
        int i = 0;
        while (i < s.length() && CNumbers.isSpace(s.charAt(i))) i++;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
        int digits = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
        return i > digits ? i : 0;
    }

    static String printable(char c) {
        if (c >= 0x20 && c < 0x7f) return String.valueOf(c);
        return String.format("\\%03o", (int) c);
    }
}
