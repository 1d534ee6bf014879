package org.xldt.validate;

import java.util.List;

/**
 * What {@code xldt validate} found: one row per device stream (and one per domain for the
 * domain-wide checks), each check with its outcome and a reason.
 *
 * @param subject what was validated (a file name)
 * @param smmus   the physical SMMUs, as {@code name @base}
 * @param rows    the rows, domain by domain
 * @param notes   what was not validated, and why
 */
public record Report(String subject, List<String> smmus, List<Row> rows, List<String> notes) {
    public Report {
        smmus = List.copyOf(smmus);
        rows = List.copyOf(rows);
        notes = List.copyOf(notes);
    }

    /** A check's outcome: it held, it did not, or it could not run because another check failed. */
    public enum Outcome {
        PASS("ok"), FAIL("FAIL"), SKIP("skip");

        /** How the table and JSON spell it. */
        public final String label;

        Outcome(String label) {
            this.label = label;
        }
    }

    /** One check's outcome. A {@link Outcome#SKIP}'s reason names the failure that stopped it. */
    public record Check(String name, Outcome outcome, String reason) {
        public static Check pass(String name, String reason) {
            return new Check(name, Outcome.PASS, reason);
        }

        public static Check fail(String name, String reason) {
            return new Check(name, Outcome.FAIL, reason);
        }

        public static Check skip(String name, String reason) {
            return new Check(name, Outcome.SKIP, "not run: " + reason);
        }

        public boolean pass() {
            return outcome == Outcome.PASS;
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

    /** True when every check of every row passed. */
    public boolean ok() {
        return rows.stream().allMatch(Row::ok);
    }

    /** Every failed check (not the skipped ones), as {@code domain device: check: reason}. */
    public List<String> failures() {
        return rows.stream().flatMap(r -> r.checks().stream().filter(c -> c.outcome() == Outcome.FAIL)
                .map(c -> r.domain() + " " + r.device() + ": " + c.name() + ": " + c.reason())).toList();
    }

    /** How many checks had {@code o}. */
    public long count(Outcome o) {
        return rows.stream().flatMap(r -> r.checks().stream()).filter(c -> c.outcome() == o).count();
    }
}
