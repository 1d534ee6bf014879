package org.xldt.dt;

import java.nio.charset.StandardCharsets;
import org.xldt.BadInputException;

/**
 * How {@code fdtget} (dtc 1.6.1) prints a property value, and its {@code -t} type letters.
 *
 * <p>A type is an optional size prefix ({@code hh} or {@code b} = 1 byte, {@code h} = 2,
 * {@code l} = 4; {@code L} is accepted and means "default") and a conversion: {@code s} string,
 * {@code i}/{@code d} signed decimal, {@code u} unsigned decimal, {@code x} hex without
 * {@code 0x}. Without {@code -t}, a value that is one or more non-empty printable ASCII strings
 * prints as strings separated by spaces, anything else as signed decimal cells (bytes when the
 * length is not a multiple of 4). Elements are separated by one space; an empty value prints as
 * nothing.
 *
 * @param conversion {@code s}, {@code i}, {@code u}, {@code x}, or 0 for fdtget's default
 * @param size       element size in bytes (1, 2, 4), or -1 for "4 if the length allows, else 1"
 */
public record FdtgetFormat(char conversion, int size) {
    public static final FdtgetFormat DEFAULT = new FdtgetFormat('\0', -1);

    /** Parses a {@code -t} argument as fdtget does; null if fdtget would reject it. */
    public static FdtgetFormat parse(String fmt) {
        if (fmt == null || fmt.isEmpty()) return null;
        int i = 0;
        char qualifier = 0;
        if ("hlLb".indexOf(fmt.charAt(0)) >= 0) {
            qualifier = fmt.charAt(i++);
            if (i < fmt.length() && fmt.charAt(i) == qualifier) {
                i++;
                if (qualifier == 'h') qualifier = 'b';
            }
        }
        if (i >= fmt.length() || "iuxs".indexOf(fmt.charAt(i)) < 0) return null;
        char conv = fmt.charAt(i++);
        if (i != fmt.length()) return null;
        int size = -1;
        if (conv != 's') {
            size = switch (qualifier) {
                case 'b' -> 1;
                case 'h' -> 2;
                case 'l' -> 4;
                default -> -1;
            };
        }
        return new FdtgetFormat(conv, size);
    }

    /**
     * The text fdtget prints for {@code value} (without the newline), as Latin-1 (one char per
     * byte: strings are printed raw).
     *
     * @param what names the property in the error fdtget would give
     */
    public String show(byte[] value, String location, String what) {
        int len = value.length;
        if (len == 0) return "";
        boolean isString = conversion == 's' || (conversion == 0 && isPrintableStringList(value));
        StringBuilder sb = new StringBuilder();
        if (isString) {
            if (value[len - 1] != 0) throw new BadInputException(location, what + ": unterminated string (try another -t type)");
            int i = 0;
            while (i < len) {
                int j = i;
                while (value[j] != 0) j++;
                if (i != 0) sb.append(' ');
                sb.append(new String(value, i, j - i, StandardCharsets.ISO_8859_1));
                i = j + 1;
            }
            return sb.toString();
        }
        int width = size;
        if (width == -1) {
            width = len % 4 == 0 ? 4 : 1;
        } else if (len % width != 0) {
            throw new BadInputException(location, what + ": length " + len + " is not a multiple of the selected data size " + width);
        }
        for (int i = 0; i < len; i += width) {
            if (i != 0) sb.append(' ');
            int v = switch (width) {
                case 4 -> Property.getU32(value, i);
                case 2 -> ((value[i] & 0xff) << 8) | (value[i + 1] & 0xff);
                default -> value[i] & 0xff;
            };
            switch (conversion) {
                case 'u' -> sb.append(Integer.toUnsignedString(v));
                case 'x' -> sb.append(Integer.toHexString(v));
                default -> sb.append(v); // %d and %i: signed
            }
        }
        return sb.toString();
    }

    /** libfdt's {@code util_is_printable_string}: non-empty NUL-terminated runs of isprint bytes. */
    static boolean isPrintableStringList(byte[] v) {
        int len = v.length;
        if (len == 0 || v[len - 1] != 0) return false;
        int i = 0;
        while (i < len) {
            int start = i;
            while (i < len && v[i] != 0 && (v[i] & 0xff) >= 0x20 && (v[i] & 0xff) < 0x7f) i++;
            if (i >= len || v[i] != 0 || i == start) return false;
            i++;
        }
        return true;
    }
}
