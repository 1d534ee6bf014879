package org.xldt.dt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A device-tree property: a name and an uninterpreted byte value (big-endian cells, NUL-terminated
 * strings, ...), plus the labels placed on it and, when it came from DTS, the {@link Marker}s that
 * record how its value was written. Immutable; nodes replace properties to change them.
 */
public final class Property {
    private static final byte[] EMPTY = new byte[0];

    private final String name;
    private final byte[] value;
    private final List<String> labels;
    private final List<Marker> markers;

    public Property(String name, byte[] value, List<String> labels, List<Marker> markers) {
        if (name == null) throw new IllegalArgumentException("property name");
        this.name = name;
        this.value = value == null ? EMPTY : value;
        this.labels = labels == null || labels.isEmpty() ? List.of() : List.copyOf(labels);
        this.markers = markers == null || markers.isEmpty() ? List.of() : List.copyOf(markers);
    }

    public Property(String name, byte[] value) {
        this(name, value, List.of(), List.of());
    }

    // ---- factories ------------------------------------------------------------------------

    /** A property with no value ({@code dma-coherent;}). */
    public static Property empty(String name) {
        return new Property(name, EMPTY);
    }

    /** {@code name = <c0 c1 ...>} */
    public static Property cells(String name, long... cells) {
        byte[] b = new byte[cells.length * 4];
        for (int i = 0; i < cells.length; i++) {
            long c = cells[i];
            if (c < Integer.MIN_VALUE || c > 0xffffffffL) throw new IllegalArgumentException("cell out of range: " + c);
            putU32(b, i * 4, (int) c);
        }
        return new Property(name, b, List.of(), List.of(Marker.type(0, Marker.Kind.TYPE_UINT32)));
    }

    /** {@code name = <hi lo ...>} with each 64-bit value written as two cells. */
    public static Property u64Cells(String name, long... values) {
        byte[] b = new byte[values.length * 8];
        for (int i = 0; i < values.length; i++) {
            putU32(b, i * 8, (int) (values[i] >>> 32));
            putU32(b, i * 8 + 4, (int) values[i]);
        }
        return new Property(name, b, List.of(), List.of(Marker.type(0, Marker.Kind.TYPE_UINT32)));
    }

    /** {@code name = "s0", "s1", ...} */
    public static Property strings(String name, String... strings) {
        return strings(name, List.of(strings));
    }

    public static Property strings(String name, List<String> strings) {
        var out = new java.io.ByteArrayOutputStream();
        List<Marker> marks = new ArrayList<>(strings.size());
        for (String s : strings) {
            marks.add(Marker.type(out.size(), Marker.Kind.TYPE_STRING));
            byte[] sb = s.getBytes(StandardCharsets.UTF_8);
            out.write(sb, 0, sb.length);
            out.write(0);
        }
        return new Property(name, out.toByteArray(), List.of(), marks);
    }

    /** {@code name = [bytes]} */
    public static Property bytes(String name, byte[] bytes) {
        return new Property(name, bytes.clone(), List.of(), List.of(Marker.type(0, Marker.Kind.TYPE_UINT8)));
    }

    // ---- accessors ------------------------------------------------------------------------

    public String name() {
        return name;
    }

    /** A copy of the value. */
    public byte[] value() {
        return value.clone();
    }

    /** The value itself, not to be modified: for writers and hot paths. */
    byte[] rawValue() {
        return value;
    }

    public int length() {
        return value.length;
    }

    public byte byteAt(int i) {
        return value[i];
    }

    public List<String> labels() {
        return labels;
    }

    public List<Marker> markers() {
        return markers;
    }

    public Property withLabels(List<String> newLabels) {
        return new Property(name, value, newLabels, markers);
    }

    public Property withName(String newName) {
        return new Property(newName, value, labels, markers);
    }

    public Property withValue(byte[] newValue, List<Marker> newMarkers) {
        return new Property(name, newValue.clone(), labels, newMarkers);
    }

    public boolean isEmpty() {
        return value.length == 0;
    }

    /** Number of whole 32-bit cells in the value. */
    public int cellCount() {
        return value.length / 4;
    }

    /** Cell {@code i} as an unsigned value. */
    public long cell(int i) {
        return getU32(value, i * 4) & 0xffffffffL;
    }

    /** All cells, unsigned; the value must be a multiple of 4 bytes. */
    public long[] cells() {
        if (value.length % 4 != 0) throw new IllegalStateException(name + " is not a list of cells");
        long[] out = new long[value.length / 4];
        for (int i = 0; i < out.length; i++) out[i] = cell(i);
        return out;
    }

    /** {@code count} cells starting at cell {@code index} read as one number (1 or 2 cells). */
    public long cellsAsLong(int index, int count) {
        long v = 0;
        for (int i = 0; i < count; i++) v = (v << 32) | cell(index + i);
        return v;
    }

    /** The first string of the value, without its NUL (lenient: the whole value if unterminated). */
    public String string() {
        int end = 0;
        while (end < value.length && value[end] != 0) end++;
        return new String(value, 0, end, StandardCharsets.UTF_8);
    }

    /** The NUL-separated strings of the value. */
    public List<String> stringList() {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length; i++) {
            if (value[i] == 0) {
                out.add(new String(value, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < value.length) out.add(new String(value, start, value.length - start, StandardCharsets.UTF_8));
        return out;
    }

    /** True if the value is one or more non-empty NUL-terminated printable strings. */
    public boolean isStringList() {
        if (value.length == 0 || value[value.length - 1] != 0) return false;
        int start = 0;
        for (int i = 0; i < value.length; i++) {
            int c = value[i] & 0xff;
            if (c == 0) {
                if (i == start) return false;
                start = i + 1;
            } else if (c < 0x20 || c >= 0x7f) {
                if (c != '\t' && c != '\n' && c != '\r') return false;
            }
        }
        return true;
    }

    // ---- byte helpers ---------------------------------------------------------------------

    static int getU32(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    static void putU32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Property p && p.name.equals(name) && Arrays.equals(p.value, value);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return name + " (" + value.length + " bytes)";
    }
}
