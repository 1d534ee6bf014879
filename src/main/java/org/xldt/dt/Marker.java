package org.xldt.dt;

import java.util.Arrays;
import java.util.List;

/**
 * A mark at a byte offset inside a property value, as dtc keeps them: where a typed run of
 * data starts (so DTS output can show {@code <...>}, {@code [...]}, strings or {@code /bits/}
 * as written), where a label inside a value sits, or where a reference was written.
 * Values read from a DTB have no markers; the DTS writer then guesses as dtc does.
 *
 * @param offset byte offset in the value
 * @param kind   what starts here
 * @param ref    label name for {@link Kind#LABEL}, target for references, else {@code null}
 */
public record Marker(int offset, Kind kind, String ref) {
    public enum Kind {
        /** A run without type information (dtc's TYPE_NONE, written by {@code /incbin/}). */
        TYPE_NONE,
        /** A phandle cell that referred to {@code ref} (a label or {@code {/path}}). */
        REF_PHANDLE,
        /** A path string that referred to {@code ref}. */
        REF_PATH,
        /** A label placed inside the value. */
        LABEL,
        TYPE_UINT8,
        TYPE_UINT16,
        TYPE_UINT32,
        TYPE_UINT64,
        TYPE_STRING;

        public boolean isType() {
            return ordinal() >= TYPE_UINT8.ordinal();
        }

        /** Whether this kind starts a run of data (a type, or {@link #TYPE_NONE}) and so carries no {@code ref}. */
        public boolean startsRun() {
            return this == TYPE_NONE || isType();
        }

        /** Element width in bytes for the integer types. */
        public int width() {
            return switch (this) {
                case TYPE_UINT8 -> 1;
                case TYPE_UINT16 -> 2;
                case TYPE_UINT32 -> 4;
                case TYPE_UINT64 -> 8;
                default -> 0;
            };
        }
    }

    public Marker {
        if (offset < 0) throw new IllegalArgumentException("negative marker offset");
        if (kind == null) throw new IllegalArgumentException("marker kind");
    }

    public static Marker type(int offset, Kind kind) {
        return new Marker(offset, kind, null);
    }

    private static final List<List<Marker>> WHOLE = Arrays.stream(Kind.values())
            .map(k -> List.of(type(0, k))).toList();

    /**
     * The markers of a value that is one run of {@code kind} from its start, and nothing else
     * (most values written in DTS): one shared immutable list per kind.
     */
    public static List<Marker> whole(Kind kind) {
        return WHOLE.get(kind.ordinal());
    }
}
