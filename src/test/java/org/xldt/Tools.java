package org.xldt;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * External reference tools for tests (dtc, fdtget, dt-validate, Xen's libxlutil oracle, QEMU).
 * A test that needs a missing tool is skipped on a developer machine, but fails when
 * {@code XLDT_REQUIRE_TOOLS=1} (set by {@code .ci/run}), so CI can never skip a comparison.
 */
public final class Tools {
    private Tools() {
    }

    public record Result(int exit, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    public static boolean required() {
        return "1".equals(System.getenv("XLDT_REQUIRE_TOOLS"));
    }

    /** The path of an executable on PATH, or skip/fail. */
    public static String require(String tool) {
        String p = which(tool);
        if (p == null) {
            if (required()) fail(tool + " is not installed but XLDT_REQUIRE_TOOLS=1 (run .ci/run's apt-get line)");
            assumeTrue(false, tool + " is not installed");
        }
        return p;
    }

    public static String which(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    public static String dtc() {
        return require("dtc");
    }

    /**
     * Xen's libxlutil oracle ({@code src/test/c/xlcfg-oracle.c}), built once into
     * {@code target/xlcfg-oracle} with {@code cc ... -lxlutil -lxenlight}. Skips (or fails under
     * XLDT_REQUIRE_TOOLS=1) when cc or libxlutil.h is missing.
     */
    public static synchronized String xlcfgOracle() {
        return buildC("xlcfg-oracle", "src/test/c/xlcfg-oracle.c", "/usr/include/libxlutil.h", "-lxlutil", "-lxenlight");
    }

    /**
     * Builds a C test helper from {@code source} into {@code target/NAME} unless it is up to
     * date; {@code header} must exist (the library it needs). Returns the executable's path.
     */
    public static synchronized String buildC(String name, String source, String header, String... libs) {
        String cc = which("cc");
        if (cc == null || !Files.exists(Path.of(header))) {
            String why = cc == null ? "cc is not installed" : header + " is missing (apt-get install libxen-dev)";
            if (required()) fail(why + " but XLDT_REQUIRE_TOOLS=1");
            assumeTrue(false, why);
        }
        Path src = Path.of(source).toAbsolutePath();
        Path out = Path.of("target", name).toAbsolutePath();
        try {
            // rebuild when any C source next to it is newer (helpers may #include each other)
            boolean stale = !Files.exists(out);
            try (var siblings = Files.list(src.getParent())) {
                for (Path c : siblings.toList()) {
                    if (!stale && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(c)) < 0) stale = true;
                }
            }
            if (stale) {
                Files.createDirectories(out.getParent());
                Path tmp = Files.createTempFile(out.getParent(), name, ".tmp");
                List<String> cmd = new ArrayList<>(List.of(cc, "-O2", "-o", tmp.toString(), src.toString()));
                cmd.addAll(List.of(libs));
                Result r = run(cmd, null);
                if (r.exit() != 0) fail("cannot build " + name + ": " + r.stderr());
                Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            fail("cannot build " + name + ": " + e);
        }
        return out.toString();
    }

    /** Runs a command with optional stdin; 120 s limit on the whole run (a hung tool fails the test). */
    public static Result run(List<String> cmd, byte[] stdin) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            Process p = pb.start();
            Thread feeder = new Thread(() -> {
                try (OutputStream os = p.getOutputStream()) {
                    if (stdin != null) os.write(stdin);
                } catch (IOException ignored) {
                    // the tool may exit without reading
                }
            });
            feeder.start();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread errReader = new Thread(() -> copy(p.getErrorStream(), err));
            Thread outReader = new Thread(() -> copy(p.getInputStream(), out));
            errReader.start();
            outReader.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("timeout (120 s): " + cmd);
            }
            feeder.join();
            outReader.join();
            errReader.join();
            return new Result(p.exitValue(), out.toByteArray(), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Result run(String... cmd) {
        return run(List.of(cmd), null);
    }

    private static void copy(InputStream in, OutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException ignored) {
            // process ended
        }
    }

    /** Convenience: a command list. */
    public static List<String> cmd(Object... parts) {
        List<String> l = new ArrayList<>();
        for (Object o : parts) l.add(String.valueOf(o));
        return l;
    }
}
