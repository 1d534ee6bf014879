package org.xldt.xlcfg;

import java.math.BigInteger;

/**
 * The C library's number conversions as glibc performs them, because xl and libxlutil use
 * them to read numbers from configuration strings: {@code strtol}/{@code strtoul} (leading
 * white space, an optional sign, a {@code 0x}/{@code 0} prefix for base 0, saturation and
 * {@code ERANGE} on overflow) and the {@code %lx} conversion of {@code sscanf} (which, unlike
 * {@code strtoul}, consumes a bare {@code 0x}).
 */
public final class CNumbers {
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger LONG_MIN_MAGNITUDE = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE);
    private static final BigInteger ULONG_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private CNumbers() {
    }

    /**
     * A conversion's result.
     *
     * @param value  the value (for unsigned conversions, the 64-bit pattern)
     * @param end    index of the first unconverted char ({@code 0} when nothing was converted)
     * @param digits whether any digit was converted
     * @param range  whether the value overflowed ({@code errno == ERANGE}; value saturated)
     */
    public record Conversion(long value, int end, boolean digits, boolean range) {
        /** True when the whole string was a number in range (what xl usually requires). */
        public boolean complete(String s) {
            return digits && !range && end == s.length();
        }
    }

    /** C {@code isspace} in the C locale. */
    public static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }

    private record Scan(boolean negative, BigInteger magnitude, int end, boolean digits) {
    }

    /** The common part of strtol/strtoul: white space, sign, base prefix, digits. */
    private static Scan scan(String s, int from, int base, boolean scanfPrefix) {
        int i = from;
        while (i < s.length() && isSpace(s.charAt(i))) i++;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int b = base;
        int prefixEnd = -1; // where a bare "0x" ends, for sscanf
        if ((b == 0 || b == 16) && i + 1 < s.length() && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
            if (i + 2 < s.length() && Character.digit(s.charAt(i + 2), 16) >= 0) {
                i += 2;
                b = 16;
            } else if (scanfPrefix) {
                prefixEnd = i + 2;
            }
        }
        if (b == 0) b = (i < s.length() && s.charAt(i) == '0') ? 8 : 10;
        BigInteger mag = BigInteger.ZERO;
        BigInteger bigBase = BigInteger.valueOf(b);
        int start = i;
        while (i < s.length()) {
            int d = Character.digit(s.charAt(i), b);
            if (d < 0 || s.charAt(i) > 0x7f) break;
            mag = mag.multiply(bigBase).add(BigInteger.valueOf(d));
            i++;
        }
        boolean digits = i > start;
        if (prefixEnd >= 0) return new Scan(negative, BigInteger.ZERO, prefixEnd, true);
        return new Scan(negative, mag, i, digits);
    }

    /** glibc {@code strtol(s, &end, base)} for base 0, 8, 10 or 16. */
    public static Conversion strtol(String s, int base) {
        Scan sc = scan(s, 0, base, false);
        if (!sc.digits) return new Conversion(0, 0, false, false);
        if (!sc.negative && sc.magnitude.compareTo(LONG_MAX) > 0) return new Conversion(Long.MAX_VALUE, sc.end, true, true);
        if (sc.negative && sc.magnitude.compareTo(LONG_MIN_MAGNITUDE) > 0) return new Conversion(Long.MIN_VALUE, sc.end, true, true);
        long v = sc.negative ? sc.magnitude.negate().longValue() : sc.magnitude.longValue();
        return new Conversion(v, sc.end, true, false);
    }

    /** glibc {@code strtoul(s, &end, base)}: a '-' sign negates modulo 2^64. */
    public static Conversion strtoul(String s, int base) {
        Scan sc = scan(s, 0, base, false);
        if (!sc.digits) return new Conversion(0, 0, false, false);
        if (sc.magnitude.compareTo(ULONG_MAX) > 0) return new Conversion(-1L, sc.end, true, true);
        long v = sc.magnitude.longValue();
        return new Conversion(sc.negative ? -v : v, sc.end, true, false);
    }

    /**
     * glibc {@code sscanf}'s {@code %lx} starting at {@code from}: white space, sign, an
     * optional {@code 0x} (a bare {@code 0x} converts to 0), hex digits. {@code end} is
     * absolute; {@code digits} false means a matching failure.
     */
    public static Conversion scanHex(String s, int from) {
        Scan sc = scan(s, from, 16, true);
        if (!sc.digits) return new Conversion(0, from, false, false);
        if (sc.magnitude.compareTo(ULONG_MAX) > 0) return new Conversion(-1L, sc.end, true, true);
        long v = sc.magnitude.longValue();
        return new Conversion(sc.negative ? -v : v, sc.end, true, false);
    }
}
