package org.xldt.dt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.CodePointBuffer;
import org.antlr.v4.runtime.CodePointCharStream;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenFactory;
import org.antlr.v4.runtime.TokenSource;
import org.antlr.v4.runtime.misc.Pair;
import org.xldt.BadInputException;

/**
 * The tokens of a DTS file for the parser, as dtc's lexer delivers them: {@code /include/}
 * files are lexed in place (in the lexer state of the includer, relative to the includer's
 * directory; cycles and too deep nesting are errors), cpp line markers rename and renumber the
 * lines that follow, and every token carries its {@code FILE:LINE:COL}. Whitespace and comments
 * never become tokens, but the start of the last lexeme is remembered: dtc reports an
 * unexpected end of input there.
 */
final class DtsTokenSource implements TokenSource {
    /** dtc's MAX_SRCFILE_DEPTH. */
    static final int MAX_INCLUDE_DEPTH = 100;

    /** One opened file: its text (one char per byte), directory, and identity for cycles. */
    static final class Source {
        final String text;
        final Path dir;
        final String dirDisplay;
        final Path real;

        Source(String text, Path dir, String dirDisplay, Path real) {
            this.text = text;
            this.dir = dir;
            this.dirDisplay = dirDisplay;
            this.real = real;
        }
    }

    /** A token with its file (after line markers) and the source whose text it indexes. */
    static final class DtsToken extends CommonToken {
        String file;
        Source source;
        /** The value of a literal, read when it is lexed (as dtc does, with its errors). */
        long number;
        /** The bytes (and NUL) of a string. */
        byte[] bytes;

        DtsToken(Pair<TokenSource, CharStream> src, int type, int channel, int start, int stop) {
            super(src, type, channel, start, stop);
        }

        DtsToken(int type, String text) {
            super(type, text);
        }

        LiveTree.Loc loc() {
            return new LiveTree.Loc(file, line, charPositionInLine + 1);
        }
    }

    private static final TokenFactory<DtsToken> FACTORY = new TokenFactory<>() {
        @Override
        public DtsToken create(Pair<TokenSource, CharStream> source, int type, String text, int channel,
                               int start, int stop, int line, int charPositionInLine) {
            DtsToken t = new DtsToken(source, type, channel, start, stop);
            t.setLine(line);
            t.setCharPositionInLine(charPositionInLine);
            if (text != null) t.setText(text);
            return t;
        }

        @Override
        public DtsToken create(int type, String text) {
            return new DtsToken(type, text);
        }
    };

    /** The generated lexer, remembering where the last skipped lexeme began. */
    static final class Scanner extends DtsLexer {
        int lastSkipLine = -1;
        int lastSkipCol;

        Scanner(CharStream in) {
            super(in);
        }

        @Override
        public void skip() {
            lastSkipLine = _tokenStartLine;
            lastSkipCol = _tokenStartCharPositionInLine;
            super.skip();
        }
    }

    private static final class Frame {
        final Scanner lexer;
        final Source source;
        String display;
        int lineDelta;

        Frame(Scanner lexer, Source source, String display) {
            this.lexer = lexer;
            this.source = source;
            this.display = display;
        }
    }

    private final Deque<Frame> frames = new ArrayDeque<>();
    private final String topName;
    private String lastFile;
    private int lastLine;
    private int lastCol;

    private final Runnable onFailure;

    /** {@code onFailure} runs before any error leaves {@link #nextToken()}. */
    DtsTokenSource(String display, Source top, Runnable onFailure) {
        this.topName = display;
        this.onFailure = onFailure;
        frames.push(open(display, top, DtsLexer.DEFAULT_MODE));
    }

