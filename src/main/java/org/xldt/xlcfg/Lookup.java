package org.xldt.xlcfg;

import java.util.Optional;

/**
 * The outcome of one of libxlutil's accessors ({@code xlu_cfg_get_string}, {@code _long},
 * {@code _bounded_long}, {@code _defbool}, {@code _list}, {@code _list_as_string_list}):
 * a value, or absence ({@code ESRCH}), or a refusal ({@code EINVAL}/{@code ERANGE}) with the
 * warning libxlutil prints (unless the caller asked it not to warn).
 *
 * @param status  what happened
 * @param value   the value when {@link Status#OK}, else null
 * @param setting the setting consulted (null when absent)
 * @param warning libxlutil's warning for a refusal (null otherwise)
 */
public record Lookup<T>(Status status, T value, Setting setting, Diagnostic warning) {
    /** libxlutil's return codes. */
    public enum Status {
        /** 0: found and converted. */
        OK(0),
        /** ESRCH: no such setting. */
        ABSENT(3),
        /** EINVAL: wrong kind of value, not a number, out of bounds, {@code +=} on a number. */
        INVALID(22),
        /** ERANGE: the number does not fit in a C long. */
        OUT_OF_RANGE(34);

        private final int errno;

        Status(int errno) {
            this.errno = errno;
        }

        /** The errno value libxlutil returns. */
        public int errno() {
            return errno;
        }
    }

    static <T> Lookup<T> ok(T value, Setting s) {
        return new Lookup<>(Status.OK, value, s, null);
    }

    static <T> Lookup<T> none() {
        return new Lookup<>(Status.ABSENT, null, null, null);
    }

    static <T> Lookup<T> refused(Status status, Setting s, Diagnostic warning) {
        return new Lookup<>(status, null, s, warning);
    }

    public boolean ok() {
        return status == Status.OK;
    }

    public boolean absent() {
        return status == Status.ABSENT;
    }

    /** The value, if found and converted. */
    public Optional<T> optional() {
        return Optional.ofNullable(value);
    }

    public T orElse(T fallback) {
        return ok() ? value : fallback;
    }

    /** The value if any; a refusal's warning goes to {@code sink} (as libxlutil prints it). */
    public Optional<T> get(Diagnostics sink) {
        if (warning != null && sink != null) sink.add(warning);
        return optional();
    }
}
