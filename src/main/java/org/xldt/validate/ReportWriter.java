package org.xldt.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.xldt.validate.Report.Check;
import org.xldt.validate.Report.Outcome;
import org.xldt.validate.Report.Row;

/** A {@link Report} as a text table, JSON, or a Graphviz graph (domains → devices → SMMUs). */
public final class ReportWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** How long Graphviz may take to draw the graph. */
    static final long DOT_TIMEOUT_SECONDS = 60;

    private ReportWriter() {
    }

    /** The table: one line per row (device, vSID, pSID, physical SMMU, result), then one indented line per check. */
    public static String text(Report r) {
        int wd = "DOMAIN".length();
        int wv = "DEVICE".length();
        int ws = "PHYSICAL SMMU".length();
        for (Row row : r.rows()) {
            wd = Math.max(wd, row.domain().length());
            wv = Math.max(wv, row.device().length());
            ws = Math.max(ws, row.smmu().length());
        }
        String fmt = "%-" + wd + "s  %-" + wv + "s  %-7s %-7s %-" + ws + "s  %s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(fmt, "DOMAIN", "DEVICE", "vSID", "pSID", "PHYSICAL SMMU", "RESULT"));
        for (Row row : r.rows()) {
            sb.append(String.format(fmt, row.domain(), row.device(), row.vsid(), row.psid(), row.smmu(), row.ok() ? "pass" : "FAIL"));
            for (Check c : row.checks()) sb.append(String.format("    %-4s %-18s %s%n", c.outcome().label, c.name(), c.reason()));
        }
        for (String n : r.notes()) sb.append("note: ").append(n).append('\n');
        long total = r.rows().stream().mapToLong(x -> x.checks().size()).sum();
        sb.append(r.ok() ? String.format("%s: all %d checks passed%n", r.subject(), total)
                : String.format("%s: %d of %d checks failed, %d not run%n", r.subject(), r.count(Outcome.FAIL), total, r.count(Outcome.SKIP)));
        return sb.toString();
    }

    /**
     * The report as JSON: {@code {subject, ok, smmus[], notes[], rows[{domain, device, vsid, psid,
     * smmu, ok, checks[{name, result, reason}]}]}}, result being "ok", "FAIL" or "skip".
     */
    public static String json(Report r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("subject", r.subject());
        root.put("ok", r.ok());
        ArrayNode smmus = root.putArray("smmus");
        r.smmus().forEach(smmus::add);
        ArrayNode notes = root.putArray("notes");
        r.notes().forEach(notes::add);
        ArrayNode rows = root.putArray("rows");
        for (Row row : r.rows()) {
            ObjectNode o = rows.addObject();
            o.put("domain", row.domain());
            o.put("device", row.device());
            o.put("vsid", row.vsid());
            o.put("psid", row.psid());
            o.put("smmu", row.smmu());
            o.put("ok", row.ok());
            ArrayNode checks = o.putArray("checks");
            for (Check c : row.checks()) {
                ObjectNode co = checks.addObject();
                co.put("name", c.name());
                co.put("result", c.outcome().label);
                co.put("reason", c.reason());
            }
        }
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Graphviz: domains → devices (labelled with vSID) → physical SMMUs (edge labelled with pSID); failing rows in red. */
    public static String dot(Report r) {
        StringBuilder sb = new StringBuilder("digraph xldt_validate {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n"
                + "  edge [fontname=\"Helvetica\", fontsize=9];\n");
        Map<String, String> ids = new LinkedHashMap<>();
        Set<String> domains = new LinkedHashSet<>();
        for (Row row : r.rows()) {
            if (!row.device().equals(Report.DOMAIN_ROW) || !domains.add(row.domain())) continue;
            sb.append(String.format("  %s [shape=box, style=\"rounded,filled\", fillcolor=\"%s\", label=%s];%n", id(ids, "d:" + row.domain()),
                    row.ok() ? "#d8ecd8" : "#f4c7c3", quote("domain " + row.domain())));
        }
        for (String s : r.smmus()) {
            sb.append(String.format("  %s [shape=hexagon, style=filled, fillcolor=\"#dde6f5\", label=%s];%n", id(ids, "s:" + s), quote("SMMUv3 " + s)));
        }
        for (Row row : r.rows()) {
            if (row.device().equals(Report.DOMAIN_ROW)) continue;
            String dev = id(ids, "v:" + row.domain() + ":" + row.device() + ":" + row.vsid() + ":" + row.psid());
            sb.append(String.format("  %s [shape=ellipse, color=\"%s\", label=%s];%n", dev, row.ok() ? "black" : "red",
                    quote(row.device() + "\nvSID " + row.vsid())));
            sb.append(String.format("  %s -> %s;%n", id(ids, "d:" + row.domain()), dev));
            if (!row.smmu().equals("-")) {
                sb.append(String.format("  %s -> %s [label=%s, color=\"%s\"];%n", dev, id(ids, "s:" + row.smmu()), quote("pSID " + row.psid()),
                        row.ok() ? "black" : "red"));
            }
        }
        sb.append("}\n");
        return sb.toString();
    }

    private static String id(Map<String, String> ids, String key) {
        return ids.computeIfAbsent(key, k -> "n" + ids.size());
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /** The graph drawn by Graphviz ({@code dot -Tsvg}), or empty when dot is not installed or fails. */
    public static Optional<byte[]> svg(byte[] dot) {
        Path in = null;
        try {
            in = Files.createTempFile("xldt-validate", ".dot");
            Files.write(in, dot);
            Process p = new ProcessBuilder("dot", "-Tsvg", in.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(DOT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (in != null) in.toFile().delete();
        }
    }
}