    private static Frame open(String display, Source src, int mode) {
        // The text's bytes as code points 0-255 (dtc reads bytes): no UTF-16 copy of a large file.
        Scanner lx = new Scanner(CodePointCharStream.fromBuffer(
                CodePointBuffer.withBytes(ByteBuffer.wrap(src.text.getBytes(StandardCharsets.ISO_8859_1))), display));
        lx.removeErrorListeners();
        lx.addErrorListener(new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> r, Object sym, int line, int col, String msg, RecognitionException e) {
                throw new IllegalStateException("DTS lexer cannot match: " + msg);
            }
        });
        lx.setTokenFactory(FACTORY);
        lx._mode = mode;
        return new Frame(lx, src, display);
    }

    @Override
    public Token nextToken() {
        try {
            return next();
        } catch (RuntimeException e) {
            onFailure.run();
            throw e;
        }
    }

    private Token next() {
        while (true) {
            Frame f = frames.peek();
            DtsToken t = (DtsToken) f.lexer.nextToken();
            noteSkipped(f);
            int type = t.getType();
            if (type == Token.EOF) {
                if (frames.size() > 1) {
                    frames.pop();
                    frames.peek().lexer._mode = f.lexer._mode;
                    continue;
                }
                DtsToken eof = FACTORY.create(Token.EOF, "<EOF>");
                eof.file = lastFile == null ? f.display : lastFile;
                eof.setLine(lastFile == null ? 1 : lastLine);
                eof.setCharPositionInLine(lastFile == null ? 0 : lastCol);
                eof.source = f.source;
                return eof;
            }
            t.file = f.display;
            t.source = f.source;
            t.setLine(t.getLine() + f.lineDelta);
            lastFile = t.file;
            lastLine = t.getLine();
            lastCol = t.getCharPositionInLine();
            switch (type) {
                case DtsLexer.LINEMARKER -> lineMarker(f, t);
                case DtsLexer.INCLUDE -> include(f, t);
                case DtsLexer.LITERAL -> {
                    t.number = DtsValues.integerLiteral(t);
                    return t;
                }
                case DtsLexer.CHAR_LITERAL -> {
                    t.number = DtsValues.charLiteral(t);
                    return t;
                }
                case DtsLexer.STRING -> {
                    t.bytes = DtsValues.unescape(f.source.text, t.getStartIndex() + 1, t.getStopIndex(), t.getStopIndex() + 1, t.loc());
                    return t;
                }
                default -> {
                    return t;
                }
            }
        }
    }

    /** A skipped lexeme (whitespace, comment) may have been the last one before this token. */
    private void noteSkipped(Frame f) {
        Scanner lx = f.lexer;
        if (lx.lastSkipLine >= 0) {
            lastFile = f.display;
            lastLine = lx.lastSkipLine + f.lineDelta;
            lastCol = lx.lastSkipCol;
            lx.lastSkipLine = -1;
        }
    }

    /** {@code # LINE "FILE" FLAGS}: the next line is LINE of FILE. */
    private static void lineMarker(Frame f, DtsToken t) {
        String s = f.source.text;
        int i = t.getStartIndex() + 1;
        int stop = t.getStopIndex();
        while (s.charAt(i) < '0' || s.charAt(i) > '9') i++;
        long n = 0;
        while (i <= stop && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            n = Math.min(n * 10 + (s.charAt(i) - '0'), Integer.MAX_VALUE);
            i++;
        }
        int q1 = s.indexOf('"', i);
        int q2 = stop;
        while (s.charAt(q2) != '"') q2--;
        byte[] name = DtsValues.unescape(s, q1 + 1, q2, q2 + 1, t.loc());
        for (int k = 0; k < name.length - 1; k++) {
            if (name[k] == 0) throw new BadInputException(t.loc().toString(), "NUL character in line marker file name");
        }
        f.display = DtsValues.printable(new String(name, 0, name.length - 1, StandardCharsets.ISO_8859_1));
        // the line after the marker (physical line t.getLine() + 1) is line n
        int physical = t.getLine() - f.lineDelta;
        f.lineDelta = (int) (n - 1 - physical);
    }

    private void include(Frame f, DtsToken t) {
        String s = f.source.text;
        int q1 = s.indexOf('"', t.getStartIndex());
        String raw = s.substring(q1 + 1, t.getStopIndex());
        String name = fileName(raw);
        String shown = DtsValues.printable(name);
        String where = t.loc().toString();
        if (frames.size() >= MAX_INCLUDE_DEPTH) throw new BadInputException(where, "includes nested too deeply");
        Path path;
        String display;
        try {
            if (name.startsWith("/")) {
                path = Path.of(name);
                display = name;
            } else {
                path = f.source.dir.resolve(name);
                display = f.source.dirDisplay == null ? name : joinPath(f.source.dirDisplay, name);
            }
        } catch (java.nio.file.InvalidPathException e) {
            throw new BadInputException(where, "cannot open include file \"" + shown + "\": invalid file name");
        }
        Source src = load(path, where, "include file \"" + shown + "\"");
        for (Frame x : frames) {
            if (x.source.real != null && x.source.real.equals(src.real)) {
                throw new BadInputException(where, "include cycle: \"" + shown + "\" is already being read");
            }
        }
        frames.push(open(DtsValues.printable(display), new Source(src.text, src.dir, dirName(display), src.real), f.lexer._mode));
    }

    /** Reads a regular file as one char per byte. */
    static Source load(Path path, String where, String what) {
        try {
            if (!Files.isRegularFile(path)) {
                throw new BadInputException(where, "cannot open " + what + ": " + (Files.exists(path) ? "not a regular file" : "no such file"));
            }
            byte[] b = Files.readAllBytes(path);
            Path parent = path.toAbsolutePath().getParent();
            return new Source(new String(b, StandardCharsets.ISO_8859_1), parent == null ? Path.of("/") : parent, null, path.toRealPath());
        } catch (IOException | SecurityException | OutOfMemoryError e) {
            throw new BadInputException(where, "cannot open " + what + ": " + DtsValues.printable(String.valueOf(e.getMessage())));
        }
    }

    /** A file name written in DTS (bytes as chars) as the platform names files. */
    static String fileName(String latin1) {
        byte[] b = latin1.getBytes(StandardCharsets.ISO_8859_1);
        String enc = System.getProperty("sun.jnu.encoding");
        try {
            return new String(b, enc == null ? Charset.defaultCharset() : Charset.forName(enc));
        } catch (IllegalArgumentException e) {
            return latin1;
        }
    }

    /** dtc's get_dirname: the text before the last '/', or null. */
    static String dirName(String display) {
        int slash = display.lastIndexOf('/');
        return slash < 0 ? null : display.substring(0, slash);
    }

    /** dtc's join_path. */
    static String joinPath(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    @Override
    public int getLine() {
        return frames.peek().lexer.getLine();
    }

    @Override
    public int getCharPositionInLine() {
        return frames.peek().lexer.getCharPositionInLine();
    }

    @Override
    public CharStream getInputStream() {
        return frames.peek().lexer.getInputStream();
    }

    @Override
    public String getSourceName() {
        return topName;
    }

    @Override
    public void setTokenFactory(TokenFactory<?> factory) {
        // tokens must stay DtsTokens
    }

    @Override
    public TokenFactory<?> getTokenFactory() {
        return FACTORY;
    }
}
