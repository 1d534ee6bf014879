package org.xldt.dt;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.xldt.cli.Main;

/** Runs {@code xldt} in-process with captured standard output (bytes) and error (text). */
public final class DtCli {
    private DtCli() {
    }

    public record Result(int exit, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.ISO_8859_1);
        }
    }

    public static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int rc = Main.run(args, out, new PrintWriter(err, true));
        return new Result(rc, out.toByteArray(), err.toString());
    }
}
