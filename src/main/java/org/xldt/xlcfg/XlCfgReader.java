package org.xldt.xlcfg;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;
import org.xldt.LargeStack;

/**
 * Reads xl.cfg text the way Xen 4.17's libxlutil does ({@code xlu_cfg_readfile}/{@code
 * _readdata}), with the grammar in {@code grammar/XlCfgLexer.g4} and {@code grammar/XlCfg.g4}.
 * A file is accepted exactly when libxlutil accepts it, and then yields the same settings.
 * Beyond libxlutil, every problem is reported with line and column, the reader goes on after
 * each error (it resynchronises at the next line, as libxlutil's {@code error NEWLINE} rule
 * does) and gives hints.
 *
 * <p>libxlutil facts reproduced here besides the grammar: lexical errors (reported once per
 * error run); string escapes ({@link XlStrings}); {@code +=} concatenation and its type check;
 * the parser stack limit of bison (10000 entries, reached by lists nested about 5000 deep); a
 * lone error character at the very end of the input is ignored; the Python warning.
 */
public final class XlCfgReader {
    /** bison's YYMAXDEPTH in libxlutil's generated parser. */
    public static final int BISON_STACK_LIMIT = 10000;
    /** Lists nested this deep can never fit bison's stack (two entries per level at least). */
    static final int HOPELESS_NESTING = (BISON_STACK_LIMIT - 6) / 2 + 1;
    /** Above this nesting, parsing runs on a thread with a large stack. */
    static final int DEEP_NESTING = 200;

    private final XlSource src;
    private final List<Diagnostic> diags = new ArrayList<>();
    private final List<Integer> diagOffsets = new ArrayList<>();
    private final List<Setting> settings = new ArrayList<>();
    private final Map<String, Setting> last = new HashMap<>();
    private final Map<Integer, String> strings = new HashMap<>();
    private final List<int[]> lexicalErrorSpans = new ArrayList<>();
    private int pythonOffset = -1;
    private Token deepToken;

    private XlCfgReader(XlSource src) {
        this.src = src;
    }

    /** Parses a source; never throws for bad input. */
    public static ParseResult read(XlSource src) {
        return new XlCfgReader(src).run();
    }

    /** Parses a file's bytes. */
    public static ParseResult read(String name, byte[] bytes) {
        return read(XlSource.of(name, bytes));
    }

    private ParseResult run() {
        XlCfgLexer lexer = new XlCfgLexer(CharStreams.fromString(src.text(), src.name()));
        lexer.removeErrorListeners();
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        int deepest = scanTokens(tokens.getTokens());
        if (deepest > DEEP_NESTING) {
            // deeply nested lists recurse
            LargeStack.call(() -> {
                parseStatements(tokens);
                return null;
            });
        } else {
            parseStatements(tokens);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < diags.size(); i++) order.add(i);
        order.sort((a, b) -> Integer.compare(diagOffsets.get(a), diagOffsets.get(b)));
        List<Diagnostic> sorted = new ArrayList<>();
        for (int i : order) sorted.add(diags.get(i));
        if (pythonOffset >= 0 && diags.stream().anyMatch(Diagnostic::isError)) {
            sorted.add(Diagnostic.at(Severity.WARNING, src, pythonOffset, 1, "config file looks like it contains Python code",
                    "arbitrary Python is no longer supported; see https://wiki.xen.org/wiki/PythonInXlConfig"));
        }
        return new ParseResult(new XlConfig(src, settings), sorted);
    }

    // ---- tokens: lexical errors, strings, nesting depth ------------------------------

