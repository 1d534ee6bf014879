package org.xldt.cli;

import java.nio.file.Path;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtbReader;
import org.xldt.dt.DtsReader;

/** Reading a device-tree input file (DTS or DTB) for the {@code xldt dt} commands. */
final class DtInput {
    private DtInput() {
    }

    /** Input and output formats, spelled as dtc's {@code -I}/{@code -O} values. */
    enum Format {
        dts, dtb
    }

    /** The name used in error locations: the file, or {@code <stdin>} for {@code -}. */
    static String displayName(String file) {
        return file.equals("-") ? "<stdin>" : file;
    }

    /**
     * dtc's guess: DTB when {@code data} starts with the FDT magic, else by the file name's
     * extension ({@code .dtb}/{@code .dtbo}: DTB, so that a damaged blob gets DTB errors), else DTS.
     */
    static Format detect(byte[] data, String file) {
        if (DtbReader.hasMagic(data)) return Format.dtb;
        String lower = file.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith(".dtb") || lower.endsWith(".dtbo") ? Format.dtb : Format.dts;
    }

    /** Reads {@code file} ({@code -} = stdin) as {@code format}, or as detected when null. */
    static DeviceTree read(String file, Format format) {
        byte[] data = Outputs.read(file);
        return parse(data, format != null ? format : detect(data, file), file);
    }

    /**
     * Parses {@code data} read from {@code file} ({@code -} = stdin); a DTS's {@code /include/}
     * and {@code /incbin/} are relative to the file's directory (the workspace's for stdin).
     */
    static DeviceTree parse(byte[] data, Format format, String file) {
        String name = displayName(file);
        if (format == Format.dtb) return DtbReader.read(data, name);
        Workspace ws = Workspace.current();
        Path parent = file.equals("-") ? null : ws.resolve(file).getParent();
        return DtsReader.read(name, data, parent != null ? parent : ws.baseDir());
    }
}
