package org.xldt.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import org.xldt.smmu.TraceLine;
import org.xldt.smmu.TraceReader;
import org.xldt.smmu.TraceReplay;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code xldt smmu ...}: the SMMUv3 model from outside. */
@Command(
        name = "smmu",
        description = "Run the SMMUv3 model from outside.",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {"  xldt smmu replay stage1.trace > stage1.replies"},
        subcommands = {SmmuCommand.Replay.class})
public final class SmmuCommand extends GroupCommand {
    /** {@code xldt smmu replay TRACE}. */
    @Command(
            name = "replay",
            description = {
                "Run a line-based trace against physical SMMUv3 models and print one reply per command "
                        + "line: QEMU qtest's lines and replies (writeb/w/l/q ADDR VAL, readb/w/l/q ADDR, "
                        + "write ADDR SIZE 0xDATA, read ADDR SIZE) plus smmu BASE [s1] [s2] [sidsize=N] "
                        + "[oas=N], dma SID IOVA r|w [BASE], irq NAME [BASE] and # comments (see README).",
                "The whole trace is checked first: a bad line prints TRACE:LINE: error: ... and no reply "
                        + "(exit 1)."},
            mixinStandardHelpOptions = true,
            footerHeading = "%nExample:%n",
            footer = {"  xldt smmu replay stage1.trace | diff - stage1.replies"})
    static final class Replay implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "TRACE", description = "The trace file, or - for standard input.")
        String trace;

        @Override
        public Integer call() {
            String text = new String(Outputs.read(trace), StandardCharsets.ISO_8859_1);
            List<TraceLine> lines = TraceReader.read(trace.equals("-") ? "<stdin>" : trace, text);
            PrintWriter out = spec.commandLine().getOut();
            TraceReplay.run(lines, out::println);
            out.flush();
            return Main.EXIT_OK;
        }
    }
}
