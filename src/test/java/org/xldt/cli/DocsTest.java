package org.xldt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xldt.Tools;
import picocli.CommandLine;

/** The man pages (one per command, with its example) and a bash completion that completes. */
class DocsTest {
    @TempDir
    Path dir;

    @Test
    void manPagesAndCompletion() throws Exception {
        Docs.generate(dir);
        for (CommandLine c : CliHelpTest.allCommands()) {
            String name = c.getCommandSpec().qualifiedName("-");
            Path page = dir.resolve("man").resolve(name + ".adoc");
            assertTrue(Files.exists(page), page.toString());
            String text = Files.readString(page);
            assertTrue(text.contains(":doctype: manpage"), name);
            assertTrue(text.contains("Example:"), name + " has its example");
        }
        // asciidoctor makes man(1) pages of them
        Path man1 = dir.resolve("man1");
        List<String> render = new java.util.ArrayList<>(List.of(Tools.require("asciidoctor"), "-b", "manpage", "-D", man1.toString()));
        for (CommandLine c : CliHelpTest.allCommands()) render.add(dir.resolve("man").resolve(c.getCommandSpec().qualifiedName("-") + ".adoc").toString());
        Tools.Result adoc = Tools.run(render, null);
        assertEquals(0, adoc.exit(), adoc.stderr());
        assertEquals("", adoc.stderr());
        String page = Files.readString(man1.resolve("xldt-batch.1"));
        assertTrue(page.contains(".TH \"XLDT\\-BATCH\" \"1\""), page.substring(0, Math.min(600, page.length())));
        assertTrue(page.contains("xldt batch \\-C . \\-\\-check examples/goldens.txt"), page);
        // the completion script completes subcommands, sub-subcommands, options and enum values
        Path script = dir.resolve("xldt_completion");
        String probe = "source '" + script + "'\n"
                + "t() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($#-1)); COMP_LINE=\"$*\"; COMP_POINT=${#COMP_LINE}; COMPREPLY=();"
                + " _complete_xldt xldt \"${COMP_WORDS[-1]}\" \"${COMP_WORDS[-2]}\" 2>/dev/null; echo \"${COMPREPLY[*]}\"; }\n"
                + "t xldt d\nt xldt dt d\nt xldt batch --pro\nt xldt dt convert -I ''\n";
        Tools.Result r = Tools.run(List.of(Tools.require("bash"), "-c", probe), null);
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("dt dom0 dom0less\ndiff\n--progress\ndts dtb\n", r.out());
    }
}