    /** Reports lexical problems and string escapes; returns the deepest bracket nesting. */
    private int scanTokens(List<Token> all) {
        int depth = 0;
        int deepest = 0;
        for (Token t : all) {
            if (t.getChannel() == XlCfgLexer.ERRORS) {
                lexicalError(t);
                continue;
            }
            switch (t.getType()) {
                case XlCfgLexer.NEWLINE -> {
                    char c = src.text().charAt(t.getStartIndex());
                    if (c != '\n' && c != '#') lexicalError(t);
                }
                case XlCfgLexer.STRING -> checkString(t);
                case XlCfgLexer.LBRACK -> deepest = Math.max(deepest, ++depth);
                case XlCfgLexer.RBRACK -> depth = Math.max(0, depth - 1);
                case Token.EOF -> {
                    if (t.getStartIndex() >= 0 && t.getStartIndex() <= t.getStopIndex() && t.getStopIndex() < src.text().length()) {
                        String text = src.text().substring(t.getStartIndex(), t.getStopIndex() + 1);
                        report(at(Severity.WARNING, t.getStartIndex(), text.length(),
                                "stray " + describeChar(text.charAt(0)) + " at the very end of the input is ignored",
                                "libxlutil silently drops an unexpected last character; remove it"));
                    }
                }
                default -> {
                }
            }
        }
        return deepest;
    }

    private void report(Diagnostic d) {
        diags.add(d);
        diagOffsets.add(lastOffset);
    }

    private int lastOffset;

    private Diagnostic at(Severity sev, int offset, int length, String message, String... hints) {
        lastOffset = offset;
        return Diagnostic.at(sev, src, offset, length, message, hints);
    }

    private void checkString(Token t) {
        XlStrings.Result r = XlStrings.dequote(t.getText());
        for (XlStrings.Problem p : r.problems()) {
            report(at(p.error() ? Severity.ERROR : Severity.WARNING, t.getStartIndex() + p.offset(), p.length(),
                    p.message(), p.hint()));
            if (p.error()) lexicalErrorSpans.add(new int[] {t.getStartIndex(), t.getStopIndex() + 1});
        }
        if (r.value() != null) strings.put(t.getTokenIndex(), r.value());
    }

    private void lexicalError(Token t) {
        int start = t.getStartIndex();
        String text = src.text().substring(start, t.getStopIndex() + 1);
        if (text.endsWith("\n")) text = text.substring(0, text.length() - 1);
        String shown = text.stripTrailing();
        if (shown.isEmpty()) shown = text;
        lexicalErrorSpans.add(new int[] {start, t.getStopIndex() + 1});
        char first = text.isEmpty() ? '\n' : text.charAt(0);
        if ("+-.():".indexOf(first) >= 0 && pythonOffset < 0) pythonOffset = start;
        String[] mh = explainLexical(first, start, shown);
        String[] hints = new String[mh.length - 1];
        System.arraycopy(mh, 1, hints, 0, hints.length);
        report(at(Severity.ERROR, start, Math.max(1, shown.length()), mh[0], hints));
    }

    /** Message then hints for a lexical error starting with {@code first}. */
    private String[] explainLexical(char first, int start, String text) {
        char prev = start > 0 ? src.text().charAt(start - 1) : '\n';
        boolean inWord = isWordChar(prev);
        switch (first) {
            case '"', '\'':
                return new String[] {"unterminated string " + quoteShort(text),
                    "a string ends on the line where it starts, with the same quote (" + first + ") it starts with"};
            case '\r':
                return new String[] {"carriage return in the file (CR-LF line ends)",
                    "libxlutil accepts LF line ends only; convert the file, e.g. with dos2unix"};
            case '#':
                return new String[] {"comment without a newline at the end of the file",
                    "libxlutil needs a newline after a comment; end the file with a newline"};
            case ':':
                return new String[] {"':' is not an assignment", "write name = value"};
            case '(', ')':
                return new String[] {"'" + first + "' is not xl.cfg syntax",
                    "lists are written [ a, b ]; text values are quoted"};
            case '{', '}':
                return new String[] {"'" + first + "' is not xl.cfg syntax", "lists are written [ a, b ]"};
            case '+':
                return new String[] {"'+' is not an operator in xl.cfg",
                    "to append to a setting write a separate statement: name += value"};
            case '-':
                return new String[] {"'-' cannot start a value", "numbers are unsigned; quote other values, e.g. \"-1\""};
            case '.':
                return new String[] {"'.' cannot start a value", "quote the value, e.g. \"0.5\""};
            case '\0':
                return new String[] {"NUL byte in the file", "xl.cfg files are text"};
            default:
                break;
        }
        if (first >= 'A' && first <= 'Z') {
            String word = wordAround(start);
            if (inWord && Character.isDigit(word.charAt(0))) {
                return new String[] {"upper-case letter in the number " + quoteShort(word),
                    "numbers use lower case only (0x1f, not 0X1F); quote other values"};
            }
            switch (word) {
                case "True":
                    return new String[] {"'True' is Python, not xl.cfg", "write 1"};
                case "False":
                    return new String[] {"'False' is Python, not xl.cfg", "write 0"};
                case "None":
                    return new String[] {"'None' is Python, not xl.cfg", "leave the setting out"};
                default:
                    break;
            }
            return new String[] {"upper-case letter in the name " + quoteShort(word),
                "names are lower case: did you mean '" + word.toLowerCase(Locale.ROOT) + "'?"};
        }
        if (first == '_') {
            return new String[] {"a name must start with a lower-case letter, not '_'"};
        }
        if (first >= 0x80) {
            return new String[] {String.format("unexpected byte 0x%02x outside quotes", (int) first),
                "non-ASCII text must be inside a quoted string"};
        }
        return new String[] {"unexpected " + describeChar(first)};
    }

