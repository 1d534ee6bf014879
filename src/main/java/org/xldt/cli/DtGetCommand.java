package org.xldt.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.xldt.BadInputException;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.FdtgetFormat;
import org.xldt.dt.Node;
import org.xldt.dt.Property;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code xldt dt get}: print property values, property names or subnode names, as fdtget does. */
@Command(
        name = "get",
        description = "Print properties of a node as fdtget (dtc 1.6.1) prints them, one line per PROP; "
                + "-p lists property names, -l subnode names. PATH is looked up as libfdt does: a component "
                + "without @unit matches name@unit, and a path not starting with / starts with an alias.",
        mixinStandardHelpOptions = true,
        footerHeading = "%nExample:%n",
        footer = {"  xldt dt get host.dtb / model", "  xldt dt get -t x host.dtb /soc/iommu@9050000 reg"})
public final class DtGetCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "-t", paramLabel = "TYPE",
            description = "Value type: [hh|b|h|l]{s|i|u|x} (s string, i signed, u unsigned, x hex; hh/b byte, h 16-bit, l 32-bit).")
    String type;

    @Option(names = "-p", description = "List the node's property names instead.")
    boolean listProperties;

    @Option(names = "-l", description = "List the node's subnode names instead.")
    boolean listSubnodes;

    @Option(names = "-d", paramLabel = "DEFAULT", description = "Print DEFAULT when the node or property is missing.")
    String defaultValue;

    @Parameters(index = "0", paramLabel = "IN", description = "Device tree (DTB), or '-' for standard input.")
    String input;

    @Parameters(index = "1", paramLabel = "PATH", description = "Node path or alias.")
    String path;

    @Parameters(index = "2..*", paramLabel = "PROP", description = "Property names.")
    List<String> props = new ArrayList<>();

    @Override
    public Integer call() {
        FdtgetFormat format = FdtgetFormat.DEFAULT;
        if (type != null) {
            format = FdtgetFormat.parse(type);
            if (format == null) throw usage("invalid type '" + type + "' (use [hh|b|h|l]{s|i|u|x})");
        }
        if (listProperties && listSubnodes) throw usage("-p and -l cannot be combined");
        boolean listing = listProperties || listSubnodes;
        if (listing && !props.isEmpty()) throw usage("-p and -l take a PATH and no PROP");
        if (!listing && props.isEmpty()) throw usage("missing PROP (or use -p or -l)");

        String name = DtInput.displayName(input);
        DeviceTree tree = DtInput.read(input, null);
        Node node = tree.findLoose(path);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try {
            if (node == null) {
                if (defaultValue == null) throw new BadInputException(name, "no node '" + path + "'");
                // fdtget prints the default once per node/property pair
                for (int i = 0; i < (listing ? 1 : props.size()); i++) line(text, defaultBytes());
            } else if (listProperties) {
                for (Property p : node.properties()) line(text, p.name());
            } else if (listSubnodes) {
                for (Node c : node.children()) line(text, c.name().isEmpty() ? "/" : c.name());
            } else {
                for (String prop : props) {
                    Property p = node.property(prop);
                    if (p == null) {
                        if (defaultValue == null) throw new BadInputException(name, "node '" + path + "' has no property '" + prop + "'");
                        line(text, defaultBytes());
                    } else {
                        line(text, format.show(p.value(), name, path + " " + prop));
                    }
                }
            }
        } finally {
            // as fdtget: what was printed before an error stays printed
            write(text.toByteArray());
        }
        return Main.EXIT_OK;
    }

    private static void line(ByteArrayOutputStream out, String latin1) {
        line(out, latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void line(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(bytes);
        out.write('\n');
    }

    private byte[] defaultBytes() {
        return defaultValue.getBytes(StandardCharsets.UTF_8);
    }

    private void write(byte[] data) {
        if (data.length == 0) return;
        OutputStream out = Main.bytesOut(spec);
        try {
            out.write(data);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
