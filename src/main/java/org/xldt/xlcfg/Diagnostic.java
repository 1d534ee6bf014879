package org.xldt.xlcfg;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One error or warning about an input, at a location. {@link #render(boolean)} gives
 * {@code FILE:LINE:COL: error|warning: MESSAGE}, optionally the source line with a caret under
 * the column (for terminals), then one {@code hint: ...} line per hint.
 *
 * @param severity error or warning
 * @param location where (file, line, byte column)
 * @param message  what is wrong, one line
 * @param hints    how to fix it (may be empty)
 * @param line     the source line for the caret display, one char per byte (may be null)
 * @param length   how many bytes the problem spans on that line (at least 1)
 */
public record Diagnostic(Severity severity, Location location, String message, List<String> hints, String line, int length) {
    public Diagnostic {
        hints = List.copyOf(hints);
        if (length < 1) length = 1;
    }

    public static Diagnostic error(Location location, String message, String... hints) {
        return new Diagnostic(Severity.ERROR, location, message, List.of(hints), null, 1);
    }

    public static Diagnostic warning(Location location, String message, String... hints) {
        return new Diagnostic(Severity.WARNING, location, message, List.of(hints), null, 1);
    }

    /** A diagnostic at a span of a source, with its line kept for the caret display. */
    public static Diagnostic at(Severity severity, XlSource source, int offset, int length, String message, String... hints) {
        return new Diagnostic(severity, source.locate(offset), message, List.of(hints), source.lineText(offset), length);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** The first line: {@code LOCATION: error: MESSAGE}. */
    public String headline() {
        return location + ": " + severity.label() + ": " + message;
    }

    /** Headline, caret lines when {@code caret} and the source line is known, then hints. */
    public String render(boolean caret) {
        StringBuilder sb = new StringBuilder(headline());
        if (caret && line != null) {
            String shown = display(line);
            int col = location.column() - 1;
            String before = display(line.substring(0, Math.min(col, line.length())));
            int width = Math.max(1, Math.min(length, Math.max(1, line.length() - col)));
            String under = col < line.length() ? display(line.substring(col, Math.min(line.length(), col + width))) : " ";
            sb.append('\n').append("    ").append(shown);
            sb.append('\n').append("    ").append(pad(before)).append('^').append("~".repeat(Math.max(0, under.length() - 1)));
        }
        for (String h : hints) sb.append('\n').append("  hint: ").append(h);
        return sb.toString();
    }

    /** Bytes (one char each) decoded as UTF-8 for display; tabs and control bytes made visible. */
    private static String display(String latin1) {
        String s = new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\t') sb.append(' ');
            else if (c < 0x20 || c == 0x7f) sb.append('?');
            else sb.append(c);
        }
        return sb.toString();
    }

    private static String pad(String before) {
        return " ".repeat(before.codePointCount(0, before.length()));
    }
}
