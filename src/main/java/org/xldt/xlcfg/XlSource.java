package org.xldt.xlcfg;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The text xl parses: a configuration file's bytes, followed (as {@code xl create FILE
 * key=value ...} does) by one statement per command-line argument. xl appends
 * {@code "\n" + "k=v\n" + ... + "\n"} to the file's contents when there is at least one such
 * argument, and parses the whole buffer at once; {@link #bytes()} is that buffer, so the same
 * bytes can be given to libxlutil to compare.
 *
 * <p>The text is kept one char per byte (ISO-8859-1), so that any file, UTF-8 or not, is read
 * and written back byte for byte. Locations are computed per part: positions in the file part
 * (including the separating newline) report the file name, positions in an argument report
 * {@code <command line: ARG>} with line 1.
 */
public final class XlSource {
    private final String name;
    private final String text;
    private final List<String> arguments;
    private final int[] argumentStarts;
    private final int fileEnd;
    private final int[] lineStarts;

    private XlSource(String name, byte[] file, List<String> arguments) {
        this.name = name;
        this.arguments = List.copyOf(arguments);
        StringBuilder sb = new StringBuilder(new String(file, StandardCharsets.ISO_8859_1));
        this.argumentStarts = new int[arguments.size()];
        if (!arguments.isEmpty()) {
            sb.append('\n');
            for (int i = 0; i < arguments.size(); i++) {
                argumentStarts[i] = sb.length();
                sb.append(new String(arguments.get(i).getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
                sb.append('\n');
            }
            sb.append('\n');
        }
        this.text = sb.toString();
        this.fileEnd = arguments.isEmpty() ? text.length() : argumentStarts[0];
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < fileEnd; i++) {
            if (text.charAt(i) == '\n') starts.add(i + 1);
        }
        this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A file's bytes. */
    public static XlSource of(String name, byte[] file) {
        return new XlSource(name, file, List.of());
    }

    /** A file's bytes plus xl-style {@code key=value} statements appended after it. */
    public static XlSource of(String name, byte[] file, List<String> arguments) {
        return new XlSource(name, file, arguments);
    }

    /** Convenience for tests and callers holding text: the string is encoded as UTF-8. */
    public static XlSource ofString(String name, String text) {
        return new XlSource(name, text.getBytes(StandardCharsets.UTF_8), List.of());
    }

    public String name() {
        return name;
    }

    /** The whole buffer, one char per byte. */
    public String text() {
        return text;
    }

    /** The whole buffer as bytes: exactly what xl hands to libxlutil. */
    public byte[] bytes() {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    public List<String> arguments() {
        return arguments;
    }

    /** The location of a char offset in {@link #text()} (an offset at the end is allowed). */
    public Location locate(int offset) {
        if (offset < 0) offset = 0;
        if (offset > text.length()) offset = text.length();
        if (offset >= fileEnd && !arguments.isEmpty()) {
            int i = arguments.size() - 1;
            while (i > 0 && argumentStarts[i] > offset) i--;
            return new Location("<command line: " + arguments.get(i) + ">", 1, offset - argumentStarts[i] + 1);
        }
        int line = lineIndex(offset);
        return new Location(name, line + 1, offset - lineStarts[line] + 1);
    }

    /**
     * The text of the line holding {@code offset}, without its newline, for a caret display;
     * null for a line longer than {@link #MAX_SHOWN_LINE}.
     */
    public String lineText(int offset) {
        if (offset < 0) offset = 0;
        if (offset > text.length()) offset = text.length();
        int start;
        if (offset >= fileEnd && !arguments.isEmpty()) {
            int i = arguments.size() - 1;
            while (i > 0 && argumentStarts[i] > offset) i--;
            start = argumentStarts[i];
        } else {
            start = lineStarts[lineIndex(offset)];
        }
        int end = text.indexOf('\n', start);
        if (end < 0) end = text.length();
        return end - start > MAX_SHOWN_LINE ? null : text.substring(start, end);
    }

    /** Lines longer than this are not copied into diagnostics (no caret display for them). */
    public static final int MAX_SHOWN_LINE = 1000;

    /** The text of the line a location refers to (null when it is not in this source). */
    public String lineText(Location loc) {
        if (loc.source().equals(name) && loc.line() >= 1 && loc.line() <= lineStarts.length) {
            return lineText(lineStarts[loc.line() - 1]);
        }
        for (int i = 0; i < arguments.size(); i++) {
            if (loc.source().equals("<command line: " + arguments.get(i) + ">")) return lineText(argumentStarts[i]);
        }
        return null;
    }

    /**
     * The offset in {@link #text()} a location refers to (for sorting diagnostics); locations
     * of other sources sort last.
     */
    public int offsetOf(Location loc) {
        if (loc.source().equals(name) && loc.line() >= 1 && loc.line() <= lineStarts.length) {
            return lineStarts[loc.line() - 1] + loc.column() - 1;
        }
        for (int i = 0; i < arguments.size(); i++) {
            if (loc.source().equals("<command line: " + arguments.get(i) + ">")) return argumentStarts[i] + loc.column() - 1;
        }
        return Integer.MAX_VALUE;
    }

    /** Offset of the start of the line holding {@code offset}. */
    public int lineStart(int offset) {
        if (offset >= fileEnd && !arguments.isEmpty()) {
            int i = arguments.size() - 1;
            while (i > 0 && argumentStarts[i] > offset) i--;
            return argumentStarts[i];
        }
        return lineStarts[lineIndex(Math.max(0, Math.min(offset, text.length())))];
    }

    private int lineIndex(int offset) {
        int lo = 0;
        int hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }
}
