package org.xldt.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Generates xldt's man pages (AsciiDoc, one per command, by picocli's ManPageGenerator; {@code
 * asciidoctor -b manpage} turns them into man(1) pages) and its bash completion script (picocli's
 * AutoComplete) from the command tree. Run by {@code mvn -q -DskipTests -Pdocs package}:
 *
 * <pre>
 * java ... org.xldt.cli.Docs [DIR]     # default target/doc: DIR/man/*.adoc, DIR/xldt_completion
 * </pre>
 */
public final class Docs {
    private Docs() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "target/doc");
        generate(out);
        System.out.println("xldt: man pages in " + out.resolve("man") + ", bash completion in " + out.resolve("xldt_completion"));
    }

    static void generate(Path out) throws IOException {
        CommandLine cl = Main.commandLine();
        Path man = Files.createDirectories(out.resolve("man"));
        int rc = ManPageGenerator.generateManPage(man.toFile(), null, new boolean[0], true, cl.getCommandSpec());
        if (rc != 0) throw new IOException("ManPageGenerator failed with exit status " + rc);
        Files.writeString(out.resolve("xldt_completion"), AutoComplete.bash("xldt", cl), StandardCharsets.UTF_8);
    }
}
