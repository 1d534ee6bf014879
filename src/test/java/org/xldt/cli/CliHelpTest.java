package org.xldt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.xldt.dt.DtCli;
import picocli.CommandLine;

/** Every command's --help has an example; the lazily built command tree is the whole one. */
class CliHelpTest {
    /** Every command of the tree, root first. */
    static List<CommandLine> allCommands() {
        List<CommandLine> all = new ArrayList<>();
        Deque<CommandLine> todo = new ArrayDeque<>(List.of(Main.commandLine()));
        while (!todo.isEmpty()) {
            CommandLine c = todo.poll();
            all.add(c);
            todo.addAll(c.getSubcommands().values());
        }
        return all;
    }

    /** The Example section: the end of the usage text, every line indented (none wrapped). */
    private static final Pattern EXAMPLE = Pattern.compile("(?m)^Example:\\n((?:  .+\\n)+)\\z");

    @Test
    void everyCommandShowsAnExample() {
        List<CommandLine> all = allCommands();
        assertTrue(all.size() >= 12, "commands: " + all.size());
        for (CommandLine c : all) {
            String name = c.getCommandSpec().qualifiedName();
            String usage = c.getUsageMessage(CommandLine.Help.Ansi.OFF);
            Matcher m = EXAMPLE.matcher(usage);
            assertTrue(m.find(), name + " has no Example section:\n" + usage);
            // each example line runs xldt (or shows a shell session that does)
            String first = m.group(1).lines().findFirst().orElseThrow().strip();
            assertTrue(first.startsWith("xldt ") || first.startsWith("$ "), name + ": " + first);
            assertTrue(m.group(1).contains("xldt " + name.substring(name.indexOf(' ') + 1).replace("xldt", "").strip())
                    || name.equals("xldt") || name.equals("xldt help"), name + ": the example runs another command:\n" + m.group(1));
        }
    }

    @Test
    void subcommandTableMatchesTheAnnotations() {
        for (Map.Entry<String, Class<?>> e : Main.SUBCOMMANDS) {
            CommandLine.Command c = e.getValue().getAnnotation(CommandLine.Command.class);
            assertEquals(e.getKey(), c.name(), e.getValue().getName());
        }
        assertEquals(Main.SUBCOMMANDS.stream().map(Map.Entry::getKey).toList(),
                new ArrayList<>(Main.commandLine().getSubcommands().keySet()));
    }

    @Test
    void aRunWithOneSubcommandShowsTheSameHelp() {
        CommandLine full = Main.commandLine();
        for (CommandLine c : allCommands()) {
            List<String> path = new ArrayList<>(List.of(c.getCommandSpec().qualifiedName().split(" ")));
            path.remove(0);
            if (path.isEmpty() || path.get(0).equals("help")) continue;
            path.add("--help");
            DtCli.Result r = DtCli.run(path.toArray(String[]::new));
            assertEquals(0, r.exit(), r.stderr());
            CommandLine same = full;
            for (String p : path.subList(0, path.size() - 1)) same = same.getSubcommands().get(p);
            assertEquals(same.getUsageMessage(), new String(r.stdout(), java.nio.charset.StandardCharsets.UTF_8), String.join(" ", path));
        }
        // help and errors that need every subcommand still see them
        DtCli.Result help = DtCli.run("--help");
        for (Map.Entry<String, Class<?>> e : Main.SUBCOMMANDS) assertTrue(help.out().contains("  " + e.getKey() + " "), e.getKey());
        DtCli.Result typo = DtCli.run("dtt");
        assertEquals(2, typo.exit());
        assertTrue(typo.stderr().contains("Did you mean: xldt dt"), typo.stderr());
        assertEquals(full.getSubcommands().get("dt").getUsageMessage(), new String(DtCli.run("help", "dt").stdout(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void versionWithoutPicocliPrintsWhatPicocliPrints() {
        java.io.StringWriter sw = new java.io.StringWriter();
        Main.commandLine().printVersionHelp(new java.io.PrintWriter(sw, true));
        assertTrue(sw.toString().startsWith("xldt "), sw.toString());
        assertEquals(sw.toString().replace(System.lineSeparator(), "\n"), DtCli.run("--version").out());
        assertEquals(sw.toString().replace(System.lineSeparator(), "\n"), DtCli.run("-V").out());
    }
}
