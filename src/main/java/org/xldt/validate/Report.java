package org.xldt.validate;

import java.util.List;

/**
 * What {@code xldt validate} found: one row per device stream (and one per domain for the
 * domain-wide checks), each check with pass/fail and a reason.
 *
 * @param subject what was validated (a file name)
 * @param smmus   the physical SMMUs, as {@code name @base}
 * @param rows    the rows, domain by domain
 */
public record Report(String subject, List<String> smmus, List<Row> rows) {
    public Report {
        smmus = List.copyOf(smmus);
        rows = List.copyOf(rows);
    }

    /** One check's outcome. */
    public record Check(String name, boolean pass, String reason) {
        public static Check pass(String name, String reason) {
            return new Check(name, true, reason);
        }

        public static Check fail(String name, String reason) {
            return new Check(name, false, reason);
        }
    }

    /**
     * A device stream (or, with {@code device} = {@link #DOMAIN_ROW}, the domain itself).
     *
     * @param vsid "-" when not applicable
     * @param psid "-" when none
     * @param smmu the physical SMMU, "-" when none
     */
    public record Row(String domain, String device, String vsid, String psid, String smmu, List<Check> checks) {
        public Row {
            checks = List.copyOf(checks);
        }

        public boolean ok() {
            return checks.stream().allMatch(Check::pass);
        }
    }

    /** The device column of a domain's own row. */
    public static final String DOMAIN_ROW = "(domain)";

    public boolean ok() {
        return rows.stream().allMatch(Row::ok);
    }

    /** Every failed check, as {@code domain device: check: reason}. */
    public List<String> failures() {
        return rows.stream().flatMap(r -> r.checks().stream().filter(c -> !c.pass())
                .map(c -> r.domain() + " " + r.device() + ": " + c.name() + ": " + c.reason())).toList();
    }
}
