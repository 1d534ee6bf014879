package org.xldt.cli;

import picocli.CommandLine;

/** A command that only groups subcommands ({@code dt}, {@code cfg}, {@code smmu}): run alone, it is a usage error. */
abstract class GroupCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public final void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand");
    }
}
