package org.xldt.dt;

import java.util.ArrayList;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;
import org.xldt.BadInputException;
import org.xldt.dt.DtsTokenSource.DtsToken;

/**
 * The values of DTS literals as dtc 1.6.1 computes them: strings and character literals with
 * C escapes (dtc's get_escape_char, including how strtol reads the digits of {@code \x} and
 * octal escapes), integer literals (strtoull with base 0 and U/L suffixes) and integer
 * expressions in unsigned 64-bit arithmetic. Text is read straight from the source (one char per
 * byte) without copying tokens.
 */
final class DtsValues {
    private DtsValues() {
    }

    // ---- escapes ------------------------------------------------------------------------------

    /**
     * The bytes of the escaped text {@code s[from, to)} followed by a NUL (dtc's
     * data_copy_escape_string). An escape may read on up to {@code end}, past which dtc's buffer
     * holds a NUL.
     */
    static byte[] unescape(String s, int from, int to, int end, LiveTree.Loc loc) {
        byte[] out = new byte[to - from + 1];
        int n = 0;
        int i = from;
        while (i < to) {
            char c = s.charAt(i++);
            if (c == '\\') {
                long r = escapeChar(s, i, end, loc);
                c = (char) (r & 0xff);
                i = (int) (r >>> 32);
            }
            out[n++] = (byte) c;
        }
        out[n++] = 0;
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    private static char at(String s, int i, int end) {
        return i < end ? s.charAt(i) : 0;
    }

    /** One escape after a backslash at {@code i}: (next index << 32) | byte. */
    private static long escapeChar(String s, int i, int end, LiveTree.Loc loc) {
        char c = at(s, i, end);
        int j = i + 1;
        int val;
        switch (c) {
            case 'a' -> val = 7;
            case 'b' -> val = 8;
            case 't' -> val = 9;
            case 'n' -> val = 10;
            case 'v' -> val = 11;
            case 'f' -> val = 12;
            case 'r' -> val = 13;
            case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                // strtol(x, 8) on the (up to) three characters from the first digit
                int k = i;
                int v = 0;
                while (k < i + 3 && at(s, k, end) >= '0' && at(s, k, end) <= '7') {
                    v = v * 8 + (at(s, k, end) - '0');
                    k++;
                }
                val = v;
                j = k;
            }
            case 'x' -> {
                long r = strtolHex2(s, i + 1, end);
                if (r < 0) throw new BadInputException(loc.toString(), "\\x used with no following hex digits");
                val = (int) (r & 0xff);
                j = i + 1 + (int) (r >>> 32);
            }
            default -> val = c;
        }
        return ((long) j << 32) | (val & 0xff);
    }

    /**
     * glibc's strtol(x, 16) on the two characters at {@code i} (fewer at the end): leading
     * white space, a sign and a "0x" prefix are allowed as strtol allows them. Returns
     * (characters used << 32) | (value & 0xff), or -1 if no digit was read.
     */
    private static long strtolHex2(String s, int i, int end) {
        int lim = Math.min(2, Math.max(0, end - i));
        char[] w = new char[lim];
        for (int k = 0; k < lim; k++) {
            w[k] = s.charAt(i + k);
            if (w[k] == 0) {
                lim = k;
                break;
            }
        }
        int p = 0;
        while (p < lim && isSpace(w[p])) p++;
        boolean neg = false;
        if (p < lim && (w[p] == '+' || w[p] == '-')) {
            neg = w[p] == '-';
            p++;
        }
        if (p + 1 < lim && w[p] == '0' && (w[p + 1] == 'x' || w[p + 1] == 'X')) {
            // "0x" and then no digit: the value 0, read up to the 'x'
            return ((long) (p + 1) << 32);
        }
        long v = 0;
        int start = p;
        while (p < lim && Character.digit(w[p], 16) >= 0 && w[p] < 128) {
            v = v * 16 + Character.digit(w[p], 16);
            p++;
        }
        if (p == start) return -1;
        if (neg) v = -v;
        return ((long) p << 32) | (v & 0xff);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }

