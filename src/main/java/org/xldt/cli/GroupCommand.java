package org.xldt.cli;

import picocli.CommandLine;

/** A command that only groups subcommands ({@code dt}, {@code cfg}, {@code smmu}): run alone, it is a usage error. */
@CommandLine.Command // picocli merges it with each subclass's own @Command (which names it)
abstract class GroupCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public final void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }
}
