package org.xldt.dt;

/**
 * One diagnostic of a {@link Check}, printed exactly as dtc prints it:
 * {@code Warning (unit_address_vs_reg): /soc/serial@1000: node has a unit name, but no reg or ranges property}
 * or, for a property, {@code Warning (reg_format): /soc/serial@1000:reg: property has invalid length ...}.
 *
 * @param check    the check's name
 * @param level    {@link Check.Level#ERROR} or {@link Check.Level#WARNING} (as enabled)
 * @param path     the node's full path, or null for a message about the check itself
 *                 ({@code Failed prerequisite 'addr_size_cells'})
 * @param property the property's name when the finding is about one property, else null
 * @param message  the text (dtc's wording for dtc's checks)
 */
public record Finding(String check, Check.Level level, String path, String property, String message) {

    public Finding {
        if (check == null || level == null || message == null) throw new IllegalArgumentException("finding");
    }

    /** A finding about a node as a whole. */
    public Finding(String check, Check.Level level, String path, String message) {
        this(check, level, path, null, message);
    }

    /** dtc's line without the file prefix: {@code Warning (name): /path[:prop]: message}. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(level.label()).append(" (").append(check).append("): ");
        if (path != null) {
            sb.append(path);
            if (property != null) sb.append(':').append(property);
            sb.append(": ");
        }
        return sb.append(message).toString();
    }

    /** dtc's line with a file prefix: {@code FILE: Warning (name): ...}; no prefix when null. */
    public String render(String file) {
        return file == null ? render() : file + ": " + render();
    }

    @Override
    public String toString() {
        return render();
    }
}
