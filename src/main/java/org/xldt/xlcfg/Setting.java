package org.xldt.xlcfg;

/**
 * One stored assignment, as libxlutil keeps it. For {@code +=} the value is already the
 * concatenation with the previous value of the same name (libxlutil does the same at parse
 * time), and {@link #op()} stays {@link Op#ADD}, which matters for numbers.
 *
 * @param name     the setting's name
 * @param op       {@code =} or {@code +=}
 * @param value    the (concatenated) value
 * @param location where the name is (libxlutil reports the value's line; xldt also knows the column)
 */
public record Setting(String name, Op op, XlValue value, Location location) {
    /** {@code =} or {@code +=}. */
    public enum Op {
        ASSIGN("="),
        ADD("+=");

        private final String text;

        Op(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** Where the value is: libxlutil's warnings name this line. */
    public Location valueLocation() {
        return value.location();
    }
}
