package org.xldt.xlcfg;

import java.nio.charset.StandardCharsets;

/**
 * A scalar value: a quoted string after unescaping, or a number kept as written.
 *
 * @param text     the value, one char per byte (ISO-8859-1)
 * @param location where it starts
 */
public record XlString(String text, Location location) implements XlValue {
    /** The value decoded as UTF-8 (how most files are written); for display and paths. */
    public String utf8() {
        return new String(text.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
