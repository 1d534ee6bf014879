package org.xldt.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A batch thread reuses its command trees from job to job ({@link Main}): picocli resets options and
 * parameters on each parse, so commands must keep nothing else, and a job's result must not depend
 * on the jobs its thread ran before.
 */
class CommandStateTest {
    private static final Set<Class<? extends Annotation>> PICOCLI = Set.of(CommandLine.Option.class, CommandLine.Parameters.class,
            CommandLine.Spec.class, CommandLine.Mixin.class, CommandLine.ArgGroup.class, CommandLine.ParentCommand.class,
            CommandLine.Unmatched.class);

    @TempDir
    Path dir;

    @Test
    void commandsKeepOnlyWhatPicocliResets() {
        Set<Class<?>> classes = new LinkedHashSet<>();
        for (CommandLine c : CliHelpTest.allCommands()) {
            classes.add(c.getCommand().getClass());
            for (CommandLine.Model.CommandSpec m : c.getCommandSpec().mixins().values()) {
                if (m.userObject() != null) classes.add(m.userObject().getClass());
            }
        }
        assertTrue(classes.contains(CreateCommand.class) && classes.contains(XlCfgInput.Args.class), classes.toString());
        List<String> bad = new ArrayList<>();
        for (Class<?> k : classes) {
            if (k.getName().startsWith("picocli.")) continue;
            for (Field f : k.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) continue;
                if (k == Main.class && f.getName().equals("bytesOut")) continue; // set by every run
                boolean annotated = false;
                for (Annotation a : f.getAnnotations()) annotated |= PICOCLI.contains(a.annotationType());
                if (!annotated) bad.add(k.getSimpleName() + "." + f.getName());
            }
        }
        assertEquals(List.of(), bad, "instance fields picocli does not reset");
    }

    @Test
    void aReusedTreeForgetsTheJobBefore() throws Exception {
        Path ex = Path.of("examples/guests").toAbsolutePath();
        for (String f : List.of("vsmmu-vuart-ramdisk.cfg", "initrd.img")) Files.copy(ex.resolve(f), dir.resolve(f));
        Files.writeString(dir.resolve("t.dts"), "/dts-v1/;\n/ { model = \"t\"; };\n");
        List<Manifest.Job> jobs = Manifest.parse("jobs", String.join("\n",
                "create vsmmu-vuart-ramdisk.cfg -o a.dtb --ramdisk-size 0x1000000 --rng-seed none 'memory=1024'",
                "create vsmmu-vuart-ramdisk.cfg -o b.dtb",
                "dt convert -q -O dts t.dts -o t.out",
                "dt convert t.dts -o t.out",
                ""), dir);
        // all four on one thread, in order
        AtomicReference<List<BatchRunner.Result>> reused = new AtomicReference<>();
        Thread t = new Thread(() -> {
            List<BatchRunner.Result> rs = new ArrayList<>();
            for (Manifest.Job j : jobs) rs.add(BatchRunner.execute(j));
            reused.set(rs);
        });
        t.start();
        t.join();
        for (int i = 0; i < jobs.size(); i++) {
            // each alone, on a thread of its own
            AtomicReference<BatchRunner.Result> fresh = new AtomicReference<>();
            Manifest.Job j = jobs.get(i);
            Thread u = new Thread(() -> fresh.set(BatchRunner.execute(j)));
            u.start();
            u.join();
            BatchRunner.Result r = reused.get().get(i);
            assertEquals(0, r.exit(), r.stderr());
            assertEquals(fresh.get().stderr(), r.stderr(), j.command());
            assertEquals(1, r.outputs().size());
            assertArrayEquals(fresh.get().outputs().get(0).data(), r.outputs().get(0).data(), j.command());
        }
        // the options of the first job did change its output, so the second one shows they were forgotten
        assertFalse(java.util.Arrays.equals(reused.get().get(0).outputs().get(0).data(), reused.get().get(1).outputs().get(0).data()));
        // -O dts of the third job: the fourth guesses DTB from nothing (a DTS input)
        assertTrue(new String(reused.get().get(2).outputs().get(0).data(), java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("/dts-v1/;"));
        assertTrue(org.xldt.dt.DtbReader.hasMagic(reused.get().get(3).outputs().get(0).data()));
    }
}
