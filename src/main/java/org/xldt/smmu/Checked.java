package org.xldt.smmu;

/** A decoded structure, or the reason it is ILLEGAL. */
public record Checked<T>(T value, String illegal) {

    public static <T> Checked<T> ok(T value) {
        return new Checked<>(value, null);
    }

    public static <T> Checked<T> bad(String reason) {
        return new Checked<>(null, reason);
    }

    public boolean isOk() {
        return illegal == null;
    }
}
