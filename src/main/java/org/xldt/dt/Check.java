package org.xldt.dt;

import java.util.List;

/**
 * One named device-tree check, as an entry of dtc's {@code checks.c} table: a name, a default
 * level, the function run on every node (pre-order), and the checks that must pass first.
 *
 * @param name    the name used in findings and by {@code -W}/{@code -E} ({@code unit_address_vs_reg})
 * @param level   the default level: {@link Level#ERROR} and {@link Level#WARNING} checks run by
 *                default; {@link Level#INFO} checks (dtc's {@code CHECK} entries) are off until a
 *                {@code -W} or {@code -E} switch turns them on
 * @param fn      the per-node function
 * @param prereqs names of the checks that must pass before this one runs (dtc's prerequisites)
 * @param dtc     true when dtc 1.6.1 has a check of this name with the same semantics and wording
 *                (those are verified against dtc); false for xldt's own checks
 */
public record Check(String name, Level level, Fn fn, List<String> prereqs, boolean dtc) {

    /** Severity of a check and of its findings. */
    public enum Level {
        ERROR("ERROR"),
        WARNING("Warning"),
        /** Off by default (dtc's {@code CHECK} entries); enabled with {@code -W} or {@code -E}. */
        INFO("Info");

        private final String label;

        Level(String label) {
            this.label = label;
        }

        /** The word dtc prints: {@code ERROR}, {@code Warning}. */
        public String label() {
            return label;
        }
    }

    /** The per-node function of a check; it reports through the context. */
    @FunctionalInterface
    public interface Fn {
        void check(CheckContext ctx, Node node);
    }

    public Check {
        if (name == null || level == null || fn == null) throw new IllegalArgumentException("check");
        prereqs = prereqs == null ? List.of() : List.copyOf(prereqs);
    }
}
