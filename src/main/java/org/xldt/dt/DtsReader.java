package org.xldt.dt;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.UnbufferedTokenStream;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.xldt.BadInputException;
import org.xldt.LargeStack;
import org.xldt.dt.DtsTokenSource.DtsToken;

/**
 * Reads device-tree source (DTS) as dtc 1.6.1 does, so that {@link DtbWriter} then writes the
 * very blob {@code dtc -I dts -O dtb} writes: the grammar is {@code grammar/DtsLexer.g4} and
 * {@code grammar/DtsParser.g4}, the tree is built by {@link DtsTreeBuilder} and finished by
 * {@link DtsFixups}. Properties keep dtc's markers (value types, labels inside values,
 * references) for a DTS writer.
 *
 * <p>Every syntax error, unresolved reference and other refusal is a {@link BadInputException}
 * located {@code FILE:LINE:COL} (after cpp line markers); nothing else escapes. Time and memory
 * are linear in the input; nodes nest at most 4,096 deep and parentheses about 10,000 deep
 * (dtc stops at about 3,300 and 9,000).
 *
 * <p>Not done here, as dtc does them in its checks: refusing bad characters in names and names
 * with several '@'; such trees are returned as written. (Duplicate names are refused here.)
 */
public final class DtsReader {
    /** Deepest rule nesting the parser accepts (two rules per node or parenthesis level). */
    static final int MAX_DEPTH = 20_000;

    private DtsReader() {
    }

    /** Reads a DTS file; {@code /include/} and {@code /incbin/} are relative to its directory. */
    public static DeviceTree read(Path file) {
        DtsTokenSource.Source src = DtsTokenSource.load(file, file.toString(), "\"" + file + "\"");
        String display = file.toString();
        return parse(display, new DtsTokenSource.Source(src.text, src.dir, DtsTokenSource.dirName(display), src.real));
    }

    /**
     * Reads DTS text (encoded as UTF-8, as if read from a file) named {@code fileName} in error
     * locations; {@code /include/} and {@code /incbin/} are relative to {@code baseDir}.
     */
    public static DeviceTree read(String fileName, String text, Path baseDir) {
        return read(fileName, text.getBytes(StandardCharsets.UTF_8), baseDir);
    }

    /** Reads DTS bytes (for example standard input) named {@code fileName} in error locations. */
    public static DeviceTree read(String fileName, byte[] content, Path baseDir) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        return parse(fileName, new DtsTokenSource.Source(text, baseDir, DtsTokenSource.dirName(fileName), null));
    }

    private static DeviceTree parse(String display, DtsTokenSource.Source src) {
        // A large stack: recursive descent goes as deep as the nesting.
        return LargeStack.call(() -> {
            try {
                return parseHere(display, src);
            } catch (StackOverflowError e) {
                throw new BadInputException(display, "nesting too deep");
            } catch (LiveTree.TooLarge e) {
                throw new BadInputException(display, e.getMessage());
            }
        });
    }

    private static DeviceTree parseHere(String display, DtsTokenSource.Source src) {
        DtsTreeBuilder builder = new DtsTreeBuilder();
        DtsTokenSource tokens = new DtsTokenSource(display, src, builder::abort);
        GuardedParser parser = new GuardedParser(new UnbufferedTokenStream<>(tokens), builder);
        parser.removeErrorListeners();
        parser.setErrorHandler(new FailFast(builder));
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        parser.addParseListener(builder);
        parser.dtsFile();
        return DtsFixups.finish(builder.result());
    }

    /** The generated parser with a bound on rule nesting. */
    private static final class GuardedParser extends DtsParser {
        private final DtsTreeBuilder builder;
        private int depth;

        GuardedParser(TokenStream input, DtsTreeBuilder builder) {
            super(input);
            this.builder = builder;
        }

        private void deeper() {
            if (++depth > MAX_DEPTH) {
                builder.abort();
                throw new BadInputException(((DtsToken) getCurrentToken()).loc().toString(), "nesting too deep");
            }
        }

        @Override
        public void enterRule(ParserRuleContext localctx, int state, int ruleIndex) {
            deeper();
            super.enterRule(localctx, state, ruleIndex);
        }

        @Override
        public void enterRecursionRule(ParserRuleContext localctx, int state, int ruleIndex, int precedence) {
            deeper();
            super.enterRecursionRule(localctx, state, ruleIndex, precedence);
        }

        @Override
        public void exitRule() {
            depth--;
            super.exitRule();
        }

        @Override
        public void unrollRecursionContexts(ParserRuleContext parentctx) {
            depth--;
            super.unrollRecursionContexts(parentctx);
        }

        // The builder is the only parse listener: call it directly. ANTLR's loops over its
        // listener list allocate an iterator per rule and per token, which C1-compiled code
        // (the launcher's JIT) cannot eliminate: a third of a large file's garbage.

        @Override
        protected void triggerEnterRuleEvent() {
            builder.enterEveryRule(_ctx);
        }

        @Override
        protected void triggerExitRuleEvent() {
            builder.exitEveryRule(_ctx);
        }

        /** Parser.consume without the per-token listener loop (the builder ignores terminals). */
        @Override
        public Token consume() {
            Token o = getCurrentToken();
            if (o.getType() != Token.EOF) getInputStream().consume();
            if (_errHandler.inErrorRecoveryMode(this)) {
                _ctx.addErrorNode(createErrorNode(_ctx, o));
            } else {
                _ctx.addChild(createTerminalNode(_ctx, o));
            }
            return o;
        }
    }

    /** Stops at the first syntax error, located at the token that cannot be parsed. */
    private static final class FailFast extends DefaultErrorStrategy {
        private final DtsTreeBuilder builder;

        FailFast(DtsTreeBuilder builder) {
            this.builder = builder;
        }

        private BadInputException fail(Token t) {
            builder.abort();
            DtsToken d = (DtsToken) t;
            String what = t.getType() == Token.EOF ? "unexpected end of input" : "unexpected '" + excerpt(d) + "'";
            return new BadInputException(d.loc().toString(), "syntax error: " + what);
        }

        @Override
        public void reportError(Parser recognizer, RecognitionException e) {
            throw fail(e.getOffendingToken() != null ? e.getOffendingToken() : recognizer.getCurrentToken());
        }

        @Override
        public void recover(Parser recognizer, RecognitionException e) {
            throw fail(e.getOffendingToken() != null ? e.getOffendingToken() : recognizer.getCurrentToken());
        }

        @Override
        public Token recoverInline(Parser recognizer) {
            throw fail(recognizer.getCurrentToken());
        }

        @Override
        public void sync(Parser recognizer) {
        }

        private static String excerpt(DtsToken t) {
            String s = t.getText();
            if (s.length() > 40) s = s.substring(0, 37) + "...";
            return DtsValues.printable(s);
        }
    }
}
