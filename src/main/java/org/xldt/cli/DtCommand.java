package org.xldt.cli;

import picocli.CommandLine.Command;

/** {@code xldt dt ...}: device-tree conversion, checks and queries. */
@Command(
        name = "dt",
        description = "Read, write, check and query device trees (DTB and DTS), as dtc does.",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {"  xldt dt convert host.dtb -o host.dts", "  xldt dt diff golden.dtb new.dtb"},
        subcommands = {DtConvertCommand.class, DtCheckCommand.class, DtGetCommand.class, DtDiffCommand.class})
public final class DtCommand extends GroupCommand {
}
