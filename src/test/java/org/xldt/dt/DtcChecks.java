package org.xldt.dt;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xldt.Tools;

/** Test helper: dtc's check messages for a blob, and ours in the same form. */
final class DtcChecks {
    private DtcChecks() {
    }

    private static final Pattern LINE = Pattern.compile("^/dev/null: ((?:Warning|ERROR) \\(([a-z0-9_]+)\\): .*)$");

    /** The outcome of one dtc run over a blob. */
    record DtcRun(int exit, List<String> findings, String stderr) {
        boolean crashed() {
            return exit > 2; // an assertion (134) or a signal: no comparison possible
        }
    }

    /** Runs {@code dtc -I dtb -O dtb} on the blob; its findings without the file prefix, in order. */
    static DtcRun dtc(byte[] dtb, String... options) {
        List<String> cmd = new ArrayList<>(List.of(Tools.dtc(), "-I", "dtb", "-O", "dtb", "-o", "/dev/null"));
        cmd.addAll(List.of(options));
        cmd.add("-");
        Tools.Result r = Tools.run(cmd, dtb);
        List<String> out = new ArrayList<>();
        for (String line : r.stderr().split("\n", -1)) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) out.add(m.group(1));
        }
        return new DtcRun(r.exit(), out, r.stderr());
    }

    /** Our findings for the checks dtc also has, rendered without a file prefix. */
    static List<String> ours(List<Finding> findings) {
        List<String> out = new ArrayList<>();
        for (Finding f : findings) if (Checks.check(f.check()).dtc()) out.add(f.render());
        return out;
    }

    /** The check names of rendered findings about a node (not "Failed prerequisite" lines). */
    static List<String> reportingNames(List<String> rendered) {
        List<String> out = new ArrayList<>();
        for (String s : rendered) if (!s.contains("): Failed prerequisite '")) out.add(s.substring(s.indexOf('(') + 1, s.indexOf(')')));
        return out;
    }

    /** The check names in rendered findings. */
    static List<String> names(List<String> rendered) {
        List<String> out = new ArrayList<>();
        for (String s : rendered) out.add(s.substring(s.indexOf('(') + 1, s.indexOf(')')));
        return out;
    }
}
