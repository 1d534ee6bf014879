package org.xldt.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A UTF-8 PrintWriter over a byte stream that also lets a command write bytes unchanged (JSON
 * that must match another tool byte for byte, binary blobs). {@link Main#main} gives commands
 * these for standard output and error.
 */
public final class RawPrintWriter extends PrintWriter {
    private final OutputStream raw;

    public RawPrintWriter(OutputStream raw) {
        super(new OutputStreamWriter(raw, StandardCharsets.UTF_8), true);
        this.raw = raw;
    }

    /** Writes bytes as they are, after anything already printed. */
    public void writeBytes(byte[] bytes) {
        flush();
        try {
            raw.write(bytes);
            raw.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes bytes to {@code out}: unchanged when it is a RawPrintWriter, else decoded as UTF-8
     * (the best a character writer can do).
     */
    public static void write(PrintWriter out, byte[] bytes) {
        if (out instanceof RawPrintWriter r) {
            r.writeBytes(bytes);
        } else {
            out.print(new String(bytes, StandardCharsets.UTF_8));
            out.flush();
        }
    }
}
