package org.xldt.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.xldt.BadInputException;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.TreeDiff;
import org.xldt.dt.TreeDiff.Change;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xldt dt diff A B}: what differs between two device trees, node by node and property by property. */
@Command(
        name = "diff",
        description = {
            "Compare two device trees by meaning and print what changed.",
            "A and B are DTB or DTS files, in any mix: nodes are matched by path, properties by name, "
                    + "values compared byte for byte and printed as dtc prints them. One line per change: "
                    + "'+ PATH' / '- PATH' (node added / removed, with its subtree), '+ PATH:PROP = VALUE' / '- PATH:PROP = VALUE', "
                    + "'~ PATH:PROP: OLD → NEW', '+|- /memreserve/ ADDRESS SIZE', '~ boot_cpuid_phys: OLD → NEW'. "
                    + "The order of nodes and properties, labels and the blob's layout do not count.",
            "Exit status (as diff(1)): 0 the trees are equal, 1 they differ, 2 trouble (an input cannot be read; "
                    + "a usage error)."},
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {"  xldt dt diff golden/guest.dtb out/guest.dtb", "  xldt dt diff --json old.dts new.dtb"})
public final class DtDiffCommand implements Callable<Integer> {
    /** Exit status when the trees differ. */
    static final int EXIT_DIFFERENT = 1;
    /** Exit status for trouble (diff(1)'s 2): an unreadable input. */
    static final int EXIT_TROUBLE = 2;
    /** Values longer than this are cut around their first difference, unless --full. */
    static final int CLIP = 200;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "Print {\"equal\":...,\"changes\":[...]} instead of lines (values never cut).")
    boolean json;

    @Option(names = "--full", description = "Print long values whole (by default a value over " + CLIP + " characters is cut around its first difference).")
    boolean full;

    @Parameters(index = "0", paramLabel = "A", description = "The first tree (DTB or DTS; '-' for standard input).")
    String first;

    @Parameters(index = "1", paramLabel = "B", description = "The second tree (DTB or DTS; '-' for standard input).")
    String second;

    @Override
    public Integer call() {
        if (first.equals("-") && second.equals("-")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "A and B cannot both be standard input");
        }
        DeviceTree a;
        DeviceTree b;
        try {
            a = DtInput.read(first, null);
            b = DtInput.read(second, null);
        } catch (BadInputException e) {
            spec.commandLine().getErr().println(e.render());
            spec.commandLine().getErr().flush();
            return EXIT_TROUBLE;
        }
        List<Change> changes = TreeDiff.diff(a, b);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.print(json(changes));
        } else {
            int limit = full ? Integer.MAX_VALUE : CLIP;
            for (Change c : changes) out.println(c.line(limit));
        }
        out.flush();
        return changes.isEmpty() ? Main.EXIT_OK : EXIT_DIFFERENT;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The changes as JSON: {@code {"equal":BOOL,"changes":[{"op","kind",...}]}}. */
    static String json(List<Change> changes) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("equal", changes.isEmpty());
        ArrayNode arr = root.putArray("changes");
        for (Change c : changes) {
            ObjectNode o = arr.addObject();
            o.put("op", String.valueOf(c.op()));
            if (c instanceof TreeDiff.NodeAdded n) {
                node(o, n.path());
            } else if (c instanceof TreeDiff.NodeRemoved n) {
                node(o, n.path());
            } else if (c instanceof TreeDiff.PropertyAdded p) {
                property(o, p.path(), p.name()).put("value", p.value());
            } else if (c instanceof TreeDiff.PropertyRemoved p) {
                property(o, p.path(), p.name()).put("value", p.value());
            } else if (c instanceof TreeDiff.PropertyChanged p) {
                property(o, p.path(), p.name()).put("before", p.before()).put("after", p.after());
            } else if (c instanceof TreeDiff.ReserveAdded r) {
                reserve(o, r.address(), r.size());
            } else if (c instanceof TreeDiff.ReserveRemoved r) {
                reserve(o, r.address(), r.size());
            } else if (c instanceof TreeDiff.BootCpuChanged r) {
                o.put("kind", "boot_cpuid_phys").put("before", hex(r.before())).put("after", hex(r.after()));
            }
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void node(ObjectNode o, String path) {
        o.put("kind", "node").put("path", path);
    }

    private static ObjectNode property(ObjectNode o, String path, String name) {
        return o.put("kind", "property").put("path", path).put("name", name);
    }

    private static void reserve(ObjectNode o, long address, long size) {
        o.put("kind", "memreserve").put("address", hex(address)).put("size", hex(size));
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
