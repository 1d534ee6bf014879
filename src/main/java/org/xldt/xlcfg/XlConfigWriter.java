package org.xldt.xlcfg;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.regex.Pattern;

/**
 * Writes a parsed configuration out: as the oracle's JSON (byte for byte what
 * {@code src/test/c/xlcfg-oracle.c} prints for the same file) or as xl.cfg text that reads back
 * to the same settings. Values are bytes (one char each) and are written as such. Deeply nested
 * lists are walked without recursion.
 */
public final class XlConfigWriter {
    private static final Pattern NUMBER = Pattern.compile("[0-9][0-9a-fx]*");

    private XlConfigWriter() {
    }

    /** {@code {"ok":true,"settings":{...}}} or {@code {"ok":false,"rc":22}}, with a newline. */
    public static byte[] json(ParseResult r) {
        return r.ok() ? json(r.config()) : jsonFailure(22);
    }

    /** The oracle's success object for a configuration. */
    public static byte[] json(XlConfig c) {
        StringBuilder sb = new StringBuilder("{\"ok\":true,\"settings\":{");
        boolean first = true;
        for (Setting s : c.effective()) {
            if (!first) sb.append(',');
            first = false;
            jsonString(sb, s.name());
            sb.append(':');
            walk(sb, s.value(), true);
        }
        sb.append("}}\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The oracle's failure object: {@code rc} is libxlutil's errno (22 for a parse error). */
    public static byte[] jsonFailure(int rc) {
        return ("{\"ok\":false,\"rc\":" + rc + "}\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The settings as xl.cfg text, one statement per line, in libxlutil's order. */
    public static byte[] text(XlConfig c) {
        StringBuilder sb = new StringBuilder();
        for (Setting s : c.effective()) {
            sb.append(s.name()).append(" = ");
            walk(sb, s.value(), false);
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Appends a value, depth-first, without recursion. */
    private static void walk(StringBuilder sb, XlValue root, boolean json) {
        Deque<Iterator<XlValue>> stack = new ArrayDeque<>();
        XlValue v = root;
        while (true) {
            if (v != null) {
                if (v instanceof XlString s) {
                    if (json) jsonString(sb, s.text());
                    else cfgString(sb, s.text());
                } else {
                    sb.append('[');
                    stack.push(((XlList) v).items().iterator());
                }
            }
            // find the next value to write
            v = null;
            while (!stack.isEmpty()) {
                Iterator<XlValue> it = stack.peek();
                if (it.hasNext()) {
                    if (sb.charAt(sb.length() - 1) != '[') sb.append(json ? "," : ", ");
                    v = it.next();
                    break;
                }
                stack.pop();
                sb.append(']');
            }
            if (v == null) return;
        }
    }

    /** The oracle's escaping: '"' and '\' with a backslash, control bytes and DEL as \\u00XX. */
    static void jsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20 || c == 0x7f) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        sb.append('"');
    }

    /** An xl.cfg literal for a value: a bare number when it reads as one, else a quoted string. */
    static void cfgString(StringBuilder sb, String s) {
        if (NUMBER.matcher(s).matches()) {
            sb.append(s);
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\u0007' -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\u000b' -> sb.append("\\v");
                default -> sb.append(c); // other bytes are legal inside quotes as they are
            }
        }
        sb.append('"');
    }

}
