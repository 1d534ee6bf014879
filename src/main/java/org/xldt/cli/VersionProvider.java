package org.xldt.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** Reads the version Maven filtered into {@code xldt-version.properties}. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return lines();
    }

    /** What {@code xldt --version} prints, one element a line. */
    static String[] lines() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/xldt-version.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // String.concat, not +: javac's invokedynamic concatenation bootstraps method handles,
        // about 20 ms of a --version run.
        return new String[] {"xldt ".concat(p.getProperty("version", "unknown"))};
    }
}
