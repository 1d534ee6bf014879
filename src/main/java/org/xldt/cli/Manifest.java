package org.xldt.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xldt.BadInputException;

/**
 * A batch manifest: one xldt invocation per line, split into words as a POSIX shell splits a
 * simple command, without any expansion. Supported:
 * <ul>
 * <li>words separated by spaces and tabs; an optional leading {@code xldt} word;</li>
 * <li>{@code #} at the start of a word starts a comment to the end of the line;</li>
 * <li>{@code '...'}: everything literal up to the next {@code '};</li>
 * <li>{@code "..."}: literal except {@code \"}, {@code \\}, {@code \$}, {@code \`} (the escaped
 *     character) and backslash-newline (removed); any other backslash stays;</li>
 * <li>an unquoted backslash makes the next character literal; backslash-newline joins lines;</li>
 * <li>quotes may be mixed within a word ({@code a'b c'"d"} is one word); {@code ''} is an empty word.</li>
 * </ul>
 * Refused with a located error, because a shell would give them a meaning: unquoted
 * {@code | & ; < > ( ) * ?}, {@code $} and {@code `} anywhere outside single quotes, and {@code ~}
 * at the start of a word. Everything else ({@code = , : [ ] { } @ % + ! ~} inside a word) is literal.
 */
final class Manifest {
    /**
     * One invocation: where it comes from ({@code file}, {@code line}; line 0 for a job made from a
     * command-line argument), the directory its relative names resolve against, and its words
     * (without a leading {@code xldt}).
     */
    record Job(String file, int line, Path dir, List<String> args) {
        /** {@code MANIFEST:LINE}, or the argument it was made from. */
        String where() {
            return line == 0 ? file : file + ":" + line;
        }

        /** The words, quoted where a shell would need it, for messages. */
        String command() {
            StringBuilder sb = new StringBuilder();
            for (String a : args) {
                if (sb.length() > 0) sb.append(' ');
                sb.append(quote(a));
            }
            return sb.toString();
        }
    }

    private Manifest() {
    }

    /**
     * The jobs of manifest {@code name} with text {@code text}, in order, their relative names
     * resolving against {@code dir}; a bad line is a located error.
     */
    static List<Job> parse(String name, String text, Path dir) {
        List<Job> jobs = new ArrayList<>();
        Parser p = new Parser(name, text);
        while (!p.atEnd()) {
            int line = p.line;
            List<String> words = p.lineWords();
            if (words.isEmpty()) continue;
            if (words.get(0).equals("xldt")) {
                words = words.subList(1, words.size());
                if (words.isEmpty()) throw new BadInputException(name + ":" + line + ":1", "no command after 'xldt'");
            }
            if (words.get(0).equals("batch")) throw new BadInputException(name + ":" + line + ":1", "a batch job cannot run 'batch'");
            jobs.add(new Job(name, line, dir, List.copyOf(words)));
        }
        return jobs;
    }

    private static final class Parser {
        private final String name;
        private final String s;
        private int pos;
        int line = 1;
        private int lineStart;

        Parser(String name, String s) {
            this.name = name;
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        private BadInputException error(int at, String message) {
            // the column of {@code at} on the current line
            return new BadInputException(name + ":" + line + ":" + (at - lineStart + 1), message);
        }

        private void newline(int at) {
            line++;
            lineStart = at + 1;
        }

        /** The words of the logical line starting at pos; pos moves past its end. */
        List<String> lineWords() {
            List<String> words = new ArrayList<>();
            StringBuilder w = null;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '\n') {
                    newline(pos);
                    pos++;
                    break;
                }
                if (c == ' ' || c == '\t' || c == '\r' && pos + 1 < s.length() && s.charAt(pos + 1) == '\n') {
                    if (w != null) words.add(w.toString());
                    w = null;
                    pos++;
                    continue;
                }
                if (c == '#' && w == null) {
                    while (pos < s.length() && s.charAt(pos) != '\n') pos++;
                    continue;
                }
                boolean wordStart = w == null;
                if (w == null) w = new StringBuilder();
                switch (c) {
                    case '\'' -> {
                        int startLine = line;
                        int startCol = pos - lineStart;
                        pos++;
                        while (pos < s.length() && s.charAt(pos) != '\'') {
                            if (s.charAt(pos) == '\n') newline(pos);
                            w.append(s.charAt(pos++));
                        }
                        if (pos >= s.length()) {
                            throw new BadInputException(name + ":" + startLine + ":" + (startCol + 1), "unterminated single quote");
                        }
                        pos++;
                    }
                    case '"' -> doubleQuoted(w);
                    case '\\' -> {
                        if (pos + 1 >= s.length()) {
                            pos++;
                        } else if (s.charAt(pos + 1) == '\n') {
                            newline(pos + 1);
                            pos += 2;
                            if (wordStart) w = null; // a continuation between words
                        } else {
                            w.append(s.charAt(pos + 1));
                            pos += 2;
                        }
                    }
                    case '|', '&', ';', '<', '>', '(', ')', '*', '?' ->
                        throw error(pos, "'" + c + "' is shell syntax a manifest does not support (quote it for a literal " + c + ")");
                    case '$', '`' -> throw error(pos, "'" + c + "': a manifest has no variables nor command substitution");
                    case '~' -> {
                        if (wordStart) throw error(pos, "'~' at the start of a word: a manifest does not expand it (write the path)");
                        w.append(c);
                        pos++;
                    }
                    default -> {
                        w.append(c);
                        pos++;
                    }
                }
            }
            if (w != null) words.add(w.toString());
            return words;
        }

        private void doubleQuoted(StringBuilder w) {
            int startLine = line;
            int startCol = pos - lineStart;
            pos++;
            while (true) {
                if (pos >= s.length()) throw new BadInputException(name + ":" + startLine + ":" + (startCol + 1), "unterminated double quote");
                char c = s.charAt(pos);
                if (c == '"') {
                    pos++;
                    return;
                }
                if (c == '\\' && pos + 1 < s.length()) {
                    char d = s.charAt(pos + 1);
                    if (d == '"' || d == '\\' || d == '$' || d == '`') {
                        w.append(d);
                        pos += 2;
                        continue;
                    }
                    if (d == '\n') {
                        newline(pos + 1);
                        pos += 2;
                        continue;
                    }
                }
                if (c == '$' || c == '`') throw error(pos, "'" + c + "': a manifest has no variables nor command substitution (write \\" + c + ")");
                if (c == '\n') newline(pos);
                w.append(c);
                pos++;
            }
        }
    }

    /** {@code a} as a shell word: bare when only safe characters, else in single quotes. */
    static String quote(String a) {
        if (!a.isEmpty() && a.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || "-_./=,:@%+".indexOf(ch) >= 0)) return a;
        return "'" + a.replace("'", "'\\''") + "'";
    }
}
