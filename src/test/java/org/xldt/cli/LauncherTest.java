package org.xldt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code xldt} launcher's AppCDS archive, on a copy of the launcher beside a jar of this build
 * (target/classes, its dependencies in target/lib): made by the first run, used by the next, never
 * with XLDT_CDS=0, and never a word of it on standard output or error, whether runs start together
 * or the archive cannot be written.
 */
class LauncherTest {
    @TempDir
    static Path dir;

    static Path layout;
    static String version;

    @BeforeAll
    static void makeLayout() throws IOException {
        layout = dir.resolve("checkout");
        Path target = Files.createDirectories(layout.resolve("target"));
        Files.copy(Path.of("xldt"), layout.resolve("xldt"));
        Files.createSymbolicLink(layout.resolve("examples"), Path.of("examples").toAbsolutePath());
        Path lib = Files.createDirectories(target.resolve("lib"));
        List<String> classPath = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            String name = Path.of(e).getFileName().toString();
            if (name.matches("(antlr4-runtime|picocli|commons-io|jackson-(core|databind|annotations))-[0-9.]+\\.jar")) {
                Files.copy(Path.of(e), lib.resolve(name));
                classPath.add("lib/" + name);
            }
        }
        assertEquals(6, classPath.size(), classPath.toString());
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        mf.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        Path classes = Path.of("target", "classes");
        try (OutputStream out = Files.newOutputStream(target.resolve("xldt.jar")); JarOutputStream jar = new JarOutputStream(out, mf);
                Stream<Path> files = Files.walk(classes)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, jar);
                jar.closeEntry();
            }
        }
        version = new String(VersionProvider.lines()[0]) + "\n";
    }

    record Run(int exit, String out, String err) {
    }

    static Run launch(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(layout.resolve("xldt").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().remove("XLDT_JAVA_OPTS");
        pb.environment().remove("XLDT_CDS");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int rc = p.waitFor();
        return new Run(rc, Files.readString(out), Files.readString(err));
    }

    static Path archive() {
        return layout.resolve("target/xldt.jsa");
    }

    static void removeArchive() throws IOException {
        for (String s : List.of("", ".java", ".jar")) Files.deleteIfExists(layout.resolve("target/xldt.jsa" + s));
    }

    /** Whether the run logged in {@code log} loaded xldt's Main from the archive. */
    static boolean mainFromArchive(Path log) throws IOException {
        String line = Files.readAllLines(log).stream().filter(l -> l.contains(" org.xldt.cli.Main ")).findFirst().orElseThrow();
        return line.endsWith("source: shared objects file");
    }

    @Test
    void firstRunsMakeTheArchiveTheNextUseItAndXldtCdsZeroDoesNot() throws Exception {
        removeArchive();
        // three first runs at once: one makes the archive, all succeed silently
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Run>> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) runs.add(pool.submit(() -> launch(Map.of(), "--version")));
            for (Future<Run> r : runs) assertEquals(new Run(0, version, ""), r.get());
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> s = Files.list(layout.resolve("target"))) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().startsWith(".cds.X")).toList(), "no leftovers");
        }
        Run first = new Run(0, version, "");
        assertTrue(Files.size(archive()) > 1_000_000, "archive made");
        assertTrue(Files.isSymbolicLink(layout.resolve("target/xldt.jsa.java")));
        assertTrue(Files.getLastModifiedTime(archive()).compareTo(Files.getLastModifiedTime(layout.resolve("target/xldt.jar"))) > 0);

        Path log = dir.resolve("classes-cds.txt");
        Run second = launch(Map.of("XLDT_JAVA_OPTS", "-Xlog:class+load:file=" + log), "--version");
        assertEquals(first, second);
        assertTrue(mainFromArchive(log));
        // a real command too: same output with and without the archive
        Run dom0 = launch(Map.of(), "dt", "get", "examples/hosts/qemu-virt-gicv3.dtb", "/", "model");
        Path off = dir.resolve("classes-off.txt");
        Run noCds = launch(Map.of("XLDT_CDS", "0", "XLDT_JAVA_OPTS", "-Xlog:class+load:file=" + off), "--version");
        assertEquals(first, noCds);
        assertFalse(mainFromArchive(off));
        assertEquals(launch(Map.of("XLDT_CDS", "0"), "dt", "get", "examples/hosts/qemu-virt-gicv3.dtb", "/", "model"), dom0);
        assertEquals(0, dom0.exit(), dom0.err());

        // a jar built after the archive: the archive is made again
        Files.setLastModifiedTime(layout.resolve("target/xldt.jar"), FileTime.fromMillis(System.currentTimeMillis() + 2000));
        assertEquals(first, launch(Map.of(), "--version"));
        assertTrue(Files.getLastModifiedTime(archive()).compareTo(Files.getLastModifiedTime(layout.resolve("target/xldt.jar"))) > 0);
    }

    /**
     * A checkout the user cannot write and no cache directory: no archive, no complaint. As root
     * (who may write anything) the launcher runs as nobody; as anyone else, target/ is made
     * read-only for the run.
     */
    @Test
    void aReadOnlyCheckoutRunsWithoutTheArchive() throws Exception {
        removeArchive();
        boolean root = "root".equals(System.getProperty("user.name"));
        var tmpMode = Files.getPosixFilePermissions(dir.getParent());
        Path target = layout.resolve("target");
        List<String> cmd = new ArrayList<>();
        if (root) {
            cmd.addAll(List.of(org.xldt.Tools.require("runuser"), "-u", "nobody", "--"));
            // nobody must reach the checkout (JUnit's directory is 0700); nothing above it is touched
            // (its parent is the system's temporary directory, whose sticky bit must stay)
            for (Path p = layout; p != null && p.startsWith(dir); p = p.getParent()) {
                Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } else {
            Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        cmd.addAll(List.of("env", "HOME=/nonexistent", "XDG_CACHE_HOME=", layout.resolve("xldt").toString(), "--version"));
        org.xldt.Tools.Result r;
        try {
            r = org.xldt.Tools.run(cmd, new byte[0]);
        } finally {
            if (!root) Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(version, r.out());
        assertEquals("", r.stderr());
        assertFalse(Files.exists(archive()));
        assertEquals(tmpMode, Files.getPosixFilePermissions(dir.getParent()), "the test changed " + dir.getParent());
    }
}