    /** Text for a one-line message: control characters (line breaks above all) escaped. */
    static String printable(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029;
            if (control && b == null) b = new StringBuilder(s.substring(0, i));
            if (b != null) {
                if (control) b.append(String.format("\\x%02x", (int) c));
                else b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    // ---- literals -----------------------------------------------------------------------------

    /** A string token as a value: its bytes and NUL, typed as a string. */
    static LiveTree.Data string(DtsToken t) {
        byte[] b = t.bytes;
        LiveTree.Data d = new LiveTree.Data();
        d.addMark(Marker.Kind.TYPE_STRING, null, null);
        d.append(b, 0, b.length);
        return d;
    }

    /** The bytes of a string token without its NUL terminator(s): up to the first NUL. */
    static String stringAsCString(DtsToken t) {
        byte[] b = t.bytes;
        int n = 0;
        while (b[n] != 0) n++;
        return new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** A character literal: exactly one (escaped) character. */
    static long charLiteral(DtsToken t) {
        byte[] b = unescape(t.source.text, t.getStartIndex() + 1, t.getStopIndex(), t.getStopIndex() + 1, t.loc());
        int n = b.length - 1;
        if (n == 0) throw new BadInputException(t.loc().toString(), "empty character literal");
        if (n > 1) throw new BadInputException(t.loc().toString(), "character literal has " + n + " characters instead of 1");
        return b[0] & 0xff;
    }

    /** An integer literal as dtc's strtoull(text, &end, 0) reads it (unsigned 64 bits). */
    static long integerLiteral(DtsToken t) {
        String s = t.source.text;
        int i = t.getStartIndex();
        int stop = t.getStopIndex() + 1;
        while (stop > i && (s.charAt(stop - 1) == 'U' || s.charAt(stop - 1) == 'L')) stop--;
        int base = 10;
        if (s.charAt(i) == '0' && i + 1 < stop && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
            base = 16;
            i += 2;
        } else if (s.charAt(i) == '0') {
            base = 8;
        }
        long v = 0;
        for (; i < stop; i++) {
            int d = Character.digit(s.charAt(i), base);
            if (d < 0) throw new BadInputException(t.loc().toString(), "bad integer literal '" + t.getText() + "'");
            long hi = Math.multiplyHigh(v, base) + ((v >> 63) & base); // unsigned high part of v * base
            long lo = v * base;
            long sum = lo + d;
            if (hi != 0 || Long.compareUnsigned(sum, lo) < 0) {
                throw new BadInputException(t.loc().toString(), "integer literal '" + t.getText() + "' out of range");
            }
            v = sum;
        }
        return v;
    }

    // ---- expressions --------------------------------------------------------------------------

    /** The value of an integer_prim: literal, character literal or parenthesised expression. */
    static long intPrim(DtsParser.IntPrimContext prim) {
        if (prim.getChildCount() == 1) return ((DtsToken) prim.getStart()).number;
        return eval(prim);
    }

    /** The value of an expression. */
    static long expr(DtsParser.ExprContext e) {
        return eval(e);
    }

    private static long eval(ParseTree start) {
        // Iterative post-order evaluation: expressions can be long chains or deeply nested.
        ArrayList<ParseTree> nodes = new ArrayList<>();
        ArrayList<Integer> states = new ArrayList<>();
        long[] vals = new long[16];
        int nv = 0;
        nodes.add(start);
        states.add(0);
        while (!nodes.isEmpty()) {
            int top = nodes.size() - 1;
            ParseTree n = nodes.get(top);
            int st = states.get(top);
            if (n instanceof DtsParser.IntPrimContext p) {
                if (p.LITERAL() != null || p.CHAR_LITERAL() != null) {
                    DtsToken tok = (DtsToken) (p.LITERAL() != null ? p.LITERAL() : p.CHAR_LITERAL()).getSymbol();
                    long v = tok.number;
                    pop(nodes, states);
                    if (nv == vals.length) vals = java.util.Arrays.copyOf(vals, nv * 2);
                    vals[nv++] = v;
                } else if (st == 0) {
                    states.set(top, 1);
                    push(nodes, states, p.expr());
                } else {
                    pop(nodes, states);
                }
                continue;
            }
            ParserRuleContext ctx = (ParserRuleContext) n;
            int arity = ctx instanceof DtsParser.PrimExprContext ? 1
                    : ctx instanceof DtsParser.UnaryExprContext ? 1
                    : ctx instanceof DtsParser.BinaryExprContext ? 2 : 3;
            if (st < arity) {
                states.set(top, st + 1);
                push(nodes, states, operand(ctx, st));
                continue;
            }
            pop(nodes, states);
            if (ctx instanceof DtsParser.PrimExprContext) continue;
            if (ctx instanceof DtsParser.UnaryExprContext u) {
                long a = vals[nv - 1];
                vals[nv - 1] = switch (u.op.getType()) {
                    case DtsLexer.MINUS -> -a;
                    case DtsLexer.TILDE -> ~a;
                    default -> a == 0 ? 1 : 0;
                };
            } else if (ctx instanceof DtsParser.BinaryExprContext b) {
                long y = vals[--nv];
                long x = vals[nv - 1];
                vals[nv - 1] = binary(b, x, y);
            } else {
                long c = vals[--nv];
                long bb = vals[--nv];
                long a = vals[nv - 1];
                vals[nv - 1] = a != 0 ? bb : c;
            }
        }
        return vals[0];
    }

    private static ParseTree operand(ParserRuleContext ctx, int i) {
        if (ctx instanceof DtsParser.PrimExprContext p) return p.intPrim();
        if (ctx instanceof DtsParser.UnaryExprContext u) return u.expr();
        return ctx.getChild(ParserRuleContext.class, i);
    }

    private static void push(ArrayList<ParseTree> nodes, ArrayList<Integer> states, ParseTree n) {
        nodes.add(n);
        states.add(0);
    }

    private static void pop(ArrayList<ParseTree> nodes, ArrayList<Integer> states) {
        nodes.remove(nodes.size() - 1);
        states.remove(states.size() - 1);
    }

    private static long binary(DtsParser.BinaryExprContext b, long x, long y) {
        return switch (b.op.getType()) {
            case DtsLexer.STAR -> x * y;
            case DtsLexer.SLASH -> {
                if (y == 0) throw divisionByZero(b);
                yield Long.divideUnsigned(x, y);
            }
            case DtsLexer.PERCENT -> {
                if (y == 0) throw divisionByZero(b);
                yield Long.remainderUnsigned(x, y);
            }
            case DtsLexer.PLUS -> x + y;
            case DtsLexer.MINUS -> x - y;
            case DtsLexer.LSHIFT -> Long.compareUnsigned(y, 64) < 0 ? x << y : 0;
            case DtsLexer.RSHIFT -> Long.compareUnsigned(y, 64) < 0 ? x >>> y : 0;
            case DtsLexer.LT -> Long.compareUnsigned(x, y) < 0 ? 1 : 0;
            case DtsLexer.GT -> Long.compareUnsigned(x, y) > 0 ? 1 : 0;
            case DtsLexer.LE -> Long.compareUnsigned(x, y) <= 0 ? 1 : 0;
            case DtsLexer.GE -> Long.compareUnsigned(x, y) >= 0 ? 1 : 0;
            case DtsLexer.EQ -> x == y ? 1 : 0;
            case DtsLexer.NE -> x != y ? 1 : 0;
            case DtsLexer.AMP -> x & y;
            case DtsLexer.CARET -> x ^ y;
            case DtsLexer.PIPE -> x | y;
            case DtsLexer.AND -> x != 0 && y != 0 ? 1 : 0;
            case DtsLexer.OR -> x != 0 || y != 0 ? 1 : 0;
            default -> throw new IllegalStateException("operator " + b.op.getText());
        };
    }

    private static BadInputException divisionByZero(DtsParser.BinaryExprContext b) {
        return new BadInputException(((DtsToken) b.getStart()).loc().toString(), "division by zero");
    }

    /** The token of a terminal node. */
    static DtsToken token(TerminalNode n) {
        return (DtsToken) n.getSymbol();
    }
}