    private String wordAround(int offset) {
        String t = src.text();
        int a = offset;
        while (a > 0 && isWordChar(t.charAt(a - 1))) a--;
        int b = offset;
        while (b < t.length() && isWordChar(t.charAt(b))) b++;
        return t.substring(a, b);
    }

    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    }

    static String describeChar(char c) {
        if (c == '\n') return "end of line";
        if (c >= 0x20 && c < 0x7f) return "'" + c + "'";
        return String.format("byte 0x%02x", (int) c);
    }

    private static String quoteShort(String s) {
        String t = s.length() > 40 ? s.substring(0, 37) + "..." : s;
        StringBuilder sb = new StringBuilder("'");
        for (char c : t.toCharArray()) sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        return sb.append('\'').toString();
    }

    // ---- statements -----------------------------------------------------------------

    private void parseStatements(CommonTokenStream tokens) {
        XlCfg parser = new XlCfg(tokens);
        parser.removeErrorListeners();
        parser.setErrorHandler(new BailErrorStrategy());
        tokens.seek(0);
        while (tokens.LA(1) != Token.EOF) {
            int start = tokens.index();
            int skipTo = tooDeep(tokens, start);
            if (skipTo >= 0) {
                tokens.seek(skipTo);
                continue;
            }
            try {
                XlCfg.StatementContext st = parser.statement();
                if (st.assignment() != null) store(st.assignment());
            } catch (ParseCancellationException e) {
                RecognitionException re = e.getCause() instanceof RecognitionException r ? r : null;
                Token off = re != null && re.getOffendingToken() != null ? re.getOffendingToken() : tokens.LT(1);
                syntaxError(tokens, start, off);
                int next = resync(tokens, start, off.getTokenIndex());
                parser.reset();
                tokens.seek(next);
            }
        }
    }

    /**
     * When the statement starting at {@code start} nests lists so deep that bison's stack must
     * overflow, reports it and returns where to continue; else -1. This also keeps the
     * recursive-descent parser's own stack bounded.
     */
    private int tooDeep(CommonTokenStream tokens, int start) {
        int depth = 0;
        Token deep = null;
        for (int i = start;; i++) {
            Token t = tokens.get(i);
            if (t.getType() == Token.EOF) {
                if (deep == null) return -1;
                deepError(deep);
                return i;
            }
            if (t.getChannel() != Token.DEFAULT_CHANNEL) continue;
            int type = t.getType();
            if (type == XlCfgLexer.LBRACK && ++depth >= HOPELESS_NESTING && deep == null) deep = t;
            if (type == XlCfgLexer.RBRACK) depth = Math.max(0, depth - 1);
            if ((type == XlCfgLexer.NEWLINE || type == XlCfgLexer.SEMI) && depth == 0) {
                if (deep == null) return -1;
                deepError(deep);
                return i + 1;
            }
        }
    }

    private void deepError(Token at) {
        report(at(Severity.ERROR, at.getStartIndex(), 1, "lists nested too deeply",
                "libxlutil's parser stack holds " + BISON_STACK_LIMIT + " entries, about 5000 levels of nested lists"));
    }

    private void store(XlCfg.AssignmentContext a) {
        Token nameTok = a.IDENT().getSymbol();
        String name = nameTok.getText();
        deepToken = null;
        int height = height(a.value(), 4);
        if (height >= BISON_STACK_LIMIT) {
            deepError(deepToken != null ? deepToken : a.value().getStart());
            return;
        }
        XlValue v = convert(a.value());
        if (v == null) return; // a bad string, already reported
        Setting.Op op = a.op.getType() == XlCfgLexer.ADD ? Setting.Op.ADD : Setting.Op.ASSIGN;
        if (op == Setting.Op.ADD) {
            Setting prev = last.get(name);
            if (prev != null) {
                v = concat(prev, v, a.value().getStart());
                if (v == null) return;
            }
        }
        Setting s = new Setting(name, op, v, src.locate(nameTok.getStartIndex()));
        settings.add(s);
        last.put(name, s);
    }

    private XlValue concat(Setting prev, XlValue add, Token at) {
        if (prev.value() instanceof XlString p && add instanceof XlString q) {
            return new XlString(p.text() + q.text(), q.location());
        }
        if (prev.value() instanceof XlList p && add instanceof XlList q) {
            List<XlValue> items = new ArrayList<>(p.items());
            items.addAll(q.items());
            return new XlList(items, q.location());
        }
        String was = prev.value() instanceof XlList ? "a list" : "a string";
        report(at(Severity.ERROR, at.getStartIndex(), Math.max(1, at.getText().length()),
                "can't add [list] to \"string\" or vice versa",
                "'" + prev.name() + "' is " + was + " (" + prev.location() + "); += appends a string to a string or a list to a list"));
        return null;
    }

    /** The value as libxlutil stores it, or null when a string in it could not be unescaped. */
    private XlValue convert(XlCfg.ValueContext v) {
        Token first = v.getStart();
        Location loc = src.locate(first.getStartIndex());
        if (v.atom() != null) {
            Token t = v.atom().getStart();
            if (t.getType() == XlCfgLexer.NUMBER) return new XlString(t.getText(), loc);
            String s = strings.get(t.getTokenIndex());
            return s == null ? null : new XlString(s, loc);
        }
        List<XlValue> items = new ArrayList<>();
        boolean bad = false;
        for (XlCfg.ValueContext item : v.list().value()) {
            XlValue x = convert(item);
            if (x == null) bad = true;
            else items.add(x);
        }
        return bad ? null : new XlList(items, loc);
    }

    /**
     * The highest bison parser-stack height reached while parsing {@code v}, given the height
     * {@code h} before its first token, following libxlutil's grammar rules one push at a time
     * (see the rules in XlCfg.g4). At the top level h is 4: the initial state, {@code stmts},
     * the name and the operator.
     */
    private int height(XlCfg.ValueContext v, int h) {
        if (v.atom() != null) return note(h + 1, v.getStart());
        XlCfg.ListContext l = v.list();
        int max = note(h + 2, l.LBRACK().getSymbol()); // '[' at h+1, nlok at h+2
        int nlok = h + 2;
        int n = 0;
        for (ParseTree c : l.children.subList(1, l.children.size())) {
            if (c instanceof TerminalNode t) {
                switch (t.getSymbol().getType()) {
                    case XlCfgLexer.NEWLINE -> max = Math.max(max, note(nlok + 1, t.getSymbol()));
                    case XlCfgLexer.COMMA -> {
                        nlok = h + 5; // ',' at h+4, nlok at h+5
                        max = Math.max(max, note(h + 5, t.getSymbol()));
                    }
                    default -> max = Math.max(max, note(h + 4, t.getSymbol())); // valuelist h+3, ']' h+4
                }
            } else if (c instanceof XlCfg.ValueContext item) {
                if (n++ == 0) {
                    max = Math.max(max, height(item, h + 2));
                    nlok = h + 4; // value at h+3, nlok at h+4
                } else {
                    max = Math.max(max, height(item, h + 5));
                    nlok = h + 7; // value at h+6, nlok at h+7
                }
                max = Math.max(max, note(nlok, item.getStop()));
            }
        }
        return max;
    }

    private int note(int height, Token at) {
        if (height >= BISON_STACK_LIMIT && deepToken == null) deepToken = at;
        return height;
    }

    // ---- syntax errors --------------------------------------------------------------

    private static final Set<String> PYTHON_WORDS = Set.of("import", "from", "def", "class", "if", "elif", "else", "for",
            "while", "print", "return", "with", "try", "except", "lambda", "global", "pass");

    private void syntaxError(CommonTokenStream tokens, int stmtStart, Token off) {
        int offStart = off.getType() == Token.EOF ? src.text().length() : off.getStartIndex();
        int stmtOffset = Math.max(0, tokens.get(stmtStart).getStartIndex());
        Token first = tokens.get(stmtStart);
        boolean python = first.getType() == XlCfgLexer.IDENT && PYTHON_WORDS.contains(first.getText());
        if (python && pythonOffset < 0) pythonOffset = first.getStartIndex();
        // libxlutil reports nothing more on a line that already had a lexical error; xldt does
        // not repeat itself for a statement that holds one either.
        if (lexicalErrorIn(Math.min(stmtOffset, src.lineStart(offStart)), offStart)) return;
        String found = describe(off);
        // What was expected follows from the tokens before the offending one in this statement.
        int depth = 0;
        Token prev = null;
        for (int i = stmtStart; i < off.getTokenIndex(); i++) {
            Token t = tokens.get(i);
            if (t.getChannel() != Token.DEFAULT_CHANNEL) continue;
            if (t.getType() == XlCfgLexer.LBRACK) depth++;
            if (t.getType() == XlCfgLexer.RBRACK) depth = Math.max(0, depth - 1);
            if (t.getType() != XlCfgLexer.NEWLINE || depth == 0) prev = t;
        }
        int prevType = prev == null ? -1 : prev.getType();
        int offType = off.getType();
        boolean valueStart = offType == XlCfgLexer.STRING || offType == XlCfgLexer.NUMBER || offType == XlCfgLexer.LBRACK;
        List<String> hints = new ArrayList<>();
        String msg;
        if (prev == null) {
            msg = "expected a setting name, found " + found;
            if (offType == XlCfgLexer.ASSIGN || offType == XlCfgLexer.ADD) hints.add("the name before '" + off.getText() + "' is missing");
            else if (valueStart) hints.add("a statement is: name = value");
        } else if (prevType == XlCfgLexer.IDENT) {
            msg = "expected '=' or '+=' after the name '" + prev.getText() + "', found " + found;
            if (offType == XlCfgLexer.NEWLINE || offType == Token.EOF) hints.add("every setting needs a value: " + prev.getText() + " = VALUE");
        } else if (prevType == XlCfgLexer.ASSIGN || prevType == XlCfgLexer.ADD) {
            msg = "expected a value (a string, a number or a list), found " + found;
            if (offType == XlCfgLexer.IDENT) hints.add("quote text values: \"" + off.getText() + "\"");
            if (offType == XlCfgLexer.NEWLINE) hints.add("the value must start on the same line as the '" + prev.getText() + "'");
        } else if (prevType == XlCfgLexer.LBRACK || prevType == XlCfgLexer.COMMA) {
            msg = "expected a list item or ']', found " + found;
            if (offType == XlCfgLexer.COMMA) hints.add("list items cannot be empty; a list may end with one comma");
            else if (offType == XlCfgLexer.IDENT) hints.add("quote text values: \"" + off.getText() + "\"");
            else if (offType == XlCfgLexer.SEMI || offType == Token.EOF) hints.add("the list is not closed with ']'");
        } else if (depth > 0) {
            msg = "expected ',' or ']' in the list, found " + found;
            if (valueStart) hints.add("separate list items with commas");
            else if (offType == XlCfgLexer.SEMI || offType == Token.EOF || offType == XlCfgLexer.IDENT) hints.add("the list is not closed with ']'");
        } else {
            msg = "expected the end of the statement (a newline or ';'), found " + found;
            if (offType == XlCfgLexer.IDENT) hints.add("put each setting on its own line, or separate settings with ';'");
            else if (offType == XlCfgLexer.STRING || offType == XlCfgLexer.NUMBER) hints.add("a value is one string, number or list; quote values containing spaces");
            else if (offType == XlCfgLexer.COMMA) hints.add("several values make a list: [ a, b ]");
        }
        if (python) hints.add("this looks like Python, which xl.cfg no longer supports (https://wiki.xen.org/wiki/PythonInXlConfig)");
        int len = off.getType() == Token.EOF ? 1 : Math.max(1, off.getStopIndex() - off.getStartIndex() + 1);
        if (off.getType() == XlCfgLexer.NEWLINE) len = 1;
        report(at(Severity.ERROR, offStart, len, msg, hints.toArray(new String[0])));
    }

    /** Whether a lexical error starts in [from, to]; spans are recorded in offset order. */
    private boolean lexicalErrorIn(int from, int to) {
        int lo = 0;
        int hi = lexicalErrorSpans.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (lexicalErrorSpans.get(mid)[0] < from) lo = mid + 1;
            else hi = mid;
        }
        return lo < lexicalErrorSpans.size() && lexicalErrorSpans.get(lo)[0] <= to;
    }

    private String describe(Token t) {
        return switch (t.getType()) {
            case Token.EOF -> "end of file";
            case XlCfgLexer.NEWLINE -> src.text().charAt(t.getStartIndex()) == '#' ? "a comment (end of line)" : "end of line";
            case XlCfgLexer.IDENT -> "the name '" + t.getText() + "'";
            case XlCfgLexer.NUMBER -> "the number " + t.getText();
            case XlCfgLexer.STRING -> "the string " + quoteShort(t.getText());
            default -> "'" + t.getText() + "'";
        };
    }

    /**
     * Where to go on after a syntax error: past the next newline that ends the broken
     * statement (its brackets closed) or that is followed by something that starts a new
     * statement ({@code name =}), or the end of input.
     */
    private static int resync(CommonTokenStream tokens, int stmtStart, int offIndex) {
        int depth = 0;
        for (int i = stmtStart; i < offIndex; i++) {
            Token t = tokens.get(i);
            if (t.getChannel() != Token.DEFAULT_CHANNEL) continue;
            if (t.getType() == XlCfgLexer.LBRACK) depth++;
            if (t.getType() == XlCfgLexer.RBRACK) depth = Math.max(0, depth - 1);
        }
        int i = offIndex;
        while (true) {
            Token t = tokens.get(i);
            if (t.getType() == Token.EOF) return i;
            i++;
            if (t.getChannel() != Token.DEFAULT_CHANNEL) continue;
            if (t.getType() == XlCfgLexer.LBRACK) depth++;
            if (t.getType() == XlCfgLexer.RBRACK) depth = Math.max(0, depth - 1);
            if (t.getType() == XlCfgLexer.NEWLINE && (depth == 0 || startsStatement(tokens, i))) return i;
        }
    }

    private static boolean startsStatement(CommonTokenStream tokens, int i) {
        int j = nextDefault(tokens, i);
        if (tokens.get(j).getType() != XlCfgLexer.IDENT) return false;
        int k = nextDefault(tokens, j + 1);
        int type = tokens.get(k).getType();
        return type == XlCfgLexer.ASSIGN || type == XlCfgLexer.ADD;
    }

    private static int nextDefault(CommonTokenStream tokens, int i) {
        while (tokens.get(i).getType() != Token.EOF && tokens.get(i).getChannel() != Token.DEFAULT_CHANNEL) i++;
        return i;
    }
}
