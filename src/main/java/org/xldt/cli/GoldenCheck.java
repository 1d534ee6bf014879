package org.xldt.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.xldt.BadInputException;
import org.xldt.dt.DeviceTree;
import org.xldt.dt.DtbReader;
import org.xldt.dt.DtsReader;
import org.xldt.dt.TreeDiff;

/**
 * {@code xldt batch --check}: an output compared with the file already there (the golden file).
 * Device trees ({@code .dtb}, {@code .dtbo}, {@code .dts}, or the DTB magic) are compared with
 * {@link TreeDiff} (golden → new), other files by their first differing line or byte.
 */
final class GoldenCheck {
    /** At most this many changes are listed per file. */
    static final int MAX_LINES = 20;
    /** Values in listed changes are cut to about this many characters. */
    static final int CLIP = 120;

    private GoldenCheck() {
    }

    /** Why {@code out} differs from the file at its path, one line each; empty when the bytes are equal (or the target is not a regular file). */
    static List<String> compare(Workspace.Output out) {
        Path p = out.path();
        if (!Files.exists(p)) return List.of("missing: there is no " + out.name() + " to compare with (run without --check to write it)");
        if (!Files.isRegularFile(p)) return List.of();
        byte[] golden;
        try {
            golden = Files.readAllBytes(p);
        } catch (IOException e) {
            return List.of("cannot read " + out.name() + ": " + Outputs.describe(e));
        }
        byte[] now = out.data();
        if (Arrays.equals(golden, now)) return List.of();
        if (isTree(out.name(), golden) || isTree(out.name(), now)) return trees(out, golden, now);
        return List.of(isText(golden) && isText(now) ? textDifference(golden, now) : byteDifference(golden, now));
    }

    private static boolean isTree(String name, byte[] data) {
        String lower = name.toLowerCase(Locale.ROOT);
        return DtbReader.hasMagic(data) || lower.endsWith(".dtb") || lower.endsWith(".dtbo") || lower.endsWith(".dts");
    }

    private static List<String> trees(Workspace.Output out, byte[] golden, byte[] now) {
        DeviceTree a;
        DeviceTree b;
        try {
            a = tree(golden, out);
        } catch (BadInputException e) {
            return List.of("the golden file is not a device tree xldt can read: " + e.render());
        }
        try {
            b = tree(now, out);
        } catch (BadInputException e) {
            return List.of("the new output is not a device tree xldt can read: " + e.render());
        }
        List<TreeDiff.Change> changes = TreeDiff.diff(a, b);
        if (changes.isEmpty()) {
            return List.of("same tree, other bytes (" + golden.length + " → " + now.length
                    + " bytes): the order of nodes or properties, labels, the header or padding differ");
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < changes.size() && i < MAX_LINES; i++) lines.add(changes.get(i).line(CLIP));
        if (changes.size() > MAX_LINES) lines.add("… and " + (changes.size() - MAX_LINES) + " more changes (xldt dt diff for all)");
        return lines;
    }

    private static DeviceTree tree(byte[] data, Workspace.Output out) {
        if (DtbReader.hasMagic(data) || !out.name().toLowerCase(Locale.ROOT).endsWith(".dts")) return DtbReader.read(data, out.name());
        return DtsReader.read(out.name(), data, out.path().getParent());
    }

    private static boolean isText(byte[] data) {
        for (byte b : data) if (b == 0) return false;
        return true;
    }

    private static String textDifference(byte[] golden, byte[] now) {
        String[] a = new String(golden, StandardCharsets.UTF_8).split("\n", -1);
        String[] b = new String(now, StandardCharsets.UTF_8).split("\n", -1);
        int i = 0;
        while (i < a.length && i < b.length && a[i].equals(b[i])) i++;
        String was = i < a.length ? "\"" + TreeDiff.clip(a[i], 0, CLIP) + "\"" : "(end of file)";
        String is = i < b.length ? "\"" + TreeDiff.clip(b[i], 0, CLIP) + "\"" : "(end of file)";
        return "line " + (i + 1) + ": " + was + " → " + is;
    }

    private static String byteDifference(byte[] golden, byte[] now) {
        int i = Arrays.mismatch(golden, now);
        return String.format(Locale.ROOT, "bytes differ from offset 0x%x (%d → %d bytes)", i, golden.length, now.length);
    }
}
