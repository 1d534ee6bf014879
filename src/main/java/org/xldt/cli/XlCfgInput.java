package org.xldt.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.xldt.BadInputException;
import org.xldt.xlcfg.Diagnostic;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What {@code cfg dump} and {@code check} share: reading FILE [KEY=VALUE...] and printing diagnostics. */
final class XlCfgInput {
    /** When to show the source line with a caret under each diagnostic. */
    enum Caret {
        auto, always, never
    }

    private XlCfgInput() {
    }

    /** The arguments both commands take: FILE [KEY=VALUE...] and --caret. */
    static final class Args {
        @Option(names = "--caret", paramLabel = "WHEN",
                description = "Show the source line under diagnostics: ${COMPLETION-CANDIDATES} (default: auto, on a terminal).")
        Caret caret = Caret.auto;

        @Parameters(index = "0", paramLabel = "FILE", description = "The xl.cfg file ('-' for standard input).")
        String file;

        @Parameters(index = "1..*", paramLabel = "KEY=VALUE", description = "Extra statements, read after the file as xl create does.")
        List<String> settings;

        /** The KEY=VALUE arguments, checked. */
        List<String> overrides(CommandLine cmd) {
            return XlCfgInput.overrides(cmd, settings);
        }

        String sourceName() {
            return XlCfgInput.sourceName(file);
        }
    }

    /** The KEY=VALUE arguments, checked: xl treats every argument with a '=' as a statement. */
    static List<String> overrides(CommandLine cmd, List<String> args) {
        if (args == null) return List.of();
        for (String a : args) {
            if (a.indexOf('=') < 0) {
                throw new CommandLine.ParameterException(cmd, "not a KEY=VALUE setting: '" + a + "' (only one FILE is read)");
            }
        }
        return List.copyOf(args);
    }

    /** A file's bytes, or a BadInputException carrying the errno libxlutil would report. */
    static byte[] read(String file) {
        if (file.equals("-")) return Outputs.read(file);
        Workspace ws = Workspace.current();
        Path p = ws.resolve(file);
        try {
            if (Files.isDirectory(p)) throw new Unreadable(file, "is a directory", 21);
            byte[] data = Files.readAllBytes(p);
            ws.noteRead(p);
            return data;
        } catch (NoSuchFileException e) {
            throw new Unreadable(file, "cannot read: no such file", 2);
        } catch (AccessDeniedException e) {
            throw new Unreadable(file, "cannot read: permission denied", 13);
        } catch (IOException e) {
            throw new Unreadable(file, "cannot read: " + Outputs.describe(e), 5);
        }
    }

    /** A file that cannot be read, with the errno libxlutil's reader would return. */
    static final class Unreadable extends BadInputException {
        private static final long serialVersionUID = 1L;
        final int errno;

        Unreadable(String file, String message, int errno) {
            super(file, message);
            this.errno = errno;
        }
    }

    /**
     * A configuration read as {@code xl create FILE KEY=VALUE...} reads it: every diagnostic (syntax,
     * then xl's and libxl's rules) and the domain configuration when there is no error.
     */
    record Domain(String name, List<Diagnostic> diagnostics, org.xldt.xen.DomainConfig config) {
        boolean hasErrors() {
            return config == null || diagnostics.stream().anyMatch(Diagnostic::isError);
        }
    }

    /** Reads {@code args}' FILE with its overrides and builds the DomainConfig. */
    static Domain readDomain(Args args, CommandLine cmd) {
        List<String> overrides = args.overrides(cmd);
        byte[] bytes = read(args.file);
        String name = args.sourceName();
        org.xldt.xlcfg.ParseResult parsed = org.xldt.xlcfg.XlCfgReader.read(org.xldt.xlcfg.XlSource.of(name, bytes, overrides));
        List<Diagnostic> all = new java.util.ArrayList<>(parsed.diagnostics());
        org.xldt.xen.DomainConfig config = null;
        if (parsed.ok()) {
            org.xldt.xen.DomainConfigReader.Result r = org.xldt.xen.DomainConfigReader.read(parsed.config());
            all.addAll(r.diagnostics());
            config = r.config();
        }
        return new Domain(name, List.copyOf(all), config);
    }

    static String sourceName(String file) {
        return file.equals("-") ? "<stdin>" : file;
    }

    static void print(PrintWriter err, List<Diagnostic> ds, Caret caret) {
        boolean show = caret == Caret.always || (caret == Caret.auto && stderrIsTerminal());
        for (Diagnostic d : ds) err.println(d.render(show));
        err.flush();
    }

    /** Whether standard error is a terminal (Linux: where /proc/self/fd/2 points); never for a batch job. */
    static boolean stderrIsTerminal() {
        if (Workspace.current().isCaptured()) return false;
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
